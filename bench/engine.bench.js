// Process engine. The reference approval process (start → service task → exclusive gateway on a FEEL
// condition → user task completed through the API → end) run end to end over HTTP by N clients, each a
// signed-in approver who starts an instance, hears of its task on its live stream (GET /api/live, server-sent
// events, as the web app does; it polls GET /api/tasks?scope=mine only if the stream stays silent) and completes it:
// on SQLite + inline jobs, and on PostgreSQL + BullMQ with 2 worker processes. Baseline: the same process
// run purely in memory by the npm bpmn-engine package (engine-baseline.js). Also FEEL evaluations/s
// (compiled + memo vs feelin per call) and the storage and memory of 10,000 instances waiting at the task.
// Beside each figure: CPU ms per instance of every process (from engine-probe.js, preloaded into the
// server processes), SQL statements per instance, the API's floor (its cheapest signed-in request), and
// a diagnostic run of EngineService in-process without HTTP (engine-inproc.js). Throughput depends on what
// else runs on the machine; the CPU per instance much less. engine-profile.js reads the CPU profiles.
//
// Knobs: BENCH_ENGINE_INSTANCES (at most 5000 per figure), BENCH_ENGINE_SECONDS (at most 10 s per figure),
// BENCH_ENGINE_CLIENTS (32), BENCH_ENGINE_WAITING (10000), BENCH_ENGINE_FILL_CLIENTS (96: starts in flight while filling),
// BENCH_ENGINE_BASELINE_WAITING (500), BENCH_ENGINE_PG (postgres://postgres@127.0.0.1:5432/postgres, "off" to skip),
// BENCH_ENGINE_REDIS (redis://127.0.0.1:6379), BENCH_ENGINE_WORKERS (2), BENCH_ENGINE_SQL=1 (top SQL statements
// per instance), BENCH_ENGINE_PROFILE=<dir> (CPU profiles of the server processes during the measured run),
// BENCH_ENGINE_PHASES (baseline,feel,inproc,sqlite,postgres: a subset while working on one of them).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { httpClient, root } from './lib.js';
import { APPROVAL, APPROVAL_COMPLETION, APPROVAL_PATH, approvalVariables, serverRequire } from './engine-reference.js';
import { freshPostgres, redisWithPrefix, startApi, startWorker } from './engine-server.js';

const INSTANCES = Number(process.env.BENCH_ENGINE_INSTANCES ?? 5000);
const SECONDS = Number(process.env.BENCH_ENGINE_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_ENGINE_CLIENTS ?? 32);
const WAITING = Number(process.env.BENCH_ENGINE_WAITING ?? 10_000);
const FILL_CLIENTS = Number(process.env.BENCH_ENGINE_FILL_CLIENTS ?? 96);
const BASELINE_WAITING = Number(process.env.BENCH_ENGINE_BASELINE_WAITING ?? 500);
const WORKERS = Number(process.env.BENCH_ENGINE_WORKERS ?? 2);
const PG_URL = process.env.BENCH_ENGINE_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_ENGINE_REDIS ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROFILE_DIR = process.env.BENCH_ENGINE_PROFILE;
const SHOW_SQL = process.env.BENCH_ENGINE_SQL === '1';
const PHASES = new Set((process.env.BENCH_ENGINE_PHASES ?? 'baseline,feel,inproc,sqlite,postgres').split(',').map((phase) => phase.trim()));

/** At most this many instances or seconds before measuring. */
const WARM_UP = { instances: 2000, seconds: 6 };
const GOAL = { sqlite: 1000, postgres: 500, ratio: 10, bytesPerWaiting: 2048 };
const ADMIN = { email: 'bench@example.com', password: 'bench password 1' };
/**
 * Rows that exist because an instance waits. Outbox and job rows are deleted when their job has finished
 * (on PostgreSQL their space stays as dead tuples until autovacuum); history, audit, the job ledger and
 * notifications are what every instance leaves behind, waiting or not.
 */
