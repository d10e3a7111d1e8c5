import type { EntityManager } from 'typeorm';

/** Named queues; every job belongs to one. */
export enum QueueName {
  Engine = 'engine',
  Plugins = 'plugins',
  Timers = 'timers',
  Webhooks = 'webhooks',
  Notifications = 'notifications',
  /** Housekeeping after definition changes (record indexes, ...). */
  Maintenance = 'maintenance',
}

/** Every payload carries its tenant, so the handler runs in that tenant's context. */
export interface JobPayload {
  tenantId: string;
}

/** A typed job kind: the queue it runs on and its name; the payload type rides along as P. */
export interface JobDefinition<P extends JobPayload> {
  readonly queue: QueueName;
  readonly name: string;
  /** Phantom field: carries the payload type, never set. */
  readonly payload?: P;
}

export function defineJob<P extends JobPayload>(queue: QueueName, name: string): JobDefinition<P> {
  return { queue, name };
}

export interface EnqueueOptions {
  /**
   * Derived from the command (for example `complete:<taskId>`): enqueueing the same id twice,
   * or delivering it twice, runs the handler once.
   */
  jobId: string;
  /** Run no earlier than this moment (a timer). */
  runAt?: Date;
  /** Tries in all, including the first. Default 1. */
  attempts?: number;
  /** First retry delay; doubles on each further retry. Default 1000 ms. */
  backoffMs?: number;
}

export interface JobContext {
  jobId: string;
  queue: QueueName;
  name: string;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
  /**
   * Records, in the caller's transaction, that the job has had its effect: its ledger entry and, with the inline
   * driver, the job's own row. A handler whose effect is one transaction calls it there, so that the effect and
   * "done" commit together; when no handler did, the runner records it after the handler.
   */
  settle(manager: EntityManager): Promise<void>;
}

export type JobHandler<P extends JobPayload> = (payload: P, context: JobContext) => Promise<void>;

/** A job as drivers hand it to the runner. */
export interface DeliveredJob {
  id: string;
  queue: QueueName;
  name: string;
  payload: JobPayload;
  attempt: number;
  maxAttempts: number;
}

export interface FailedJob extends DeliveredJob {
  error: string;
}

/** A job as a driver stores it. */
export interface QueuedJob {
  queue: QueueName;
  name: string;
  payload: JobPayload;
  options: Required<Omit<EnqueueOptions, 'runAt'>> & { runAt: Date };
}

/** The two drivers (BullMQ, inline) behind one port. */
export interface JobDriver {
  readonly kind: 'bullmq' | 'inline';
  enqueue(queue: QueueName, name: string, payload: JobPayload, options: QueuedJob['options']): Promise<void>;
  /**
   * Only drivers whose jobs are rows of the application's database (inline): writes the jobs in the caller's
   * transaction, so they exist exactly when the change that made them does. `wake` after the commit.
   */
  readonly transactional?: {
    write(manager: EntityManager, jobs: readonly QueuedJob[]): Promise<void>;
    wake(): void;
    /** Deletes a finished job's row in the caller's transaction (JobContext.settle). */
    remove(manager: EntityManager, jobId: string): Promise<void>;
  };
  /**
   * Starts consuming; `dispatch` runs a delivered job and throws when it failed. It answers true when the
   * handler settled the job in its own transaction (the job's row, if any, is gone already).
   */
  start(dispatch: (job: DeliveredJob) => Promise<boolean>, onFinalFailure: (job: FailedJob) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<'ok' | 'down'>;
  /** Jobs queued, delayed or running (not the failed ones): tests wait for zero, the health view shows it. */
  pending(): Promise<number>;
  /** Where one job stands; `missing` when the queue does not know it (never enqueued, or lost with a Redis that restarted empty). */
  state(queue: QueueName, jobId: string): Promise<JobState>;
}

export type JobState = 'pending' | 'running' | 'failed' | 'done' | 'missing';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
