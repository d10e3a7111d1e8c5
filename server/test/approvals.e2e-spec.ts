import type TestAgent from 'supertest/lib/agent.js';
import { bpmn, type EngineTestApp, flow, HOUR, startEngineApp } from './engine-harness.js';
import { PASSWORD, type TestTenant } from './harness.js';

/** Manager review → finance review → end; assignees come from variables. */
const TWO_STEPS = bpmn('twoSteps', `
  <bpmn:startEvent id="start" />
  <bpmn:userTask id="manager" name="Manager review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=managerId" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:userTask id="finance" name="Finance review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=financeId" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:userTask id="pool" name="Pool task"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=[&quot;member&quot;]" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'manager')}${flow('f2', 'manager', 'finance')}${flow('f3', 'finance', 'pool')}${flow('f4', 'pool', 'end')}`);

describe('approval actions: transfer, add signer, return, withdraw, urge, claim, notifications', () => {
  let e: EngineTestApp;
  let other: TestTenant;
  let processId: string;
  const people: Record<'employee' | 'manager' | 'finance' | 'colleague', { id: string; agent: TestAgent }> = {} as never;

  beforeAll(async () => {
    e = await startEngineApp();
    other = await e.t.tenant('Elsewhere');
    for (const name of ['employee', 'manager', 'finance', 'colleague'] as const) {
      const created = await e.tenant.owner.post('/api/users').send({ email: `${name}@approvals.example`, name, roles: ['member'], password: PASSWORD }).expect(201);
      people[name] = { id: created.body.id, agent: await e.t.login(`${name}@approvals.example`, PASSWORD) };
    }
    processId = await e.deploy(TWO_STEPS, 'Two steps');
  });

  afterAll(async () => {
    await e.close();
  });

  const request = async () => {
    const started = await people.employee.agent.post(`/api/processes/${processId}/instances`)
      .send({ variables: { managerId: people.manager.id, financeId: people.finance.id, amount: 15000 } }).expect(201);
    await e.settle();
    return started.body.id as string;
  };
  const openTask = async (instanceId: string) => (await e.tasks(instanceId)).find((task) => task.status === 'open')!;
  const complete = async (who: TestAgent, taskId: string, outcome = 'approved', comment?: string) => {
    await who.post(`/api/tasks/${taskId}/complete`).send({ data: {}, outcome, comment }).expect(204);
    await e.settle();
  };

  it('转办: the assignee hands the task over; the new assignee completes it; others may not', async () => {
    const id = await request();
    const task = await openTask(id);
    await people.colleague.agent.post(`/api/tasks/${task.id}/transfer`).send({ userId: people.colleague.id }).expect(404);
    await people.manager.agent.post(`/api/tasks/${task.id}/transfer`).send({ userId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    await other.owner.post(`/api/tasks/${task.id}/transfer`).send({ userId: people.colleague.id }).expect(404);
    const moved = await people.manager.agent.post(`/api/tasks/${task.id}/transfer`).send({ userId: people.colleague.id, comment: 'on leave' }).expect(200);
    expect(moved.body.assignee).toBe(people.colleague.id);
    await people.manager.agent.post(`/api/tasks/${task.id}/complete`).send({}).expect(404);
    await complete(people.colleague.agent, task.id, 'approved', 'fine by me');
    const history = await e.history(id);
    expect(history.find((entry) => entry.status === 'transferred')).toMatchObject({ elementId: 'manager', actor: people.manager.id, target: people.colleague.id, targetName: 'colleague' });
    expect(history.find((entry) => entry.elementId === 'manager' && entry.status === 'completed')).toMatchObject({ actor: people.colleague.id });
    const bell = (await people.colleague.agent.get('/api/notifications?unread=true').expect(200)).body;
    expect(bell.items.map((item: { kind: string }) => item.kind)).toContain('transferred');
  });

  it('加签 after: the added signer signs after the assignee, then the request moves on', async () => {
    const id = await request();
    const task = await openTask(id);
    await people.manager.agent.post(`/api/tasks/${task.id}/add-signer`).send({ userId: people.colleague.id, position: 'after' }).expect(200);
    await complete(people.manager.agent, task.id);
    const second = await openTask(id);
    expect(second).toMatchObject({ elementId: 'manager', assignee: people.colleague.id });
    await complete(people.colleague.agent, second.id);
    expect((await openTask(id))).toMatchObject({ elementId: 'finance', assignee: people.finance.id });
  });

  it('加签 before: the task goes to the added signer first, then comes back', async () => {
    const id = await request();
    const task = await openTask(id);
    const moved = await people.manager.agent.post(`/api/tasks/${task.id}/add-signer`).send({ userId: people.colleague.id, position: 'before' }).expect(200);
    expect(moved.body.assignee).toBe(people.colleague.id);
    await complete(people.colleague.agent, task.id);
    const back = await openTask(id);
    expect(back).toMatchObject({ elementId: 'manager', assignee: people.manager.id });
    await complete(people.manager.agent, back.id);
    expect((await openTask(id)).elementId).toBe('finance');
  });

  it('驳回: finance returns the request to the manager, who approves again; the history keeps both passes', async () => {
    const id = await request();
    await complete(people.manager.agent, (await openTask(id)).id);
    const financeTask = await openTask(id);
    const targets = (await people.finance.agent.get(`/api/tasks/${financeTask.id}/return-targets`).expect(200)).body;
    expect(targets).toEqual([{ elementId: 'manager', name: 'Manager review' }]);
    const wrong = await people.finance.agent.post(`/api/tasks/${financeTask.id}/return`).send({ elementId: 'pool' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('return_not_allowed');
    await people.finance.agent.post(`/api/tasks/${financeTask.id}/return`).send({ elementId: 'manager', comment: 'add the quote' }).expect(204);
    await e.settle();
    const again = await openTask(id);
    expect(again).toMatchObject({ elementId: 'manager', assignee: people.manager.id });
    await complete(people.manager.agent, again.id);
    await complete(people.finance.agent, (await openTask(id)).id);
    const history = await e.history(id);
    expect(history.filter((entry) => entry.elementId === 'manager' && entry.status === 'completed')).toHaveLength(2);
    expect(history.find((entry) => entry.elementId === 'finance' && entry.status === 'terminated')).toMatchObject({ outcome: 'returned', actor: people.finance.id });
  });

  it('撤回: the initiator withdraws while nobody acted, but not after an approval, and nobody else may', async () => {
    const fresh = await request();
    await people.manager.agent.post(`/api/instances/${fresh}/withdraw`).send({}).expect(403);
    await people.employee.agent.post(`/api/instances/${fresh}/withdraw`).send({ reason: 'wrong amount' }).expect(204);
    expect((await e.instance(fresh)).status).toBe('canceled');
    expect((await e.tasks(fresh))[0].status).toBe('canceled');
    expect((await e.history(fresh)).at(-1)).toMatchObject({ status: 'withdrawn', actor: people.employee.id });

    const approved = await request();
    await complete(people.manager.agent, (await openTask(approved)).id);
    const refused = await people.employee.agent.post(`/api/instances/${approved}/withdraw`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('withdraw_not_allowed');
    expect((await e.instance(approved)).status).toBe('active');
    await other.owner.post(`/api/instances/${approved}/withdraw`).send({}).expect(404);
  });

  it('催办: the initiator reminds the assignee at most once an hour', async () => {
    const id = await request();
    const task = await openTask(id);
    await people.colleague.agent.post(`/api/tasks/${task.id}/urge`).send({}).expect(404);
    expect((await people.employee.agent.post(`/api/tasks/${task.id}/urge`).send({ comment: 'please' }).expect(200)).body).toEqual({ urged: true });
    expect((await people.employee.agent.post(`/api/tasks/${task.id}/urge`).send({}).expect(200)).body).toEqual({ urged: false });
    e.clock.advance(HOUR + 1000);
    expect((await people.employee.agent.post(`/api/tasks/${task.id}/urge`).send({}).expect(200)).body).toEqual({ urged: true });
    const bell = (await people.manager.agent.get('/api/notifications').expect(200)).body;
    expect(bell.items.filter((item: { kind: string; taskId: string }) => item.kind === 'urged' && item.taskId === task.id)).toHaveLength(2);
    expect((await e.history(id)).filter((entry) => entry.status === 'urged')).toHaveLength(2);
  });

  it('claim and unclaim a candidate-group task; the bell counts and clears notifications', async () => {
    const id = await request();
    await complete(people.manager.agent, (await openTask(id)).id);
    await complete(people.finance.agent, (await openTask(id)).id);
    const pool = await openTask(id);
    expect(pool.assignee).toBeNull();
    await people.colleague.agent.get(`/api/instances/${id}/history`).expect(200);
    expect((await e.instance(id)).variables).toMatchObject({ approved: true, outcome: 'approved' });
    const found = (await people.colleague.agent.get(`/api/tasks?scope=candidate&processId=${processId}&q=POOL`).expect(200)).body;
    expect(found.items).toContainEqual(expect.objectContaining({ id: pool.id, processName: 'Two steps', name: 'Pool task' }));
    expect((await people.colleague.agent.get('/api/tasks?scope=candidate&q=nothing-like-this').expect(200)).body.total).toBe(0);
    expect((await people.colleague.agent.get('/api/tasks?scope=candidate&overdue=true').expect(200)).body.total).toBe(0);
    const candidates = (await people.colleague.agent.get('/api/tasks?scope=candidate').expect(200)).body;
    expect(candidates.items.map((item: { id: string }) => item.id)).toContain(pool.id);
    await people.colleague.agent.post(`/api/tasks/${pool.id}/claim`).expect(200);
    const taken = await people.employee.agent.post(`/api/tasks/${pool.id}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('task_claimed');
    await people.employee.agent.post(`/api/tasks/${pool.id}/unclaim`).expect(403);
    await people.colleague.agent.post(`/api/tasks/${pool.id}/unclaim`).expect(200);
    await people.employee.agent.post(`/api/tasks/${pool.id}/claim`).expect(200);
    await complete(people.employee.agent, pool.id);
    expect((await e.instance(id)).status).toBe('completed');

    const bell = (await people.manager.agent.get('/api/notifications').expect(200)).body;
    expect(bell.unread).toBeGreaterThan(0);
    expect(bell.items.some((item: { kind: string }) => item.kind === 'assigned')).toBe(true);
    await people.manager.agent.post(`/api/notifications/${bell.items[0].id}/read`).expect(204);
    await people.colleague.agent.post(`/api/notifications/${bell.items[0].id}/read`).expect(404);
    await people.manager.agent.post('/api/notifications/read-all').expect(204);
    expect((await people.manager.agent.get('/api/notifications').expect(200)).body.unread).toBe(0);
  });
});