const STATE_TABLES = ['process_instance', 'element_instance', 'user_task', 'engine_timer', 'message_subscription'];
const TRANSIENT_TABLES = ['engine_outbox', 'job'];
const LOG_TABLES = ['instance_history', 'audit_event', 'job_done', 'notification'];

/** How long an approver waits for the live stream to announce its task before polling the inbox. */
const LIVE_PATIENCE_MS = 5000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const kb = (bytes) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 2 : 0)} KB`;
const met = (ok) => (ok ? 'met' : 'NOT MET');

// ── HTTP ────────────────────────────────────────────────────────────────────

/** A signed-in user over a keep-alive node:http connection (lib.js httpClient: far less client CPU than fetch). */
class Client {
  constructor(url, cookie) {
    this.url = url;
    this.cookie = cookie;
    this.http = httpClient(url, { cookie });
    /** instanceId → taskId heard on the live stream and not yet asked for; instanceId → waiting resolver */
    this.heard = new Map();
    this.waiting = new Map();
  }

  /** Opens GET /api/live (server-sent events) as the web app does; resolves once the server said ready. */
  openLive() {
    return new Promise((resolve, reject) => {
      const request = http.get(`${this.url}/api/live`, { headers: { cookie: this.cookie, accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`GET /api/live: ${response.statusCode}`));
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith('event: ready')) resolve();
            if (!block.startsWith('event: task')) continue;
            const { taskId, instanceId } = JSON.parse(block.slice(block.indexOf('data: ') + 6));
            const waiter = this.waiting.get(instanceId);
            if (waiter) waiter(taskId);
            else this.heard.set(instanceId, taskId);
          }
        });
        response.on('error', () => undefined);
      });
      request.on('error', reject);
      this.live = request;
    });
  }

  /** The task of this instance as the live stream announces it, or null after `ms` without a word. */
  taskFor(instanceId, ms) {
    const heard = this.heard.get(instanceId);
    this.heard.delete(instanceId);
    if (heard) return Promise.resolve(heard);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), ms);
      const done = (taskId) => {
        clearTimeout(timer);
        this.waiting.delete(instanceId);
        resolve(taskId);
      };
      this.waiting.set(instanceId, done);
    });
  }

  static async login(url, email, password) {
    const anonymous = httpClient(url);
    const response = await anonymous.post('/api/auth/login', { email, password });
    anonymous.close();
    if (!response.ok) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
    return new Client(url, [].concat(response.headers.get('set-cookie'))[0].split(';')[0]);
  }

  async call(method, path, body, expected) {
    const response = method === 'GET' ? await this.http.get(path) : await this.http.post(path, body ?? {});
    const text = await response.text();
    if (expected && response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async get(path) {
    return (await this.call('GET', path, undefined, 200)).body;
  }

  async post(path, body, expected = 201) {
    return (await this.call('POST', path, body, expected)).body;
  }

  close() {
    this.live?.destroy();
    this.http.close();
  }
}

/** Signs in, creates an app and the reference process, deploys it, and signs in one approver per client. */
async function setUp(url) {
  const admin = await Client.login(url, ADMIN.email, ADMIN.password);
  const me = await admin.get('/api/auth/me');
  const app = await admin.post('/api/apps', { name: 'Engine bench' });
  const process = await admin.post('/api/processes', { appId: app.id, name: 'Approval', bpmnXml: APPROVAL });
  await admin.post(`/api/processes/${process.id}/deploy`, {}, 200);
  const approvers = [];
  for (let i = 0; i < CLIENTS; i++) {
    const email = `approver${i}@bench.example`;
    const user = await admin.post('/api/users', { email, name: `Approver ${i}`, password: ADMIN.password, roles: ['member'] });
    const client = await Client.login(url, email, ADMIN.password);
    await client.openLive();
    approvers.push({ id: user.id, client });
  }
  const close = () => [admin, ...approvers.map((approver) => approver.client)].forEach((client) => client.close());
  return { admin, adminId: me.user.id, processId: process.id, approvers, close };
}

/**
 * Each approver in a loop: start an instance, wait for the live stream to announce its task (or poll the inbox
 * if it does not within LIVE_PATIENCE_MS), complete it; for at most
 * `total` instances or `seconds`. Latency per instance runs from sending the start to the 204 of the completion.
 */
async function approvals({ processId, approvers }, total, seconds, offset) {
  const latencies = [];
  const taskWaits = [];
  const ids = [];
  let next = 0;
  let polls = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(approvers.map(async ({ id: userId, client }) => {
    for (let i = next++; i < total && performance.now() < deadline; i = next++) {
      const t0 = performance.now();
      try {
        const instance = await client.post(`/api/processes/${processId}/instances`, { variables: approvalVariables(offset + i, userId) });
        ids.push(instance.id);
        const t1 = performance.now();
        // The live stream announces the task; the inbox is polled only when it stays silent (a lost event).
        const announced = await client.taskFor(instance.id, LIVE_PATIENCE_MS);
        let task = announced ? { id: announced } : undefined;
        for (let wait = 2; !task; wait = Math.min(wait * 2, 16)) {
          await sleep(wait);
          polls++;
          task = (await client.get('/api/tasks?scope=mine&pageSize=10')).items.find((item) => item.instanceId === instance.id);
          if (performance.now() - t0 > 30_000) throw new Error(`no task for instance ${instance.id} after 30 s`);
        }
        taskWaits.push(performance.now() - t1);
        await client.post(`/api/tasks/${task.id}/complete`, APPROVAL_COMPLETION, 204);
        latencies.push(performance.now() - t0);
      } catch (error) {
        if (++failures <= 3) console.error(`  instance ${offset + i}: ${error.message}`);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  taskWaits.sort((a, b) => a - b);
  return {
    completed: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    taskWait: percentile(taskWaits, 50), failures, polls: polls / Math.max(1, ids.length), ids, seconds: elapsed,
  };
}

/** Every measured instance completed (counted by status), and a sample took the user-task path. */
async function verify(setup, expectedCompleted, ids) {
  const completed = (await setup.admin.get(`/api/instances?processId=${setup.processId}&status=completed&pageSize=1`)).total;
  const active = (await setup.admin.get(`/api/instances?processId=${setup.processId}&status=active&pageSize=1`)).total;
  const problems = [];
  if (completed !== expectedCompleted) problems.push(`${completed} of ${expectedCompleted} instances completed, ${active} active`);
  for (const id of [ids[0], ids[Math.floor(ids.length / 2)], ids.at(-1)]) {
    const instance = await setup.admin.get(`/api/instances/${id}`);
    const path = (await setup.admin.get(`/api/instances/${id}/history`)).filter((entry) => entry.status === 'completed').map((entry) => entry.elementId);
    if (instance.status !== 'completed' || path.join() !== APPROVAL_PATH.join() || instance.variables.checked !== true || instance.variables.outcome !== 'approved') {
      problems.push(`instance ${id}: ${instance.status}, path ${path.join(' → ')}`);
    }
  }
  return { completed, problems };
}

// ── SQL and storage ─────────────────────────────────────────────────────────

function sqlDelta(before, after) {
  const rows = [];
  for (const [sql, entry] of Object.entries(after.sql)) {
    const was = before.sql[sql] ?? { n: 0, ms: 0 };
    if (entry.n > was.n) rows.push({ sql, n: entry.n - was.n, ms: entry.ms - was.ms });
  }
  return rows.sort((a, b) => b.n - a.n);
}

async function probeAll(processes, command) {
  return Promise.all(processes.map((p) => p.probe(command)));
}

function sqlLines(label, deltas, per) {
  const statements = deltas.reduce((sum, row) => sum + row.n, 0);
  const ms = deltas.reduce((sum, row) => sum + row.ms, 0);
  const lines = [`  ${label}: ${(statements / per).toFixed(1)} SQL statements per completed instance, ${(ms / per).toFixed(2)} ms of them running (SQLite) or awaited (PostgreSQL)`];
  if (SHOW_SQL) for (const row of deltas.filter((entry) => entry.n / per >= 0.05).slice(0, 50)) lines.push(`    ${(row.n / per).toFixed(2).padStart(6)}×  ${(row.ms / row.n).toFixed(3)} ms  ${row.sql}`);
  return lines;
}

/** Bytes per table (indexes included) and per table or index of the SQLite file, from dbstat through a second read-only connection. */
function sqliteTableBytes(path) {
  const Database = serverRequire('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const schema = new Map(db.prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index')`).all().map((row) => [row.name, row]));
    const tables = {};
    const relations = {};
    for (const row of db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all()) {
      const entry = schema.get(row.name);
      const table = entry?.tbl_name ?? row.name;
      tables[table] = (tables[table] ?? 0) + row.bytes;
      const columns = entry?.sql?.match(/\(([^)]*)\)\s*$/)?.[1].replace(/"/g, '').replace(/\s+/g, '') ?? 'primary key';
      relations[row.name === table ? table : `${table}(${columns})`] = row.bytes;
    }
    return { tables, relations };
  } finally {
    db.close();
  }
}

