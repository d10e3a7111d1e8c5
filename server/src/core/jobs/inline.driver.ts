import { Logger } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import { JobDone, JobRow } from './job.entity.js';
import { type Clock, type DeliveredJob, type FailedJob, type JobDriver, type JobPayload, QueueName, systemClock } from './job.types.js';

export interface InlineDriverOptions {
  /** How often due jobs are looked for when nothing kicks the loop. */
  pollMs?: number;
  /** Jobs run at the same time. */
  concurrency?: number;
  /** How long a claimed job stays locked before another process may take it over. */
  leaseMs?: number;
  /** Tests drive `tick()` themselves. */
  autoPoll?: boolean;
}

/**
 * Runs jobs in the API process. Jobs live in the `job` table until they succeed, so timers that fall
 * due while the process is down run after the restart, and a claim (`UPDATE ... WHERE status`) lets
 * exactly one process take each job.
 */
export class InlineJobDriver implements JobDriver {
  readonly kind = 'inline' as const;
  private readonly logger = new Logger('InlineJobs');
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly autoPoll: boolean;
  private timer: NodeJS.Timeout | undefined;
  private dispatch: ((job: DeliveredJob) => Promise<void>) | undefined;
  private onFinalFailure: ((job: FailedJob) => Promise<void>) | undefined;
  private running = new Set<Promise<void>>();
  private ticking: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock = systemClock, options: InlineDriverOptions = {}) {
    this.pollMs = options.pollMs ?? 250;
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.autoPoll = options.autoPoll ?? true;
  }

  async enqueue(queue: QueueName, name: string, payload: JobPayload, options: { jobId: string; runAt: Date; attempts: number; backoffMs: number }): Promise<void> {
    if (await this.dataSource.getRepository(JobDone).existsBy({ id: options.jobId })) return;
    const row: JobRow = {
      id: options.jobId, queue, name, tenantId: payload.tenantId, payload: payload as unknown as Record<string, unknown>,
      status: 'pending', attempts: 0, maxAttempts: options.attempts, backoffMs: options.backoffMs,
      runAt: options.runAt, lockedUntil: null, lastError: null, createdAt: this.clock.now(),
    };
    await this.dataSource.createQueryBuilder().insert().into(JobRow).values(row as never).orIgnore().execute();
    this.kick();
  }

  async start(dispatch: (job: DeliveredJob) => Promise<void>, onFinalFailure: (job: FailedJob) => Promise<void>): Promise<void> {
    this.dispatch = dispatch;
    this.onFinalFailure = onFinalFailure;
    this.stopped = false;
    if (this.autoPoll) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  async health(): Promise<'ok' | 'down'> {
    return this.stopped ? 'down' : 'ok';
  }

  async pending(): Promise<number> {
    return this.dataSource.getRepository(JobRow).count({ where: [{ status: 'pending' }, { status: 'running' }] });
  }

  /** Claims and runs the jobs due now; resolves when they have finished. Returns how many ran. */
  async tick(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Waits until no job is due or running (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while ((await this.tick()) > 0 || this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private kick(): void {
    if (!this.stopped && this.autoPoll) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick().catch((error: unknown) => this.logger.error(error instanceof Error ? error.stack : String(error)))
        .finally(() => { if (!this.stopped && !this.timer) this.schedule(this.pollMs); });
    }, delay);
    this.timer.unref();
  }

  private async runDue(): Promise<number> {
    if (this.stopped || !this.dispatch) return 0;
    const now = this.clock.now();
    const free = this.concurrency - this.running.size;
    if (free <= 0) return 0;
    const repo = this.dataSource.getRepository(JobRow);
    const due = await repo.createQueryBuilder('job')
      .where(new Brackets((q) => {
        q.where('job.status = :pending AND job.runAt <= :now', { pending: 'pending', now })
          .orWhere('job.status = :running AND job.lockedUntil <= :now', { running: 'running', now });
      }))
      .orderBy('job.runAt', 'ASC').limit(free).getMany();
    let started = 0;
    for (const job of due) {
      const claimed = await repo.createQueryBuilder().update(JobRow)
        .set({ status: 'running', lockedUntil: new Date(now.getTime() + this.leaseMs), attempts: job.attempts + 1 })
        .where('id = :id AND attempts = :attempts', { id: job.id, attempts: job.attempts })
        .andWhere(new Brackets((q) => {
          q.where('status = :pending', { pending: 'pending' }).orWhere('status = :running AND lockedUntil <= :now', { running: 'running', now });
        }))
        .execute();
      if (claimed.affected !== 1) continue;
      started++;
      const run = this.run({ ...job, attempts: job.attempts + 1 }).finally(() => this.running.delete(run));
      this.running.add(run);
    }
    await Promise.allSettled([...this.running]);
    return started;
  }

  private async run(job: JobRow): Promise<void> {
    const repo = this.dataSource.getRepository(JobRow);
    const delivered: DeliveredJob = {
      id: job.id, queue: job.queue as QueueName, name: job.name, payload: job.payload as unknown as JobPayload,
      attempt: job.attempts, maxAttempts: job.maxAttempts,
    };
    try {
      await this.dispatch!(delivered);
      await repo.delete({ id: job.id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts < job.maxAttempts) {
        const delay = job.backoffMs * 2 ** (job.attempts - 1);
        await repo.update({ id: job.id }, { status: 'pending', lockedUntil: null, lastError: message, runAt: new Date(this.clock.now().getTime() + delay) });
      } else {
        await repo.update({ id: job.id }, { status: 'failed', lockedUntil: null, lastError: message });
        await this.onFinalFailure!({ ...delivered, error: message });
      }
    }
  }

  /** Jobs not yet finished, failed ones included (for tests and the admin view). */
  waiting(): Promise<JobRow[]> {
    return this.dataSource.getRepository(JobRow).find({ order: { runAt: 'ASC' } });
  }
}
