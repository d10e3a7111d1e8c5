// The engine without HTTP: the built server's Nest application in this process (SQLite + inline jobs, a fresh
// DATA_DIR), the reference process deployed through its API, then N loops call EngineService directly:
// start → (the service-task job runs on the inline driver) → the task.created event → completeUserTask.
// What is left is the engine (commands, interpreter, FEEL, store, outbox, jobs) on the database, without
// HTTP, sessions, validation, audit and the inbox query. Prints one JSON line.
//   node bench/engine-inproc.js <instances> <concurrency> <seconds>
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, root } from './lib.js';
import { APPROVAL, APPROVAL_COMPLETION, approvalVariables } from './engine-reference.js';

const dist = (path) => import(join(root, 'server/dist', path));
const { AppConfig } = await dist('core/config/app-config.js');
const { createApp } = await dist('app.factory.js');
const { SeedService } = await dist('modules/seed/seed.service.js');
const { EngineService } = await dist('modules/engine/engine.service.js');
const { EngineEvents } = await dist('modules/engine/engine-events.js');

const [total = 2000, concurrency = 32, seconds = 10] = process.argv.slice(2).map(Number);
const email = 'bench@example.com';
const password = 'bench password 1';
const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-inproc-'));
const port = await freePort();
const config = new AppConfig({ ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', OPSFLOW_ADMIN_EMAIL: email, OPSFLOW_ADMIN_PASSWORD: password, DATABASE_URL: '', REDIS_URL: '' });
const app = await createApp(config, { serveFrontEnds: false, logger: ['error'] });
await app.get(SeedService).seedOnFirstStart();
await app.listen(port, '127.0.0.1');

try {
  const url = `http://127.0.0.1:${port}`;
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const headers = { cookie: login.headers.get('set-cookie').split(';')[0], 'content-type': 'application/json' };
  const post = async (path, body) => (await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
  const me = await (await fetch(`${url}/api/auth/me`, { headers })).json();
  const appRow = await post('/api/apps', { name: 'Engine bench' });
  const process_ = await post('/api/processes', { appId: appRow.id, name: 'Approval', bpmnXml: APPROVAL });
  await post(`/api/processes/${process_.id}/deploy`, {});
  const tenantId = me.tenant.id;
  const userId = me.user.id;

  const engine = app.get(EngineService);
  const waiters = new Map();
  const arrived = new Map();
  let completedEvents = 0;
  app.get(EngineEvents).subscribe((event) => {
    if (event.type === 'instance.completed') completedEvents++;
    if (event.type !== 'task.created') return;
    const waiter = waiters.get(event.task.instanceId);
    if (waiter) waiter(event.task.id);
    else arrived.set(event.task.instanceId, event.task.id);
  });
  const taskOf = (instanceId) => {
    const early = arrived.get(instanceId);
    if (early) {
      arrived.delete(instanceId);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => waiters.set(instanceId, (taskId) => {
      waiters.delete(instanceId);
      resolve(taskId);
    }));
  };

  const loop = async (count, limitSeconds, offset) => {
    const latencies = [];
    let next = 0;
    const started = performance.now();
    const deadline = started + limitSeconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count && performance.now() < deadline; i = next++) {
        const t0 = performance.now();
        const instance = await engine.start({ tenantId, processId: process_.id, variables: approvalVariables(offset + i, userId), startedBy: userId });
        const taskId = await taskOf(instance.id);
        await engine.completeUserTask(tenantId, taskId, { variables: { ...APPROVAL_COMPLETION.data, outcome: APPROVAL_COMPLETION.outcome }, actor: userId, outcome: APPROVAL_COMPLETION.outcome, comment: null });
        latencies.push(performance.now() - t0);
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { completed: latencies.length, perSecond: latencies.length / elapsed, p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] };
  };

  await loop(300, 5, 0);
  const eventsBefore = completedEvents;
  const cpu = process.cpuUsage();
  const figure = await loop(total, seconds, 100_000);
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ ...figure, cpuMsPerInstance: (used.user + used.system) / 1000 / figure.completed, completedEvents: completedEvents - eventsBefore }));
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
