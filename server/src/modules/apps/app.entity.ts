import { Column, Entity } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

/** An app groups forms, processes and dashboards (e.g. "Employee onboarding"). */
@Entity('app')
export class App {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 2000 }) description: string;
  /** An mdi icon name, e.g. "mdiAccountPlus". */
  @Column({ type: 'varchar', length: 80 }) icon: string;
  @RefColumn() createdBy: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn() updatedAt: Date;
}
