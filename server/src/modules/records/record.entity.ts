import { Column, Entity, Index } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

export type RecordData = Record<string, unknown>;

/**
 * A submission. `data` is JSON text on SQLite (queried with json_extract) and JSONB on PostgreSQL;
 * `searchText` holds the lower-cased values for full-text search. An anonymous submission has no
 * submitter and nothing else that identifies who sent it.
 */
@Entity('record')
@Index(['tenantId', 'formId', 'createdAt'])
export class FormRecord {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 36 }) formId: string;
  @Column({ type: 'integer' }) formVersion: number;
  @JsonColumn() data: RecordData;
  @Column({ type: 'text' }) searchText: string;
  @RefColumn() submittedBy: string | null;
  @RefColumn() processInstanceId: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn() updatedAt: Date;
}
