import { Column, Entity, Index } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

@Entity('audit_event')
@Index(['tenantId', 'createdAt'])
export class AuditEvent {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @RefColumn() actorId: string | null;
  @Column({ type: 'varchar', length: 16 }) actorKind: string;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ type: 'varchar', length: 64 }) targetType: string;
  @RefColumn() targetId: string | null;
  @JsonColumn() data: Record<string, unknown>;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @TimestampColumn() createdAt: Date;
}
