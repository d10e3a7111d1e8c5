import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { AppConfig } from '../../core/config/app-config.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { Periodic } from '../../core/jobs/periodic.js';
import { type Clock, defineJob, QueueName } from '../../core/jobs/job.types.js';
import { composeMail } from './mail-templates.js';
import { MailMessage, type MailStatus, type NotificationKind } from './notification.entity.js';

export const MailJobs = { send: defineJob<{ tenantId: string; mailId: string }>(QueueName.Notifications, 'mail') };

/** How long a queued e-mail may wait before the sweep hands it to the queue again (its job was lost). */
const LOST_AFTER_MS = 2 * 60_000;
const SWEEP_EVERY_MS = 60_000;
const FIRST_RETRY_MS = 5_000;

export interface MailRecipient {
  userId: string;
  email: string;
  locale: string;
}

/**
 * The mail outbox. An e-mail is a row written beside its notification; with OPSFLOW_SMTP_URL a job sends it
 * (retried with backoff, `failed` after the last try, the notification's other channels unaffected); without,
 * it stays `stored` and administrators read it through the API. Queued rows whose job was lost are handed
 * over again by a sweep in the processes that run jobs.
 */
@Injectable()
export class MailService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly rows: RowStatements<MailMessage>;
  private readonly transport: Transporter | null;
  private sweeper: Periodic | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobRunner,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.rows = new RowStatements(dataSource, MailMessage);
    this.transport = config.smtpUrl ? createTransport(config.smtpUrl) : null;
  }

  /** Whether e-mail leaves this server (SMTP) rather than waiting in the outbox. */
  get sending(): boolean {
    return this.transport !== null;
  }

  onModuleInit(): void {
    this.jobs.register(MailJobs.send, (job) => this.send(job.mailId));
    this.jobs.onFinalFailure(async (job) => {
      if (job.queue !== MailJobs.send.queue || job.name !== MailJobs.send.name) return;
      const mailId = (job.payload as { mailId?: string }).mailId;
      if (mailId) await this.rows.update(this.dataSource.manager, { status: 'failed', error: job.error.slice(0, 2000) }, '"id" = ? AND "status" = ?', [mailId, 'queued']);
    });
    if (this.transport) this.sweeper = new Periodic(this.jobs, SWEEP_EVERY_MS, () => this.sweep(), this.logger);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeper?.stop();
    this.transport?.close();
  }

  /** Writes the e-mails of one notification (ids given, so a repeated event writes nothing twice); returns the new rows. */
  async write(
    manager: EntityManager, tenantId: string, kind: NotificationKind, recipients: (MailRecipient & { mailId: string })[],
    content: { title: string; body: string | null; link: string | null },
  ): Promise<MailMessage[]> {
    const now = this.clock.now();
    const url = content.link ? `${this.config.publicUrl}${content.link}` : null;
    const rows: MailMessage[] = recipients.map((recipient) => ({
      id: recipient.mailId, tenantId, userId: recipient.userId, to: recipient.email, kind,
      ...composeMail(kind, recipient.locale, { title: content.title, body: content.body, url }),
      status: this.transport ? 'queued' : 'stored', error: null, createdAt: now, sentAt: null,
    }));
    await this.rows.insert(manager, rows, { ignoreDuplicates: true });
    return rows;
  }

  /** Hands queued e-mails to the job runner (after their rows are committed). */
  async dispatch(rows: readonly MailMessage[]): Promise<void> {
    for (const row of rows) {
      if (row.status !== 'queued') continue;
      await this.jobs.enqueue(MailJobs.send, { tenantId: row.tenantId, mailId: row.id }, {
        jobId: `mail:${row.id}`, attempts: this.config.mailAttempts, backoffMs: FIRST_RETRY_MS,
      });
    }
  }

  /** The job: sends one e-mail once; an SMTP error is kept on the row and the job retries. */
  private async send(mailId: string): Promise<void> {
    const [row] = await this.rows.select(this.dataSource.manager, '"id" = ?', [mailId]);
    // written in a transaction not yet committed: try again later
    if (!row) throw new Error(`E-mail ${mailId} is not in the outbox yet`);
    if (row.status !== 'queued' || !this.transport) return;
    try {
      await this.transport.sendMail({ from: this.config.mailFrom, to: row.to, subject: row.subject, text: row.text, html: row.html });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.rows.update(this.dataSource.manager, { error: message.slice(0, 2000) }, '"id" = ?', [mailId]);
      throw error;
    }
    await this.rows.update(this.dataSource.manager, { status: 'sent', sentAt: this.clock.now(), error: null }, '"id" = ? AND "status" = ?', [mailId, 'queued']);
  }

  /** Queued e-mails whose job got lost (a process died between commit and enqueue, Redis restarted empty). */
  async sweep(): Promise<number> {
    if (!this.transport) return 0;
    const lost = await this.dataSource.getRepository(MailMessage).find({
      where: { status: 'queued', createdAt: LessThan(new Date(this.clock.now().getTime() - LOST_AFTER_MS)) }, take: 200, order: { createdAt: 'ASC' },
    });
    await this.dispatch(lost);
    return lost.length;
  }

  /** The outbox as administrators read it, newest first. */
  async list(tenantId: string, query: { status?: string; skip: number; take: number }): Promise<[MailMessage[], number]> {
    return this.dataSource.getRepository(MailMessage).findAndCount({
      where: { tenantId, ...(query.status ? { status: query.status as MailStatus } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' }, skip: query.skip, take: query.take,
    });
  }
}
