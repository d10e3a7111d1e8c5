import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

export const NOTIFICATION_KINDS = ['assigned', 'urged', 'transferred', 'signer_added', 'returned', 'completed', 'withdrawn'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** An in-app notification (the bell): what happened, to which request, read or not. */
@Entity('notification')
@Index(['userId', 'readAt', 'createdAt'])
export class Notification {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 32 }) kind: NotificationKind;
  @Column({ type: 'varchar', length: 300 }) title: string;
  @Column({ type: 'text', nullable: true }) body: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) link: string | null;
  @RefColumn() instanceId: string | null;
  @RefColumn() taskId: string | null;
  @RefColumn() actorId: string | null;
  @TimestampColumn({ nullable: true }) readAt: Date | null;
  @TimestampColumn() createdAt: Date;
}
