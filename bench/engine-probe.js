// Preloaded into the server processes the engine bench starts (`node --expose-gc --import ./engine-probe.js ...`,
// spawned with an IPC channel). It counts and times every SQL statement (on PostgreSQL from sending to its answer),
// and answers the bench's messages: `snapshot` (after a full GC: memory and SQL counts so far), `profile-start`,
// `profile-stop` with a file (a .cpuprofile of the process in between). Signals are no use here:
// NestJS's shutdown hooks take SIGUSR2 and the rest.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverRequire = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../server/package.json'));
const statements = new Map();
const normalised = new Map();

function normalise(sql) {
  let key = normalised.get(sql);
  if (key === undefined) {
    key = sql.replace(/\s+/g, ' ').replace(/(\?|\$\d+)(, ?(\?|\$\d+))+/g, '…').slice(0, 160);
    if (normalised.size < 10_000) normalised.set(sql, key);
  }
  return key;
}

function count(prototype) {
  const query = prototype.query;
  prototype.query = async function countedQuery(sql, ...rest) {
    const started = performance.now();
    try {
      return await query.call(this, sql, ...rest);
    } finally {
      const key = normalise(sql);
      const entry = statements.get(key) ?? statements.set(key, { n: 0, ms: 0 }).get(key);
      entry.n++;
      entry.ms += performance.now() - started;
    }
  };
}

// The server's plain statements run on PostgreSQL as named prepared statements straight on the pg client.
try {
  const { Client } = serverRequire('pg');
  const query = Client.prototype.query;
  Client.prototype.query = function countedPrepared(config, ...rest) {
    if (!config || typeof config !== 'object' || !config.name) return query.call(this, config, ...rest);
    const started = performance.now();
    const key = normalise(config.text);
    const done = () => {
      const entry = statements.get(key) ?? statements.set(key, { n: 0, ms: 0 }).get(key);
      entry.n++;
      entry.ms += performance.now() - started;
    };
    const result = query.call(this, config, ...rest);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
} catch {
  /* no pg here */
}

// SQLite: every statement, TypeORM's and the server's own direct ones alike, is a better-sqlite3 statement;
// they run synchronously, so the time counted is the statement's own.
try {
  const Database = serverRequire('better-sqlite3');
  const prepare = Database.prototype.prepare;
  let patched = false;
  Database.prototype.prepare = function countingPrepare(sql, ...rest) {
    const statement = prepare.call(this, sql, ...rest);
    if (patched) return statement;
    patched = true;
    const prototype = Object.getPrototypeOf(statement);
    for (const method of ['run', 'all', 'get']) {
      const original = prototype[method];
      prototype[method] = function countedStatement(...args) {
        const started = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const key = normalise(this.source);
          const entry = statements.get(key) ?? statements.set(key, { n: 0, ms: 0 }).get(key);
          entry.n++;
          entry.ms += performance.now() - started;
        }
      };
    }
    return statement;
  };
} catch {
  /* no better-sqlite3 here */
}

for (const path of ['typeorm/driver/postgres/PostgresQueryRunner.js']) {
  try {
    const runner = Object.values(serverRequire(path)).find((value) => typeof value === 'function' && value.prototype?.query);
    if (runner) count(runner.prototype);
  } catch {
    /* that driver's package is absent: nothing to count there */
  }
}

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

async function answer({ id, command, file }) {
  if (command === 'snapshot') {
    const cpu = process.cpuUsage();
    for (let i = 0; i < 3; i++) global.gc?.();
    return { id, cpu, memory: process.memoryUsage(), sql: Object.fromEntries(statements) };
  }
  if (command === 'profile-start') {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 250 });
    await post('Profiler.start');
    return { id };
  }
  if (command === 'profile-stop') {
    const { profile } = await post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return { id, file };
  }
  return { id, error: `unknown command ${command}` };
}

if (process.send) {
  process.on('message', (message) => {
    if (message?.probe !== true) return;
    answer(message).catch((error) => ({ id: message.id, error: String(error) })).then((result) => process.send({ probe: true, ...result }));
  });
  // The channel must not keep a process alive that is shutting down.
  process.channel?.unref();
}
