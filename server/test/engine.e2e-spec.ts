import { bpmn, DAY, type EngineTestApp, flow, HOUR, MINUTE, startEngineApp } from './engine-harness.js';

const serviceTask = (id: string, type: string, extra = '') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="2" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;
const userTask = (id: string, assignee = '', extra = '') =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements>${assignee ? `<zeebe:assignmentDefinition assignee="${assignee}" />` : ''}${extra}</bpmn:extensionElements></bpmn:userTask>`;

/** The reference approval: start → service task → exclusive gateway on a FEEL condition → user task → end. */
export const APPROVAL = bpmn('approval', `
    <bpmn:startEvent id="start" />
    ${serviceTask('prepare', 'set-variables', '<zeebe:ioMapping><zeebe:input source="={checked: true}" target="variables" /></zeebe:ioMapping>')}
    <bpmn:exclusiveGateway id="big" default="small" />
    ${userTask('review', '=initiator')}
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="autoEnd" />
    ${flow('f1', 'start', 'prepare')}
    ${flow('f2', 'prepare', 'big')}
    ${flow('large', 'big', 'review', '=amount > 10000')}
    ${flow('small', 'big', 'autoEnd')}
    ${flow('f3', 'review', 'end')}`);

describe('BPMN engine', () => {
  let e: EngineTestApp;

  beforeAll(async () => {
    e = await startEngineApp();
  });

  afterAll(async () => {
    await e.close();
  });

  describe('the reference approval process', () => {
    let processId: string;

    beforeAll(async () => {
      processId = await e.deploy(APPROVAL, 'Approval');
    });

    it('takes the review path for a large amount and completes when the task is completed', async () => {
      const id = await e.start(processId, { amount: 15000, initiator: e.tenant.ownerId });
      let instance = await e.instance(id);
      expect(instance.status).toBe('active');
      expect(instance.variables).toMatchObject({ amount: 15000, checked: true });
      expect(instance.activeElements.map((element) => element.elementId)).toEqual(['review']);
      const [task] = await e.tasks(id);
      expect(task).toMatchObject({ elementId: 'review', assignee: e.tenant.ownerId, status: 'open' });
      await e.completeTask(task.id, { approved: true }, 'approved');
      instance = await e.instance(id);
      expect(instance.status).toBe('completed');
      expect(instance.variables).toMatchObject({ approved: true, outcome: 'approved' });
      expect(await e.path(id)).toEqual(['start', 'prepare', 'big', 'review', 'end']);
      const history = await e.history(id);
      expect(history.find((entry) => entry.elementId === 'review')).toMatchObject({ actor: e.tenant.ownerId, outcome: 'approved' });
    });

    it('takes the default flow for a small amount', async () => {
      const id = await e.start(processId, { amount: 50 });
      expect((await e.instance(id)).status).toBe('completed');
      expect(await e.path(id)).toEqual(['start', 'prepare', 'big', 'autoEnd']);
    });

    it('answers 409 to a second completion of the same task and changes nothing', async () => {
      const id = await e.start(processId, { amount: 20000, initiator: e.tenant.ownerId });
      const [task] = await e.tasks(id);
      const results = await Promise.all([1, 2].map(() => e.tenant.owner.post(`/api/tasks/${task.id}/complete`).send({ data: { n: 1 } })));
      expect(results.map((result) => result.status).sort()).toEqual([204, 409]);
      expect(results.find((result) => result.status === 409)!.body.code).toBe('task_not_open');
      await e.settle();
      expect((await e.path(id)).filter((element) => element === 'end')).toHaveLength(1);
    });
  });

  describe('timers', () => {
    it('waits at an intermediate timer until the clock reaches it, and fires it once', async () => {
      const processId = await e.deploy(bpmn('waiting', `
        <bpmn:startEvent id="start" />
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'wait')}${flow('f2', 'wait', 'end')}`));
      const id = await e.start(processId);
      e.clock.advance(HOUR);
      await e.settle();
      expect((await e.instance(id)).status).toBe('active');
      e.clock.advance(HOUR + MINUTE);
      await e.settle();
      expect((await e.instance(id)).status).toBe('completed');
      expect(await e.path(id)).toEqual(['start', 'wait', 'end']);
    });

    it('escalates an overdue task with an interrupting boundary timer (SLA)', async () => {
      const processId = await e.deploy(bpmn('sla', `
        <bpmn:startEvent id="start" />
        ${userTask('approve', e.tenant.ownerId)}
        <bpmn:boundaryEvent id="overdue" attachedToRef="approve"><bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:endEvent id="done" /><bpmn:endEvent id="escalated" />
        ${flow('f1', 'start', 'approve')}${flow('f2', 'approve', 'done')}${flow('f3', 'overdue', 'escalated')}`));
      const id = await e.start(processId);
      e.clock.advance(2 * DAY + MINUTE);
      await e.settle();
      expect((await e.instance(id)).status).toBe('completed');
      expect(await e.path(id)).toEqual(['start', 'overdue', 'escalated']);
      const [task] = await e.tasks(id);
      expect(task.status).toBe('canceled');
    });

    it('reminds without interrupting (non-interrupting boundary timer), and the task still completes', async () => {
      const processId = await e.deploy(bpmn('remind', `
        <bpmn:startEvent id="start" />
        ${userTask('approve', e.tenant.ownerId)}
        <bpmn:boundaryEvent id="remind" attachedToRef="approve" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT4H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${serviceTask('notify', 'noop')}
        <bpmn:endEvent id="done" /><bpmn:endEvent id="reminded" />
        ${flow('f1', 'start', 'approve')}${flow('f2', 'approve', 'done')}${flow('f3', 'remind', 'notify')}${flow('f4', 'notify', 'reminded')}`));
      const id = await e.start(processId);
      e.clock.advance(5 * HOUR);
      await e.settle();
      expect((await e.instance(id)).status).toBe('active');
      expect(await e.path(id)).toEqual(['start', 'remind', 'notify', 'reminded']);
      const [task] = await e.tasks(id);
      await e.completeTask(task.id);
      expect((await e.instance(id)).status).toBe('completed');
    });
  });

  describe('gateways', () => {
    it('forks and joins parallel branches', async () => {
      const processId = await e.deploy(bpmn('parallel', `
        <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" />
        ${userTask('a', e.tenant.ownerId)}${userTask('b', e.tenant.ownerId)}<bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'a')}${flow('f3', 'fork', 'b')}${flow('f4', 'a', 'join')}${flow('f5', 'b', 'join')}${flow('f6', 'join', 'end')}`));
      const id = await e.start(processId);
      const tasks = await e.tasks(id);
      expect(tasks.map((task) => task.elementId).sort()).toEqual(['a', 'b']);
      await e.completeTask(tasks[0].id);
      expect((await e.instance(id)).status).toBe('active');
      await e.completeTask(tasks[1].id);
      expect((await e.instance(id)).status).toBe('completed');
      expect((await e.path(id)).filter((element) => element === 'join')).toHaveLength(1);
    });

    it('joins only the inclusive branches that were taken', async () => {
      const processId = await e.deploy(bpmn('inclusive', `
        <bpmn:startEvent id="start" /><bpmn:inclusiveGateway id="fork" /><bpmn:inclusiveGateway id="join" />
        ${userTask('legal', e.tenant.ownerId)}${userTask('finance', e.tenant.ownerId)}${userTask('it', e.tenant.ownerId)}<bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'fork')}${flow('toLegal', 'fork', 'legal', '=needsLegal')}${flow('toFinance', 'fork', 'finance', '=amount > 1000')}${flow('toIt', 'fork', 'it', '=needsIt')}
        ${flow('f4', 'legal', 'join')}${flow('f5', 'finance', 'join')}${flow('f6', 'it', 'join')}${flow('f7', 'join', 'end')}`));
      const id = await e.start(processId, { needsLegal: true, amount: 5000, needsIt: false });
      const tasks = await e.tasks(id);
      expect(tasks.map((task) => task.elementId).sort()).toEqual(['finance', 'legal']);
      await e.completeTask(tasks[0].id);
      expect((await e.instance(id)).status).toBe('active');
      await e.completeTask(tasks[1].id);
      expect((await e.instance(id)).status).toBe('completed');
    });

    it('raises an incident when no exclusive condition holds, and retries it after the data is fixed', async () => {
      const processId = await e.deploy(bpmn('noFlow', `
        <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="choose" />
        <bpmn:endEvent id="yes" /><bpmn:endEvent id="no" />
        ${flow('f1', 'start', 'choose')}${flow('f2', 'choose', 'yes', '=x = 1')}${flow('f3', 'choose', 'no', '=x = 2')}`));
      const id = await e.start(processId, { x: 3 });
      const instance = await e.instance(id);
      expect(instance.status).toBe('incident');
      expect(instance.incidents[0]).toMatchObject({ kind: 'no_flow', status: 'open' });
      const retried = await e.tenant.owner.post(`/api/incidents/${instance.incidents[0].id}/retry`);
      expect(retried.status).toBe(204);
      await e.settle();
      expect((await e.instance(id)).status).toBe('incident');
    });

    it('waits on an event-based gateway for the first of a message and a timer', async () => {
      const processId = await e.deploy(bpmn('paymentRace', `
        <bpmn:startEvent id="start" /><bpmn:eventBasedGateway id="race" />
        <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="msgPaid" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="ok" /><bpmn:endEvent id="late" />
        ${flow('f1', 'start', 'race')}${flow('f2', 'race', 'paid')}${flow('f3', 'race', 'timeout')}${flow('f4', 'paid', 'ok')}${flow('f5', 'timeout', 'late')}`,
      '<bpmn:message id="msgPaid" name="payment-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>'));
      const paid = await e.start(processId, { orderId: 'A-1' });
      const late = await e.start(processId, { orderId: 'A-2' });
      const correlated = await e.tenant.owner.post('/api/messages').send({ name: 'payment-received', correlationKey: 'A-1', variables: { paidAmount: 10 } });
      expect(correlated.status).toBe(200);
      expect(correlated.body).toEqual({ instanceId: paid, started: false });
      await e.settle();
      e.clock.advance(DAY + MINUTE);
      await e.settle();
      expect(await e.path(paid)).toEqual(['start', 'race', 'paid', 'ok']);
      expect((await e.instance(paid)).variables).toMatchObject({ paidAmount: 10 });
      expect(await e.path(late)).toEqual(['start', 'race', 'timeout', 'late']);
      const again = await e.tenant.owner.post('/api/messages').send({ name: 'payment-received', correlationKey: 'A-1' });
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('message_not_correlated');
    });
  });

  describe('multi-instance approvals', () => {
    const approvers = (condition: string) => bpmn(`multi${Math.abs(hash(condition))}`, `
      <bpmn:startEvent id="start" />
      <bpmn:userTask id="approve" name="approve">
        <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=approver" /></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics>
          <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver" outputCollection="approvals" outputElement="=approved" /></bpmn:extensionElements>
          ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>
      <bpmn:endEvent id="end" />
      ${flow('f1', 'start', 'approve')}${flow('f2', 'approve', 'end')}`);

    it('会签: waits for all approvers', async () => {
      const processId = await e.deploy(approvers(''));
      const id = await e.start(processId, { approvers: ['u1', 'u2', 'u3'] });
      const tasks = await e.tasks(id);
      expect(tasks.map((task) => task.assignee)).toEqual(['u1', 'u2', 'u3']);
      await e.completeTask(tasks[0].id, { approved: true });
      await e.completeTask(tasks[1].id, { approved: false });
      expect((await e.instance(id)).status).toBe('active');
      await e.completeTask(tasks[2].id, { approved: true });
      const instance = await e.instance(id);
      expect(instance.status).toBe('completed');
      expect(instance.variables.approvals).toEqual([true, false, true]);
    });

    it('或签: the first approval ends the other approvers\' tasks', async () => {
      const processId = await e.deploy(approvers('=nrOfCompletedInstances &gt;= 1'));
      const id = await e.start(processId, { approvers: ['u1', 'u2', 'u3'] });
      const tasks = await e.tasks(id);
      await e.completeTask(tasks[1].id, { approved: true });
      expect((await e.instance(id)).status).toBe('completed');
      const after = await e.tasks(id);
      expect(after.map((task) => task.status).sort()).toEqual(['canceled', 'canceled', 'done']);
    });

    it('voting: completes once half of the approvers said yes', async () => {
      const processId = await e.deploy(approvers('=count(approvals[item = true]) / nrOfInstances &gt;= 0.5'));
      const id = await e.start(processId, { approvers: ['u1', 'u2', 'u3', 'u4'] });
      const tasks = await e.tasks(id);
      await e.completeTask(tasks[0].id, { approved: true });
      await e.completeTask(tasks[1].id, { approved: false });
      expect((await e.instance(id)).status).toBe('active');
      await e.completeTask(tasks[2].id, { approved: true });
      expect((await e.instance(id)).status).toBe('completed');
    });
  });

  describe('service tasks and incidents', () => {
    it('raises an incident when a service task fails on every try, and a retry runs it again', async () => {
      const processId = await e.deploy(bpmn('failing', `
        <bpmn:startEvent id="start" />
        ${serviceTask('call', 'http.request', '<zeebe:ioMapping><zeebe:input source="=&quot;http://127.0.0.1:9/&quot;" target="url" /></zeebe:ioMapping>')}
        <bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'call')}${flow('f2', 'call', 'end')}`));
      const id = await e.start(processId);
      await e.settle();
      const instance = await e.instance(id);
      expect(instance.status).toBe('incident');
      expect(instance.incidents[0].kind).toBe('job_failed');
      expect(instance.incidents[0].message).toMatch(/not allowed/i);
      const listed = await e.tenant.owner.get('/api/incidents?status=open').expect(200);
      expect(listed.body.items.map((incident: { id: string }) => incident.id)).toContain(instance.incidents[0].id);
    });
  });
});

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0;
  return value;
}
