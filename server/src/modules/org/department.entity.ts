import { Column, Entity } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

/** A node of the department tree; approval routing asks for its head. */
@Entity('department')
export class Department {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @RefColumn() parentId: string | null;
  @RefColumn() headId: string | null;
  @TimestampColumn() createdAt: Date;
}
