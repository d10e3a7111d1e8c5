import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Tenant } from '../../modules/tenants/tenant.entity.js';
import { createDataSource } from './data-source.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SQLite transactions under concurrency', () => {
  let dataSource: DataSource;
  beforeEach(async () => {
    dataSource = await createDataSource(new AppConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'opsflow-gate-')) }));
  });
  afterEach(() => dataSource.destroy());

  const tenant = (name: string): Tenant => ({ id: randomUUID(), name, slug: `${name}-${randomUUID().slice(0, 8)}`, createdAt: new Date() });

  it('keeps a committed transaction when a concurrent one rolls back', async () => {
    const failing = dataSource.transaction(async (manager) => {
      await manager.getRepository(Tenant).insert(tenant('doomed'));
      await pause();
      await pause();
      throw new Error('rolled back on purpose');
    });
    const succeeding = dataSource.transaction(async (manager) => {
      await pause();
      await manager.getRepository(Tenant).insert(tenant('kept'));
    });
    await expect(failing).rejects.toThrow('rolled back on purpose');
    await succeeding;
    const names = (await dataSource.getRepository(Tenant).find()).map((t) => t.name);
    expect(names).toEqual(['kept']);
  });

  it('keeps a write made outside any transaction while another transaction rolls back', async () => {
    const failing = dataSource.transaction(async (manager) => {
      await manager.getRepository(Tenant).insert(tenant('doomed'));
      await pause();
      throw new Error('rolled back on purpose');
    });
    const outside = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await dataSource.getRepository(Tenant).insert(tenant('standalone'));
    })();
    await expect(failing).rejects.toThrow();
    await outside;
    expect((await dataSource.getRepository(Tenant).find()).map((t) => t.name)).toEqual(['standalone']);
  });

  it('runs a transaction opened inside another as part of it', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.getRepository(Tenant).insert(tenant('outer'));
      await dataSource.transaction(async (inner) => inner.getRepository(Tenant).insert(tenant('inner')));
    });
    expect((await dataSource.getRepository(Tenant).find()).map((t) => t.name).sort()).toEqual(['inner', 'outer']);
  });
});
