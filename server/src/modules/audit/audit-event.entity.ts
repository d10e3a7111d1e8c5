import { Column, Entity, Index } from 'typeorm';
import type { AuditAction, AuditTarget } from './audit-actions.js';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

@Entity('audit_event')
@Index(['tenantId', 'createdAt'])
export class AuditEvent {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @RefColumn() actorId: string | null;
  @Column({ type: 'varchar', length: 16 }) actorKind: string;
  @Column({ type: 'varchar', length: 64 }) action: AuditAction;
  @Column({ type: 'varchar', length: 64 }) targetType: AuditTarget;
  @RefColumn() targetId: string | null;
  @JsonColumn() data: Record<string, unknown>;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @TimestampColumn() createdAt: Date;
}
