import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/core/config/app-config.js';
import { createDataSource } from '../src/core/database/data-source.js';

/** A fresh PostgreSQL database next to the one DATABASE_URL names, dropped afterwards. */
export async function createDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `opsflow_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

/** A migrated, empty database of the kind this run tests (SQLite, or PostgreSQL when DATABASE_URL is set). */
export async function testDataSource(env: Record<string, string> = {}): Promise<{ dataSource: DataSource; config: AppConfig; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-db-'));
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const config = new AppConfig({
    ...env,
    DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url, OPSFLOW_SESSION_SECRET: 'x'.repeat(32) } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    OPSFLOW_QUEUE_PREFIX: `opsflow-test-${randomBytes(4).toString('hex')}`,
  });
  const dataSource = await createDataSource(config);
  return {
    dataSource,
    config,
    async close() {
      await dataSource.destroy();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
