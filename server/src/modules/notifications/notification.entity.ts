import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

export const NOTIFICATION_KINDS = [
  'assigned', 'cc', 'mention', 'urged', 'escalated', 'completed', 'transferred', 'signer_added', 'returned', 'withdrawn',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNELS = ['inApp', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** An in-app notification (the bell): what happened, to which request, read or not. */
@Entity('notification')
@Index(['userId', 'readAt', 'createdAt'])
export class Notification {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Column({ type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 32 }) kind: NotificationKind;
  @Column({ type: 'varchar', length: 300 }) title: string;
  @Column({ type: 'text', nullable: true }) body: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) link: string | null;
  @RefColumn() instanceId: string | null;
  @RefColumn() taskId: string | null;
  @RefColumn() actorId: string | null;
  @Index('IDX_notification_readAt') @TimestampColumn({ nullable: true }) readAt: Date | null;
  @TimestampColumn() createdAt: Date;
}

/** A person's choice for one kind of notification; kinds without a row use the defaults. */
@Entity('notification_preference')
export class NotificationPreference {
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) kind: NotificationKind;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'boolean' }) inApp: boolean;
  @Column({ type: 'boolean' }) email: boolean;
}

export type MailStatus = 'queued' | 'sent' | 'failed' | 'stored';

/**
 * The mail outbox: every email is a row written with its notification, sent by a job when SMTP is
 * configured (`queued` → `sent` or `failed`), kept as `stored` for the admin to read when it is not.
 */
@Entity('mail_message')
@Index(['tenantId', 'createdAt'])
@Index(['status', 'createdAt'])
export class MailMessage {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 320 }) to: string;
  @Column({ type: 'varchar', length: 300 }) subject: string;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'text' }) html: string;
  @Column({ type: 'varchar', length: 32 }) kind: NotificationKind;
  @Column({ type: 'varchar', length: 16 }) status: MailStatus;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) sentAt: Date | null;
}
