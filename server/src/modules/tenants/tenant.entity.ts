import { Column, Entity } from 'typeorm';
import { IdColumn, TimestampColumn } from '../../core/database/columns.js';

@Entity('tenant')
export class Tenant {
  @IdColumn() id: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  /** URL-safe name, unique; used to choose a tenant at sign-in when one email belongs to several. */
  @Column({ type: 'varchar', length: 80, unique: true }) slug: string;
  @TimestampColumn() createdAt: Date;
}
