// The task inbox of a person with 10,000 open tasks (issue 5: "answers in under 50 ms"), over HTTP
// as the web app asks it, next to two baselines measured in the same run: the plain indexed query
// (the page of the person's open tasks, newest first, and the count, straight on the database) and
// a signed-in GET /api/auth/me (what any API round trip costs). The inbox holds realistic neighbours:
// other people's open tasks, the person's finished ones, tasks offered to a group the person is in,
// and tasks copied (抄送) to them. On the embedded default (SQLite).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { httpClient, root, startServer } from './lib.js';

const dist = (path) => import(join(root, 'server/dist', path));
const OPEN = Number(process.env.BENCH_OPEN_TASKS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

export async function run() {
  const email = 'bench@example.com';
  const password = 'bench password 1';
  const server = await startServer({ OPSFLOW_ADMIN_EMAIL: email, OPSFLOW_ADMIN_PASSWORD: password });
  const client = httpClient(server.url);
  let dataSource;
  try {
    const signIn = async (who) => {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: who, password }),
      });
      if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
      return { cookie: login.headers.get('set-cookie').split(';')[0] };
    };
    const admin = await signIn(email);
    const post = async (path, body, headers = admin) => {
      const response = await client.post(path, body, { headers });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    };
    const me = await (await client.get('/api/auth/me', { headers: admin })).json();
    const approver = await post('/api/users', { email: 'approver@example.com', name: 'Approver', roles: ['member'], password });
    const group = await post('/api/groups', { name: 'Finance', description: 'Finance team' });
    await fetch(`${server.url}/api/groups/${group.id}/members`, {
      method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ userIds: [approver.id] }),
    });
    const app = await post('/api/apps', { name: 'Bench' });
    const definition = await post('/api/processes', { appId: app.id, name: 'Purchase approval', bpmnXml: oneTaskProcess() });
    await post(`/api/processes/${definition.id}/deploy`, {});
    const tenantId = me.tenantId ?? me.tenant?.id;

    // Seed beside the running server, through the same migrations' tables.
    const { AppConfig } = await dist('core/config/app-config.js');
    const { createDataSource } = await dist('core/database/data-source.js');
    const { UserTask, TaskPrincipal } = await dist('modules/engine/engine.entities.js');
    dataSource = await createDataSource(new AppConfig({ DATA_DIR: server.dataDir }));
    const seeded = performance.now();
    const counts = await seed(dataSource, UserTask, TaskPrincipal, { tenantId, processId: definition.id, approverId: approver.id, groupId: group.id });
    await dataSource.query('ANALYZE');
    // Seeding held this event loop for seconds, past the server's keep-alive timeout: let the client see
    // the idle connections the server closed meanwhile, before it reuses one for the next request.
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.log(`\nTask inbox on SQLite: ${OPEN} open tasks assigned to one person among ${counts.total} tasks `
      + `(${counts.candidate} offered to their group, ${counts.cc} copied to them; seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s), ${RUNS} sequential runs each`);

    const headers = await signIn('approver@example.com');
    const plain = () => Promise.all([
      dataSource.query('SELECT * FROM "user_task" WHERE "tenantId" = ? AND "assignee" = ? AND "status" = ? ORDER BY "createdAt" DESC LIMIT 20', [tenantId, approver.id, 'open']),
      dataSource.query('SELECT COUNT(*) AS n FROM "user_task" WHERE "tenantId" = ? AND "assignee" = ? AND "status" = ?', [tenantId, approver.id, 'open']),
    ]);
    const api = (path) => async () => {
      const response = await client.get(path, { headers });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const checked = await api('/api/tasks?scope=mine&pageSize=20')();
    if (checked.total !== OPEN) throw new Error(`the inbox shows ${checked.total} tasks, expected ${OPEN}`);

    const base = await time(plain);
    const roundTrip = await time(api('/api/auth/me'));
    line('baseline: plain indexed query (page + count)', base, base);
    line('baseline: signed-in GET /api/auth/me', roundTrip, base);
    line('inbox: my tasks, newest first, page 1', await time(api('/api/tasks?scope=mine&pageSize=20')), base);
    line('inbox: my tasks, by due date, page 50', await time(api('/api/tasks?scope=mine&sort=due&page=50&pageSize=20')), base);
    line('inbox: my overdue tasks', await time(api('/api/tasks?scope=mine&overdue=true&pageSize=20')), base);
    line('inbox: my tasks, search "laptop 42"', await time(api('/api/tasks?scope=mine&q=laptop%2042&pageSize=20')), base);
    line('inbox: tasks I may claim (group)', await time(api('/api/tasks?scope=candidate&pageSize=20')), base);
    line('inbox: copied to me (抄送)', await time(api('/api/tasks?scope=cc&pageSize=20')), base);
    console.log('(goal: every inbox figure under 50 ms; ratio = median / plain query median)');
  } finally {
    await dataSource?.destroy();
    client.close();
    await server.stop();
  }
}

