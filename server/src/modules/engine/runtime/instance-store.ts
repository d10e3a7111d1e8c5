import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../../core/errors/app-error.js';
import { RowStatements } from '../../../core/database/row-statements.js';
import {
  ElementInstanceRow, EngineTimer, HistoryEntry, Incident, MessageSubscription, ProcessInstance, TaskPrincipal, UserTask,
} from '../engine.entities.js';
import { Changes, type ElementInstance, type ElementInstanceKind, type ElementInstanceState, type InstanceState } from './runtime-types.js';

/** Thrown when another command saved the instance first; the command is retried on fresh state. */
export class ConcurrentUpdate extends Error {}

export interface StoreLimits {
  /** Largest JSON size of an instance's variables (all scopes together), in bytes. */
  maxVariableBytes: number;
}

/**
 * Loads an instance with its waiting element instances, and saves what a command changed in the
 * caller's transaction (its jobs are written by the OutboxDispatcher). Plain prepared statements: a command is a handful of them, and TypeORM's
 * query builder would cost more than the engine itself.
 */
export class InstanceStore {
  private readonly instances: RowStatements<ProcessInstance>;
  private readonly elements: RowStatements<ElementInstanceRow>;
  private readonly tasks: RowStatements<UserTask>;
  private readonly principals: RowStatements<TaskPrincipal>;
  private readonly timers: RowStatements<EngineTimer>;
  private readonly subscriptions: RowStatements<MessageSubscription>;
  private readonly incidents: RowStatements<Incident>;
  private readonly history: RowStatements<HistoryEntry>;

  constructor(dataSource: DataSource, private readonly limits: StoreLimits) {
    this.instances = new RowStatements(dataSource, ProcessInstance);
    this.elements = new RowStatements(dataSource, ElementInstanceRow);
    this.tasks = new RowStatements(dataSource, UserTask);
    this.principals = new RowStatements(dataSource, TaskPrincipal);
    this.timers = new RowStatements(dataSource, EngineTimer);
    this.subscriptions = new RowStatements(dataSource, MessageSubscription);
    this.incidents = new RowStatements(dataSource, Incident);
    this.history = new RowStatements(dataSource, HistoryEntry);
  }

  async load(manager: EntityManager, tenantId: string, instanceId: string): Promise<InstanceState | null> {
    const [instance] = await this.instances.select(manager, '"id" = ? AND "tenantId" = ?', [instanceId, tenantId]);
    if (!instance) return null;
    const rows = await this.elements.select(manager, '"instanceId" = ?', [instanceId]);
    const elements = new Map<string, ElementInstance>();
    for (const row of rows) {
      elements.set(row.id, {
        id: row.id, parentId: row.parentId, elementId: row.elementId, kind: row.kind as ElementInstanceKind,
        state: row.state as ElementInstanceState, variables: row.variables, data: row.data ?? {}, startedAt: row.startedAt,
      });
    }
    return { instance, loadedRev: instance.rev, elements, persisted: new Set(elements.keys()), changes: new Changes() };
  }

  /** A new instance, not yet saved. */
  fresh(instance: ProcessInstance): InstanceState {
    const changes = new Changes();
    changes.instanceCreated = true;
    return { instance, loadedRev: instance.rev, elements: new Map(), persisted: new Set(), changes };
  }

  async save(manager: EntityManager, state: InstanceState): Promise<void> {
    const { instance, changes } = state;
    this.checkSize(state);
    if (changes.instanceCreated) {
      await this.instances.insert(manager, [instance]);
    } else {
      const changed = await this.instances.update(manager, {
        rev: state.loadedRev + 1, status: instance.status, variables: instance.variables, seq: instance.seq, endedAt: instance.endedAt,
      }, '"id" = ? AND "rev" = ?', [instance.id, state.loadedRev]);
      if (changed !== 1) throw new ConcurrentUpdate(`Instance ${instance.id} changed meanwhile`);
      instance.rev = state.loadedRev + 1;
    }
    if (changes.removed.size > 0) await this.elements.delete(manager, this.elements.in('id', changes.removed.size), [...changes.removed]);
    const inserts: ElementInstanceRow[] = [];
    for (const id of changes.upserted) {
      const element = state.elements.get(id);
      if (!element) continue;
      if (state.persisted.has(id)) {
        await this.elements.update(manager, { state: element.state, variables: element.variables, data: { ...element.data } }, '"id" = ?', [id]);
      } else {
        inserts.push({
          id: element.id, tenantId: instance.tenantId, instanceId: instance.id, parentId: element.parentId, elementId: element.elementId,
          kind: element.kind, state: element.state, variables: element.variables, data: { ...element.data }, startedAt: element.startedAt,
        });
      }
    }
    await this.elements.insert(manager, inserts);
    await this.tasks.insert(manager, changes.tasksCreated);
    await this.principals.insert(manager, changes.tasksCreated.flatMap(principalsOf));
    for (const end of changes.tasksEnded) {
      await this.tasks.update(manager, {
        status: end.status, endedAt: end.endedAt, completedBy: end.completedBy, outcome: end.outcome, comment: end.comment,
      }, '"id" = ? AND "status" = ?', [end.id, 'open']);
    }
    for (const reassigned of changes.tasksReassigned) {
      await this.tasks.update(manager, { assignee: reassigned.assignee }, '"id" = ? AND "status" = ?', [reassigned.id, 'open']);
    }
    if (changes.timersDeleted.length > 0) await this.timers.delete(manager, this.timers.in('id', changes.timersDeleted.length), changes.timersDeleted);
    await this.timers.insert(manager, changes.timersCreated);
    if (changes.subscriptionsDeleted.length > 0) {
      await this.subscriptions.delete(manager, this.subscriptions.in('id', changes.subscriptionsDeleted.length), changes.subscriptionsDeleted);
    }
    await this.subscriptions.insert(manager, changes.subscriptionsCreated);
    await this.incidents.insert(manager, changes.incidentsCreated);
    for (const resolved of changes.incidentsResolved) {
      await this.incidents.update(manager, { status: 'resolved', resolvedAt: resolved.resolvedAt, resolvedBy: resolved.resolvedBy }, '"id" = ?', [resolved.id]);
    }
    await this.history.insert(manager, changes.history);
  }

  private checkSize(state: InstanceState): void {
    let bytes = JSON.stringify(state.instance.variables).length;
    for (const element of state.elements.values()) if (element.variables) bytes += JSON.stringify(element.variables).length;
    if (bytes > this.limits.maxVariableBytes) {
      throw new AppError(422, 'variables_too_large',
        `The process variables would take ${Math.ceil(bytes / 1024)} KB; an instance may hold at most ${Math.floor(this.limits.maxVariableBytes / 1024)} KB. Store large content as a record or a file and keep its id in the process.`);
    }
  }
}

/** The candidate and CC rows of a new task (see {@link TaskPrincipal}). */
export function principalsOf(task: UserTask): TaskPrincipal[] {
  const rows = new Map<string, TaskPrincipal>();
  const add = (kind: TaskPrincipal['kind'], prefix: 'u' | 'g', ids: string[]) => {
    for (const id of ids) {
      const principal = `${prefix}:${id}`.slice(0, 240);
      rows.set(`${kind} ${principal}`, { taskId: task.id, kind, principal, tenantId: task.tenantId });
    }
  };
  add('candidate', 'u', task.candidateUsers);
  add('candidate', 'g', task.candidateGroups);
  add('cc', 'u', task.ccUsers);
  add('cc', 'g', task.ccGroups);
  return [...rows.values()];
}
