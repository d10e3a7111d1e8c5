import { Column, Entity, Index } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';
import type { FormSettings, JsonSchema, UiSchema } from './form-definition.js';

/** A form: its editable draft, and a pointer to the latest of its immutable published versions. */
@Entity('form')
export class Form {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) appId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @JsonColumn() draftSchema: JsonSchema;
  @JsonColumn() draftUischema: UiSchema;
  @JsonColumn() draftSettings: FormSettings;
  /** null until first published. */
  @Column({ type: 'integer', nullable: true }) publishedVersion: number | null;
  /** Set while the form is published with public submission: the `/f/<token>` link. */
  @Column({ type: 'varchar', length: 64, nullable: true, unique: true }) publicToken: string | null;
  @RefColumn() createdBy: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn() updatedAt: Date;
}

/** A published version: never changed after it is written; records point at it. */
@Entity('form_version')
@Index(['formId', 'version'], { unique: true })
export class FormVersion {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 36 }) formId: string;
  @Column({ type: 'integer' }) version: number;
  @JsonColumn() schema: JsonSchema;
  @JsonColumn() uischema: UiSchema;
  @JsonColumn() settings: FormSettings;
  @RefColumn() publishedBy: string | null;
  @TimestampColumn() publishedAt: Date;
}
