// Where a server process spends its time, from a .cpuprofile written by the engine bench
// (BENCH_ENGINE_PROFILE=<dir>):   node bench/engine-profile.js <file.cpuprofile> [top]
// Prints self time per layer (HTTP stack, TypeORM, the SQLite/pg driver, engine, jobs, ...) and the
// functions with the most self time. Native and Node-internal frames count toward the nearest package or
// dist/ frame that called them (a socket write of a pg query counts as pg), except better-sqlite3's statement
// calls, which count as "SQLite". The profiler samples wall time: on a machine short of cores, a syscall that
// wakes another process (writev to a socket) also collects the time this process waited for a core.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LAYERS = [
  ['engine: interpreter, model, store, commands', /\/dist\/modules\/(engine|processes)\//],
  ['FEEL (FeelExpression, feelin, lezer)', /\/dist\/core\/feel\/|node_modules\/(feelin|lezer-feel|@lezer)\//],
  ['jobs (runner, drivers, BullMQ, ioredis)', /\/dist\/core\/jobs\/|node_modules\/(bullmq|ioredis|@ioredis|cluster-key-slot|msgpackr)\//],
  ['database glue (dist/core/database)', /\/dist\/core\/database\//],
  ['TypeORM', /node_modules\/typeorm\//],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//],
  ['SQLite (better-sqlite3)', /node_modules\/better-sqlite3\//],
  ['app services (tasks, audit, auth, org, ...)', /\/dist\/(modules|core\/auth|core\/tenancy)\//],
  ['HTTP: Nest, Fastify, plugins, validation', /node_modules\/(@nestjs|fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|toad-cache|abstract-logging|pino|pino-std-serializers|process-warning|rfdc|helmet|cookie|send|class-validator|class-transformer|finalhandler|on-finished|type-is|content-type|qs|iconv-lite|path-to-regexp|depd|statuses|mime|etag|fresh|vary|accepts|negotiator|parseurl|encodeurl|escape-html|proxy-addr|forwarded|ipaddr\.js|reflect-metadata|rxjs|@nestjs\/swagger)\/|\/dist\/(app\.factory|core\/http|core\/errors)/],
  ['bench probe (SQL counting: measurement overhead)', /\/bench\/engine-probe\.js/],
  ['node runtime (sockets, promises, async hooks, timers)', /^node:/],
];

const sourceLines = new Map();
function lineText(url, line) {
  if (!url.startsWith('file://')) return '';
  if (!sourceLines.has(url)) {
    try {
      sourceLines.set(url, readFileSync(fileURLToPath(url), 'utf8').split('\n'));
    } catch {
      sourceLines.set(url, []);
    }
  }
  return sourceLines.get(url)[line - 1] ?? '';
}

export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
    total += dt;
  });

  const layers = new Map();
  const functions = new Map();
  const add = (map, key, dt) => map.set(key, (map.get(key) ?? 0) + dt);
  for (const [id, dt] of selfTime) {
    const node = byId.get(id);
    const frame = node.callFrame;
    const label = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
    add(functions, label, dt);
    if (['(garbage collector)', '(idle)', '(program)'].includes(frame.functionName)) {
      add(layers, frame.functionName === '(garbage collector)' ? 'garbage collector' : frame.functionName === '(idle)' ? 'idle' : 'V8 / native (program)', dt);
      continue;
    }
    // The frame that called native code; better-sqlite3 statement calls show inside TypeORM's query runner.
    let owner = node;
    while (owner && (!owner.callFrame.url || owner.callFrame.url.startsWith('node:'))) owner = byId.get(parent.get(owner.id));
    if (!owner) {
      owner = node;
      while (owner && !owner.callFrame.url) owner = byId.get(parent.get(owner.id));
    }
    const url = owner?.callFrame.url ?? '';
    if (url.includes('BetterSqlite3QueryRunner')) {
      const ticks = owner === node ? node.positionTicks ?? [] : [];
      const native = owner !== node;
      const sqliteTicks = ticks.filter((tick) => /stmt\.(run|all|get|iterate)\(/.test(lineText(url, tick.line))).reduce((sum, tick) => sum + tick.ticks, 0);
      const allTicks = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
      const share = native ? 1 : allTicks ? sqliteTicks / allTicks : 0;
      add(layers, 'SQLite (better-sqlite3)', dt * share);
      add(layers, 'TypeORM', dt * (1 - share));
      continue;
    }
    const layer = LAYERS.find(([, pattern]) => pattern.test(url))?.[0] ?? (url ? 'other' : 'V8 / native (program)');
    add(layers, layer, dt);
  }
  const lines = [`  CPU profile: ${(total / 1e6).toFixed(1)} s sampled`];
  for (const [layer, dt] of [...layers].sort((a, b) => b[1] - a[1])) lines.push(`    ${(100 * dt / total).toFixed(1).padStart(5)}%  ${layer}`);
  lines.push('  functions with the most self time:');
  for (const [label, dt] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${(100 * dt / total).toFixed(1).padStart(5)}%  ${label}`);
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  for (const line of summarise(profile, Number(process.argv[3] ?? 25))) console.log(line);
}
