import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';
import { hasRole } from '../../core/auth/roles.js';
import { AppError } from '../../core/errors/app-error.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { HistoryEntry, ProcessInstance, UserTask } from '../engine/engine.entities.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { candidateGroupsOf } from '../org/people.js';
import { User } from '../org/user.entity.js';
import { FormsService } from '../forms/forms.service.js';
import { ProcessCatalog } from '../processes/process-catalog.js';
import { ProcessDefinition } from '../processes/process.entity.js';
import { RecordsService } from '../records/records.service.js';
import { EngineService } from '../engine/engine.service.js';
import type { ProcessModel } from '../engine/model/process-model.js';
import { holdersOf, isCandidate, isCopied, principalKeys } from '../engine/task-candidates.js';
import type {
  AddSignerDto, CompleteTaskDto, ReturnTargetDto, ReturnTaskDto, TaskDetailDto, TaskDto, TaskListItemDto, TaskQueryDto, TransferTaskDto,
} from './tasks.dto.js';

/** The task inbox: what a person may see, claim and complete. */
@Injectable()
export class TasksService {
  private readonly rows: RowStatements<UserTask>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: EngineService,
    private readonly audit: AuditService,
    private readonly catalog: ProcessCatalog,
    private readonly forms: FormsService,
    private readonly records: RecordsService,
    private readonly notifications: NotificationsService,
  ) {
    this.rows = new RowStatements(dataSource, UserTask);
  }

  async list(query: TaskQueryDto): Promise<Page<TaskListItemDto>> {
    const actor = RequestContext.requireActor();
    const me = actor.userId ?? '';
    const qb = this.dataSource.getRepository(UserTask).createQueryBuilder('t')
      .where('t.tenantId = :tenantId', { tenantId: actor.tenantId });
    if (query.status !== 'all') qb.andWhere('t.status = :status', { status: query.status ?? 'open' });
    if (query.processId) qb.andWhere('t.processId = :processId', { processId: query.processId });
    if (query.instanceId) qb.andWhere('t.instanceId = :instanceId', { instanceId: query.instanceId });
    if (query.q) qb.andWhere('LOWER(t.name) LIKE :q', { q: `%${query.q.toLowerCase()}%` });
    if (query.overdue) qb.andWhere('t.dueAt IS NOT NULL AND t.dueAt < :now', { now: new Date() });
    const scope = query.scope ?? 'mine';
    if (scope === 'mine') qb.andWhere('t.assignee = :me', { me });
    if (scope === 'candidate' || scope === 'cc') {
      const principals = principalKeys(actor.userId, await candidateGroupsOf(this.dataSource.manager, actor));
      if (scope === 'candidate') qb.andWhere('t.assignee IS NULL');
      qb.andWhere(`t.id IN (SELECT "p"."taskId" FROM "task_principal" "p" WHERE "p"."tenantId" = :tenantId AND "p"."kind" = :kind AND "p"."principal" IN (:...principals))`,
        { kind: scope, principals: principals.length ? principals : [''] });
    }
    if (scope === 'involved') {
      qb.andWhere('(t.completedBy = :me OR t.instanceId IN (SELECT "i"."id" FROM "process_instance" "i" WHERE "i"."tenantId" = :tenantId AND "i"."startedBy" = :me))', { me });
    }
    const { skip, take } = skipTake(query);
    if (query.sort === 'due') qb.orderBy('t.dueAt', 'ASC', 'NULLS LAST').addOrderBy('t.createdAt', 'DESC');
    else qb.orderBy('t.createdAt', 'DESC');
    const [rows, total] = await qb.addOrderBy('t.id', 'ASC').skip(skip).take(take).getManyAndCount();
    const names = await this.processNames(actor.tenantId, rows.map((row) => row.processId));
    return pageOf(rows.map((row) => ({ ...toTaskDto(row), processName: names.get(row.processId) ?? '' })), total, query);
  }

  private async processNames(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(ProcessDefinition).find({ select: { id: true, name: true }, where: { tenantId, id: In(wanted) } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The task with what its page shows: the process, the variables to pre-fill the form, and the form. */
  async get(id: string): Promise<TaskDetailDto> {
    const task = await this.visible(id);
    const instance = await this.dataSource.getRepository(ProcessInstance).findOneByOrFail({ id: task.instanceId, tenantId: task.tenantId });
    const deployed = await this.catalog.versionById(this.dataSource.manager, task.tenantId, instance.processVersionId);
    let form: TaskDetailDto['form'] = null;
    if (task.formId) {
      const published = await this.forms.published(task.tenantId, task.formId).catch(() => null);
      if (published) {
        form = {
          formId: published.form.id, name: published.form.name, version: published.version.version,
          schema: published.version.schema, uischema: published.version.uischema,
        };
      }
    }
    return {
      ...toTaskDto(task), processName: deployed.name, processVersion: deployed.version, instanceStatus: instance.status,
      startedBy: instance.startedBy, variables: instance.variables, form,
      editableFields: deployed.model.elements.get(task.elementId)?.userTask?.editableFields ?? null,
    };
  }

  /** A step with read-only fields: an answer may repeat what the request holds, never change it (422 on each such field). */
  private refuseReadOnlyChanges(task: UserTask, data: Record<string, unknown>, instance: ProcessInstance, model: ProcessModel): void {
    const editable = model.elements.get(task.elementId)?.userTask?.editableFields ?? null;
    if (editable === null) return;
    const changed = Object.keys(data).filter((name) => !editable.includes(name) && !isDeepStrictEqual(data[name], instance.variables[name]));
    if (changed.length > 0) {
      throw AppError.validation(changed.map((name) => ({ path: `data.${name}`, message: 'This field cannot be changed at this step' })));
    }
  }

  /** Takes an unassigned task the actor is a candidate for. */
  async claim(id: string): Promise<TaskDto> {
    const actor = RequestContext.requireActor();
    const task = await this.visible(id);
    if (task.status !== 'open') throw AppError.conflict('task_not_open', 'This task has already been completed or cancelled');
    if (task.assignee === actor.userId) return toTaskDto(task);
    if (task.assignee) throw AppError.conflict('task_claimed', 'Someone else has already taken this task');
    if (!hasRole(actor.roles, 'admin') && !(await this.isCandidate(actor, task))) {
      throw AppError.forbidden('Only the people this task is offered to can take it; a copy (抄送) is for reading');
    }
    const result = await this.dataSource.getRepository(UserTask).createQueryBuilder().update(UserTask).set({ assignee: actor.userId })
      .where('id = :id AND assignee IS NULL AND status = :open', { id, open: 'open' }).execute();
    if (result.affected !== 1) throw AppError.conflict('task_claimed', 'Someone else has just taken this task');
    return toTaskDto({ ...task, assignee: actor.userId });
  }

  /** Completes the task: the assignee, a candidate of an unassigned task, or an administrator. */
  async complete(id: string, input: CompleteTaskDto): Promise<void> {
    const actor = RequestContext.requireActor();
    const task = await this.visible(id);
    if (task.status !== 'open') throw AppError.conflict('task_not_open', 'This task has already been completed or cancelled');
    const mayComplete = task.assignee === actor.userId || hasRole(actor.roles, 'admin') || (!task.assignee && (await this.isCandidate(actor, task)));
    if (!mayComplete) throw AppError.forbidden('This task is assigned to someone else');
    const answers = input.data ?? {};
    let data = answers;
    // A task with a form: its answers are checked like a submission of that form (422 on data.<field>).
    if (task.formId && Object.keys(data).length > 0) {
      const published = await this.forms.published(actor.tenantId, task.formId).catch(() => null);
      if (published) data = this.records.prepare(published.version, data, 'data');
    }
    // `approved` too, which voting and gateway conditions read (=approved, outputElement =approved).
    const decision = input.outcome === 'approved' ? { approved: true } : input.outcome === 'rejected' ? { approved: false } : {};
    const variables = { ...data, ...decision, ...(input.outcome ? { outcome: input.outcome } : {}) };
    await this.engine.completeUserTask(actor.tenantId, id, { variables, actor: actor.userId, outcome: input.outcome ?? null, comment: input.comment ?? null }, task, {
      // Against the instance the completion applies to, so a change made meanwhile cannot slip past.
      check: (instance, model) => this.refuseReadOnlyChanges(task, answers, instance, model),
      write: (manager) => this.audit.record({ action: 'task.completed', targetType: 'task', targetId: id, data: { instanceId: task.instanceId, outcome: input.outcome ?? null } }, manager),
    });
  }

  /** Gives a claimed task back to its candidates. */
  async unclaim(id: string): Promise<TaskDto> {
    const actor = RequestContext.requireActor();
    const task = await this.openTaskFor(id);
    if (task.assignee !== actor.userId) throw AppError.forbidden('Only the person who took the task can give it back');
    if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) {
      throw AppError.conflict('task_not_claimable', 'This task was assigned directly; transfer it instead');
    }
    await this.rows.update(this.dataSource.manager, { assignee: null }, '"id" = ? AND "status" = ?', [id, 'open']);
    return toTaskDto({ ...task, assignee: null });
  }

  /** 转办: the assignee (or an administrator) hands the task to another person. */
  async transfer(id: string, input: TransferTaskDto): Promise<TaskDto> {
    const actor = RequestContext.requireActor();
    const task = await this.actingOn(id);
    await this.requireColleague(actor.tenantId, input.userId);
    if (input.userId === task.assignee) throw AppError.conflict('same_assignee', 'The task is already with this person');
    await this.engine.transferTask(actor.tenantId, task, input.userId, actor.userId, input.comment ?? null);
    await this.audit.record({ action: 'task.transferred', targetType: 'task', targetId: id, data: { to: input.userId } });
    await this.notifications.notify({
      tenantId: actor.tenantId, userIds: [input.userId], kind: 'transferred', title: task.name, body: input.comment ?? null,
      link: `/tasks/${id}`, instanceId: task.instanceId, taskId: id, actorId: actor.userId,
    });
    return toTaskDto({ ...task, assignee: input.userId });
  }

  /** 加签: someone else signs too, before or after the assignee. */
  async addSigner(id: string, input: AddSignerDto): Promise<TaskDto> {
    const actor = RequestContext.requireActor();
    const task = await this.actingOn(id);
    await this.requireColleague(actor.tenantId, input.userId);
    const position = input.position ?? 'after';
    if (input.userId === task.assignee) throw AppError.conflict('same_assignee', 'This person already has the task');
    await this.engine.addSigner(actor.tenantId, task, input.userId, position, actor.userId, input.comment ?? null);
    await this.audit.record({ action: 'task.signer_added', targetType: 'task', targetId: id, data: { signer: input.userId, position } });
    if (position === 'before') {
      await this.notifications.notify({
        tenantId: actor.tenantId, userIds: [input.userId], kind: 'signer_added', title: task.name, body: input.comment ?? null,
        link: `/tasks/${id}`, instanceId: task.instanceId, taskId: id, actorId: actor.userId,
      });
    }
    return toTaskDto(position === 'before' ? { ...task, assignee: input.userId } : task);
  }

  /** The earlier user tasks this task can be returned to (驳回 targets). */
  async returnTargets(id: string): Promise<ReturnTargetDto[]> {
    const task = await this.visible(id);
    const rows = await this.dataSource.getRepository(HistoryEntry).find({
      select: { elementId: true, name: true }, where: { instanceId: task.instanceId, elementType: 'userTask', status: 'completed' }, order: { seq: 'ASC' },
    });
    const seen = new Map<string, string | null>();
    for (const row of rows) if (row.elementId !== task.elementId && !seen.has(row.elementId)) seen.set(row.elementId, row.name);
    return [...seen.entries()].map(([elementId, name]) => ({ elementId, name }));
  }

  /** 驳回: back to an earlier user task the request passed through; the history keeps both. */
  async returnTo(id: string, input: ReturnTaskDto): Promise<void> {
    const actor = RequestContext.requireActor();
    const task = await this.actingOn(id);
    const targets = await this.returnTargets(id);
    if (!targets.some((target) => target.elementId === input.elementId)) {
      throw AppError.conflict('return_not_allowed', 'The request can only go back to a task it has already passed through');
    }
    await this.engine.returnUserTask(actor.tenantId, task, input.elementId, {
      variables: { outcome: 'returned' }, actor: actor.userId, outcome: 'returned', comment: input.comment ?? null,
    });
    await this.audit.record({ action: 'task.returned', targetType: 'task', targetId: id, data: { to: input.elementId } });
  }

  /** 催办: the initiator (or an administrator) reminds the assignee; at most once an hour per task. */
  async urge(id: string, input: { comment?: string }): Promise<{ urged: boolean }> {
    const actor = RequestContext.requireActor();
    const task = await this.openTaskFor(id, true);
    const instance = await this.dataSource.getRepository(ProcessInstance).findOneByOrFail({ id: task.instanceId, tenantId: actor.tenantId });
    if (instance.startedBy !== actor.userId && !hasRole(actor.roles, 'admin')) throw AppError.forbidden('Only the person who started the request can send a reminder');
    const urged = await this.engine.urgeTask(actor.tenantId, task, actor.userId, input.comment ?? null);
    if (!urged) return { urged: false };
    await this.notifications.notify({
      tenantId: actor.tenantId, userIds: holdersOf(task), kind: 'urged', title: task.name,
      body: input.comment ?? null, link: `/tasks/${id}`, instanceId: task.instanceId, taskId: id, actorId: actor.userId,
    });
    await this.audit.record({ action: 'task.urged', targetType: 'task', targetId: id, data: {} });
    return { urged: true };
  }

  /** The open task the actor works on (its assignee) or an administrator; others 403/404. */
  private async actingOn(id: string): Promise<UserTask> {
    const actor = RequestContext.requireActor();
    const task = await this.openTaskFor(id);
    if (task.assignee !== actor.userId && !hasRole(actor.roles, 'admin')) throw AppError.forbidden('Only the person the task is assigned to can do this');
    return task;
  }

  private async openTaskFor(id: string, initiatorMaySee = false): Promise<UserTask> {
    const task = initiatorMaySee ? await this.visibleToInitiator(id) : await this.visible(id);
    if (task.status !== 'open') throw AppError.conflict('task_not_open', 'This task has already been completed or cancelled');
    return task;
  }

  private async visibleToInitiator(id: string): Promise<UserTask> {
    const actor = RequestContext.requireActor();
    const [task] = await this.rows.select(this.dataSource.manager, '"id" = ? AND "tenantId" = ?', [id, actor.tenantId]);
    if (!task) throw AppError.notFound('The task');
    const startedByMe = await this.dataSource.getRepository(ProcessInstance).existsBy({ id: task.instanceId, startedBy: actor.userId ?? '' });
    return startedByMe ? task : this.visible(id);
  }

  private async requireColleague(tenantId: string, userId: string): Promise<void> {
    if (!(await this.dataSource.getRepository(User).existsBy({ id: userId, tenantId, active: true }))) {
      throw AppError.validation([{ path: 'userId', message: 'Choose an active person of your organisation' }]);
    }
  }

  /** A task the actor is involved in (assignee, candidate, initiator) or any task for administrators; else 404. */
  private async visible(id: string): Promise<UserTask> {
    const actor = RequestContext.requireActor();
    const [task] = await this.rows.select(this.dataSource.manager, '"id" = ? AND "tenantId" = ?', [id, actor.tenantId]);
    if (!task) throw AppError.notFound('The task');
    if (task.assignee === actor.userId || task.completedBy === actor.userId || hasRole(actor.roles, 'admin') || actor.kind !== 'user') return task;
    if (await this.isCandidate(actor, task)) return task;
    // 抄送: the people a task was copied to read it (and its request); acting on it checks more.
    const groups = task.ccGroups.length > 0 ? await candidateGroupsOf(this.dataSource.manager, actor) : [];
    if (isCopied(task, actor.userId, groups)) return task;
    throw AppError.notFound('The task');
  }

  private async isCandidate(actor: Actor, task: UserTask): Promise<boolean> {
    const groups = task.candidateGroups.length > 0 ? await candidateGroupsOf(this.dataSource.manager, actor) : [];
    return isCandidate(task, actor.userId, groups);
  }

}

export function toTaskDto(task: UserTask): TaskDto {
  return {
    id: task.id, instanceId: task.instanceId, processId: task.processId, elementId: task.elementId, name: task.name, assignee: task.assignee,
    candidateUsers: task.candidateUsers, candidateGroups: task.candidateGroups, ccUsers: task.ccUsers, ccGroups: task.ccGroups, status: task.status, formId: task.formId, dueAt: task.dueAt,
    followUpAt: task.followUpAt, createdAt: task.createdAt, endedAt: task.endedAt, outcome: task.outcome,
  };
}
