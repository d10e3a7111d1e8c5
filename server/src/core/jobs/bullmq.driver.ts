import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Clock, type DeliveredJob, type FailedJob, type JobDriver, type JobPayload, type JobState, QueueName, systemClock } from './job.types.js';

interface StoredJob {
  id: string;
  payload: JobPayload;
}

export interface BullMqDriverOptions {
  redisUrl: string;
  /** Key prefix in Redis; lets several Opsflow installs (or test runs) share one Redis. */
  prefix?: string;
  /** Jobs each queue's worker runs at the same time. */
  concurrency?: number;
  /** Whether this process consumes (worker processes, tests) or only enqueues (API replicas). */
  consume: boolean;
}

/** BullMQ ids may not contain ":" nor be integers; Opsflow's ids may, so they are encoded. */
export function toBullMqJobId(id: string): string {
  return `op.${encodeURIComponent(id)}`;
}

/**
 * BullMQ on Redis: the API enqueues, worker processes consume; delayed jobs carry timers.
 * BullMQ refuses a second job with the same id while the first is kept, and the runner's
 * `job_done` ledger covers the time after BullMQ removed it.
 */
export class BullMqJobDriver implements JobDriver {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('BullMQ');
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  /** BullMQ leaves connections it was handed open, so the driver closes them itself. */
  private readonly workerConnections: Redis[] = [];
  private readonly prefix: string;

  constructor(private readonly options: BullMqDriverOptions, private readonly clock: Clock = systemClock) {
    this.prefix = options.prefix ?? 'opsflow';
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on('error', (error) => this.logger.error(`Redis: ${error.message}`));
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(queue: QueueName, name: string, payload: JobPayload, options: { jobId: string; runAt: Date; attempts: number; backoffMs: number }): Promise<void> {
    const data: StoredJob = { id: options.jobId, payload };
    await this.queue(queue).add(name, data, {
      jobId: toBullMqJobId(options.jobId),
      delay: Math.max(0, options.runAt.getTime() - this.clock.now().getTime()),
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async start(dispatch: (job: DeliveredJob) => Promise<boolean>, onFinalFailure: (job: FailedJob) => Promise<void>): Promise<void> {
    if (!this.options.consume) return;
    for (const queueName of Object.values(QueueName)) {
      const deliver = (job: Job<StoredJob>): DeliveredJob => ({
        id: job.data.id, queue: queueName, name: job.name, payload: job.data.payload,
        attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1,
      });
      const connection = this.connection.duplicate({ maxRetriesPerRequest: null });
      this.workerConnections.push(connection);
      const worker = new Worker<StoredJob>(queueName, async (job) => {
        await dispatch(deliver(job));
      }, {
        connection,
        prefix: this.prefix,
        concurrency: this.options.concurrency ?? 8,
      });
      worker.on('failed', (job, error) => {
        if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
        onFinalFailure({ ...deliver(job), attempt: job.attemptsMade, error: error.message })
          .catch((listenerError: unknown) => this.logger.error(String(listenerError)));
      });
      worker.on('error', (error) => this.logger.error(`Worker ${queueName}: ${error.message}`));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
    for (const connection of this.workerConnections.splice(0)) connection.disconnect();
    this.connection.disconnect();
  }

  async health(): Promise<'ok' | 'down'> {
    try {
      return (await this.connection.ping()) === 'PONG' ? 'ok' : 'down';
    } catch {
      return 'down';
    }
  }

  async state(queue: QueueName, jobId: string): Promise<JobState> {
    const job = await this.queue(queue).getJob(toBullMqJobId(jobId));
    if (!job) return 'missing';
    const state = await job.getState();
    if (state === 'completed') return 'done';
    if (state === 'failed') return 'failed';
    if (state === 'active') return 'running';
    return state === 'unknown' ? 'missing' : 'pending';
  }

  async pending(): Promise<number> {
    let total = 0;
    for (const queueName of Object.values(QueueName)) {
      const counts = await this.queue(queueName).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      total += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return total;
  }

  /** Removes every Opsflow key under this prefix (test isolation only). */
  async obliterate(): Promise<void> {
    for (const queueName of Object.values(QueueName)) await this.queue(queueName).obliterate({ force: true });
  }
}
