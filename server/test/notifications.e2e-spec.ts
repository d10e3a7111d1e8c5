import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type TestAgent from 'supertest/lib/agent.js';
import { ServiceTaskRegistry } from '../src/modules/plugins/service-task-registry.js';
import { bpmn, type EngineTestApp, flow, HOUR, startEngineApp } from './engine-harness.js';
import { PASSWORD, type TestTenant } from './harness.js';

/** An SMTP server in the test: keeps what it receives, or refuses every message when told to. */
class SmtpSink {
  readonly received: { to: string; subject: string; raw: string }[] = [];
  refuse = false;
  private readonly server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        if (this.refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
        this.received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject, raw });
        callback();
      });
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let processCount = 0;
const TASK = (assignment: string, extra = '') => bpmn(`notified${++processCount}`, `
  <bpmn:startEvent id="start" />
  <bpmn:userTask id="review" name="Review &lt;b&gt;the&lt;/b&gt; budget"><bpmn:extensionElements>${assignment}${extra}</bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'review')}${flow('f2', 'review', 'end')}`);

/** A review with an SLA: after an hour, without interrupting, the `notify` task tells whoever holds it. */
const SLA = bpmn('sla', `
  <bpmn:startEvent id="start" />
  <bpmn:userTask id="review" name="Budget review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=reviewer" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:boundaryEvent id="late" cancelActivity="false" attachedToRef="review">
    <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
  </bpmn:boundaryEvent>
  <bpmn:serviceTask id="remind" name="Remind"><bpmn:extensionElements><zeebe:taskDefinition type="notify" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="reminded" /><bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'review')}${flow('f2', 'review', 'end')}${flow('f3', 'late', 'remind')}${flow('f4', 'remind', 'reminded')}`);

type Person = { id: string; email: string; agent: TestAgent };

async function person(e: EngineTestApp, name: string, fields: Record<string, unknown> = {}): Promise<Person> {
  const email = `${name}@notify.example`;
  const created = await e.tenant.owner.post('/api/users').send({ email, name, roles: ['member'], password: PASSWORD, ...fields }).expect(201);
  return { id: created.body.id, email, agent: await e.t.login(email, PASSWORD) };
}

const kindsOf = async (who: TestAgent) => ((await who.get('/api/notifications').expect(200)).body.items as { kind: string }[]).map((item) => item.kind);
const outbox = async (e: EngineTestApp, query = '') => (await e.tenant.owner.get(`/api/notifications/mail${query}`).expect(200)).body as {
  items: { to: string; subject: string; text: string; html: string; kind: string; status: string; error: string | null }[]; total: number;
};

