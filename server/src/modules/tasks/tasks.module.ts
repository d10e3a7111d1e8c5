import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { FormsModule } from '../forms/forms.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ProcessesModule } from '../processes/processes.module.js';
import { RecordsModule } from '../records/records.module.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

/** The task inbox over the engine's user tasks. */
@Module({ imports: [EngineModule, ProcessesModule, FormsModule, RecordsModule, NotificationsModule], controllers: [TasksController], providers: [TasksService], exports: [TasksService] })
export class TasksModule {}
