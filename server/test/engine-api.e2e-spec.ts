import { BpmnError } from '../src/modules/plugins/service-task-registry.js';
import { bpmn, type EngineTestApp, flow, startEngineApp } from './engine-harness.js';
import { PASSWORD, type TestTenant } from './harness.js';

const EMPTY = bpmn('simple', `<bpmn:startEvent id="start" /><bpmn:userTask id="t"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" /></bpmn:extensionElements></bpmn:userTask>${flow('f1', 'start', 't')}`);

describe('BPMN engine API: refusals, permissions, tenants, start forms', () => {
  let e: EngineTestApp;
  let other: TestTenant;
  let processId: string;
  let instanceId: string;
  let taskId: string;

  beforeAll(async () => {
    e = await startEngineApp();
    other = await e.t.tenant('Other company');
    processId = await e.deploy(EMPTY, 'Simple');
    instanceId = await e.start(processId, { initiator: e.tenant.ownerId });
    taskId = (await e.tasks(instanceId))[0].id;
  });

  afterAll(async () => {
    await e.close();
  });

  const draft = async (xml: string) => (await e.tenant.owner.post('/api/processes').send({ appId: e.appId, name: 'Draft', bpmnXml: xml }).expect(201)).body.id as string;
  const deployProblems = async (xml: string) => {
    const response = await e.tenant.owner.post(`/api/processes/${await draft(xml)}/deploy`);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('process_invalid');
    return response.body.details as { path: string; code: string; message: string }[];
  };

  describe('deploy refuses what cannot run, naming every element', () => {
    it('refuses DOCTYPE and entity declarations', async () => {
      const problems = await deployProblems(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY boom "boom">]>${EMPTY.replace(/^<\?xml[^>]*>/, '')}`);
      expect(problems).toEqual([expect.objectContaining({ code: 'xml_forbidden' })]);
    });

    it('refuses text that is not BPMN, and processes that are not executable', async () => {
      expect((await deployProblems('<hello'))[0].code).toBe('xml_invalid');
      expect((await deployProblems(EMPTY.replace('isExecutable="true"', 'isExecutable="false"')))[0]).toMatchObject({ code: 'not_executable', path: 'P_simple' });
    });

    it('lists every problem at once with its element id', async () => {
      const problems = await deployProblems(bpmn('broken', `
        <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="choose" />
        <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="no.such.type" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:userTask id="fill"><bpmn:extensionElements><zeebe:formDefinition formId="00000000-0000-4000-8000-000000000000" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:complexGateway id="complex" />
        <bpmn:endEvent id="end" />
        ${flow('a', 'start', 'choose')}${flow('b', 'choose', 'call', '=x >')}${flow('c', 'choose', 'fill')}${flow('d', 'call', 'end')}${flow('e2', 'fill', 'complex')}`));
      const byCode = Object.fromEntries(problems.map((problem) => [problem.code, problem.path]));
      expect(byCode).toMatchObject({
        feel_syntax: 'b', missing_condition: 'c', unknown_task_type: 'call', unknown_form: 'fill', unsupported_element: 'complex',
      });
      for (const problem of problems) expect(problem.message.length).toBeGreaterThan(10);
    });

    it('refuses a second process with the same BPMN id', async () => {
      const problems = await deployProblems(EMPTY);
      expect(problems[0].code).toBe('process_id_taken');
    });
  });

  describe('versions', () => {
    it('keeps running instances on their version when a new one is deployed', async () => {
      const id = await draft(bpmn('versioned', `<bpmn:startEvent id="start" /><bpmn:userTask id="v1task" />${flow('f1', 'start', 'v1task')}`));
      await e.tenant.owner.post(`/api/processes/${id}/deploy`).expect(200);
      const first = (await e.tenant.owner.post(`/api/processes/${id}/instances`).send({}).expect(201)).body;
      await e.tenant.owner.patch(`/api/processes/${id}`).send({ bpmnXml: bpmn('versioned', `<bpmn:startEvent id="start" /><bpmn:endEvent id="v2end" />${flow('f1', 'start', 'v2end')}`) }).expect(200);
      const deployed = await e.tenant.owner.post(`/api/processes/${id}/deploy`).expect(200);
      expect(deployed.body.version).toBe(2);
      const second = (await e.tenant.owner.post(`/api/processes/${id}/instances`).send({}).expect(201)).body;
      await e.settle();
      expect(await e.instance(first.id)).toMatchObject({ status: 'active', version: 1 });
      expect(await e.instance(second.id)).toMatchObject({ status: 'completed', version: 2 });
      const versions = (await e.tenant.owner.get(`/api/processes/${id}/versions`).expect(200)).body;
      expect(versions.map((version: { version: number }) => version.version)).toEqual([2, 1]);
      expect((await e.tenant.owner.get(`/api/processes/${id}/versions/1`).expect(200)).body.bpmnXml).toContain('v1task');
      const old = (await e.tenant.owner.post(`/api/processes/${id}/instances`).send({ version: 1 }).expect(201)).body;
      expect(old.version).toBe(1);
    });

    it('answers 409 when starting a process that was never deployed', async () => {
      const id = await draft(EMPTY);
      const response = await e.tenant.owner.post(`/api/processes/${id}/instances`).send({});
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('process_not_deployed');
    });
  });

  describe('incidents', () => {
    it('retries a failed gateway after an administrator fixed the variable', async () => {
      const id = await e.deploy(bpmn('fixable', `
        <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="choose" /><bpmn:endEvent id="yes" />
        ${flow('f1', 'start', 'choose')}${flow('f2', 'choose', 'yes', '=ready = true')}`));
      const instance = await e.start(id, { ready: false });
      const [incident] = (await e.instance(instance)).incidents;
      await e.tenant.owner.patch(`/api/instances/${instance}/variables`).send({ variables: { ready: true } }).expect(200);
      await e.tenant.owner.post(`/api/incidents/${incident.id}/retry`).expect(204);
      await e.settle();
      const after = await e.instance(instance);
      expect(after.status).toBe('completed');
      expect(after.incidents[0].status).toBe('resolved');
      const again = await e.tenant.owner.post(`/api/incidents/${incident.id}/retry`);
      expect(again.status).toBe(409);
    });

    it('retries a flaky service task with backoff and completes it once it succeeds; a BPMN error is caught by its boundary', async () => {
      let calls = 0;
      e.registerTaskType({
        type: 'test.flaky', title: { en: 'Flaky', 'zh-CN': '不稳定' }, description: { en: '', 'zh-CN': '' }, inputSchema: {}, outputSchema: {},
        run: async () => {
          calls++;
          if (calls < 3) throw new Error(`temporary failure ${calls}`);
          return { result: 'ok' };
        },
      });
      e.registerTaskType({
        type: 'test.reject', title: { en: 'Reject', 'zh-CN': '拒绝' }, description: { en: '', 'zh-CN': '' }, inputSchema: {}, outputSchema: {},
        run: async () => {
          throw new BpmnError('REJECTED', 'The credit check said no');
        },
      });
      const id = await e.deploy(bpmn('flaky', `
        <bpmn:startEvent id="start" />
        <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="test.flaky" retries="3" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="test.reject" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:boundaryEvent id="rejected" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="end" /><bpmn:endEvent id="refused" />
        ${flow('f1', 'start', 'call')}${flow('f2', 'call', 'check')}${flow('f3', 'check', 'end')}${flow('f4', 'rejected', 'refused')}`,
      '<bpmn:error id="err" errorCode="REJECTED" />'));
      const instance = await e.start(id);
      for (let i = 0; i < 5 && (await e.instance(instance)).status === 'active'; i++) {
        e.clock.advance(10_000);
        await e.settle();
      }
      const after = await e.instance(instance);
      expect(calls).toBe(3);
      expect(after.status).toBe('completed');
      expect(after.variables).toMatchObject({ result: 'ok', errorCode: 'REJECTED' });
      expect(await e.path(instance)).toEqual(['start', 'call', 'rejected', 'refused']);
    });
  });

  describe('start forms', () => {
    it('starts the process when its start form is submitted, and links the record to the instance', async () => {
      const form = (await e.tenant.owner.post('/api/forms').send({
        appId: e.appId, name: 'Fund request',
        schema: { type: 'object', properties: { title: { type: 'string' }, budget: { type: 'number' } }, required: ['title'] },
      }).expect(201)).body;
      await e.tenant.owner.post(`/api/forms/${form.id}/publish`).expect(200);
      const id = await draft(bpmn('fund', `
        <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="big" default="small" />
        <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" /><zeebe:formDefinition formId="${form.id}" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'big')}${flow('large', 'big', 'review', '=budget > 10000')}${flow('small', 'big', 'end')}${flow('f3', 'review', 'end')}`));
      await e.tenant.owner.patch(`/api/processes/${id}`).send({ startFormId: form.id }).expect(200);
      await e.tenant.owner.post(`/api/processes/${id}/deploy`).expect(200);
      const record = (await e.tenant.owner.post(`/api/forms/${form.id}/records`).send({ data: { title: 'Lab kit', budget: 15000 } }).expect(201)).body;
      await e.settle();
      expect(record.processInstanceId).toEqual(expect.any(String));
      const instance = await e.instance(record.processInstanceId);
      expect(instance).toMatchObject({ status: 'active', recordId: record.id, variables: { title: 'Lab kit', budget: 15000, initiator: e.tenant.ownerId } });
      const [task] = await e.tasks(record.processInstanceId);
      expect(task).toMatchObject({ elementId: 'review', formId: form.id, assignee: e.tenant.ownerId });
      const invalid = await e.tenant.owner.post(`/api/forms/${form.id}/records`).send({ data: { budget: 5 } });
      expect(invalid.status).toBe(422);
      const detail = (await e.tenant.owner.get(`/api/tasks/${task.id}`).expect(200)).body;
      expect(detail).toMatchObject({ processName: 'Draft', instanceStatus: 'active', variables: { title: 'Lab kit' }, form: { formId: form.id, version: 1 } });
      expect(detail.form.schema.properties.budget).toEqual({ type: 'number' });
      const bad = await e.tenant.owner.post(`/api/tasks/${task.id}/complete`).send({ data: { title: 'Lab kit', budget: 'lots' }, outcome: 'approved' });
      expect(bad.status).toBe(422);
      expect(bad.body.details[0].path).toBe('data.budget');
      await e.tenant.owner.post(`/api/tasks/${task.id}/complete`).send({ data: { title: 'Lab kit', budget: 12000 }, outcome: 'approved' }).expect(204);
      await e.settle();
      expect(await e.instance(record.processInstanceId)).toMatchObject({ status: 'completed', variables: { budget: 12000, outcome: 'approved' } });
    });
  });

  describe('permissions and tenants', () => {
    let member: Awaited<ReturnType<EngineTestApp['t']['login']>>;

    beforeAll(async () => {
      await e.tenant.owner.post('/api/users').send({ email: 'member@engine.example', name: 'Member', roles: ['member'], password: PASSWORD }).expect(201);
      member = await e.t.login('member@engine.example', PASSWORD);
    });

    it('lets members start processes but not design, cancel, or see others\' instances and tasks', async () => {
      await member.post('/api/processes').send({ appId: e.appId, name: 'Mine', bpmnXml: EMPTY }).expect(403);
      await member.post(`/api/processes/${processId}/deploy`).expect(403);
      const own = (await member.post(`/api/processes/${processId}/instances`).send({ variables: {} }).expect(201)).body;
      await member.get(`/api/instances/${own.id}`).expect(200);
      await member.get(`/api/instances/${instanceId}`).expect(404);
      await member.get(`/api/tasks/${taskId}`).expect(404);
      await member.post(`/api/tasks/${taskId}/complete`).send({}).expect(404);
      await member.post(`/api/instances/${own.id}/cancel`).send({}).expect(403);
      await member.patch(`/api/instances/${own.id}/variables`).send({ variables: { a: 1 } }).expect(403);
      const listed = (await member.get('/api/instances').expect(200)).body;
      expect(listed.items.map((item: { id: string }) => item.id)).toEqual([own.id]);
    });

    it('answers 404 for every id of another tenant, as for ids that do not exist', async () => {
      const incident = (await e.tenant.owner.get('/api/incidents').expect(200)).body.items[0];
      const agent = other.owner;
      await agent.get(`/api/processes/${processId}`).expect(404);
      await agent.patch(`/api/processes/${processId}`).send({ name: 'Mine now' }).expect(404);
      await agent.post(`/api/processes/${processId}/deploy`).expect(404);
      await agent.get(`/api/processes/${processId}/versions`).expect(404);
      await agent.post(`/api/processes/${processId}/instances`).send({}).expect(404);
      await agent.get(`/api/instances/${instanceId}`).expect(404);
      await agent.get(`/api/instances/${instanceId}/history`).expect(404);
      await agent.post(`/api/instances/${instanceId}/cancel`).send({}).expect(404);
      await agent.patch(`/api/instances/${instanceId}/variables`).send({ variables: { x: 1 } }).expect(404);
      await agent.get(`/api/tasks/${taskId}`).expect(404);
      await agent.post(`/api/tasks/${taskId}/claim`).expect(404);
      await agent.post(`/api/tasks/${taskId}/complete`).send({}).expect(404);
      if (incident) await agent.post(`/api/incidents/${incident.id}/retry`).expect(404);
      expect((await agent.get('/api/instances').expect(200)).body.total).toBe(0);
      expect((await agent.get('/api/tasks?scope=involved').expect(200)).body.total).toBe(0);
      expect((await agent.get('/api/incidents').expect(200)).body.total).toBe(0);
      await agent.get('/api/instances/not-a-uuid').expect(404);
      await agent.post('/api/processes').send({ appId: e.appId, name: 'Into your app', bpmnXml: EMPTY }).expect(422);
      expect((await e.instance(instanceId)).status).toBe('active');
    });

    it('validates request bodies with field paths', async () => {
      const missing = await e.tenant.owner.post('/api/processes').send({ name: 'No app' });
      expect(missing.status).toBe(422);
      expect(missing.body.details.map((detail: { path: string }) => detail.path)).toContain('appId');
      await e.tenant.owner.post(`/api/processes/${processId}/instances`).send({ variables: [1, 2] }).expect(422);
      const polluted = await e.tenant.owner.post(`/api/processes/${processId}/instances`).set('content-type', 'application/json').send('{"variables":{"__proto__":{"polluted":true}}}');
      expect(polluted.status).toBe(422);
      expect(polluted.body.code).toBe('forbidden_key');
      await e.tenant.owner.post('/api/messages').send({ correlationKey: 'x' }).expect(422);
      await e.tenant.owner.get('/api/tasks?scope=everything').expect(422);
    });
  });
});
