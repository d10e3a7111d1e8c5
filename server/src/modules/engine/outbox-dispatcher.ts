import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { type JobPayload, QueueName } from '../../core/jobs/job.types.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { JobDone } from '../../core/jobs/job.entity.js';
import { OutboxRow } from './engine.entities.js';

const optionsOf = (row: OutboxRow) => ({ jobId: row.id, runAt: row.runAt, attempts: row.attempts, backoffMs: row.backoffMs });

/** A row still here after this long has had no finished job: handed over again (a no-op if its job is still queued). */
const STRANDED_AFTER_MS = 30_000;

/**
 * Hands outbox rows to the job runner after the command committed. The row id is the job id, so
 * handing a row over twice is a no-op while its job exists, and the row is deleted only when its
 * job has finished (see EngineJobHandlers). `sweep` hands over rows whose job never finished: a
 * process that died between commit and enqueue, or a Redis that restarted empty.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  private readonly rows: RowStatements<OutboxRow>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly jobs: JobRunner) {
    this.rows = new RowStatements(dataSource, OutboxRow);
  }

  /**
   * Writes a command's jobs in its transaction: as outbox rows, or, when the job driver keeps its jobs in
   * this database (inline), as the jobs themselves, which need no outbox. The same id twice is one job.
   */
  async write(manager: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
    const direct = this.jobs.driver.transactional;
    if (direct) await direct.write(manager, unique.map((row) => ({ queue: row.queue as QueueName, name: row.name, payload: row.payload as unknown as JobPayload, options: optionsOf(row) })));
    else await this.rows.insert(manager, unique, { ignoreDuplicates: true });
  }

  /** After the commit: hands the rows to the job runner (or wakes the inline driver, whose jobs are written already). */
  async dispatch(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const direct = this.jobs.driver.transactional;
    if (direct) return direct.wake();
    await this.handOver(rows);
  }

  private async handOver(rows: readonly OutboxRow[]): Promise<void> {
    for (const row of rows) {
      await this.jobs.enqueue({ queue: row.queue as QueueName, name: row.name }, row.payload as unknown as JobPayload, optionsOf(row));
    }
  }

  /** The job of this row finished (or gave up with an incident): nothing left to hand over. In `manager`'s transaction when given. */
  async finished(jobId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (this.jobs.driver.transactional) return;
    await this.rows.delete(manager, '"id" = ?', [jobId]);
  }

  /** Sends stranded rows; returns how many. */
  async sweep(now: Date): Promise<number> {
    let rows = await this.dataSource.getRepository(OutboxRow).find({
      where: { createdAt: LessThan(new Date(now.getTime() - STRANDED_AFTER_MS)) }, order: { createdAt: 'ASC' }, take: 500,
    });
    if (rows.length === 0) return 0;
    // A job that finished but whose row was not deleted (a crash in between) is recorded in job_done.
    const done = await this.dataSource.getRepository(JobDone).find({ select: { id: true }, where: { id: In(rows.map((row) => row.id)) } });
    if (done.length > 0) await this.dataSource.getRepository(OutboxRow).delete({ id: In(done.map((row) => row.id)) });
    const doneIds = new Set(done.map((row) => row.id));
    rows = rows.filter((row) => !doneIds.has(row.id));
    if (rows.length === 0) return 0;
    const lost: OutboxRow[] = [];
    const finished: string[] = [];
    for (const row of rows) {
      const state = await this.jobs.driver.state(row.queue as QueueName, row.id);
      if (state === 'missing') lost.push(row);
      else if (state === 'done') finished.push(row.id);
      else if (state === 'failed') {
        // Gave up, but its final-failure handling (the incident) may never have been written.
        await this.jobs.replayFinalFailure({
          id: row.id, queue: row.queue as QueueName, name: row.name, payload: row.payload as unknown as JobPayload,
          attempt: row.attempts, maxAttempts: row.attempts, error: 'the last try failed',
        });
        finished.push(row.id);
      }
    }
    if (finished.length > 0) await this.dataSource.getRepository(OutboxRow).delete({ id: In(finished) });
    if (lost.length > 0) {
      this.logger.warn(`Handing over ${lost.length} engine job(s) again that their queue no longer knows`);
      // Enqueued even with the inline driver: rows written before its jobs were written directly.
      await this.handOver(lost);
    }
    // Rows still queued or running are looked at again later.
    const waiting = rows.map((row) => row.id).filter((id) => !finished.includes(id));
    if (waiting.length > 0) await this.dataSource.getRepository(OutboxRow).update({ id: In(waiting) }, { createdAt: now });
    return rows.length;
  }
}
