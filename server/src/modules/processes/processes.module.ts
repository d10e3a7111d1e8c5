import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module.js';
import { ProcessCatalog } from './process-catalog.js';
import { ProcessesController } from './processes.controller.js';
import { ProcessesService } from './processes.service.js';

/** BPMN process definitions and their deployed versions (the engine module runs them). */
@Module({ imports: [AppsModule], controllers: [ProcessesController], providers: [ProcessesService, ProcessCatalog], exports: [ProcessesService, ProcessCatalog] })
export class ProcessesModule {}
