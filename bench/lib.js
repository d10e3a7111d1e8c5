// Shared helpers for the benchmarks: start the built server, run a bounded load, summarise latencies.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts server/dist/main.js on a fresh SQLite data dir; resolves when /api/health answers ok. */
/** Extra node options for the server processes, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p". */
function nodeArgs() {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export async function startServer(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-'));
  const child = spawn(process.execPath, [...nodeArgs(), join(root, 'server/dist/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not answer within 60 s:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    /** The server's data directory (its SQLite file), for benchmarks that seed rows directly. */
    dataDir,
    /** CPU seconds the server process has used (user + system), from /proc; undefined where there is none. */
    cpuSeconds() {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return undefined;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A keep-alive HTTP/1.1 client for load generation. The load runs on the same cores as the server,
 * so its own cost is taken from the figure: measured here, global fetch (undici) spends 350-450 µs
 * of CPU per small POST and node:http 50-100 µs. Answers look like fetch's Response as far as
 * `load` needs (`ok`, `status`, `headers.get`, `text`, `json`, `arrayBuffer`).
 */
export function httpClient(baseUrl, defaultHeaders = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const request = (method, path, { headers = {}, body } = {}) => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const all = { ...defaultHeaders, ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) };
    const req = http.request(`${baseUrl}${path}`, { method, agent, headers: all }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        resolve({
          ok: res.statusCode >= 200 && res.statusCode < 300,
          status: res.statusCode,
          headers: { get: (name) => res.headers[name.toLowerCase()] ?? null },
          text: async () => buffer.toString('utf8'),
          json: async () => JSON.parse(buffer.toString('utf8')),
          arrayBuffer: async () => buffer,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  return {
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    close: () => agent.destroy(),
  };
}

/** Sends `total` requests with `concurrency` in flight; returns throughput and latency percentiles. */
export async function load({ total, concurrency, request }) {
  const latencies = new Float64Array(total);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      const response = await request(i);
      latencies[i] = performance.now() - t0;
      if (!response.ok) failures++;
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const run = { latencies, seconds: (performance.now() - started) / 1000, failures };
  return { ...summary([run]), latencies };
}

/** One figure from several runs of a load: requests over the time they took, percentiles over all latencies. */
export function summary(runs) {
  const all = Float64Array.from(runs.flatMap((run) => [...run.latencies])).sort();
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const pct = (p) => all[Math.min(all.length - 1, Math.floor((p / 100) * all.length))];
  return { perSecond: all.length / seconds, p50: pct(50), p99: pct(99), failures: runs.reduce((sum, run) => sum + run.failures, 0), seconds };
}

/**
 * Runs each of `loads` (name -> { total, request }) in `rounds` alternating turns of total/rounds requests
 * and merges each one's turns: a slow stretch of a noisy machine (or JIT warm-up, or a checkpoint) then
 * falls on every figure alike instead of on whichever ran first. Returns name -> figure; `measure(run)` can
 * wrap each turn and add numeric `cost` fields to its result (CPU counters read around it), summed per name.
 */
export async function alternate(loads, { rounds = 4, concurrency, measure = (run) => run() }) {
  const turns = Object.fromEntries(Object.keys(loads).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, { total, request }] of Object.entries(loads)) {
      const offset = round * Math.floor(total / rounds);
      turns[name].push(await measure(() => load({ total: Math.floor(total / rounds), concurrency, request: (i) => request(offset + i) })));
    }
  }
  const costs = (runs) => {
    const sum = {};
    for (const run of runs) for (const [key, value] of Object.entries(run.cost ?? {})) sum[key] = (sum[key] ?? 0) + value;
    return sum;
  };
  return Object.fromEntries(Object.entries(turns).map(([name, runs]) => [name, { ...summary(runs), cost: costs(runs) }]));
}

export function row(name, figure, baseline) {
  const ratio = figure.perSecond / baseline.perSecond;
  return `${name.padEnd(44)} ${figure.perSecond.toFixed(0).padStart(7)} req/s  p50 ${figure.p50.toFixed(1).padStart(6)} ms  p99 ${figure.p99.toFixed(1).padStart(6)} ms  ${figure.failures ? `${figure.failures} failed  ` : ''}ratio ${ratio.toFixed(2)}`;
}
