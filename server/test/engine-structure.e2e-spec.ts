import { EngineEvents } from '../src/modules/engine/engine-events.js';
import { bpmn, DAY, type EngineTestApp, flow, HOUR, MINUTE, startEngineApp } from './engine-harness.js';

const userTask = (id: string, extra = '') =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" />${extra}</bpmn:extensionElements></bpmn:userTask>`;
const job = (tag: string, id: string, type: string, extra = '') =>
  `<bpmn:${tag} id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements></bpmn:${tag}>`;
const io = (inputs: [string, string][], outputs: [string, string][] = []) =>
  `<zeebe:ioMapping>${inputs.map(([source, target]) => `<zeebe:input source="${source}" target="${target}" />`).join('')}${outputs.map(([source, target]) => `<zeebe:output source="${source}" target="${target}" />`).join('')}</zeebe:ioMapping>`;

describe('BPMN engine: structure, events and variables', () => {
  let e: EngineTestApp;
  let me: { initiator: string };

  beforeAll(async () => {
    e = await startEngineApp();
    me = { initiator: e.tenant.ownerId };
  });

  afterAll(async () => {
    await e.close();
  });

  it('runs an embedded subprocess and catches its error end event with a boundary error event', async () => {
    const processId = await e.deploy(bpmn('subError', `
      <bpmn:startEvent id="start" />
      <bpmn:subProcess id="check">
        <bpmn:startEvent id="subStart" /><bpmn:exclusiveGateway id="ok" default="toFine" />
        <bpmn:endEvent id="broken"><bpmn:errorEventDefinition errorRef="errBroken" /></bpmn:endEvent>
        <bpmn:endEvent id="fine" />
        ${flow('s1', 'subStart', 'ok')}${flow('toBroken', 'ok', 'broken', '=amount < 0')}${flow('toFine', 'ok', 'fine')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="caught" attachedToRef="check"><bpmn:errorEventDefinition errorRef="errBroken" /></bpmn:boundaryEvent>
      <bpmn:endEvent id="end" /><bpmn:endEvent id="handled" />
      ${flow('f1', 'start', 'check')}${flow('f2', 'check', 'end')}${flow('f3', 'caught', 'handled')}`,
    '<bpmn:error id="errBroken" errorCode="BROKEN" />'));
    const fine = await e.start(processId, { amount: 5 });
    expect(await e.path(fine)).toEqual(['start', 'subStart', 'ok', 'fine', 'check', 'end']);
    const broken = await e.start(processId, { amount: -1 });
    expect((await e.instance(broken)).status).toBe('completed');
    expect(await e.path(broken)).toEqual(['start', 'subStart', 'ok', 'caught', 'handled']);
    const history = await e.history(broken);
    expect(history.find((entry) => entry.elementId === 'check')?.status).toBe('terminated');
  });

  it('raises an incident for an error nobody catches', async () => {
    const processId = await e.deploy(bpmn('uncaught', `
      <bpmn:startEvent id="start" /><bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="errX" /></bpmn:endEvent>${flow('f1', 'start', 'fail')}`,
    '<bpmn:error id="errX" errorCode="X" />'));
    const id = await e.start(processId);
    const instance = await e.instance(id);
    expect(instance.status).toBe('incident');
    expect(instance.incidents[0]).toMatchObject({ kind: 'unhandled_error' });
    expect(instance.incidents[0].message).toContain('"X"');
  });

  it('ends every path of the scope at a terminate end event', async () => {
    const processId = await e.deploy(bpmn('terminate', `
      <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
      ${userTask('slow')}<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
      ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'slow')}${flow('f3', 'fork', 'stop')}`));
    const id = await e.start(processId, me);
    expect((await e.instance(id)).status).toBe('completed');
    const [task] = await e.tasks(id);
    expect(task.status).toBe('canceled');
  });

  it('passes variables into a called process and back (call activity)', async () => {
    await e.deploy(bpmn('child', `
      <bpmn:startEvent id="cStart" />
      ${job('serviceTask', 'double', 'set-variables', io([['={doubled: value * 2}', 'variables']]))}
      <bpmn:endEvent id="cEnd" />${flow('c1', 'cStart', 'double')}${flow('c2', 'double', 'cEnd')}`), 'Child');
    const parentId = await e.deploy(bpmn('parent', `
      <bpmn:startEvent id="start" />
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="P_child" propagateAllChildVariables="false" />
        ${io([['=amount', 'value']], [['=doubled', 'result']])}</bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'call')}${flow('f2', 'call', 'end')}`), 'Parent');
    const id = await e.start(parentId, { amount: 21 });
    await e.settle();
    const instance = await e.instance(id);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ amount: 21, result: 42 });
    expect(await e.path(id)).toEqual(['start', 'call', 'end']);
  });

  it('cancels the called instance when the call activity is interrupted', async () => {
    await e.deploy(bpmn('slowChild', `<bpmn:startEvent id="cs" />${userTask('wait')}<bpmn:endEvent id="ce" />${flow('c1', 'cs', 'wait')}${flow('c2', 'wait', 'ce')}`), 'Slow child');
    const parentId = await e.deploy(bpmn('impatient', `
      <bpmn:startEvent id="start" />
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="P_slowChild" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:boundaryEvent id="tooLong" attachedToRef="call"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="end" /><bpmn:endEvent id="gaveUp" />${flow('f1', 'start', 'call')}${flow('f2', 'call', 'end')}${flow('f3', 'tooLong', 'gaveUp')}`));
    const id = await e.start(parentId, me);
    const children = (await e.tenant.owner.get('/api/instances?status=active').expect(200)).body.items.filter((item: { parentInstanceId: string }) => item.parentInstanceId === id);
    expect(children).toHaveLength(1);
    e.clock.advance(HOUR + MINUTE);
    await e.settle();
    expect(await e.path(id)).toEqual(['start', 'tooLong', 'gaveUp']);
    expect((await e.instance(children[0].id)).status).toBe('canceled');
  });

  it('raises an incident when the called process does not exist', async () => {
    const processId = await e.deploy(bpmn('callsNothing', `
      <bpmn:startEvent id="start" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="nope" /></bpmn:extensionElements></bpmn:callActivity>
      ${flow('f1', 'start', 'call')}`));
    const id = await e.start(processId);
    await e.settle();
    const instance = await e.instance(id);
    expect(instance.status).toBe('incident');
    expect(instance.incidents[0].message).toContain('"nope"');
  });

  it('starts an instance when a message start event receives its message', async () => {
    const processId = await e.deploy(bpmn('onMessage', `
      <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m1" /></bpmn:startEvent>${userTask('handle')}
      ${flow('f1', 'start', 'handle')}`, '<bpmn:message id="m1" name="ticket-opened" />'));
    const response = await e.tenant.owner.post('/api/messages').send({ name: 'ticket-opened', correlationKey: 'T-9', variables: { initiator: e.tenant.ownerId, title: 'Printer' } });
    expect(response.status).toBe(200);
    expect(response.body.started).toBe(true);
    await e.settle();
    const instance = await e.instance(response.body.instanceId);
    expect(instance.variables).toMatchObject({ title: 'Printer' });
    expect(instance.activeElements.map((element) => element.elementId)).toEqual(['handle']);
    expect((await e.tenant.owner.post(`/api/processes/${processId}/instances`).send({})).body.code).toBe('no_plain_start_event');
  });

  it('starts instances from a timer start event cycle, three times for R3', async () => {
    const processId = await e.deploy(bpmn('weekly', `
      <bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/P1W</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`));
    for (let week = 0; week < 5; week++) {
      e.clock.advance(7 * DAY + MINUTE);
      await e.settle();
    }
    const instances = (await e.tenant.owner.get(`/api/instances?processId=${processId}`).expect(200)).body;
    expect(instances.total).toBe(3);
  });

  it('starts instances from a cron timer start event', async () => {
    const processId = await e.deploy(bpmn('daily', `
      <bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>0 8 * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`));
    e.clock.advance(DAY);
    await e.settle();
    e.clock.advance(DAY);
    await e.settle();
    expect((await e.tenant.owner.get(`/api/instances?processId=${processId}`).expect(200)).body.total).toBe(2);
  });

  it('waits until a date with a timeDate catch event', async () => {
    const at = new Date(e.clock.now().getTime() + 3 * DAY).toISOString();
    const processId = await e.deploy(bpmn('dated', `
      <bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="until"><bpmn:timerEventDefinition><bpmn:timeDate>=until</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'until')}${flow('f2', 'until', 'end')}`));
    const id = await e.start(processId, { until: at });
    e.clock.advance(2 * DAY);
    await e.settle();
    expect((await e.instance(id)).status).toBe('active');
    e.clock.advance(DAY + MINUTE);
    await e.settle();
    expect((await e.instance(id)).status).toBe('completed');
  });

  it('correlates a receive task and a boundary message by their keys', async () => {
    const processId = await e.deploy(bpmn('receiving', `
      <bpmn:startEvent id="start" /><bpmn:receiveTask id="await" messageRef="mDoc" />
      ${userTask('review')}
      <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition messageRef="mWithdraw" /></bpmn:boundaryEvent>
      <bpmn:manualTask id="file" /><bpmn:endEvent id="end" /><bpmn:endEvent id="stopped" />
      ${flow('f1', 'start', 'await')}${flow('f2', 'await', 'review')}${flow('f3', 'review', 'file')}${flow('f4', 'file', 'end')}${flow('f5', 'withdrawn', 'stopped')}`,
    `<bpmn:message id="mDoc" name="document"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>
     <bpmn:message id="mWithdraw" name="withdraw"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>`));
    const id = await e.start(processId, { caseId: 'C-1', ...me });
    await e.tenant.owner.post('/api/messages').send({ name: 'document', correlationKey: 'C-1', variables: { pages: 3 } }).expect(200);
    await e.settle();
    expect((await e.instance(id)).activeElements.map((element) => element.elementId)).toEqual(['review']);
    await e.tenant.owner.post('/api/messages').send({ name: 'withdraw', correlationKey: 'C-1' }).expect(200);
    await e.settle();
    const instance = await e.instance(id);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toMatchObject({ pages: 3 });
    expect(await e.path(id)).toEqual(['start', 'await', 'withdrawn', 'stopped']);
  });

  it('computes a business rule with a FEEL expression, and refuses DMN references at deploy', async () => {
    const processId = await e.deploy(bpmn('rule', `
      <bpmn:startEvent id="start" />
      <bpmn:businessRuleTask id="level"><bpmn:extensionElements><zeebe:script expression="=if amount &gt; 10000 then &quot;board&quot; else &quot;manager&quot;" resultVariable="approvalLevel" /></bpmn:extensionElements></bpmn:businessRuleTask>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'level')}${flow('f2', 'level', 'end')}`));
    const id = await e.start(processId, { amount: 20000 });
    expect((await e.instance(id)).variables.approvalLevel).toBe('board');
    const dmn = await e.tenant.owner.post('/api/processes').send({ appId: e.appId, name: 'DMN', bpmnXml: bpmn('dmn', `
      <bpmn:startEvent id="start" /><bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="d1" resultVariable="r" /></bpmn:extensionElements></bpmn:businessRuleTask>
      ${flow('f1', 'start', 'decide')}`) }).expect(201);
    const refused = await e.tenant.owner.post(`/api/processes/${dmn.body.id}/deploy`);
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'decide', code: 'dmn_not_supported' })]);
  });

  it('keeps input-mapped variables local to the task and maps outputs back', async () => {
    const processId = await e.deploy(bpmn('mapping', `
      <bpmn:startEvent id="start" />
      ${userTask('fill', io([['=amount * 2', 'proposal']], [['=decision', 'finalDecision']]))}
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'fill')}${flow('f2', 'fill', 'end')}`));
    const id = await e.start(processId, { amount: 10, ...me });
    const [task] = await e.tasks(id);
    await e.completeTask(task.id, { decision: 'yes', scratch: 1 });
    const instance = await e.instance(id);
    expect(instance.variables).toEqual({ amount: 10, initiator: e.tenant.ownerId, finalDecision: 'yes' });
  });

  it('evaluates due dates and candidate groups of user tasks from FEEL', async () => {
    const processId = await e.deploy(bpmn('schedule', `
      <bpmn:startEvent id="start" />
      <bpmn:userTask id="approve"><bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="=[&quot;finance&quot;, team]" />
        <zeebe:taskSchedule dueDate="=string(now() + duration(&quot;P3D&quot;))" />
      </bpmn:extensionElements></bpmn:userTask>
      ${flow('f1', 'start', 'approve')}`));
    const id = await e.start(processId, { team: 'controllers' });
    const [task] = await e.tasks(id);
    expect(task.candidateGroups).toEqual(['finance', 'controllers']);
    expect(task.dueAt).not.toBeNull();
  });

  it('refuses variables beyond the size limit and stores nothing', async () => {
    const processId = await e.deploy(bpmn('big', `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`));
    const before = (await e.tenant.owner.get(`/api/instances?processId=${processId}`).expect(200)).body.total;
    const response = await e.tenant.owner.post(`/api/processes/${processId}/instances`).send({ variables: { blob: 'x'.repeat(200 * 1024), more: 'y'.repeat(100 * 1024) } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('variables_too_large');
    expect(response.body.message).toMatch(/256 KB/);
    expect((await e.tenant.owner.get(`/api/instances?processId=${processId}`).expect(200)).body.total).toBe(before);
  });

  it('cancels an instance: its tasks and timers go, the history says so', async () => {
    const processId = await e.deploy(bpmn('cancelMe', `<bpmn:startEvent id="start" />${userTask('t')}${flow('f1', 'start', 't')}`));
    const id = await e.start(processId, me);
    await e.tenant.owner.post(`/api/instances/${id}/cancel`).send({ reason: 'duplicate request' }).expect(204);
    expect((await e.instance(id)).status).toBe('canceled');
    expect((await e.tasks(id))[0].status).toBe('canceled');
    const again = await e.tenant.owner.post(`/api/instances/${id}/cancel`).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('instance_ended');
  });

  it('runs a sequential multi-instance subprocess one item at a time, with local variables per item', async () => {
    const processId = await e.deploy(bpmn('perItem', `
      <bpmn:startEvent id="start" />
      <bpmn:subProcess id="each">
        <bpmn:multiInstanceLoopCharacteristics isSequential="true">
          <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="totals" outputElement="=item.qty * item.price" /></bpmn:extensionElements>
        </bpmn:multiInstanceLoopCharacteristics>
        <bpmn:startEvent id="itemStart" />
        ${userTask('confirm')}
        <bpmn:endEvent id="itemEnd" />
        ${flow('i1', 'itemStart', 'confirm')}${flow('i2', 'confirm', 'itemEnd')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'each')}${flow('f2', 'each', 'end')}`));
    const id = await e.start(processId, { ...me, items: [{ qty: 2, price: 5 }, { qty: 1, price: 7 }] });
    let tasks = await e.tasks(id);
    expect(tasks.filter((task) => task.status === 'open')).toHaveLength(1);
    await e.completeTask(tasks[0].id);
    tasks = await e.tasks(id);
    const open = tasks.filter((task) => task.status === 'open');
    expect(open).toHaveLength(1);
    await e.completeTask(open[0].id);
    const instance = await e.instance(id);
    expect(instance.status).toBe('completed');
    expect(instance.variables.totals).toEqual([10, 7]);
    expect(instance.variables).not.toHaveProperty('item');
  });

  it('interrupts every parallel approver with a boundary timer on the multi-instance task', async () => {
    const processId = await e.deploy(bpmn('allOrTimeout', `
      <bpmn:startEvent id="start" />
      <bpmn:userTask id="vote"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=voter" /></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=voters" inputElement="voter" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>
      <bpmn:boundaryEvent id="deadline" attachedToRef="vote"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="end" /><bpmn:endEvent id="late" />${flow('f1', 'start', 'vote')}${flow('f2', 'vote', 'end')}${flow('f3', 'deadline', 'late')}`));
    const id = await e.start(processId, { voters: ['a', 'b', 'c'] });
    const tasks = await e.tasks(id);
    await e.completeTask(tasks[0].id);
    e.clock.advance(DAY + MINUTE);
    await e.settle();
    expect((await e.instance(id)).status).toBe('completed');
    expect(await e.path(id)).toEqual(['start', 'vote', 'deadline', 'late']);
    expect((await e.tasks(id)).map((task) => task.status)).toEqual(['done', 'canceled', 'canceled']);
  });

  it('completes a multi-instance activity over an empty list at once', async () => {
    const processId = await e.deploy(bpmn('nobody', `
      <bpmn:startEvent id="start" />
      <bpmn:userTask id="vote"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=voters" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:endEvent id="end" />${flow('f1', 'start', 'vote')}${flow('f2', 'vote', 'end')}`));
    expect((await e.instance(await e.start(processId, { voters: [] }))).status).toBe('completed');
    const broken = await e.instance(await e.start(processId, { voters: 'not a list' }));
    expect(broken.status).toBe('incident');
    expect(broken.incidents[0].message).toContain('not a list');
  });

  it('emits engine events after each command commits', async () => {
    const events: string[] = [];
    const unsubscribe = e.t.app.get(EngineEvents).subscribe((event) => {
      events.push(event.type);
    });
    const processId = await e.deploy(bpmn('events', `<bpmn:startEvent id="start" />${userTask('t')}<bpmn:endEvent id="end" />${flow('f1', 'start', 't')}${flow('f2', 't', 'end')}`));
    const id = await e.start(processId, me);
    await e.completeTask((await e.tasks(id))[0].id);
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    expect(events).toEqual(['instance.started', 'task.created', 'task.completed', 'instance.completed']);
  });
});
