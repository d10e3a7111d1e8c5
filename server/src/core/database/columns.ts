import { applyDecorators } from '@nestjs/common';
import { Column, type ColumnOptions, Index, PrimaryColumn } from 'typeorm';

/**
 * Column shapes shared by every entity, chosen so one entity maps onto SQLite and PostgreSQL alike.
 * Ids are random UUIDs made by the application (never sequential, never guessable).
 */
export const IdColumn = () => PrimaryColumn({ type: 'varchar', length: 36 });

/** Every tenant-owned table carries an indexed tenantId. */
export const TenantIdColumn = () => applyDecorators(Index(), Column({ type: 'varchar', length: 36 }));

export const RefColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 36, nullable: true, ...options });

export const TimestampColumn = (options: ColumnOptions = {}) => Column({ type: Date, ...options });

/** Small JSON values (role lists, audit data), stored as text on both databases. */
export const JsonColumn = (options: ColumnOptions = {}) => Column({ type: 'simple-json', ...options });
