import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityTarget } from 'typeorm';
import { Session } from '../../core/auth/session.entity.js';
import { AppConfig } from '../../core/config/app-config.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { Periodic } from '../../core/jobs/periodic.js';
import { JobDone } from '../../core/jobs/job.entity.js';
import type { Clock } from '../../core/jobs/job.types.js';
import { MailMessage, Notification } from '../notifications/notification.entity.js';

const DAY_MS = 24 * 60 * 60_000;
const EVERY_MS = 60 * 60_000;
/** Rows deleted per statement, so a first sweep over years of rows never holds a long lock. */
const BATCH = 2000;
/**
 * The ledger of finished job ids makes a duplicate delivery a no-op. Queues redeliver within minutes, and
 * outbox rows go when their job finishes, so a month of ledger is far more than any duplicate needs.
 */
const JOB_LEDGER_DAYS = 30;
/** Sessions are kept a day past their end, so "signed out" can still be told from "never signed in". */
const SESSION_GRACE_DAYS = 1;

export interface SweepResult {
  sessions: number;
  jobLedger: number;
  notifications: number;
  mail: number;
}

/**
 * Housekeeping: deletes what has served its purpose — ended sessions, old entries of the job ledger, and
 * (after OPSFLOW_RETENTION_DAYS) sent e-mails and read notifications. Unread notifications and e-mails still
 * waiting to be sent are never deleted. Runs hourly in the processes that run jobs.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private periodic: Periodic | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobRunner,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic = new Periodic(this.jobs, EVERY_MS, () => this.sweep(), this.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now().getTime();
    const before = (days: number) => new Date(now - days * DAY_MS);
    const ended = before(SESSION_GRACE_DAYS);
    const result: SweepResult = {
      sessions: await this.prune(Session, `"expiresAt" < ? OR "revokedAt" < ?`, [ended, ended]),
      jobLedger: await this.prune(JobDone, `"doneAt" < ?`, [before(JOB_LEDGER_DAYS)]),
      notifications: 0,
      mail: 0,
    };
    if (this.config.retentionDays > 0) {
      const cutoff = before(this.config.retentionDays);
      result.notifications = await this.prune(Notification, `"readAt" IS NOT NULL AND "readAt" < ?`, [cutoff]);
      result.mail = await this.prune(MailMessage, `"status" IN ('sent', 'stored', 'failed') AND "createdAt" < ?`, [cutoff]);
    }
    const total = Object.values(result).reduce((sum, count) => sum + count, 0);
    if (total > 0) this.logger.log(`Deleted ${JSON.stringify(result)}`);
    return result;
  }

  /** Deletes the rows matching `where` (`?` placeholders) in batches; returns how many went. */
  private async prune(entity: EntityTarget<{ id: string }>, where: string, params: Date[]): Promise<number> {
    const rows = new RowStatements(this.dataSource, entity);
    const table = this.dataSource.getMetadata(entity).tableName;
    let deleted = 0;
    for (;;) {
      const count = await rows.delete(this.dataSource.manager, `"id" IN (SELECT "id" FROM "${table}" WHERE ${where} LIMIT ${BATCH})`, params);
      deleted += count;
      if (count < BATCH) return deleted;
    }
  }
}
