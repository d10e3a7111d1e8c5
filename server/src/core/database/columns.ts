import { applyDecorators } from '@nestjs/common';
import { Column, type ColumnOptions, Index, PrimaryColumn } from 'typeorm';

/**
 * Column shapes shared by every entity, chosen so one entity maps onto SQLite and PostgreSQL alike.
 * Ids are random UUIDs made by the application (never sequential, never guessable).
 */
export const IdColumn = () => PrimaryColumn({ type: 'varchar', length: 36 });

/**
 * Every tenant-owned table carries its tenantId, indexed on its own unless `covered`: a table whose composite indexes all start with
 * tenantId, or that is only ever read by another key (an instance's rows by instanceId), saves the index.
 */
export const TenantIdColumn = (options: { covered?: boolean } = {}) =>
  (options.covered ? Column({ type: 'varchar', length: 36 }) : applyDecorators(Index(), Column({ type: 'varchar', length: 36 })));

export const RefColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 36, nullable: true, ...options });

export const TimestampColumn = (options: ColumnOptions = {}) => Column({ type: Date, ...options });

/** Small JSON values (role lists, audit data), stored as text on both databases. */
export const JsonColumn = (options: ColumnOptions = {}) => Column({ type: 'simple-json', ...options });
