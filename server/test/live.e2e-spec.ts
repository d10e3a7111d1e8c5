import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserTask } from '../src/modules/engine/engine.entities.js';
import { EngineEvents } from '../src/modules/engine/engine-events.js';
import { MAX_STREAMS_PER_PERSON } from '../src/modules/live/live.controller.js';
import { bpmn, type EngineTestApp, flow, startEngineApp } from './engine-harness.js';
import { PASSWORD } from './harness.js';

interface Stream {
  status: number;
  contentType: string;
  body: string;
  /** `event` lines received so far, with their data parsed. */
  events: { event: string; data: Record<string, unknown> }[];
  waitFor(predicate: (event: { event: string; data: Record<string, unknown> }) => boolean): Promise<Record<string, unknown>>;
  close(): void;
}

let base = '';

/** Opens GET /api/live as a browser's EventSource would, and keeps what arrives. */
function openStream(headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/api/live`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const waiters: (() => void)[] = [];
      const stream: Stream = {
        status: response.statusCode ?? 0, contentType: String(response.headers['content-type']), body: '', events: [],
        waitFor: (predicate) => new Promise((found, missed) => {
          const timer = setTimeout(() => missed(new Error(`no such event; got ${JSON.stringify(stream.events)}`)), 10_000);
          const check = () => {
            const hit = stream.events.find(predicate);
            if (!hit) return waiters.push(check);
            clearTimeout(timer);
            found(hit.data);
          };
          check();
        }),
        close: () => request.destroy(),
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        stream.body += chunk;
        for (const block of chunk.split('\n\n')) {
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) stream.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
        waiters.splice(0).forEach((waiter) => waiter());
        if (stream.status === 200 && stream.events.some((e) => e.event === 'ready')) resolve(stream);
      });
      response.on('end', () => resolve(stream));
      response.on('error', () => undefined);
    });
    request.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
  });
}

async function cookieOf(email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  return response.headers.get('set-cookie')!.split(';')[0];
}

let processCount = 0;
const REVIEW = (assignment: string) => bpmn(`live${++processCount}`, `
  <bpmn:startEvent id="start" />
  <bpmn:serviceTask id="prepare"><bpmn:extensionElements><zeebe:taskDefinition type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:userTask id="review" name="Review &lt;b&gt;line&#10;two&lt;/b&gt;"><bpmn:extensionElements>${assignment}</bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'prepare')}${flow('f2', 'prepare', 'review')}${flow('f3', 'review', 'end')}`);

describe('live updates: GET /api/live streams inbox and bell changes to the person they concern', () => {
  let e: EngineTestApp;
  const people: Record<'ana' | 'ben', { id: string; cookie: string }> = {} as never;
  const open: Stream[] = [];
  const stream = async (headers: Record<string, string>) => {
    const s = await openStream(headers);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    e = await startEngineApp();
    await e.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(e.t.app.getHttpServer().address() as AddressInfo).port}`;
    for (const name of ['ana', 'ben'] as const) {
      const email = `${name}@live.example`;
      const created = await e.tenant.owner.post('/api/users').send({ email, name, roles: ['member'], password: PASSWORD }).expect(201);
      people[name] = { id: created.body.id, cookie: await cookieOf(email) };
    }
  });

  afterEach(() => open.splice(0).forEach((s) => s.close()));

  afterAll(async () => {
    await e.close();
  });

  it('tells the assignee, and only the assignee, that a task reached their inbox and that their bell has news', async () => {
    const ana = await stream({ cookie: people.ana.cookie });
    const ben = await stream({ cookie: people.ben.cookie });
    expect(ana.status).toBe(200);
    expect(ana.contentType).toMatch(/^text\/event-stream/);
    const processId = await e.deploy(REVIEW('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    const instanceId = await e.start(processId, { reviewer: people.ana.id });
    const [task] = await e.tasks(instanceId);
    expect(await ana.waitFor((event) => event.event === 'task')).toEqual({ taskId: task.id, instanceId, name: 'Review <b>line\ntwo</b>' });
    expect(await ana.waitFor((event) => event.event === 'notification')).toEqual({ kind: 'assigned', title: 'Review <b>line\ntwo</b>' });
    // the name's line break stays inside the JSON: one event, not a broken stream
    expect(ana.body).not.toMatch(/\ntwo/);
    expect(ben.events.map((event) => event.event)).toEqual(['ready']);
  });

  it('tells the members of the group a task is offered to', async () => {
    const group = (await e.tenant.owner.post('/api/groups').send({ name: 'Live reviewers' }).expect(201)).body.id as string;
    await e.tenant.owner.put(`/api/groups/${group}/members`).send({ userIds: [people.ben.id] }).expect(200);
    const ben = await stream({ cookie: people.ben.cookie });
    const ana = await stream({ cookie: people.ana.cookie });
    const processId = await e.deploy(REVIEW(`<zeebe:assignmentDefinition candidateGroups="${group}" />`));
    const instanceId = await e.start(processId);
    expect(await ben.waitFor((event) => event.event === 'task')).toMatchObject({ instanceId });
    expect(ana.events.filter((event) => event.event === 'task')).toEqual([]);

    // offered to a person and a group: both hear it, and the group's members stay out of the task's candidates
    const both = await e.deploy(REVIEW(`<zeebe:assignmentDefinition candidateUsers="${people.ana.id}" candidateGroups="${group}" />`));
    const second = await e.start(both);
    expect(await ana.waitFor((event) => event.event === 'task' && event.data.instanceId === second)).toMatchObject({ instanceId: second });
    expect(await ben.waitFor((event) => event.event === 'task' && event.data.instanceId === second)).toMatchObject({ instanceId: second });
    // the engine event's task is shared by every listener: the group's members are not added to it
    const task = await e.dataSource.getRepository(UserTask).findOneByOrFail({ instanceId: second });
    const events = e.t.app.get(EngineEvents);
    events.publish([{ type: 'task.created', tenantId: e.tenant.id, task }]);
    await events.settled();
    expect(task.candidateUsers).toEqual([people.ana.id]);
    const bens = await (await fetch(`${base}/api/notifications`, { headers: { cookie: people.ben.cookie } })).json() as { items: { kind: string; instanceId: string }[] };
    expect(bens.items.filter((item) => item.instanceId === second && item.kind === 'assigned')).toEqual([]);
  });

  it('hears nothing of another tenant, and refuses no session, an API key and one stream too many with a clear error', async () => {
    const other = await e.t.tenant('Live other');
    const stranger = await stream({ cookie: await cookieOf(other.ownerEmail) });
    const processId = await e.deploy(REVIEW('<zeebe:assignmentDefinition assignee="=reviewer" />'));
    const instanceId = await e.start(processId, { reviewer: people.ana.id });
    expect((await e.tasks(instanceId))[0].status).toBe('open');
    expect(stranger.events.map((event) => event.event)).toEqual(['ready']);

    const anonymous = await openStream({});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ code: 'unauthenticated' });

    const key = (await e.tenant.owner.post('/api/api-keys').send({ name: 'Live', scopes: ['read'] }).expect(201)).body.key as string;
    const byKey = await openStream({ authorization: `Bearer ${key}` });
    expect(byKey.status).toBe(403);

    for (let n = 0; n < MAX_STREAMS_PER_PERSON; n++) expect((await stream({ cookie: people.ana.cookie })).status).toBe(200);
    const tooMany = await openStream({ cookie: people.ana.cookie });
    expect(tooMany.status).toBe(429);
    expect(JSON.parse(tooMany.body)).toMatchObject({ code: 'too_many_streams', message: expect.stringMatching(/close some/) });
    // a closed stream frees its place
    open.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stream({ cookie: people.ana.cookie })).status).toBe(200);
  });
});