describe('notifications without SMTP: choices per kind and channel, the outbox admins read', () => {
  let e: EngineTestApp;
  let other: TestTenant;
  let ana: Person;
  let ben: Person;

  beforeAll(async () => {
    e = await startEngineApp();
    other = await e.t.tenant('Elsewhere');
    ana = await person(e, 'ana', { locale: 'zh-CN' });
    ben = await person(e, 'ben');
  });

  afterAll(async () => {
    await e.close();
  });

  it('starts from defaults, changes only what is sent, and refuses unknown kinds, channels and values whole', async () => {
    const initial = (await ana.agent.get('/api/notifications/preferences').expect(200)).body;
    expect(initial.channels).toEqual(['inApp', 'email']);
    expect(initial.kinds).toEqual(expect.arrayContaining(['assigned', 'cc', 'mention', 'urged', 'escalated', 'completed']));
    expect(initial.preferences.assigned).toEqual({ inApp: true, email: true });
    expect(initial.preferences.transferred).toEqual({ inApp: true, email: false });
    expect(initial.email).toEqual({ sending: false, address: ana.email });

    const changed = (await ana.agent.put('/api/notifications/preferences').send({ preferences: { completed: { email: false }, transferred: { email: true } } }).expect(200)).body;
    expect(changed.preferences.completed).toEqual({ inApp: true, email: false });
    expect(changed.preferences.transferred).toEqual({ inApp: true, email: true });

    for (const bad of [{ birthday: { email: true } }, { completed: { sms: true } }, { completed: { email: 'yes' } }, { completed: true }]) {
      const refused = await ana.agent.put('/api/notifications/preferences').send({ preferences: { cc: { inApp: false }, ...bad } }).expect(422);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.details[0].path).toMatch(/^preferences\./);
    }
    await ana.agent.put('/api/notifications/preferences').send({ preferences: 'all' }).expect(422);
    const after = (await ana.agent.get('/api/notifications/preferences').expect(200)).body.preferences;
    expect(after.cc).toEqual({ inApp: true, email: true });
    // another person's choices are theirs
    expect((await ben.agent.get('/api/notifications/preferences').expect(200)).body.preferences.completed).toEqual({ inApp: true, email: true });
  });

  it('an assignment reaches the bell and the outbox in the person\'s language, escaped; only admins read the outbox', async () => {
    const processId = await e.deploy(TASK('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    await e.start(processId, { reviewer: ana.id });
    expect(await kindsOf(ana.agent)).toContain('assigned');
    const mail = (await outbox(e)).items.find((item) => item.to === ana.email && item.kind === 'assigned')!;
    expect(mail).toMatchObject({ status: 'stored', subject: '[Opsflow] 新任务：Review <b>the</b> budget' });
    expect(mail.html).toContain('Review &lt;b&gt;the&lt;/b&gt; budget');
    expect(mail.html).not.toContain('<b>the</b>');
    expect(mail.text).toMatch(/http:\/\/localhost:\d+\/tasks\//);
    await ana.agent.get('/api/notifications/mail').expect(403);
    expect((await other.owner.get('/api/notifications/mail').expect(200)).body.total).toBe(0);
    await e.tenant.owner.get('/api/notifications/mail?status=lost').expect(422);
  });

  it('follows each person\'s choice: no bell without in-app, no e-mail without e-mail', async () => {
    await ben.agent.put('/api/notifications/preferences').send({ preferences: { assigned: { inApp: false, email: true } } }).expect(200);
    const before = (await outbox(e)).total;
    const processId = await e.deploy(TASK('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    await e.start(processId, { reviewer: ben.id });
    expect(await kindsOf(ben.agent)).not.toContain('assigned');
    expect((await outbox(e)).total).toBe(before + 1);
    await ben.agent.put('/api/notifications/preferences').send({ preferences: { assigned: { inApp: true, email: false } } }).expect(200);
    await e.start(processId, { reviewer: ben.id });
    expect(await kindsOf(ben.agent)).toContain('assigned');
    expect((await outbox(e)).total).toBe(before + 1);
  });

  it('抄送 reaches the people and group members copied, not the assignee twice; completion reaches the initiator; @mentions the colleague', async () => {
    const cara = await person(e, 'cara');
    const dan = await person(e, 'dan');
    const group = (await e.tenant.owner.post('/api/groups').send({ name: 'Finance', description: 'f' }).expect(201)).body;
    await e.tenant.owner.put(`/api/groups/${group.id}/members`).send({ userIds: [dan.id, ana.id] }).expect(200);
    const properties = `<zeebe:properties><zeebe:property name="opsflow:ccUsers" value="${cara.id}" /><zeebe:property name="opsflow:ccGroups" value="${group.id}" /></zeebe:properties>`;
    const processId = await e.deploy(TASK('<zeebe:assignmentDefinition assignee="=reviewer" />', properties));
    const started = await ben.agent.post(`/api/processes/${processId}/instances`).send({ variables: { reviewer: ana.id } }).expect(201);
    await e.settle();
    expect(await kindsOf(cara.agent)).toEqual(['cc']);
    expect(await kindsOf(dan.agent)).toEqual(['cc']);
    expect((await kindsOf(ana.agent)).filter((kind) => kind === 'cc')).toEqual([]);

    const [task] = await e.tasks(started.body.id);
    await ana.agent.post(`/api/tasks/${task.id}/complete`).send({ outcome: 'approved', comment: `Fine. @${cara.email} please file the quote.` }).expect(204);
    await e.settle();
    expect(await kindsOf(cara.agent)).toEqual(['mention', 'cc']);
    expect(await kindsOf(ben.agent)).toContain('completed');
    expect((await outbox(e)).items.find((item) => item.to === cara.email && item.kind === 'mention')?.text).toContain('please file the quote');
  });

  it('the SLA timer\'s notify task tells whoever holds the task, once even when its job runs twice', async () => {
    const processId = await e.deploy(SLA);
    const instanceId = await e.start(processId, { reviewer: ben.id });
    e.clock.advance(HOUR + 1000);
    await e.settle();
    const escalated = ((await ben.agent.get('/api/notifications').expect(200)).body.items as { kind: string; title: string; link: string }[])
      .filter((item) => item.kind === 'escalated');
    expect(escalated).toEqual([expect.objectContaining({ title: 'Budget review', link: expect.stringMatching(/^\/tasks\//) })]);
    // a redelivered job: the same job key notifies nobody again
    const notify = e.t.app.get(ServiceTaskRegistry).get('notify')!;
    const context = { tenantId: e.tenant.id, instanceId, elementId: 'remind', jobKey: 'replayed-key', headers: {}, attempt: 1, maxAttempts: 3 };
    expect(await notify.run({}, context)).toEqual({ notified: 1 });
    await notify.run({}, context);
    expect(((await ben.agent.get('/api/notifications').expect(200)).body.items as { kind: string }[]).filter((item) => item.kind === 'escalated')).toHaveLength(2);
    await expect(notify.run({ to: 42 }, context)).rejects.toThrow(/list of ids/);
  });
});

describe('notifications with SMTP: sent by a job, retried, failed without harming the request', () => {
  const sink = new SmtpSink();
  let e: EngineTestApp;
  let ana: Person;

  beforeAll(async () => {
    const url = await sink.start();
    e = await startEngineApp({ OPSFLOW_SMTP_URL: url, OPSFLOW_MAIL_ATTEMPTS: '2', OPSFLOW_MAIL_FROM: 'Opsflow <opsflow@notify.example>' });
    ana = await person(e, 'ana');
  });

  afterAll(async () => {
    await e.close();
    await sink.close();
  });

  it('delivers the assignment e-mail through the SMTP server and marks it sent', async () => {
    const processId = await e.deploy(TASK('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    await e.start(processId, { reviewer: ana.id });
    expect((await ana.agent.get('/api/notifications/preferences').expect(200)).body.email.sending).toBe(true);
    expect(sink.received).toEqual([expect.objectContaining({ to: ana.email, subject: '[Opsflow] New task: Review <b>the</b> budget' })]);
    expect(sink.received[0].raw).toContain('From: Opsflow <opsflow@notify.example>');
    expect((await outbox(e)).items[0]).toMatchObject({ status: 'sent', error: null });
  });

  it('keeps the SMTP refusal on the e-mail, tries again, then marks it failed; the task is there all along', async () => {
    sink.refuse = true;
    const processId = await e.deploy(TASK('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    const instanceId = await e.start(processId, { reviewer: ana.id });
    expect((await e.tasks(instanceId))[0].status).toBe('open');
    // the retry waits 5 s: on the manual clock of the inline driver, in real time on BullMQ (settle waits for it)
    e.clock.advance(60_000);
    await e.settle();
    const failed = (await outbox(e, '?status=failed')).items;
    expect(failed).toHaveLength(1);
    expect(failed[0].error).toMatch(/Mailbox unavailable/);
    expect(await kindsOf(ana.agent)).toContain('assigned');
    sink.refuse = false;
  });
});
