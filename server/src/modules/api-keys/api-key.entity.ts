import { Column, Entity } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';

export type ApiKeyScope = 'read' | 'write' | 'admin';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write', 'admin'];

@Entity('api_key')
export class ApiKey {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  /** The first characters of the key, shown in lists so people can tell keys apart. */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  /** SHA-256 of the secret: keys carry 256 random bits, so a slow hash adds nothing. */
  @Column({ type: 'varchar', length: 64, unique: true }) secretHash: string;
  @JsonColumn() scopes: ApiKeyScope[];
  @RefColumn() createdBy: string | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) expiresAt: Date | null;
  @TimestampColumn({ nullable: true }) lastUsedAt: Date | null;
  @TimestampColumn({ nullable: true }) revokedAt: Date | null;
}
