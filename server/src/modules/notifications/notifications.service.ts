import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { RowStatements } from '../../core/database/row-statements.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, type PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { EngineEvents } from '../engine/engine-events.js';
import { Notification, type NotificationKind } from './notification.entity.js';

export interface NotificationInput {
  tenantId: string;
  userIds: string[];
  kind: NotificationKind;
  title: string;
  body?: string | null;
  link?: string | null;
  instanceId?: string | null;
  taskId?: string | null;
  actorId?: string | null;
}

/**
 * In-app notifications: assignment (from engine events), urge, transfer, added signer. Titles are
 * stored as written by the server (the task or process name); clients translate `kind`.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly rows: RowStatements<Notification>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly events: EngineEvents) {
    this.rows = new RowStatements(dataSource, Notification);
  }

  onModuleInit(): void {
    this.events.subscribe(async (event) => {
      if (event.type !== 'task.created' || !event.task.assignee) return;
      await this.notify({
        tenantId: event.tenantId, userIds: [event.task.assignee], kind: 'assigned', title: event.task.name,
        link: `/tasks/${event.task.id}`, instanceId: event.task.instanceId, taskId: event.task.id,
      });
    });
  }

  async notify(input: NotificationInput, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const now = new Date();
    const rows: Notification[] = [...new Set(input.userIds)].map((userId) => ({
      id: randomUUID(), tenantId: input.tenantId, userId, kind: input.kind, title: input.title.slice(0, 300), body: input.body ?? null,
      link: input.link ?? null, instanceId: input.instanceId ?? null, taskId: input.taskId ?? null, actorId: input.actorId ?? null,
      readAt: null, createdAt: now,
    }));
    await this.rows.insert(manager, rows);
  }

  async mine(query: PageQueryDto & { unread?: boolean }): Promise<Page<Notification> & { unread: number }> {
    const actor = RequestContext.requireActor();
    const repo = this.dataSource.getRepository(Notification);
    const where = { tenantId: actor.tenantId, userId: actor.userId ?? '' };
    const [items, total] = await repo.findAndCount({
      where: query.unread ? { ...where, readAt: IsNull() } : where, order: { createdAt: 'DESC', id: 'ASC' }, ...skipTake(query),
    });
    const unread = await repo.countBy({ ...where, readAt: IsNull() });
    return { ...pageOf(items, total, query), unread };
  }

  async markRead(id: string | 'all'): Promise<void> {
    const actor = RequestContext.requireActor();
    const where = { tenantId: actor.tenantId, userId: actor.userId ?? '', readAt: IsNull(), ...(id === 'all' ? {} : { id }) };
    const result = await this.dataSource.getRepository(Notification).update(where, { readAt: new Date() });
    if (id !== 'all' && result.affected === 0) {
      const exists = await this.dataSource.getRepository(Notification).existsBy({ id, tenantId: actor.tenantId, userId: actor.userId ?? '' });
      if (!exists) throw AppError.notFound('The notification');
    }
  }
}
