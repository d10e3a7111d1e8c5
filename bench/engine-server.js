// Server processes for the engine bench: the API (server/dist/main.js) and queue workers (server/dist/worker.js),
// each with engine-probe.js preloaded (memory after GC, SQL statement counts, CPU profiles on request),
// plus a fresh PostgreSQL database and Redis key cleanup for the PostgreSQL + BullMQ phase.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, root } from './lib.js';
import { serverRequire } from './engine-reference.js';

const PROBE = join(root, 'bench/engine-probe.js');

function spawnNode(script, env, onLine) {
  const child = spawn(process.execPath, ['--expose-gc', '--import', PROBE, join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let log = '';
  const collect = (chunk) => {
    log += chunk;
    if (log.length > 200_000) log = log.slice(-100_000);
    onLine?.(String(chunk));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const pending = new Map();
  child.on('message', (message) => {
    if (!message?.probe) return;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  let seq = 0;
  return {
    child,
    log: () => log,
    /** Sends a probe command (`snapshot`, `profile-start`, `profile-stop`); resolves with the answer. */
    probe(command, extra = {}) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`probe ${command} got no answer`)), 60_000);
        pending.set(id, (answer) => {
          clearTimeout(timer);
          if (answer.error) reject(new Error(answer.error));
          else resolve(answer);
        });
        child.send({ probe: true, id, command, ...extra });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Starts the API on a fresh DATA_DIR (SQLite unless env has DATABASE_URL); resolves when /api/health answers ok. */
export async function startApi(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-engine-'));
  const api = spawnNode('server/dist/main.js', {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '1000000', ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`server exited:\n${api.log()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not answer within 60 s:\n${api.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    ...api,
    url,
    pid: api.child.pid,
    dataDir,
    sqlitePath: join(dataDir, 'opsflow.sqlite'),
    async stop() {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts `node server/dist/worker.js` (env as the API's, DATA_DIR included); resolves once it consumes its queues. */
export async function startWorker(env) {
  let ready;
  const consuming = new Promise((resolve) => (ready = resolve));
  const worker = spawnNode('server/dist/worker.js', env, (text) => {
    if (text.includes('Consuming queues')) ready();
  });
  const deadline = setTimeout(() => ready(new Error(`worker did not start within 60 s:\n${worker.log()}`)), 60_000);
  const exited = new Promise((resolve) => worker.child.once('exit', () => resolve(new Error(`worker exited:\n${worker.log()}`))));
  const outcome = await Promise.race([consuming, exited]);
  clearTimeout(deadline);
  if (outcome instanceof Error) throw outcome;
  return worker;
}

/** A fresh PostgreSQL database next to `adminUrl`'s; null (with the reason) when PostgreSQL does not answer. */
export async function freshPostgres(adminUrl) {
  const { Client } = serverRequire('pg');
  const name = `opsflow_bench_engine_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { skipped: `PostgreSQL at ${adminUrl}: ${error.message}` };
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    databaseUrl,
    /** Runs a query in the fresh database. */
    async query(sql, params = []) {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await client.end();
    },
  };
}

/** Whether Redis answers at `redisUrl`, and a clean-up of every key under `prefix`. */
export async function redisWithPrefix(redisUrl, prefix) {
  const Redis = serverRequire('ioredis').default ?? serverRequire('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  let lastError = null;
  redis.on('error', (error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    return { skipped: `Redis at ${redisUrl}: ${(lastError ?? error).message}` };
  }
  return {
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