/** The same from PostgreSQL: a table with its TOAST, free-space and visibility maps, and each index. */
async function postgresTableBytes(database) {
  const rows = await database.query(`SELECT c.relname AS name, coalesce(t.relname, c.relname) AS "table", pg_get_indexdef(i.indexrelid) AS definition,
      CASE WHEN c.relkind = 'r' THEN pg_table_size(c.oid) ELSE pg_relation_size(c.oid) END AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')`);
  const tables = {};
  const relations = {};
  for (const row of rows) {
    tables[row.table] = (tables[row.table] ?? 0) + Number(row.bytes);
    const columns = row.definition?.match(/\(([^)]*)\)\s*$/)?.[1].replace(/"/g, '').replace(/\s+/g, '');
    relations[row.name === row.table ? row.table : `${row.table}(${columns}${row.name.startsWith('PK_') ? ' pk' : ''})`] = Number(row.bytes);
  }
  return { tables, relations };
}

/** Starts `count` instances that stay at the user task (admin as approver), waits until every task exists. */
async function fillWaiting(setup, count) {
  const before = (await setup.admin.get('/api/tasks?scope=mine&pageSize=1')).total;
  let next = 0;
  await Promise.all(Array.from({ length: FILL_CLIENTS }, async () => {
    for (let i = next++; i < count; i = next++) {
      await setup.admin.post(`/api/processes/${setup.processId}/instances`, { variables: approvalVariables(5_000_000 + i, setup.adminId) });
    }
  }));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = (await setup.admin.get('/api/tasks?scope=mine&pageSize=1')).total - before;
    if (open >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${open} of ${count} instances reached the user task within 120 s`);
    await sleep(250);
  }
}

function storageLines(label, sizesBefore, sizesAfter, count, memoryBefore, memoryAfter) {
  const [before, after] = [sizesBefore.tables, sizesAfter.tables];
  const grown = (table) => ((after[table] ?? 0) - (before[table] ?? 0)) / count;
  const state = STATE_TABLES.reduce((sum, table) => sum + Math.max(0, grown(table)), 0);
  const all = Object.keys(after).reduce((sum, table) => sum + grown(table), 0);
  const known = [...STATE_TABLES, ...TRANSIENT_TABLES, ...LOG_TABLES];
  const others = Object.keys(after).filter((table) => !known.includes(table) && Math.abs(grown(table)) >= 10);
  const breakdown = [...known, ...others].filter((table) => Math.abs(grown(table)) >= 1)
    .map((table) => `${table} ${grown(table).toFixed(0)}`).join(', ');
  const lines = [
    `  ${label}: engine state ${state.toFixed(0)} B per waiting instance (instance, element instance, task rows with indexes; goal < ${GOAL.bytesPerWaiting} B: ${met(state < GOAL.bytesPerWaiting)}); whole database ${all.toFixed(0)} B incl. history, audit, job ledger, notifications`,
    `    by table (B per instance): ${breakdown}`,
  ];
  if (SHOW_SQL) {
    const relations = Object.keys(sizesAfter.relations).filter((name) => [...STATE_TABLES, ...TRANSIENT_TABLES, ...LOG_TABLES].includes(name.split('(')[0])).sort()
      .map((name) => [name, ((sizesAfter.relations[name] ?? 0) - (sizesBefore.relations[name] ?? 0)) / count]).filter(([, bytes]) => Math.abs(bytes) >= 1);
    lines.push(`    by table and index (B per instance): ${relations.map(([name, bytes]) => `${name} ${bytes.toFixed(0)}`).join(', ')}`);
  }
  lines.push(`    API process after GC: heap ${((memoryAfter.heapUsed - memoryBefore.heapUsed) / count).toFixed(1)} B, RSS ${((memoryAfter.rss - memoryBefore.rss) / count).toFixed(0)} B per waiting instance (heap ${(memoryAfter.heapUsed / 2 ** 20).toFixed(0)} MB, RSS ${(memoryAfter.rss / 2 ** 20).toFixed(0)} MB)`);
  return { state, lines };
}

// ── phases ──────────────────────────────────────────────────────────────────

async function bpmnEngineBaseline() {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(root, 'bench/engine-baseline.js'), String(INSTANCES), String(CLIENTS), String(BASELINE_WAITING), String(SECONDS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function engineOnly() {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench/engine-inproc.js'), String(INSTANCES), String(CLIENTS), String(SECONDS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function feelFigures() {
  const { FeelExpression } = await import(join(root, 'server/dist/core/feel/feel-expression.js'));
  const { evaluate } = await import(serverRequire.resolve('feelin'));
  const source = 'amount > 10000';
  const contexts = Array.from({ length: 4096 }, (_, i) => ({ ...approvalVariables(i, 'user-1'), checked: true, approved: i % 2 === 0 }));
  // Per second of this thread's CPU time, so that other work on the machine does not count against FEEL.
  const cpuSeconds = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const measure = (fn) => {
    for (let i = 0; i < 2000; i++) fn(i);
    let n = 0;
    const started = cpuSeconds();
    while (cpuSeconds() - started < 1.2) for (let end = n + 500; n < end; n++) fn(n);
    return n / (cpuSeconds() - started);
  };
  const compiled = FeelExpression.compile(source);
  const uncached = measure((i) => evaluate(source, contexts[i % contexts.length]).value);
  const same = measure(() => compiled.evaluate(contexts[0]));
  const distinct = measure((i) => compiled.evaluate(contexts[i % contexts.length]));
  return { uncached, same, distinct };
}

/** CPU seconds (user + system) of processes by pid, from /proc (Linux); 0 where unreadable. */
function procCpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone or not Linux */
    }
  }
  return ticks / 100;
}

/**
 * The API's floor: a request that passes everything a signed-in request passes (security headers, cookie, the auth
 * guard, pipes, JSON reply) and reads nothing from the database (GET /api/public/settings with the session cookie),
 * from the same clients for `seconds`.
 */
async function httpFloor(api, { approvers }, seconds) {
  const before = await api.probe('snapshot');
  let count = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(approvers.map(async ({ client }) => {
    while (performance.now() < deadline) {
      await client.get('/api/public/settings');
      count++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const after = await api.probe('snapshot');
  const cpuMs = ((after.cpu.user + after.cpu.system) - (before.cpu.user + before.cpu.system)) / 1000 / count;
  return { perSecond: count / elapsed, cpuMs };
}

async function runOnServer(label, api, extra = [], database = null) {
  const processes = [api, ...extra];
  const setup = await setUp(api.url);
  // Warm-up long enough for the JIT to have compiled the hot paths of every process (200 instances were not:
  // the PostgreSQL figure then measured compilation), then the floor, on warm code as well.
  const warm = await approvals(setup, WARM_UP.instances, WARM_UP.seconds, 0);
  const floor = await httpFloor(api, setup, 2);
  const before = await probeAll(processes, 'snapshot');
  const backends = database ? (await database.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).map((row) => row.pid) : [];
  const backendCpu = procCpuSeconds(backends);
  if (PROFILE_DIR) await probeAll(processes, 'profile-start');
  const clientBefore = process.cpuUsage();
  const figure = await approvals(setup, INSTANCES, SECONDS, 1_000_000);
  const client = process.cpuUsage(clientBefore);
  const databaseCpu = procCpuSeconds(backends) - backendCpu;
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    await Promise.all(processes.map((p, i) => p.probe('profile-stop', { file: join(PROFILE_DIR, `${label}-${i === 0 ? 'api' : `worker${i}`}.cpuprofile`) })));
  }
  const after = await probeAll(processes, 'snapshot');
  const check = await verify(setup, warm.completed + figure.completed, figure.ids);
  const n = figure.completed;
  const cpuMs = (i) => ((after[i].cpu.user + after[i].cpu.system) - (before[i].cpu.user + before[i].cpu.system)) / 1000 / n;
  const cpuParts = processes.map((_, i) => `${i === 0 ? 'API' : `worker ${i}`} ${cpuMs(i).toFixed(2)}`);
  if (database) cpuParts.push(`PostgreSQL backends ${((databaseCpu * 1000) / n).toFixed(2)}`);
  cpuParts.push(`load generator ${((client.user + client.system) / 1000 / n).toFixed(2)}`);
  const requests = 2 + figure.polls;
  const lines = [
    `  CPU ms per completed instance: ${cpuParts.join(', ')} (the API alone could do at most ${(1000 / cpuMs(0)).toFixed(0)}/s on one core)`,
    `  HTTP floor: GET /api/public/settings, signed in, ${floor.perSecond.toFixed(0)} req/s at ${floor.cpuMs.toFixed(2)} API CPU ms each; the ${requests.toFixed(1)} requests of an instance cost ≥ ${(requests * floor.cpuMs).toFixed(1)} ms before any engine work (≤ ${(1000 / (requests * floor.cpuMs)).toFixed(0)} inst/s; with one poll ≤ ${(1000 / (3 * floor.cpuMs)).toFixed(0)})`,
  ];
  processes.forEach((_, i) => lines.push(...sqlLines(i === 0 ? 'API process' : `worker ${i}`, sqlDelta(before[i], after[i]), n)));
  lines.push(`  ${figure.polls.toFixed(2)} inbox polls per instance (the live stream announced the rest); the task was announced or found ${figure.taskWait.toFixed(1)} ms (p50) after the start answered`);
  if (check.problems.length > 0) lines.push(`  VERIFY FAILED: ${check.problems.join('; ')}`);
  const serverCpuMs = processes.reduce((sum, _, i) => sum + cpuMs(i), 0) + (databaseCpu * 1000) / n;
  return { figure, setup, lines, serverCpuMs, verified: check.problems.length === 0 };
}

async function sqlitePhase() {
  const api = await startApi({ OPSFLOW_ADMIN_EMAIL: ADMIN.email, OPSFLOW_ADMIN_PASSWORD: ADMIN.password });
  try {
    const result = await runOnServer('sqlite', api);
    const memoryBefore = (await api.probe('snapshot')).memory;
    const tablesBefore = sqliteTableBytes(api.sqlitePath);
    const fileBefore = fileBytes(api.sqlitePath);
    await fillWaiting(result.setup, WAITING);
    const memoryAfter = (await api.probe('snapshot')).memory;
    const tablesAfter = sqliteTableBytes(api.sqlitePath);
    const storage = storageLines('SQLite', tablesBefore, tablesAfter, WAITING, memoryBefore, memoryAfter);
    storage.lines.push(`    SQLite files (main + WAL) grew ${((fileBytes(api.sqlitePath) - fileBefore) / WAITING).toFixed(0)} B per waiting instance`);
    result.setup.close();
    return { ...result, storage };
  } finally {
    await api.stop();
  }
}

function fileBytes(path) {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(path + suffix).size;
    } catch {
      /* no WAL right now */
    }
  }
  return bytes;
}

async function postgresPhase() {
  if (PG_URL === 'off') return { skipped: 'BENCH_ENGINE_PG=off' };
  const prefix = `opsflow-bench-engine-${randomUUID().slice(0, 8)}`;
  const redis = await redisWithPrefix(REDIS_URL, prefix);
  if (redis.skipped) return { skipped: redis.skipped };
  const database = await freshPostgres(PG_URL);
  if (database.skipped) {
    await redis.cleanup();
    return { skipped: database.skipped };
  }
  const env = {
    DATABASE_URL: database.databaseUrl, REDIS_URL, OPSFLOW_QUEUE_PREFIX: prefix, OPSFLOW_SESSION_SECRET: randomUUID() + randomUUID(),
    OPSFLOW_ADMIN_EMAIL: ADMIN.email, OPSFLOW_ADMIN_PASSWORD: ADMIN.password,
  };
  let api;
  const workers = [];
  try {
    api = await startApi(env);
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker({ ...env, DATA_DIR: api.dataDir }));
    const result = await runOnServer('postgres', api, workers, database);
    const memoryBefore = (await api.probe('snapshot')).memory;
    const tablesBefore = await postgresTableBytes(database);
    await fillWaiting(result.setup, WAITING);
    await database.query('CHECKPOINT').catch(() => undefined);
    const memoryAfter = (await api.probe('snapshot')).memory;
    const tablesAfter = await postgresTableBytes(database);
    result.setup.close();
    return { ...result, storage: storageLines('PostgreSQL', tablesBefore, tablesAfter, WAITING, memoryBefore, memoryAfter) };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.stop();
    await database.drop();
    await redis.cleanup();
  }
}

function line(name, figure, extra) {
  return `${name.padEnd(50)} ${figure.perSecond.toFixed(0).padStart(6)} inst/s  p50 ${figure.p50.toFixed(1).padStart(6)} ms  p99 ${figure.p99.toFixed(1).padStart(7)} ms  ${figure.failures ? `${figure.failures} FAILED  ` : ''}${extra}`;
}

const SKIPPED = { skipped: 'not in BENCH_ENGINE_PHASES' };

/** Runs a phase when BENCH_ENGINE_PHASES names it; notes how long it took. */
async function phase(name, timings, work) {
  if (!PHASES.has(name)) return SKIPPED;
  const started = performance.now();
  try {
    return await work();
  } catch (error) {
    console.error(`engine bench, ${name}: ${error.stack}`);
    return { skipped: `failed: ${error.message.split('\n')[0]}` };
  } finally {
    timings.push(`${name} ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

export async function run() {
  const started = performance.now();
  const load = loadavg()[0].toFixed(1);
  const timings = [];
  const baseline = await phase('baseline', timings, bpmnEngineBaseline);
  const feel = await phase('feel', timings, feelFigures);
  const inproc = await phase('inproc', timings, engineOnly);
  const sqlite = await phase('sqlite', timings, sqlitePhase);
  const postgres = await phase('postgres', timings, postgresPhase);

  const ratioOf = (figure) => (baseline.skipped ? NaN : figure.perSecond / baseline.perSecond);
  // The CPU ratio (bpmn-engine's CPU per instance / the server side's) depends much less on what else the machine runs.
  const ratio = (figure, cpuMs) => `ratio ${ratioOf(figure).toFixed(1)} (goal ≥ ${GOAL.ratio}: ${met(ratioOf(figure) >= GOAL.ratio)}; CPU ratio ${(baseline.cpuMsPerInstance / cpuMs).toFixed(1)})`;
  console.log(`\nProcess engine: reference approval (start → service task → FEEL gateway → user task completed through the API → end)`);
  console.log(`Each figure: up to ${INSTANCES} instances or ${SECONDS} s after a warm-up, ${CLIENTS} clients, each an approver who starts an instance, hears of`);
  console.log(`its task on its live stream (GET /api/live; it polls GET /api/tasks?scope=mine only if the stream is silent for ${LIVE_PATIENCE_MS / 1000} s) and completes it. ${cpus().length} cores, load average ${load} at start. ratio = figure / baseline;`);
  console.log(`CPU ratio = bpmn-engine's CPU ms per instance / the server side's (API, workers, PostgreSQL backends; not the load generator)`);
  for (const [name, result] of Object.entries({ baseline, feel, inproc, sqlite })) {
    if (result.skipped && result !== SKIPPED) console.log(`${name}: ${result.skipped}`);
  }
  if (!baseline.skipped) {
    console.log(line('baseline: bpmn-engine 25 in memory (no DB, no HTTP)', baseline, `ratio 1.0   (${baseline.completed} instances, ${baseline.cpuMsPerInstance.toFixed(2)} CPU ms each)`));
  }
  if (!sqlite.skipped) {
    console.log(line('SQLite + inline jobs, over HTTP', sqlite.figure, `${ratio(sqlite.figure, sqlite.serverCpuMs)}; goal ≥ ${GOAL.sqlite}/s: ${met(sqlite.figure.perSecond >= GOAL.sqlite && sqlite.verified)}`));
    for (const text of sqlite.lines) console.log(text);
  }
  if (postgres.skipped) {
    console.log(`PostgreSQL + BullMQ: skipped (${postgres.skipped})`);
  } else {
    console.log(line(`PostgreSQL + BullMQ (API + ${WORKERS} workers), over HTTP`, postgres.figure, `${ratio(postgres.figure, postgres.serverCpuMs)}; goal ≥ ${GOAL.postgres}/s: ${met(postgres.figure.perSecond >= GOAL.postgres && postgres.verified)}`));
    for (const text of postgres.lines) console.log(text);
  }
  if (!inproc.skipped) {
    console.log(line('diagnostic: SQLite + inline, EngineService in-process', inproc, `ratio ${ratioOf(inproc).toFixed(1)} (CPU ratio ${(baseline.cpuMsPerInstance / inproc.cpuMsPerInstance).toFixed(1)}; no HTTP, auth, audit or inbox polls; ${inproc.cpuMsPerInstance.toFixed(2)} CPU ms each)`));
  }

  if (!feel.skipped) {
    console.log(`\nFEEL \`amount > 10000\` against an instance's variables (evaluations per CPU second; ratio = figure / baseline)`);
    console.log(`${'baseline: feelin evaluate() per call, whole context'.padEnd(50)} ${feel.uncached.toFixed(0).padStart(9)} evals/s  ratio 1.00`);
    console.log(`${'FeelExpression (compiled once + memo), same input'.padEnd(50)} ${feel.same.toFixed(0).padStart(9)} evals/s  ratio ${(feel.same / feel.uncached).toFixed(2)}`);
    console.log(`${'FeelExpression, 4,096 distinct inputs (memo misses)'.padEnd(50)} ${feel.distinct.toFixed(0).padStart(9)} evals/s  ratio ${(feel.distinct / feel.uncached).toFixed(2)}`);
  }

  const variableBytes = Buffer.byteLength(JSON.stringify({ ...approvalVariables(5_000_000, randomUUID()), checked: true }));
  console.log(`\nStorage and memory per instance waiting at the user task (${WAITING} waiting, started through the API after the runs above; ${variableBytes} B of variables as JSON)`);
  if (!baseline.skipped) {
    console.log(`  baseline: bpmn-engine holds ${kb(baseline.heapPerWaiting)} of heap per waiting instance (${BASELINE_WAITING} held, after GC); its getState() JSON is ${kb(baseline.statePerWaiting)}`);
  }
  if (!sqlite.skipped) for (const text of sqlite.storage.lines) console.log(text);
  if (!postgres.skipped) for (const text of postgres.storage.lines) console.log(text);
  if (!baseline.skipped) {
    const ratios = [['SQLite', sqlite], ['PostgreSQL', postgres]].filter(([, result]) => !result.skipped)
      .map(([name, result]) => `${name} ${(result.storage.state / baseline.statePerWaiting).toFixed(2)}× its saved state, 1/${(baseline.heapPerWaiting / result.storage.state).toFixed(0)} of its heap`);
    if (ratios.length > 0) console.log(`  engine state per waiting instance against bpmn-engine's: ${ratios.join('; ')}`);
  }
  console.log(`(engine bench took ${((performance.now() - started) / 1000).toFixed(0)} s: ${timings.join(', ')})`);
}
