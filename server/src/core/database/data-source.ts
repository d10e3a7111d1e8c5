import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { Session } from '../auth/session.entity.js';
import { JobDone, JobRow } from '../jobs/job.entity.js';
import { Tenant } from '../../modules/tenants/tenant.entity.js';
import { User } from '../../modules/org/user.entity.js';
import { ApiKey } from '../../modules/api-keys/api-key.entity.js';
import { Department } from '../../modules/org/department.entity.js';
import { Group, GroupMember } from '../../modules/org/group.entity.js';
import { AuditEvent } from '../../modules/audit/audit-event.entity.js';
import { Initial1763900000000 } from './migrations/1763900000000-initial.js';

export const ENTITIES = [Tenant, User, Session, ApiKey, Department, Group, GroupMember, AuditEvent, JobRow, JobDone];
export const MIGRATIONS = [Initial1763900000000];

/** SQLite (WAL, busy timeout) by default; PostgreSQL when DATABASE_URL is set. Migrations run on start; never synchronize. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: ['error' as const] };
  if (config.databaseKind === 'postgres') {
    return { ...common, type: 'postgres', url: config.databaseUrl, extra: { max: 20 } };
  }
  mkdirSync(config.dataDir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  };
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}
