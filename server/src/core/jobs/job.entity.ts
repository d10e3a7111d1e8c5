import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';

export type JobStatus = 'pending' | 'running' | 'failed';

/** A job of the inline driver, kept in the database so that a restart loses no queued work or due timer. */
@Entity('job')
@Index(['status', 'runAt'])
export class JobRow {
  @PrimaryColumn({ type: 'varchar', length: 200 }) id: string;
  @Column({ type: 'varchar', length: 32 }) queue: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 36 }) tenantId: string;
  @JsonColumn() payload: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16 }) status: JobStatus;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ type: 'integer' }) maxAttempts: number;
  @Column({ type: 'integer' }) backoffMs: number;
  @TimestampColumn() runAt: Date;
  @TimestampColumn({ nullable: true }) lockedUntil: Date | null;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @TimestampColumn() createdAt: Date;
}

/** One row per job id whose handler finished: what makes a duplicate delivery a no-op, on either driver. */
@Entity('job_done')
export class JobDone {
  @PrimaryColumn({ type: 'varchar', length: 200 }) id: string;
  @Column({ type: 'varchar', length: 32 }) queue: string;
  @Column({ type: 'varchar', length: 36 }) tenantId: string;
  @Index('IDX_job_done_doneAt') @TimestampColumn() doneAt: Date;
}
