import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

/** The task inbox over the engine's user tasks. */
@Module({ imports: [EngineModule], controllers: [TasksController], providers: [TasksService], exports: [TasksService] })
export class TasksModule {}