function oneTaskProcess() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://opsflow.dev/bench">
  <bpmn:process id="purchase" isExecutable="true">
    <bpmn:startEvent id="start" /><bpmn:userTask id="review" name="Review" /><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" /><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** Tasks in bulk, 300 rows a statement; every `kind` of neighbour the inbox must skip past. */
async function seed(dataSource, UserTask, TaskPrincipal, { tenantId, processId, approverId, groupId }) {
  const start = Date.UTC(2026, 0, 1);
  const others = Array.from({ length: 50 }, () => randomUUID());
  const plan = [
    { count: OPEN, assignee: approverId, status: 'open' },
    { count: OPEN * 2, assignee: approverId, status: 'done' },
    { count: OPEN * 5, assignee: null, status: 'open', otherAssignee: true },
    { count: OPEN / 2, assignee: null, status: 'open', group: true },
    { count: OPEN / 5, assignee: null, status: 'open', otherAssignee: true, cc: true },
  ];
  let total = 0;
  await dataSource.transaction(async (manager) => {
    for (const part of plan) {
      for (let offset = 0; offset < part.count; offset += 300) {
        const tasks = [];
        const principals = [];
        for (let i = offset; i < Math.min(part.count, offset + 300); i++) {
          const n = total + i;
          const createdAt = new Date(start + n * 60_000);
          const task = {
            id: randomUUID(), tenantId, instanceId: randomUUID(), elementInstanceId: randomUUID(), elementId: 'review',
            name: `Purchase ${['laptop', 'monitor', 'licence', 'travel'][n % 4]} ${n}`, processId,
            assignee: part.otherAssignee ? others[n % others.length] : part.assignee,
            candidateUsers: [], candidateGroups: part.group ? [groupId] : [], status: part.status, formId: null,
            dueAt: n % 3 === 0 ? null : new Date(start + (n % 90) * 86_400_000), followUpAt: null, createdAt,
            endedAt: part.status === 'done' ? createdAt : null, completedBy: part.status === 'done' ? approverId : null,
            outcome: null, comment: null, lastUrgedAt: null, ccUsers: part.cc ? [approverId] : [], ccGroups: [],
          };
          tasks.push(task);
          if (part.group) principals.push({ taskId: task.id, kind: 'candidate', principal: `g:${groupId}`, tenantId });
          if (part.cc) principals.push({ taskId: task.id, kind: 'cc', principal: `u:${approverId}`, tenantId });
        }
        await manager.createQueryBuilder().insert().into(UserTask).values(tasks).execute();
        if (principals.length) await manager.createQueryBuilder().insert().into(TaskPrincipal).values(principals).execute();
      }
      total += part.count;
    }
  });
  return { total, candidate: OPEN / 2, cc: OPEN / 5 };
}

async function time(query) {
  for (let i = 0; i < 10; i++) await query();
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await query();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] };
}

function line(name, figure, baseline) {
  console.log(`${name.padEnd(46)} median ${figure.p50.toFixed(1).padStart(6)} ms  p99 ${figure.p99.toFixed(1).padStart(6)} ms  ratio ${(figure.p50 / baseline.p50).toFixed(2)}`);
}
