import { Column, Entity, Index } from 'typeorm';
import { IdColumn, TenantIdColumn, TimestampColumn } from '../database/columns.js';

/** A signed-in browser. The cookie's JWT names it; signing out or deactivating the user revokes it. */
@Entity('session')
export class Session {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) userId: string;
  @Index('IDX_session_expiresAt') @TimestampColumn() expiresAt: Date;
  @TimestampColumn({ nullable: true }) revokedAt: Date | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ type: 'varchar', length: 400, nullable: true }) userAgent: string | null;
  @TimestampColumn() createdAt: Date;
}
