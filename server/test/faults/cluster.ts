import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../../src/core/config/app-config.js';
import { createDataSource } from '../../src/core/database/data-source.js';
import { toBullMqJobId } from '../../src/core/jobs/bullmq.driver.js';
import { QueueName } from '../../src/core/jobs/job.types.js';
import { UserTask } from '../../src/modules/engine/engine.entities.js';
import { createDatabase } from '../databases.js';
import { ApiClient } from './api-client.js';
import { describeProblems, EngineState, type JudgeOptions, type Standing, type Verdict } from './invariants.js';
import { CHAIN, FRAGILE, TIMED } from './models.js';
import { Probe } from './probe.js';
import { type ApiProcess, type Child, PrivateRedis, ProcessSet, sleep, waitFor } from './services.js';

/** The payload BullMQ carries for an Opsflow job (see BullMqJobDriver). */
export interface StoredJob {
  id: string;
  payload: { tenantId: string } & Record<string, unknown>;
}

/**
 * Everything a fault test runs against: a fresh PostgreSQL database, a private redis-server, two API
 * processes and two worker processes built from this checkout, the probe their service tasks call,
 * and the test's own view of the database and queues.
 */
export class FaultCluster {
  readonly apis: ApiProcess[] = [];
  readonly workers: Child[] = [];
  client!: ApiClient;
  ownerId = '';
  tenantId = '';
  processIds = { chain: '', timed: '', fragile: '' };
  private queues = new Map<QueueName, Queue>();
  private restarts = 0;
  private queueConnection: Redis | undefined;

  private constructor(
    readonly dir: string,
    readonly redis: PrivateRedis,
    readonly probe: Probe,
    readonly state: EngineState,
    readonly processes: ProcessSet,
    readonly prefix: string,
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(): Promise<FaultCluster> {
    const baseUrl = process.env.DATABASE_URL;
    if (!baseUrl?.startsWith('postgres')) throw new Error('The fault tests need PostgreSQL: set DATABASE_URL (npm run test:faults defaults to postgres://postgres@127.0.0.1:5432/test)');
    const dir = mkdtempSync(join(tmpdir(), 'opsflow-faults-'));
    mkdirSync(join(dir, 'data'), { recursive: true });
    const database = await createDatabase(baseUrl);
    const sessionSecret = randomBytes(32).toString('hex');
    // Migrate once here, so that the processes start on a ready schema.
    const migrator = await createDataSource(new AppConfig({ DATA_DIR: join(dir, 'data'), DATABASE_URL: database.url, OPSFLOW_SESSION_SECRET: sessionSecret }));
    await migrator.destroy();
    const [redis, probe, state] = await Promise.all([PrivateRedis.start(dir), Probe.start(), EngineState.connect(database.url)]);
    const prefix = `opsflow-faults-${randomBytes(4).toString('hex')}`;
    const processes = new ProcessSet({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      OPSFLOW_QUEUE_PREFIX: prefix,
      OPSFLOW_SESSION_SECRET: sessionSecret,
      OPSFLOW_SEED_DEMO: 'false',
      OPSFLOW_SIGNUP: 'open',
      OPSFLOW_HTTP_ALLOW_HOSTS: '127.0.0.1',
      OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '100000',
      DATA_DIR: join(dir, 'data'),
    }, dir);
    const cluster = new FaultCluster(dir, redis, probe, state, processes, prefix, database.url, database.drop);
    try {
      const [api1, api2, worker1, worker2] = await Promise.all([
        processes.startApi('api-1'), processes.startApi('api-2'), processes.startWorker('worker-1'), processes.startWorker('worker-2'),
      ]);
      cluster.apis.push(api1, api2);
      cluster.workers.push(worker1, worker2);
      const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
      const signedUp = await ApiClient.signUp(api1.url, 'Fault tests', email, 'correct horse battery');
      cluster.client = signedUp.client;
      cluster.ownerId = signedUp.ownerId;
      cluster.tenantId = signedUp.tenantId;
      cluster.processIds = {
        chain: await cluster.client.deploy(api1.url, 'Chain', CHAIN),
        timed: await cluster.client.deploy(api1.url, 'Timed', TIMED),
        fragile: await cluster.client.deploy(api1.url, 'Fragile', FRAGILE),
      };
    } catch (error) {
      const logs = processes.logs();
      await cluster.close();
      throw new Error(`${String(error)}\n${logs}`);
    }
    return cluster;
  }

  get api(): ApiProcess {
    return this.apis[0];
  }

  /** A queue of the processes under test, seen from the test (its own connection to the private Redis). */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!this.queueConnection) {
        this.queueConnection = new Redis(this.redis.url, { maxRetriesPerRequest: null });
        this.queueConnection.on('error', () => undefined);
      }
      queue = new Queue(name, { connection: this.queueConnection, prefix: this.prefix });
      // While the test's Redis is down on purpose, the queue reconnects quietly.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Enqueues a job the way the API does, under any job id (a duplicate delivery when the payload is another job's). */
  async enqueueRaw(queue: QueueName, name: string, jobId: string, payload: StoredJob['payload']): Promise<string> {
    const data: StoredJob = { id: jobId, payload };
    const bullId = toBullMqJobId(jobId);
    await this.queue(queue).add(name, data, { jobId: bullId, attempts: 1 });
    return bullId;
  }

