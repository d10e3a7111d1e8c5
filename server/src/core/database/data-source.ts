import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
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
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { installSqliteGate } from './sqlite-gate.js';
import { Initial1763900000000 } from './migrations/1763900000000-initial.js';
import { FormsAndRecords1763990000000 } from './migrations/1763990000000-forms-and-records.js';
import { StoredFiles1764000000000 } from './migrations/1764000000000-stored-files.js';
import { StoredFile } from '../../modules/files/stored-file.entity.js';
import { App } from '../../modules/apps/app.entity.js';
import { Form, FormVersion } from '../../modules/forms/form.entity.js';
import { FormRecord } from '../../modules/records/record.entity.js';
import { ProcessDefinition, ProcessVersion } from '../../modules/processes/process.entity.js';
import {
  ElementInstanceRow, EngineTimer, HistoryEntry, Incident, MessageSubscription, OutboxRow, ProcessInstance, TaskPrincipal, UserTask,
} from '../../modules/engine/engine.entities.js';
import { ProcessesAndEngine1764100000000 } from './migrations/1764100000000-processes-and-engine.js';
import { ApprovalActions1764200000000 } from './migrations/1764200000000-approval-actions.js';
import { TaskPrincipals1764300000000 } from './migrations/1764300000000-task-principals.js';
import { MailMessage, Notification, NotificationPreference } from '../../modules/notifications/notification.entity.js';
import { NotificationChannels1764310000000 } from './migrations/1764310000000-notification-channels.js';
import { TrimTenantIndexes1764320000000 } from './migrations/1764320000000-trim-tenant-indexes.js';
import { RetentionIndexes1764330000000 } from './migrations/1764330000000-retention-indexes.js';
import { TrimLogTenantIndexes1764340000000 } from './migrations/1764340000000-trim-log-tenant-indexes.js';
import { PREPARED_STATEMENTS } from './row-statements.js';

const poolLogger = new Logger('Database');

export const ENTITIES = [Tenant, User, Session, ApiKey, Department, Group, GroupMember, AuditEvent, JobRow, JobDone, App, Form, FormVersion, FormRecord, StoredFile,
  ProcessDefinition, ProcessVersion, ProcessInstance, ElementInstanceRow, UserTask, TaskPrincipal, EngineTimer, MessageSubscription, OutboxRow, Incident, HistoryEntry, Notification,
  NotificationPreference, MailMessage,
];
export const MIGRATIONS = [Initial1763900000000, FormsAndRecords1763990000000, StoredFiles1764000000000, ProcessesAndEngine1764100000000, ApprovalActions1764200000000, TaskPrincipals1764300000000, NotificationChannels1764310000000, TrimTenantIndexes1764320000000, RetentionIndexes1764330000000, TrimLogTenantIndexes1764340000000];

/** SQLite (WAL, busy timeout) by default; PostgreSQL when DATABASE_URL is set. Never synchronize: migrations run on start (see migrate). */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: ['error' as const] };
  if (config.databaseKind === 'postgres') {
    return {
      ...common, type: 'postgres', url: config.databaseUrl,
      extra: {
        max: 20,
        // Read by RowStatements (pg ignores keys it does not know).
        [PREPARED_STATEMENTS]: config.pgPreparedStatements,
        // pg-pool drops its error listener while a client is lent out: a connection the server terminates
        // (restart, failover, pg_terminate_backend) would otherwise crash the process with an unhandled 'error'.
        onConnect: (client: { on(event: 'error', listener: (error: Error) => void): void }) => {
          client.on('error', (error) => poolLogger.warn(`PostgreSQL connection lost: ${error.message}`));
        },
      },
    };
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
      // SQLite's own default is 2 MB: the indexes the engine writes into stop fitting after some thousand
      // instances, and every insert then reads its pages back from the OS (about a quarter of its time here).
      db.pragma(`cache_size = -${config.sqliteCacheMb * 1024}`);
    },
  };
}

const MIGRATION_LOCK = 7_262_531;

/**
 * Runs pending migrations. On PostgreSQL several API replicas and workers start together, so they
 * queue on an advisory lock and the first one migrates; SQLite has a single process.
 */
export async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/** Connects, makes SQLite transactions safe under concurrency (and checkpoints its WAL in a thread), and migrates. */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const checkpointer = SqliteCheckpointer.start(dataSource);
  if (checkpointer) {
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = async () => {
      await checkpointer.close();
      await destroy();
    };
  }
  installSqliteGate(dataSource, undefined, () => checkpointer?.nudge());
  await migrate(dataSource);
  return dataSource;
}

/** An initialised, migrated DataSource. */
export function createDataSource(config: AppConfig): Promise<DataSource> {
  return initializeDataSource(dataSourceOptions(config));
}
