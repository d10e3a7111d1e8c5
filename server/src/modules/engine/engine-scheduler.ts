import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { Periodic } from '../../core/jobs/periodic.js';
import type { Clock } from '../../core/jobs/job.types.js';
import { EngineTimer } from './engine.entities.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { EngineJobs } from './runtime/engine-job-names.js';

const POLL_MS = 1000;
const BATCH = 500;

/**
 * Timers are rows; this due-date checker turns the due ones into jobs (`timer:<id>`, so several
 * processes checking at once enqueue each timer once, and the command marks it fired once). It runs
 * in processes that consume jobs, and also sends outbox rows a crash left behind.
 */
@Injectable()
export class EngineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EngineScheduler');
  private periodic: Periodic | undefined;
  private ticks = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobRunner,
    private readonly outbox: OutboxDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic = new Periodic(this.jobs, POLL_MS, () => this.tick(), this.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  async tick(): Promise<void> {
    await this.enqueueDueTimers();
    if (this.ticks++ % 10 === 0) await this.outbox.sweep(this.clock.now());
  }

  /** Enqueues a job for every timer due now; returns how many. */
  async enqueueDueTimers(): Promise<number> {
    const now = this.clock.now();
    const due = await this.dataSource.getRepository(EngineTimer).find({
      select: { id: true, tenantId: true }, where: { firedAt: IsNull(), dueAt: LessThanOrEqual(now) }, order: { dueAt: 'ASC' }, take: BATCH,
    });
    for (const timer of due) {
      await this.jobs.enqueue(EngineJobs.timerDue, { tenantId: timer.tenantId, timerId: timer.id }, { jobId: `timer:${timer.id}`, attempts: 5, backoffMs: 1000 });
    }
    return due.length;
  }
}