  /** Jobs waiting, delayed or running in BullMQ, over every queue. */
  async pendingJobs(): Promise<number> {
    let total = 0;
    for (const name of Object.values(QueueName)) {
      const counts = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      total += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return total;
  }

  /** A running API process: the `index`-th of those alive (requests spread over the replicas, and skip a dead one). */
  async liveApi(index = 0): Promise<ApiProcess> {
    return waitFor('a running API process', () => {
      const alive = this.apis.filter((api) => api.child.running);
      return alive.length > 0 ? alive[index % alive.length] : undefined;
    }, 60_000, 100);
  }

  /** Restarts the API and worker processes that died, as a supervisor (systemd, Kubernetes) would; answers their names. */
  async reviveDead(): Promise<string[]> {
    const revived: string[] = [];
    for (const [index, api] of this.apis.entries()) {
      if (api.child.running) continue;
      revived.push(api.child.name);
      this.apis[index] = await this.processes.startApi(`${api.child.name.replace(/\.r\d+$/, '')}.r${++this.restarts}`);
    }
    for (const [index, worker] of this.workers.entries()) {
      if (worker.running) continue;
      revived.push(worker.name);
      this.workers[index] = await this.processes.startWorker(`${worker.name.replace(/\.r\d+$/, '')}.r${++this.restarts}`);
    }
    return revived;
  }

  /**
   * Starts an instance of a fault process with business key `bk` through the `apiIndex`-th API process. A failed
   * try (5xx, a connection cut) is retried on the next replica, and only when no instance with that key exists.
   */
  async startInstance(processId: string, bk: string, apiIndex = 0): Promise<string> {
    const variables = { calls: 0, probeUrl: this.probe.url, bk, initiator: this.ownerId };
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let body: unknown;
      try {
        const api = await this.liveApi(apiIndex + attempt - 1);
        const response = await this.client.request<{ id: string }>(api.url, 'POST', `/api/processes/${processId}/instances`, { variables, businessKey: bk });
        if (response.status === 201) return response.body.id;
        status = response.status;
        body = response.body;
      } catch (error) {
        body = String(error);
      }
      // The command may have committed before the failure (the audit row is written after it): never start twice.
      const existing = await waitFor('the database', () => this.state.instancesByBusinessKey(bk).then((rows) => rows.filter((row) => row.businessKey === bk)), 30_000);
      if (existing.length > 0) return existing[0].id;
      if ((status !== 0 && status < 500) || attempt >= 10) throw new Error(`start of ${bk} refused: ${status} ${JSON.stringify(body)}`);
      await sleep(300 * attempt);
    }
  }

  async startInstances(processId: string, prefix: string, count: number): Promise<string[]> {
    return Promise.all(Array.from({ length: count }, (_, index) => this.startInstance(processId, `${prefix}${String(index).padStart(2, '0')}`, index)));
  }

  /** Completes a user task through the `apiIndex`-th API process; a failed try is retried, and a 409 after a failed try counts when the task is done. */
  async completeTask(taskId: string, apiIndex = 0): Promise<void> {
    let failedBefore = false;
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let body: unknown;
      try {
        const api = await this.liveApi(apiIndex + attempt - 1);
        const response = await this.client.request(api.url, 'POST', `/api/tasks/${taskId}/complete`, { data: { approved: true }, outcome: 'approved' });
        if (response.status === 204) return;
        status = response.status;
        body = response.body;
      } catch (error) {
        body = String(error);
      }
      if (status === 409 && failedBefore) {
        const [task] = await waitFor('the database', () => this.state.dataSource.getRepository(UserTask).findBy({ id: taskId }), 30_000);
        if (task?.status === 'done') return;
      }
      if ((status !== 0 && status < 500) || attempt >= 10) throw new Error(`completing task ${taskId} refused: ${status} ${JSON.stringify(body)}`);
      failedBefore = true;
      await sleep(300 * attempt);
    }
  }

  async completeOpenTasks(instanceIds: string[]): Promise<number> {
    const tasks = await waitFor('the open tasks', () => this.state.openTasks(instanceIds), 30_000);
    await Promise.all(tasks.map((task, index) => this.completeTask(task.id, index)));
    return tasks.length;
  }

  async instanceIds(prefix: string): Promise<string[]> {
    return (await this.state.instancesByBusinessKey(prefix)).map((row) => row.id);
  }

  /** Waits until every instance stands where `accepted` says (re-read until stable), and answers the verdicts. */
  async waitForStanding(instanceIds: string[], accepted: Standing[], timeoutMs = 60_000, options: JudgeOptions = {}): Promise<Verdict[]> {
    let last: Verdict[] = [];
    try {
      return await waitFor(`${instanceIds.length} instance(s) to stand at ${accepted.join('/')}`, async () => {
        last = await this.state.verdicts(instanceIds, { allowPendingJobs: true, counter: 'calls', ...options });
        return last.length === instanceIds.length && last.every((verdict) => accepted.includes(verdict.standing)) ? last : undefined;
      }, timeoutMs, 250);
    } catch (error) {
      const summary = last.map((verdict) => `${verdict.businessKey}: ${verdict.standing} at ${verdict.waitingAt.join(',')} ${verdict.problems.join('; ')}`).join('\n');
      throw new Error(`${String(error)}\n${summary}\n${this.processes.logs(30)}`);
    }
  }

  /** The invariant on settled instances: answers one line per illegal instance (empty when all are legal). */
  async problems(instanceIds: string[]): Promise<string> {
    return describeProblems(await this.state.verdicts(instanceIds, { allowPendingJobs: false, counter: 'calls' }));
  }

  async close(): Promise<void> {
    await this.processes.stopAll();
    for (const queue of this.queues.values()) await queue.close().catch(() => undefined);
    this.queueConnection?.disconnect();
    await this.state.close().catch(() => undefined);
    await this.probe.close();
    await this.redis.stop();
    // OPSFLOW_FAULTS_KEEP=1 keeps the logs, the database and the folder for a look afterwards.
    if (process.env.OPSFLOW_FAULTS_KEEP) {
      console.log(`Fault test logs in ${this.dir}; database ${this.databaseUrl}`);
      return;
    }
    await this.dropDatabase().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
