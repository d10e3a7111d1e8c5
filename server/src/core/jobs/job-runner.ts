import { Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RequestContext, systemActor } from '../tenancy/request-context.js';
import { RowStatements } from '../database/row-statements.js';
import { JobDone } from './job.entity.js';
import {
  type Clock, type DeliveredJob, type EnqueueOptions, type FailedJob, type JobDefinition, type JobDriver, type JobHandler, type JobPayload, systemClock,
} from './job.types.js';

type FailureListener = (job: FailedJob) => Promise<void> | void;

/** Writes of a registration that belong with "done" (the engine's outbox row), in the transaction given. */
type DoneWriter = (manager: EntityManager, jobId: string) => Promise<void>;

interface Registration {
  handler: JobHandler<JobPayload>;
  done?: DoneWriter;
}

/**
 * The job-runner port modules use: register typed handlers, enqueue typed payloads.
 * A finished job id is written to `job_done`, so a duplicate enqueue or a redelivery runs nothing.
 */
export class JobRunner {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Registration>();
  private readonly failureListeners: FailureListener[] = [];
  private started = false;
  private readonly ledger: RowStatements<JobDone>;

  constructor(
    readonly driver: JobDriver,
    private readonly dataSource: DataSource,
    private readonly clock: Clock = systemClock,
  ) {
    this.ledger = new RowStatements(dataSource, JobDone);
  }

  /** `options.done` writes what else records the job as done: with its ledger entry, wherever that is written. */
  register<P extends JobPayload>(definition: JobDefinition<P>, handler: JobHandler<P>, options: { done?: DoneWriter } = {}): void {
    const key = `${definition.queue}/${definition.name}`;
    if (this.handlers.has(key)) throw new Error(`A handler for ${key} is already registered`);
    this.handlers.set(key, { handler: handler as JobHandler<JobPayload>, done: options.done });
  }

  /** Called after the last try of a job failed (incidents, alerts). */
  onFinalFailure(listener: FailureListener): void {
    this.failureListeners.push(listener);
  }

  async enqueue<P extends JobPayload>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions): Promise<void> {
    if (!payload.tenantId) throw new Error('A job payload needs its tenantId');
    if (!options.jobId) throw new Error('A job needs an id derived from its command');
    await this.driver.enqueue(definition.queue, definition.name, payload, {
      jobId: options.jobId,
      runAt: options.runAt ?? this.clock.now(),
      attempts: Math.max(1, options.attempts ?? 1),
      backoffMs: Math.max(0, options.backoffMs ?? 1000),
    });
  }

  /** Whether this process runs jobs (workers; the API process with the inline driver). */
  get consuming(): boolean {
    return this.started;
  }

  /** Starts consuming queues: in the worker process for BullMQ, in the API process for the inline driver. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.driver.start((job) => this.dispatch(job), (job) => this.finalFailure(job));
  }

  async stop(): Promise<void> {
    await this.driver.stop();
    this.started = false;
  }

  /**
   * Runs one delivered job in its tenant's context, once per job id. Answers whether the handler settled it in
   * its own transaction (JobContext.settle); if it did not, the ledger entry is written here, after the handler.
   */
  async dispatch(job: DeliveredJob): Promise<boolean> {
    const registration = this.handlers.get(`${job.queue}/${job.name}`);
    if (!registration) throw new Error(`No handler is registered for ${job.queue}/${job.name}`);
    const { handler, done } = registration;
    const manager = this.dataSource.manager;
    if ((await this.ledger.select(manager, '"id" = ?', [job.id])).length > 0) return false;
    const entry = () => [{ id: job.id, queue: job.queue, tenantId: job.payload.tenantId, doneAt: this.clock.now() }];
    // Set by a transaction that may still roll back: then the job stays (or runs again later), which its ledger makes harmless.
    let settled = false;
    const settle = async (transaction: EntityManager): Promise<void> => {
      await this.ledger.insert(transaction, entry(), { ignoreDuplicates: true });
      await this.driver.transactional?.remove(transaction, job.id);
      await done?.(transaction, job.id);
      settled = true;
    };
    await RequestContext.runAs(systemActor(job.payload.tenantId), () =>
      handler(job.payload, { jobId: job.id, queue: job.queue, name: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts, settle }),
    );
    if (!settled) {
      await done?.(manager, job.id);
      await this.ledger.insert(manager, entry(), { ignoreDuplicates: true });
    }
    return settled;
  }

  /**
   * Runs the final-failure listeners again for a job the queue holds as failed: when they failed the
   * first time (a database error, a worker that died at that moment), nothing else would ever retry them.
   */
  replayFinalFailure(job: FailedJob): Promise<void> {
    return this.finalFailure(job);
  }

  private async finalFailure(job: FailedJob): Promise<void> {
    this.logger.warn(`Job ${job.queue}/${job.name} ${job.id} failed after ${job.attempt} tries: ${job.error}`);
    for (const listener of this.failureListeners) await listener(job);
  }
}
