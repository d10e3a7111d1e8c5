import { type EntityManager, In } from 'typeorm';
import { AppError } from '../../../core/errors/app-error.js';
import { insertRows, updateRows } from '../../../core/database/entity-writes.js';
import {
  ElementInstanceRow, EngineTimer, HistoryEntry, Incident, MessageSubscription, OutboxRow, ProcessInstance, UserTask,
} from '../engine.entities.js';
import { Changes, type ElementInstance, type ElementInstanceKind, type ElementInstanceState, type InstanceState } from './runtime-types.js';

/** Thrown when another command saved the instance first; the command is retried on fresh state. */
export class ConcurrentUpdate extends Error {}

export interface StoreLimits {
  /** Largest JSON size of an instance's variables (all scopes together), in bytes. */
  maxVariableBytes: number;
}

/** Loads an instance with its waiting element instances, and saves what a command changed in the caller's transaction. */
export class InstanceStore {
  constructor(private readonly limits: StoreLimits) {}

  async load(manager: EntityManager, tenantId: string, instanceId: string): Promise<InstanceState | null> {
    const instance = await manager.findOneBy(ProcessInstance, { id: instanceId, tenantId });
    if (!instance) return null;
    const rows = await manager.findBy(ElementInstanceRow, { instanceId });
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
      await insertRows(manager, ProcessInstance, instance);
    } else {
      const result = await updateRows(manager, ProcessInstance, { id: instance.id, rev: state.loadedRev }, {
        rev: state.loadedRev + 1, status: instance.status, variables: instance.variables, seq: instance.seq, endedAt: instance.endedAt,
      });
      if (result.affected !== 1) throw new ConcurrentUpdate(`Instance ${instance.id} changed meanwhile`);
      instance.rev = state.loadedRev + 1;
    }
    if (changes.removed.size > 0) await manager.delete(ElementInstanceRow, { id: In([...changes.removed]) });
    const inserts: ElementInstanceRow[] = [];
    for (const id of changes.upserted) {
      const element = state.elements.get(id);
      if (!element) continue;
      const row: ElementInstanceRow = {
        id: element.id, tenantId: instance.tenantId, instanceId: instance.id, parentId: element.parentId, elementId: element.elementId,
        kind: element.kind, state: element.state, variables: element.variables, data: element.data as Record<string, unknown>, startedAt: element.startedAt,
      };
      if (state.persisted.has(id)) await updateRows(manager, ElementInstanceRow, { id }, { state: row.state, variables: row.variables, data: row.data });
      else inserts.push(row);
    }
    if (inserts.length > 0) await insertRows(manager, ElementInstanceRow, inserts);
    if (changes.tasksCreated.length > 0) await insertRows(manager, UserTask, changes.tasksCreated);
    for (const end of changes.tasksEnded) {
      await updateRows(manager, UserTask, { id: end.id, status: 'open' }, {
        status: end.status, endedAt: end.endedAt, completedBy: end.completedBy, outcome: end.outcome, comment: end.comment,
      });
    }
    if (changes.timersDeleted.length > 0) await manager.delete(EngineTimer, { id: In(changes.timersDeleted) });
    if (changes.timersCreated.length > 0) await insertRows(manager, EngineTimer, changes.timersCreated);
    if (changes.subscriptionsDeleted.length > 0) await manager.delete(MessageSubscription, { id: In(changes.subscriptionsDeleted) });
    if (changes.subscriptionsCreated.length > 0) await insertRows(manager, MessageSubscription, changes.subscriptionsCreated);
    if (changes.incidentsCreated.length > 0) await insertRows(manager, Incident, changes.incidentsCreated);
    for (const resolved of changes.incidentsResolved) {
      await updateRows(manager, Incident, { id: resolved.id }, { status: 'resolved', resolvedAt: resolved.resolvedAt, resolvedBy: resolved.resolvedBy });
    }
    if (changes.history.length > 0) await insertRows(manager, HistoryEntry, changes.history);
    if (changes.outbox.length > 0) {
      // The same outbox id twice in one command (a call cancelled twice) is one job.
      const unique = [...new Map(changes.outbox.map((row) => [row.id, row])).values()];
      await manager.createQueryBuilder().insert().into(OutboxRow).values(unique as never).orIgnore().execute();
    }
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
