import type TestAgent from 'supertest/lib/agent.js';
import { bpmn, type EngineTestApp, flow, startEngineApp } from './engine-harness.js';
import { PASSWORD, type TestTenant } from './harness.js';

/** A user task with Opsflow's own settings in zeebe:properties. */
function routedTask(id: string, properties: Record<string, string>, assignment = ''): string {
  const entries = Object.entries(properties).map(([name, value]) => `<zeebe:property name="${name}" value="${value}" />`).join('');
  return `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements>${assignment}<zeebe:properties>${entries}</zeebe:properties></bpmn:extensionElements></bpmn:userTask>`;
}

function oneTask(processId: string, properties: Record<string, string>, assignment = ''): string {
  return bpmn(processId, `
    <bpmn:startEvent id="start" />${routedTask('review', properties, assignment)}<bpmn:endEvent id="end" />
    ${flow('f1', 'start', 'review')}${flow('f2', 'review', 'end')}`);
}

describe('per-step approval settings: approvers by the org chart, fallback, 抄送 (CC), read-only fields', () => {
  let e: EngineTestApp;
  let other: TestTenant;
  const people: Record<'employee' | 'lead' | 'director' | 'head' | 'loner' | 'reader' | 'member' | 'outsider', { id: string; agent: TestAgent }> = {} as never;
  let financeId: string;
  let committeeId: string;

  const createPerson = async (name: keyof typeof people, fields: Record<string, unknown> = {}) => {
    const created = await e.tenant.owner.post('/api/users')
      .send({ email: `${name}@routing.example`, name, roles: ['member'], password: PASSWORD, ...fields }).expect(201);
    people[name] = { id: created.body.id, agent: await e.t.login(`${name}@routing.example`, PASSWORD) };
  };

  beforeAll(async () => {
    e = await startEngineApp();
    other = await e.t.tenant('Elsewhere');
    await createPerson('director');
    await createPerson('lead', { managerId: people.director.id });
    await createPerson('head');
    financeId = (await e.tenant.owner.post('/api/departments').send({ name: 'Finance', headId: people.head.id }).expect(201)).body.id;
    const labs = (await e.tenant.owner.post('/api/departments').send({ name: 'Labs', parentId: financeId }).expect(201)).body.id;
    await createPerson('employee', { managerId: people.lead.id, departmentId: labs });
    await createPerson('loner');
    await createPerson('reader');
    await createPerson('member');
    await createPerson('outsider');
    committeeId = (await e.tenant.owner.post('/api/groups').send({ name: 'Committee', description: 'Innovation fund committee' }).expect(201)).body.id;
    await e.tenant.owner.put(`/api/groups/${committeeId}/members`).send({ userIds: [people.member.id] }).expect(200);
  });

  afterAll(async () => {
    await e.close();
  });

  const startAs = async (who: TestAgent, processId: string, variables: Record<string, unknown> = {}) => {
    const started = await who.post(`/api/processes/${processId}/instances`).send({ variables }).expect(201);
    await e.settle();
    return started.body.id as string;
  };
  const openTask = async (instanceId: string) => (await e.tasks(instanceId)).find((task) => task.status === 'open')!;

  it("routes to the initiator's manager one and two levels up", async () => {
    const direct = await e.deploy(oneTask('direct', { 'opsflow:assigneeRule': 'manager:1' }));
    const twoUp = await e.deploy(oneTask('twoUp', { 'opsflow:assigneeRule': 'manager:2' }));
    expect((await openTask(await startAs(people.employee.agent, direct))).assignee).toBe(people.lead.id);
    expect((await openTask(await startAs(people.employee.agent, twoUp))).assignee).toBe(people.director.id);
    // the rule wins over a static assignee written for other Zeebe tools
    const both = await e.deploy(oneTask('both', { 'opsflow:assigneeRule': 'manager' }, `<zeebe:assignmentDefinition assignee="${people.reader.id}" />`));
    expect((await openTask(await startAs(people.employee.agent, both))).assignee).toBe(people.lead.id);
  });

  it("routes to a department's head: the initiator's own (walking up) or the one a form field names", async () => {
    const own = await e.deploy(oneTask('ownHead', { 'opsflow:assigneeRule': 'departmentHead' }));
    expect((await openTask(await startAs(people.employee.agent, own))).assignee).toBe(people.head.id);
    const chosen = await e.deploy(oneTask('chosenHead', { 'opsflow:assigneeRule': 'departmentHead:department' }));
    expect((await openTask(await startAs(people.loner.agent, chosen, { department: financeId }))).assignee).toBe(people.head.id);
    expect((await openTask(await startAs(people.loner.agent, chosen, { department: { id: financeId, name: 'Finance' } }))).assignee).toBe(people.head.id);
  });

  it('falls back when nobody is found: to the initiator, to a named user, or to the administrators as candidates', async () => {
    const toInitiator = await e.deploy(oneTask('fbInitiator', { 'opsflow:assigneeRule': 'manager:1', 'opsflow:fallback': 'initiator' }));
    expect((await openTask(await startAs(people.loner.agent, toInitiator))).assignee).toBe(people.loner.id);
    const toUser = await e.deploy(oneTask('fbUser', { 'opsflow:assigneeRule': 'departmentHead', 'opsflow:fallback': `user:${people.reader.id}` }));
    expect((await openTask(await startAs(people.loner.agent, toUser))).assignee).toBe(people.reader.id);
    // an assignee expression that finds nobody falls back as well
    const toAdmins = await e.deploy(oneTask('fbAdmins', { 'opsflow:fallback': 'admins' }, '<zeebe:assignmentDefinition assignee="=approver" />'));
    const instanceId = await startAs(people.loner.agent, toAdmins);
    const task = await openTask(instanceId);
    expect(task).toMatchObject({ assignee: null, candidateGroups: ['admin'] });
    const claimable = (await e.tenant.owner.get('/api/tasks?scope=candidate').expect(200)).body.items.map((item: { id: string }) => item.id);
    expect(claimable).toContain(task.id);
    // without a fallback nobody is found and the task waits unassigned, as before
    const none = await e.deploy(oneTask('noFallback', { 'opsflow:assigneeRule': 'manager:3' }));
    expect((await openTask(await startAs(people.employee.agent, none))).assignee).toBeNull();
  });

  it('refuses a rule or fallback it does not understand, naming the task', async () => {
    const created = await e.tenant.owner.post('/api/processes')
      .send({ appId: e.appId, name: 'Bad rules', bpmnXml: oneTask('badRules', { 'opsflow:assigneeRule': 'manager:0', 'opsflow:fallback': 'everyone' }) }).expect(201);
    const refused = await e.tenant.owner.post(`/api/processes/${created.body.id}/deploy`).expect(422);
    expect(refused.body.code).toBe('process_invalid');
    expect(refused.body.details.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`).sort())
      .toEqual(['review assignee_rule_invalid', 'review fallback_invalid']);
  });

  it('抄送: people and groups a task is copied to see it and its request read-only, in their own inbox tab', async () => {
    const processId = await e.deploy(oneTask('copied', {
      'opsflow:assigneeRule': 'manager:1', 'opsflow:ccUsers': people.reader.id, 'opsflow:ccGroups': `=[&quot;${committeeId}&quot;]`,
    }));
    const instanceId = await startAs(people.employee.agent, processId);
    const task = await openTask(instanceId);
    expect(task).toMatchObject({ assignee: people.lead.id, ccUsers: [people.reader.id], ccGroups: [committeeId] });

    for (const who of [people.reader, people.member]) {
      const inbox = (await who.agent.get('/api/tasks?scope=cc').expect(200)).body;
      expect(inbox.items.map((item: { id: string }) => item.id)).toEqual([task.id]);
      const mine = (await who.agent.get('/api/tasks?scope=mine').expect(200)).body.items.map((item: { id: string }) => item.id);
      expect(mine).not.toContain(task.id);
      await who.agent.get(`/api/tasks/${task.id}`).expect(200);
      await who.agent.get(`/api/instances/${instanceId}`).expect(200);
      await who.agent.get(`/api/instances/${instanceId}/history`).expect(200);
      // reading is all a copy allows
      await who.agent.post(`/api/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(403);
      await who.agent.post(`/api/tasks/${task.id}/transfer`).send({ userId: who.id }).expect(403);
      await who.agent.post(`/api/instances/${instanceId}/withdraw`).send({}).expect(403);
    }
    // nobody else: a colleague outside the copy, and another tenant
    expect((await people.reader.agent.get(`/api/tasks?scope=cc&instanceId=${instanceId}`).expect(200)).body.total).toBe(1);
    await people.reader.agent.get('/api/tasks?scope=cc&status=whatever').expect(422);
    expect((await people.reader.agent.get(`/api/tasks?scope=cc&instanceId=${task.id}`).expect(200)).body.total).toBe(0);
    await people.reader.agent.get('/api/tasks?scope=cc&instanceId=nope').expect(422);
    expect((await people.outsider.agent.get('/api/tasks?scope=cc').expect(200)).body.total).toBe(0);
    await people.outsider.agent.get(`/api/tasks/${task.id}`).expect(404);
    await people.outsider.agent.get(`/api/instances/${instanceId}`).expect(404);
    await other.owner.get(`/api/tasks/${task.id}`).expect(404);
    expect((await other.owner.get('/api/tasks?scope=cc').expect(200)).body.total).toBe(0);
    await e.tenant.owner.get('/api/tasks?scope=everything').expect(422);
    // once decided, the copy stays readable among all copies, no longer among the open ones
    await people.lead.agent.post(`/api/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(204);
    await e.settle();
    expect((await people.reader.agent.get('/api/tasks?scope=cc').expect(200)).body.total).toBe(0);
    const all = (await people.reader.agent.get('/api/tasks?scope=cc&status=all').expect(200)).body;
    expect(all.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([[task.id, 'done']]);
    await people.reader.agent.get(`/api/instances/${instanceId}/history`).expect(200);
  });

  it('a copied candidate task cannot be claimed by the people it was copied to', async () => {
    const processId = await e.deploy(oneTask('copiedPool', { 'opsflow:ccUsers': people.reader.id }, `<zeebe:assignmentDefinition candidateUsers="${people.member.id}" />`));
    const task = await openTask(await startAs(people.employee.agent, processId));
    const refused = await people.reader.agent.post(`/api/tasks/${task.id}/claim`).expect(403);
    expect(refused.body.message).toMatch(/copy/);
    expect((await people.member.agent.get('/api/tasks?scope=candidate').expect(200)).body.items.map((item: { id: string }) => item.id)).toContain(task.id);
    await people.member.agent.post(`/api/tasks/${task.id}/claim`).expect(200);
    expect((await people.member.agent.get('/api/tasks?scope=candidate').expect(200)).body.items.map((item: { id: string }) => item.id)).not.toContain(task.id);
  });

  it('a step with read-only fields shows which ones it may change and refuses changes to the others', async () => {
    const processId = await e.deploy(oneTask('readOnly', { 'opsflow:assigneeRule': 'manager:1', 'opsflow:editableFields': 'note, budget' }));
    const instanceId = await startAs(people.employee.agent, processId, { title: 'Lab kit', budget: 15000, note: null });
    const task = await openTask(instanceId);
    const lead = people.lead.agent;
    expect((await lead.get(`/api/tasks/${task.id}`).expect(200)).body.editableFields).toEqual(['note', 'budget']);
    const refused = await lead.post(`/api/tasks/${task.id}/complete`).send({ data: { title: 'Gold-plated lab kit', budget: 12000 }, outcome: 'approved' }).expect(422);
    expect(refused.body.details).toEqual([{ path: 'data.title', message: 'This field cannot be changed at this step' }]);
    expect((await openTask(instanceId)).status).toBe('open');
    // repeating what the request holds is fine (a form sends every field); the editable ones change
    await lead.post(`/api/tasks/${task.id}/complete`).send({ data: { title: 'Lab kit', budget: 12000, note: 'cheaper supplier' }, outcome: 'approved' }).expect(204);
    await e.settle();
    expect((await e.instance(instanceId)).variables).toMatchObject({ title: 'Lab kit', budget: 12000, note: 'cheaper supplier' });
    // an empty list makes the whole form read-only; no property leaves every field editable
    const none = await e.deploy(oneTask('allReadOnly', { 'opsflow:assigneeRule': 'manager:1', 'opsflow:editableFields': '' }));
    const locked = await openTask(await startAs(people.employee.agent, none, { budget: 1 }));
    expect((await lead.get(`/api/tasks/${locked.id}`).expect(200)).body.editableFields).toEqual([]);
    await lead.post(`/api/tasks/${locked.id}/complete`).send({ data: { budget: 2 } }).expect(422);
    expect((await lead.get(`/api/tasks/${task.id}`).expect(200)).body.editableFields).toEqual(['note', 'budget']);
  });
});
