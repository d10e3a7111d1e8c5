import { Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RowStatements } from '../database/row-statements.js';
import { JobDone, JobRow } from './job.entity.js';
import { type Clock, type DeliveredJob, type FailedJob, type JobDriver, type JobPayload, type JobState, QueueName, type QueuedJob, systemClock } from './job.types.js';

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
  private dispatch: ((job: DeliveredJob) => Promise<boolean>) | undefined;
  private onFinalFailure: ((job: FailedJob) => Promise<void>) | undefined;
  private running = new Set<Promise<void>>();
  private ticking: Promise<number> | undefined;
  /** Work arrived while a tick was running: look again right after it instead of after pollMs. */
  private kicked = false;
  private stopped = true;

  private readonly jobs: RowStatements<JobRow>;
  private readonly ledger: RowStatements<JobDone>;

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock = systemClock, options: InlineDriverOptions = {}) {
    this.jobs = new RowStatements(dataSource, JobRow);
    this.ledger = new RowStatements(dataSource, JobDone);
    this.pollMs = options.pollMs ?? 250;
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.autoPoll = options.autoPoll ?? true;
  }

  async enqueue(queue: QueueName, name: string, payload: JobPayload, options: QueuedJob['options']): Promise<void> {
    const manager = this.dataSource.manager;
    if ((await this.ledger.select(manager, '"id" = ?', [options.jobId])).length > 0) return;
    await this.jobs.insert(manager, [this.rowOf({ queue, name, payload, options })], { ignoreDuplicates: true });
    this.kick();
  }

  /** Jobs written with the change that made them; a job id written twice is one job, and a finished one runs nothing again (the runner's ledger). */
  readonly transactional = {
    write: (manager: EntityManager, jobs: readonly QueuedJob[]) => this.jobs.insert(manager, jobs.map((job) => this.rowOf(job)), { ignoreDuplicates: true }),
    wake: () => this.kick(),
    remove: async (manager: EntityManager, jobId: string) => {
      await this.jobs.delete(manager, '"id" = ?', [jobId]);
    },
  };

  private rowOf({ queue, name, payload, options }: QueuedJob): JobRow {
    return {
      id: options.jobId, queue, name, tenantId: payload.tenantId, payload: payload as unknown as Record<string, unknown>,
      status: 'pending', attempts: 0, maxAttempts: options.attempts, backoffMs: options.backoffMs,
      runAt: options.runAt, lockedUntil: null, lastError: null, createdAt: this.clock.now(),
    };
  }

  async start(dispatch: (job: DeliveredJob) => Promise<boolean>, onFinalFailure: (job: FailedJob) => Promise<void>): Promise<void> {
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

  async state(_queue: QueueName, jobId: string): Promise<JobState> {
    const manager = this.dataSource.manager;
    const [row] = await this.jobs.select(manager, '"id" = ?', [jobId]);
    if (row) return row.status;
    return (await this.ledger.select(manager, '"id" = ?', [jobId])).length > 0 ? 'done' : 'missing';
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
    if (this.stopped || !this.autoPoll) return;
    this.kicked = true;
    if (!this.ticking) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kicked = false;
      this.tick().catch((error: unknown) => this.logger.error(error instanceof Error ? error.stack : String(error)))
        .finally(() => { if (!this.stopped && !this.timer) this.schedule(this.kicked ? 0 : this.pollMs); });
    }, delay);
    this.timer.unref();
  }

  private async runDue(): Promise<number> {
    if (this.stopped || !this.dispatch) return 0;
    const now = this.clock.now();
    const free = this.concurrency - this.running.size;
    if (free <= 0) return 0;
    const manager = this.dataSource.manager;
    const due = await this.jobs.select(manager,
      `("status" = 'pending' AND "runAt" <= ?) OR ("status" = 'running' AND "lockedUntil" <= ?) ORDER BY "runAt" LIMIT ${free}`, [now, now]);
    if (due.length === 0) return 0;
    // One transaction claims them all: on SQLite a write waits for a commit, which one claim at a time would pay per job.
    const claimed = await this.dataSource.transaction(async (m) => {
      const mine: JobRow[] = [];
      for (const job of due) {
        const won = await this.jobs.update(m,
          { status: 'running', lockedUntil: new Date(now.getTime() + this.leaseMs), attempts: job.attempts + 1 },
          `"id" = ? AND "attempts" = ? AND ("status" = 'pending' OR ("status" = 'running' AND "lockedUntil" <= ?))`, [job.id, job.attempts, now]);
        if (won === 1) mine.push(job);
      }
      return mine;
    });
    let started = 0;
    for (const job of claimed) {
      started++;
      // A finished job frees a slot: look for more work at once rather than at the next poll.
      const run = this.run({ ...job, attempts: job.attempts + 1 }).finally(() => {
        this.running.delete(run);
        this.kick();
      });
      this.running.add(run);
    }
    return started;
  }

  private async run(job: JobRow): Promise<void> {
    const manager = this.dataSource.manager;
    const delivered: DeliveredJob = {
      id: job.id, queue: job.queue as QueueName, name: job.name, payload: job.payload as unknown as JobPayload,
      attempt: job.attempts, maxAttempts: job.maxAttempts,
    };
    try {
      if (!(await this.dispatch!(delivered))) await this.jobs.delete(manager, '"id" = ?', [job.id]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts < job.maxAttempts) {
        const delay = job.backoffMs * 2 ** (job.attempts - 1);
        await this.jobs.update(manager, { status: 'pending', lockedUntil: null, lastError: message, runAt: new Date(this.clock.now().getTime() + delay) }, '"id" = ?', [job.id]);
      } else {
        await this.jobs.update(manager, { status: 'failed', lockedUntil: null, lastError: message }, '"id" = ?', [job.id]);
        await this.onFinalFailure!({ ...delivered, error: message });
      }
    }
  }

  /** Jobs not yet finished, failed ones included (for tests and the admin view). */
  waiting(): Promise<JobRow[]> {
    return this.dataSource.getRepository(JobRow).find({ order: { runAt: 'ASC' } });
  }
}
