import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module.js';
import { FormsController } from './forms.controller.js';
import { FormsService } from './forms.service.js';

@Module({ imports: [AppsModule], controllers: [FormsController], providers: [FormsService], exports: [FormsService] })
export class FormsModule {}
