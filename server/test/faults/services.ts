import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

/**
 * The real processes a fault test runs: a private redis-server (so restarting it disturbs nobody
 * else's Redis), the built API (`dist/main.js`) and workers (`dist/worker.js`), each a child
 * process with its own log file.
 */

export const SERVER_DIR = resolve(new URL('.', import.meta.url).pathname, '../..');
/** The built server the processes run: server/dist, or OPSFLOW_FAULTS_DIST (another build, say with a fix to try). */
const DIST = resolve(process.env.OPSFLOW_FAULTS_DIST ?? join(SERVER_DIR, 'dist'));
export const DIST_MAIN = join(DIST, 'main.js');
export const DIST_WORKER = join(DIST, 'worker.js');

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check` until it answers a value other than undefined/false; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(everyMs);
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** A child process whose end can be awaited. */
export class Child {
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(readonly name: string, readonly process: ChildProcess, readonly logFile: string) {
    this.exited = new Promise((done) => {
      process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        done(this.exitCode);
      });
    });
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.process.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** `kill -9`: no shutdown hook, no lock released, sockets reset by the kernel. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the process's own shutdown), then SIGKILL when it takes longer than `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function spawnLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Child {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: SERVER_DIR, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return new Child(name, child, logFile);
}

/** A redis-server of this test alone on a free port, keeping nothing on disk: a restart starts empty, like CI's. */
export class PrivateRedis {
  private child: Child | undefined;
  private starts = 0;

  private constructor(readonly port: number, private readonly dir: string) {}

  static async start(dir: string): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), dir);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const binary = process.env.OPSFLOW_FAULTS_REDIS_SERVER ?? 'redis-server';
    this.child = spawnLogged(`redis#${++this.starts}`, binary, [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no',
    ], { PATH: process.env.PATH ?? '/usr/bin:/bin' }, join(this.dir, 'redis.log'));
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await waitFor(`redis-server on port ${this.port}`, async () => {
        if (!this.child?.running) throw new Error(`redis-server exited: ${this.child?.log() ?? ''}`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      }, 15_000, 100);
    } finally {
      probe.disconnect();
    }
  }

  /** The whole server dies at once (no save): every queued, delayed and running job in Redis is lost. */
  async crash(): Promise<void> {
    await this.child?.kill9();
  }

  async stop(): Promise<void> {
    await this.child?.stop(5_000);
  }
}

export interface ApiProcess {
  child: Child;
  url: string;
}

/** Starts API and worker processes from the built server with one shared environment. */
export class ProcessSet {
  readonly children: Child[] = [];
  private counter = 0;

  constructor(private readonly env: Record<string, string>, private readonly logDir: string) {
    for (const file of [DIST_MAIN, DIST_WORKER]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build -w @opsflow/server" first (npm run test:faults does)`);
    }
  }

  private environment(extra: Record<string, string>): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    for (const key of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) if (process.env[key] !== undefined) base[key] = process.env[key];
    return { ...base, ...this.env, ...extra };
  }

  async startApi(name = `api-${++this.counter}`): Promise<ApiProcess> {
    const port = await freePort();
    const child = spawnLogged(name, process.execPath, [DIST_MAIN], this.environment({ PORT: String(port), HOST: '127.0.0.1' }), join(this.logDir, `${name}.log`));
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${name} to answer /api/health`, async () => {
      if (!child.running) throw new Error(`${name} exited:\n${child.log()}`);
      try {
        const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
        return response.status === 200;
      } catch {
        return false;
      }
    }, 60_000, 150);
    return { child, url };
  }

  async startWorker(name = `worker-${++this.counter}`): Promise<Child> {
    const child = spawnLogged(name, process.execPath, [DIST_WORKER], this.environment({}), join(this.logDir, `${name}.log`));
    this.children.push(child);
    await waitFor(`${name} to consume`, () => {
      if (!child.running) throw new Error(`${name} exited:\n${child.log()}`);
      return child.log().includes('Consuming queues');
    }, 60_000, 100);
    return child;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((child) => child.stop()));
  }

  /** The tail of every log, for a failing test's message. */
  logs(lines = 40): string {
    return this.children.map((child) => `--- ${child.name} (pid ${child.process.pid}, ${child.running ? 'running' : 'exited'})\n${child.log().split('\n').slice(-lines).join('\n')}`).join('\n');
  }
}

/**
 * Which of `pids` owns the local TCP port `localPort` connected to `remotePort` on this machine
 * (reads /proc/net/tcp* and the processes' fd links; Linux only). Tells which worker process a
 * request the probe received came from.
 */
export function pidOfConnection(localPort: number, remotePort: number, pids: number[]): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      const local = parseInt(columns[1].split(':').pop() ?? '', 16);
      const remote = parseInt(columns[2].split(':').pop() ?? '', 16);
      if (local === localPort && remote === remotePort) inodes.add(columns[9]);
    }
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1])) return pid;
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}
