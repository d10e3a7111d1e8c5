import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** In-app notifications (the bell). Email delivery is not built yet. */
@Module({ imports: [EngineModule], controllers: [NotificationsController], providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsModule {}
