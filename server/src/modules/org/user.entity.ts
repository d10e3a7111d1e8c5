import { Column, Entity, Index } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';
import type { Role } from '../../core/tenancy/request-context.js';

@Entity('user')
@Index(['tenantId', 'email'], { unique: true })
@Index(['tenantId', 'name'])
export class User {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  /** Stored lower-cased. */
  @Index() @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text', nullable: true }) passwordHash: string | null;
  @JsonColumn() roles: Role[];
  @RefColumn() departmentId: string | null;
  @RefColumn() managerId: string | null;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ type: 'boolean' }) platformAdmin: boolean;
  @Column({ type: 'varchar', length: 10 }) locale: string;
  @Index() @Column({ type: 'varchar', length: 64, nullable: true }) inviteTokenHash: string | null;
  @TimestampColumn({ nullable: true }) inviteExpiresAt: Date | null;
  @TimestampColumn({ nullable: true }) lastLoginAt: Date | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn() updatedAt: Date;
}
