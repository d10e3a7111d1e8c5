import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

/** A process an admin edits: its BPMN draft, and the number of its latest deployed version. */
@Entity('process_definition')
export class ProcessDefinition {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) appId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text' }) bpmnXml: string;
  /** The `<bpmn:process id>` of the latest deployment (call activities and messages name processes by it). */
  @Column({ type: 'varchar', length: 200, nullable: true }) bpmnProcessId: string | null;
  /** Submitting a record of this form starts an instance with the record's data. */
  @RefColumn() startFormId: string | null;
  @Column({ type: 'integer', nullable: true }) latestVersion: number | null;
  @RefColumn() createdBy: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn() updatedAt: Date;
}

/** A deployed version: immutable; instances run on the version they started with. */
@Entity('process_version')
@Index(['processId', 'version'], { unique: true })
@Index(['tenantId', 'bpmnProcessId', 'version'])
export class ProcessVersion {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 36 }) processId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'varchar', length: 200 }) bpmnProcessId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text' }) bpmnXml: string;
  @RefColumn() deployedBy: string | null;
  @TimestampColumn() deployedAt: Date;
}
