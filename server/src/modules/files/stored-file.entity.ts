import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

/** An uploaded file: kept unattached until a record that names it is saved. */
@Entity('stored_file')
export class StoredFile {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  /** The name the uploader's computer gave it, for display and download only. */
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ type: 'varchar', length: 127 }) contentType: string;
  @Column({ type: 'varchar', length: 64 }) sha256: string;
  @Column({ type: 'varchar', length: 120 }) storageKey: string;
  /** null for uploads through a public link. */
  @RefColumn() uploadedBy: string | null;
  /** The form a public-link upload was made for. */
  @RefColumn() formId: string | null;
  @Index() @RefColumn() recordId: string | null;
  @TimestampColumn() createdAt: Date;
}
