import { createHash, randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { RowStatements } from '../../core/database/row-statements.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, type PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { UserTask } from '../engine/engine.entities.js';
import { EngineEvents } from '../engine/engine-events.js';
import { holdersOf } from '../engine/task-candidates.js';
import type { EngineEvent } from '../engine/runtime/runtime-types.js';
import { peopleIn } from '../org/people.js';
import { User } from '../org/user.entity.js';
import { ProcessDefinition } from '../processes/process.entity.js';
import { LiveHub } from '../live/live-hub.js';
import { MailService } from './mail.service.js';
import { mentionedEmails } from './mentions.js';
import { Notification, type NotificationKind, NotificationPreference } from './notification.entity.js';
import { choicesFor, parseChanges, preferencesOf, type Preferences } from './notification-preferences.js';

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
  /**
   * Names the event when it may arrive twice (a redelivered job): the same key and person make the same
   * notification and e-mail ids, so a repeat writes nothing.
   */
  eventKey?: string;
}

/** The most people one event notifies (a CC to a large role). */
const MAX_RECIPIENTS = 500;

/** A UUID-shaped id derived from a key: the same key always gives the same id. */
function stableId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Notifications on every channel: in the app (the bell) and by e-mail, each as the person chose for that
 * kind (assignment, CC, mention, urge, escalation, completion, transfer, added signer, return, withdrawal).
 * Engine events drive assignment, CC, mentions and completion; the task actions call `notify` themselves.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly rows: RowStatements<Notification>;
  private readonly users: RowStatements<User>;
  private readonly choices: RowStatements<NotificationPreference>;
  private readonly processes: RowStatements<ProcessDefinition>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EngineEvents,
    private readonly mail: MailService,
    private readonly live: LiveHub,
  ) {
    this.rows = new RowStatements(dataSource, Notification);
    this.users = new RowStatements(dataSource, User);
    this.choices = new RowStatements(dataSource, NotificationPreference);
    this.processes = new RowStatements(dataSource, ProcessDefinition);
  }

  onModuleInit(): void {
    this.events.subscribe((event) => this.onEngineEvent(event));
  }

  /**
   * Writes each person's notification on the channels they chose (the bell's row and the e-mail in one
   * transaction), then, once committed, tells their open pages and hands the e-mails to the queue.
   */
  async notify(input: NotificationInput): Promise<void> {
    const userIds = [...new Set(input.userIds.filter(Boolean))].slice(0, MAX_RECIPIENTS);
    if (userIds.length === 0) return;
    const manager = this.dataSource.manager;
    const choices = await choicesFor(this.choices, manager, input.tenantId, userIds, input.kind);
    const now = new Date();
    const idFor = (channel: string, userId: string) => (input.eventKey ? stableId(`${channel}:${input.eventKey}:${userId}`) : randomUUID());
    const title = input.title.slice(0, 300);
    const inApp: Notification[] = userIds.filter((userId) => choices.get(userId)?.inApp).map((userId) => ({
      id: idFor('app', userId), tenantId: input.tenantId, userId, kind: input.kind, title, body: input.body ?? null,
      link: input.link ?? null, instanceId: input.instanceId ?? null, taskId: input.taskId ?? null, actorId: input.actorId ?? null,
      readAt: null, createdAt: now,
    }));
    const byMail = userIds.filter((userId) => choices.get(userId)?.email);
    const people = byMail.length === 0 ? [] : await this.users.pick(manager, ['id', 'email', 'locale'],
      `"tenantId" = ? AND "active" = ? AND ${this.users.in('id', byMail.length)}`, [input.tenantId, true, ...byMail]);
    const write = async (m: EntityManager) => {
      await this.rows.insert(m, inApp, { ignoreDuplicates: true });
      return this.mail.write(m, input.tenantId, input.kind,
        people.map((person) => ({ userId: person.id, email: person.email, locale: person.locale, mailId: idFor('mail', person.id) })),
        { title, body: input.body ?? null, link: input.link ?? null });
    };
    // One row alone needs no transaction of its own (on SQLite each is a unit of the group commit).
    const mails = inApp.length + people.length > 1 ? await this.dataSource.transaction(write) : await write(manager);
    this.live.publish(input.tenantId, inApp.map((row) => row.userId), { type: 'notification', kind: input.kind, title });
    await this.mail.dispatch(mails);
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

  async preferences(): Promise<Preferences> {
    const actor = RequestContext.requireActor();
    return preferencesOf(this.dataSource.manager, actor.tenantId, this.personOf(actor.userId));
  }

  /** Changes some choices; a bad kind, channel or value refuses the whole change. */
  async setPreferences(changes: unknown): Promise<Preferences> {
    const actor = RequestContext.requireActor();
    const userId = this.personOf(actor.userId);
    return this.dataSource.transaction(async (manager) => {
      const rows = parseChanges(actor.tenantId, userId, await preferencesOf(manager, actor.tenantId, userId), changes);
      await manager.upsert(NotificationPreference, rows, ['userId', 'kind']);
      return preferencesOf(manager, actor.tenantId, userId);
    });
  }

  /** The signed-in person's e-mail address, for the preferences page. */
  async emailOf(): Promise<string | null> {
    const actor = RequestContext.requireActor();
    const user = await this.dataSource.getRepository(User).findOne({ select: { email: true }, where: { id: actor.userId ?? '', tenantId: actor.tenantId } });
    return user?.email ?? null;
  }

  private personOf(userId: string | null): string {
    if (!userId) throw AppError.forbidden('Notification settings belong to people; API keys have none');
    return userId;
  }

  // ── engine events ───────────────────────────────────────────────────────

  private async onEngineEvent(event: EngineEvent): Promise<void> {
    if (event.type === 'task.created') await this.taskCreated(event.tenantId, event.task);
    if (event.type === 'task.completed') await this.mentioned(event.tenantId, event.instanceId, event.end.id, event.end.comment, event.end.completedBy);
    if (event.type === 'instance.completed') await this.completed(event);
  }

  /** The assignee (or the people it is offered to), and the people and groups it is copied to (抄送). */
  private async taskCreated(tenantId: string, task: UserTask): Promise<void> {
    const common = { tenantId, title: task.name, instanceId: task.instanceId, taskId: task.id };
    const workers = holdersOf(task);
    await this.notify({ ...common, userIds: workers, kind: 'assigned', link: `/tasks/${task.id}`, eventKey: `task:${task.id}:assigned` });
    if (task.ccUsers.length === 0 && task.ccGroups.length === 0) return;
    const copied = [...task.ccUsers, ...(await peopleIn(this.dataSource.manager, tenantId, task.ccGroups))].filter((userId) => !workers.includes(userId));
    await this.notify({ ...common, userIds: copied, kind: 'cc', link: `/requests/${task.instanceId}`, eventKey: `task:${task.id}:cc` });
  }

  /** `@someone@example.com` in a decision's comment tells that colleague. */
  private async mentioned(tenantId: string, instanceId: string, taskId: string, comment: string | null, author: string | null): Promise<void> {
    const emails = mentionedEmails(comment);
    if (emails.length === 0) return;
    const [people, task] = await Promise.all([
      this.dataSource.getRepository(User).find({ select: { id: true }, where: { tenantId, email: In(emails), active: true } }),
      this.dataSource.getRepository(UserTask).findOne({ select: { name: true }, where: { id: taskId, tenantId } }),
    ]);
    await this.notify({
      tenantId, userIds: people.map((person) => person.id).filter((id) => id !== author), kind: 'mention', title: task?.name ?? '',
      body: comment, link: `/requests/${instanceId}`, instanceId, taskId, actorId: author, eventKey: `task:${taskId}:mention`,
    });
  }

  /** The initiator hears that their request went through. */
  private async completed(event: Extract<EngineEvent, { type: 'instance.completed' }>): Promise<void> {
    const { tenantId, instanceId, processId, startedBy } = event;
    // a called sub-process ends inside its caller: the caller's completion is the news
    if (!startedBy || event.parentInstanceId) return;
    const [process] = await this.processes.pick(this.dataSource.manager, ['name'], '"id" = ? AND "tenantId" = ?', [processId, tenantId]);
    await this.notify({
      tenantId, userIds: [startedBy], kind: 'completed', title: process?.name ?? '', link: `/requests/${instanceId}`, instanceId,
      eventKey: `instance:${instanceId}:completed`,
    });
  }
}
