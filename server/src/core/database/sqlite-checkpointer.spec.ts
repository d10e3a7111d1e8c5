import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Tenant } from '../../modules/tenants/tenant.entity.js';
import { createDataSource } from './data-source.js';

describe('SQLite checkpoints in a thread of their own', () => {
  let dataSource: DataSource;
  let file: string;
  beforeEach(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-checkpoint-'));
    file = join(dataDir, 'opsflow.sqlite');
    dataSource = await createDataSource(new AppConfig({ DATA_DIR: dataDir }));
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  const writeTenants = (count: number) => dataSource.transaction(async (manager) => {
    const rows = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), name: `t${i} ${'x'.repeat(200)}`, slug: randomUUID(), createdAt: new Date() }));
    for (let i = 0; i < rows.length; i += 100) await manager.getRepository(Tenant).insert(rows.slice(i, i + 100));
  });

  it('copies committed pages into the database file while the server connection only commits', async () => {
    const connection = (dataSource.driver as unknown as { databaseConnection: { pragma(sql: string, options: { simple: true }): unknown } }).databaseConnection;
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    const before = statSync(file).size;
    await writeTenants(2000);
    // Far below the connection's own threshold: only the thread can have copied the pages.
    const walPages = statSync(`${file}-wal`).size / 4096;
    expect(walPages).toBeGreaterThan(50);
    expect(walPages).toBeLessThan(4000);
    const deadline = Date.now() + 5000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statSync(file).size).toBeGreaterThan(before + 50 * 4096);
  });

  it('closes its connection before the server\'s, which then folds the WAL in and removes it', async () => {
    await writeTenants(500);
    await dataSource.destroy();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = await createDataSource(new AppConfig({ DATA_DIR: join(file, '..') }));
    try {
      expect(await reopened.getRepository(Tenant).count()).toBe(500);
    } finally {
      await reopened.destroy();
    }
  });
});
