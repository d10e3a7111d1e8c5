import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { type JobPayload, QueueName } from '../../core/jobs/job.types.js';
import { OutboxRow } from './engine.entities.js';

/** Rows older than this were left behind by a process that stopped between commit and enqueue. */
const STRANDED_AFTER_MS = 10_000;

/**
 * Hands outbox rows to the job runner (row id = job id, so a second hand-over is a no-op) and
 * deletes them. Commands call it after their commit; `sweep` picks up rows a crash left behind.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly jobs: JobRunner) {}

  async dispatch(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) {
      await this.jobs.enqueue({ queue: row.queue as QueueName, name: row.name }, row.payload as unknown as JobPayload, {
        jobId: row.id, runAt: row.runAt, attempts: row.attempts, backoffMs: row.backoffMs,
      });
    }
    await this.dataSource.getRepository(OutboxRow).delete({ id: In(rows.map((row) => row.id)) });
  }

  /** Sends stranded rows; returns how many. */
  async sweep(now: Date): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxRow).find({
      where: { createdAt: LessThan(new Date(now.getTime() - STRANDED_AFTER_MS)) }, order: { createdAt: 'ASC' }, take: 500,
    });
    if (rows.length > 0) this.logger.warn(`Sending ${rows.length} stranded engine job(s)`);
    await this.dispatch(rows);
    return rows.length;
  }
}
