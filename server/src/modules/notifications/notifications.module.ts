import { Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EngineModule } from '../engine/engine.module.js';
import { ServiceTaskRegistry } from '../plugins/service-task-registry.js';
import { MailService } from './mail.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { notifyTask } from './notify-task.js';

/** Notifications in the app (the bell) and by e-mail (SMTP or the outbox), each person's choice per kind; the `notify` task type. */
@Module({ imports: [EngineModule], controllers: [NotificationsController], providers: [NotificationsService, MailService], exports: [NotificationsService] })
export class NotificationsModule implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ServiceTaskRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(notifyTask(this.dataSource, this.notifications));
  }
}
