import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../../core/errors/app-error.js';
import { RowStatements, type Write } from '../../../core/database/row-statements.js';
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

  /**
   * Writes what the command changed. On PostgreSQL the writes go as one statement (RowStatements.batch: one
   * round trip instead of up to a dozen) unless two of them touch the same row, which one statement cannot
   * order; then, as on SQLite, one after another. The instance's `rev` check fails the whole command either way.
   */
  async save(manager: EntityManager, state: InstanceState): Promise<void> {
    const { instance, changes } = state;
    this.checkSize(state);
    const writes: Write[] = [];
    const rows = new RowsTouched();
    const add = (write: Write | undefined, table: string, ids: Iterable<string>) => {
      if (!write) return;
      writes.push(write);
      rows.touch(table, ids);
    };
    add(changes.instanceCreated
      ? this.instances.insertWrite([instance])
      : this.instances.updateWrite({
        rev: state.loadedRev + 1, status: instance.status, variables: instance.variables, seq: instance.seq, endedAt: instance.endedAt,
      }, '"id" = ? AND "rev" = ?', [instance.id, state.loadedRev]), 'instance', [instance.id]);
    if (changes.removed.size > 0) add(this.elements.deleteWrite(this.elements.in('id', changes.removed.size), [...changes.removed]), 'element', changes.removed);
    const inserts: ElementInstanceRow[] = [];
    for (const id of changes.upserted) {
      const element = state.elements.get(id);
      if (!element) continue;
      if (state.persisted.has(id)) {
        add(this.elements.updateWrite({ state: element.state, variables: element.variables, data: { ...element.data } }, '"id" = ?', [id]), 'element', [id]);
      } else {
        inserts.push({
          id: element.id, tenantId: instance.tenantId, instanceId: instance.id, parentId: element.parentId, elementId: element.elementId,
          kind: element.kind, state: element.state, variables: element.variables, data: { ...element.data }, startedAt: element.startedAt,
        });
      }
    }
    add(this.elements.insertWrite(inserts), 'element', inserts.map((row) => row.id));
    add(this.tasks.insertWrite(changes.tasksCreated), 'task', changes.tasksCreated.map((task) => task.id));
    add(this.principals.insertWrite(changes.tasksCreated.flatMap(principalsOf)), 'principal', []);
    for (const end of changes.tasksEnded) {
      add(this.tasks.updateWrite({
        status: end.status, endedAt: end.endedAt, completedBy: end.completedBy, outcome: end.outcome, comment: end.comment,
      }, '"id" = ? AND "status" = ?', [end.id, 'open']), 'task', [end.id]);
    }
    for (const reassigned of changes.tasksReassigned) {
      add(this.tasks.updateWrite({ assignee: reassigned.assignee }, '"id" = ? AND "status" = ?', [reassigned.id, 'open']), 'task', [reassigned.id]);
    }
    if (changes.timersDeleted.length > 0) add(this.timers.deleteWrite(this.timers.in('id', changes.timersDeleted.length), changes.timersDeleted), 'timer', changes.timersDeleted);
    add(this.timers.insertWrite(changes.timersCreated), 'timer', changes.timersCreated.map((timer) => timer.id));
    if (changes.subscriptionsDeleted.length > 0) {
      add(this.subscriptions.deleteWrite(this.subscriptions.in('id', changes.subscriptionsDeleted.length), changes.subscriptionsDeleted), 'subscription', changes.subscriptionsDeleted);
    }
    add(this.subscriptions.insertWrite(changes.subscriptionsCreated), 'subscription', changes.subscriptionsCreated.map((subscription) => subscription.id));
    add(this.incidents.insertWrite(changes.incidentsCreated), 'incident', changes.incidentsCreated.map((incident) => incident.id));
    for (const resolved of changes.incidentsResolved) {
      add(this.incidents.updateWrite({ status: 'resolved', resolvedAt: resolved.resolvedAt, resolvedBy: resolved.resolvedBy }, '"id" = ?', [resolved.id]), 'incident', [resolved.id]);
    }
    add(this.history.insertWrite(changes.history), 'history', []);

    const lostRace = () => new ConcurrentUpdate(`Instance ${instance.id} changed meanwhile`);
    if (rows.overlap) {
      // One after another; the instance first, so that a lost race stops before anything else is written.
      for (const [i, write] of writes.entries()) {
        const [changed] = await this.instances.batch(manager, [write]);
        if (i === 0 && !changes.instanceCreated && changed !== 1) throw lostRace();
      }
    } else {
      const [changed] = await this.instances.batch(manager, writes);
      if (!changes.instanceCreated && changed !== 1) throw lostRace();
    }
    if (!changes.instanceCreated) instance.rev = state.loadedRev + 1;
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

/** Which rows a command's writes touch, per table: whether two of them touch the same row. */
class RowsTouched {
  overlap = false;
  private readonly seen = new Map<string, Set<string>>();

  touch(table: string, ids: Iterable<string>): void {
    let rows = this.seen.get(table);
    if (!rows) this.seen.set(table, (rows = new Set()));
    for (const id of ids) {
      if (rows.has(id)) this.overlap = true;
      rows.add(id);
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
