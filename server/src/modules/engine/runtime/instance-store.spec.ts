import { testDataSource } from '../../../../test/databases.js';
import { newId } from '../../../core/database/new-id.js';
import { ProcessInstance, UserTask } from '../engine.entities.js';
import { ConcurrentUpdate, InstanceStore } from './instance-store.js';
import type { InstanceState } from './runtime-types.js';

function instanceRow(tenantId: string): ProcessInstance {
  return {
    id: newId(), tenantId, processId: newId(), processVersionId: newId(), version: 1, bpmnProcessId: 'p', status: 'active',
    variables: { amount: 1 }, businessKey: null, startedBy: null, recordId: null, parentInstanceId: null, parentElementInstanceId: null,
    rev: 0, seq: 0, createdAt: new Date('2026-01-01T00:00:00Z'), endedAt: null,
  };
}

function taskRow(instance: ProcessInstance): UserTask {
  return {
    id: newId(), tenantId: instance.tenantId, instanceId: instance.id, elementInstanceId: newId(), elementId: 'review', name: 'Review',
    processId: instance.processId, assignee: 'someone', candidateUsers: [], candidateGroups: [], status: 'open', formId: null, dueAt: null,
    followUpAt: null, createdAt: new Date('2026-01-01T00:00:00Z'), endedAt: null, completedBy: null, outcome: null, comment: null,
    lastUrgedAt: null, ccUsers: [], ccGroups: ['finance'],
  };
}

describe('instance store', () => {
  let db: Awaited<ReturnType<typeof testDataSource>>;
  let store: InstanceStore;
  beforeEach(async () => {
    db = await testDataSource();
    store = new InstanceStore(db.dataSource, { maxVariableBytes: 1 << 20 });
  });
  afterEach(() => db.close());

  const load = async (instance: ProcessInstance): Promise<InstanceState> =>
    (await db.dataSource.transaction((manager) => store.load(manager, instance.tenantId, instance.id)))!;
  const taskStatus = async (id: string) => (await db.dataSource.getRepository(UserTask).findOneBy({ id }))?.status;

  it('saves a task created and ended by the same command in order (writes touching one row are not sent as one statement)', async () => {
    const instance = instanceRow(newId());
    await db.dataSource.transaction((manager) => store.save(manager, store.fresh(instance)));
    const state = await load(instance);
    const task = taskRow(instance);
    state.changes.tasksCreated.push(task);
    state.changes.tasksEnded.push({ id: task.id, status: 'canceled', endedAt: new Date(), completedBy: null, outcome: null, comment: null });
    await db.dataSource.transaction((manager) => store.save(manager, state));
    expect(await taskStatus(task.id)).toBe('canceled');
    expect((await load(instance)).instance.rev).toBe(1);
  });

  it('writes nothing of a command that lost the race for its instance', async () => {
    const instance = instanceRow(newId());
    await db.dataSource.transaction((manager) => store.save(manager, store.fresh(instance)));
    const first = await load(instance);
    const second = await load(instance);
    await db.dataSource.transaction((manager) => store.save(manager, first));
    const task = taskRow(instance);
    second.changes.tasksCreated.push(task);
    second.instance.variables = { amount: 2 };
    await expect(db.dataSource.transaction((manager) => store.save(manager, second))).rejects.toBeInstanceOf(ConcurrentUpdate);
    expect(await taskStatus(task.id)).toBeUndefined();
    const stored = await load(instance);
    expect([stored.instance.rev, stored.instance.variables]).toEqual([1, { amount: 1 }]);
  });
});
