import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { Session } from '../../core/auth/session.entity.js';
import { AppConfig } from '../../core/config/app-config.js';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import { JobRunner } from '../../core/jobs/job-runner.js';
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
  private interval: ReturnType<typeof setInterval> | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobRunner,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => {
      if (!this.jobs.consuming || this.running) return;
      this.running = this.sweep().catch((error: unknown) => this.logger.error(String(error))).finally(() => (this.running = undefined));
    }, EVERY_MS);
    this.interval.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now().getTime();
    const before = (days: number) => new Date(now - days * DAY_MS);
    const ended = before(SESSION_GRACE_DAYS);
    const result: SweepResult = {
      sessions: await this.prune(Session, `"expiresAt" < ? OR "revokedAt" < ?`, [['expiresAt', ended], ['revokedAt', ended]]),
      jobLedger: await this.prune(JobDone, `"doneAt" < ?`, [['doneAt', before(JOB_LEDGER_DAYS)]]),
      notifications: 0,
      mail: 0,
    };
    if (this.config.retentionDays > 0) {
      const cutoff = before(this.config.retentionDays);
      result.notifications = await this.prune(Notification, `"readAt" IS NOT NULL AND "readAt" < ?`, [['readAt', cutoff]]);
      result.mail = await this.prune(MailMessage, `"status" IN ('sent', 'stored', 'failed') AND "createdAt" < ?`, [['createdAt', cutoff]]);
    }
    const total = Object.values(result).reduce((sum, count) => sum + count, 0);
    if (total > 0) this.logger.log(`Deleted ${JSON.stringify(result)}`);
    return result;
  }

  /**
   * Deletes the matching rows in batches; returns how many went. Each parameter names the column whose
   * type converts it (dates are stored differently by SQLite and PostgreSQL).
   */
  private async prune(entity: EntityTarget<ObjectLiteral>, where: string, parameters: [string, Date][]): Promise<number> {
    const metadata = this.dataSource.getMetadata(entity);
    const values = parameters.map(([column, value]) => this.dataSource.driver.preparePersistentValue(value, metadata.findColumnWithPropertyName(column)!));
    const postgres = this.dataSource.options.type === 'postgres';
    let n = 0;
    const condition = where.replace(/\?/g, () => (postgres ? `$${++n}` : '?'));
    const sql = `DELETE FROM "${metadata.tableName}" WHERE "id" IN (SELECT "id" FROM "${metadata.tableName}" WHERE ${condition} LIMIT ${BATCH})`;
    const runner = this.dataSource.createQueryRunner();
    try {
      let deleted = 0;
      for (;;) {
        // the structured answer says how many rows went, whichever the database
        const count = (await runner.query(sql, values, true)).affected ?? 0;
        deleted += count;
        if (count < BATCH) return deleted;
      }
    } finally {
      await runner.release();
    }
  }
}
