import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import Database from 'better-sqlite3';
import { Tenant } from '../../modules/tenants/tenant.entity.js';
import { RequestContext, systemActor } from '../tenancy/request-context.js';
import { createDataSource } from './data-source.js';
import { QUEUED, sqliteDirect } from './sqlite-gate.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SQLite transactions under concurrency', () => {
  let dataSource: DataSource;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsflow-gate-'));
    dataSource = await createDataSource(new AppConfig({ DATA_DIR: dataDir }));
  });
  /** What another connection to the file sees: only what is committed. */
  const committedNames = (): string[] => {
    const other = new Database(join(dataDir, 'opsflow.sqlite'), { readonly: true });
    try {
      return (other.prepare('SELECT "name" FROM "tenant" ORDER BY "name"').all() as Array<{ name: string }>).map((row) => row.name);
    } finally {
      other.close();
    }
  };
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

  it('tells each of many concurrent transactions it succeeded only once its rows are committed, and keeps the others when one fails', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const seenOnSuccess = new Map<string, string[]>();
    const outcomes = await Promise.allSettled(names.map((name) => dataSource.transaction(async (manager) => {
      await manager.getRepository(Tenant).insert(tenant(name));
      if (name === 't07') throw new Error('rolled back on purpose');
    }).then(() => seenOnSuccess.set(name, committedNames()))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    for (const [name, seen] of seenOnSuccess) expect(seen).toContain(name);
    expect(committedNames()).toEqual(names.filter((name) => name !== 't07'));
  });

  it('runs every transaction in its caller\'s context (who acts), not in the one that happened to start the queue', async () => {
    const tenants = Array.from({ length: 8 }, () => randomUUID());
    const seen = await Promise.all(tenants.map((tenantId) => RequestContext.runAs(systemActor(tenantId), () =>
      dataSource.transaction(async (manager) => {
        await manager.query('SELECT 1');
        return RequestContext.tenantId();
      }))));
    expect(seen).toEqual(tenants);
  });

  it('fails every transaction that shared a commit when SQLite gives the whole transaction up, and goes on working', async () => {
    // All three queue before the first one starts, so they share a commit.
    const first = dataSource.transaction(async (manager) => manager.getRepository(Tenant).insert(tenant('first')));
    const second = dataSource.transaction(async (manager) => manager.getRepository(Tenant).insert(tenant('second')));
    const breaking = dataSource.transaction(async (manager) => manager.query('ROLLBACK'));
    const outcomes = await Promise.allSettled([first, second, breaking]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
    await dataSource.transaction(async (manager) => manager.getRepository(Tenant).insert(tenant('after')));
    expect(committedNames()).toEqual(['after']);
  });

  it('lets a read from outside run between two transactions of a group, and queues a write from outside as a transaction', async () => {
    const events: string[] = [];
    const slow = (name: string) => dataSource.transaction(async (manager) => {
      await manager.getRepository(Tenant).insert(tenant(name));
      await pause();
      events.push(`${name} done`);
    });
    const first = slow('a');
    const second = slow('b');
    await new Promise((resolve) => setImmediate(resolve));
    const read = dataSource.query('SELECT "name" FROM "tenant"').then((rows: Array<{ name: string }>) => events.push(`read saw ${rows.map((r) => r.name).join(',')}`));
    const write = dataSource.getRepository(Tenant).insert(tenant('outside')).then(() => events.push('outside written'));
    await Promise.all([first, second, read, write]);
    expect(events).toEqual(['a done', 'read saw a', 'b done', 'outside written']);
    expect(committedNames()).toEqual(['a', 'b', 'outside']);
  });

  it('runs plain statements straight on the connection only where the gate would let them run now', async () => {
    const direct = sqliteDirect(dataSource)!;
    const names = () => direct.run('SELECT "name" FROM "tenant" ORDER BY "name"', []);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside: unknown;
    const working = dataSource.transaction(async () => {
      const row = tenant('inside');
      expect(direct.run('INSERT INTO "tenant" ("id", "name", "slug", "createdAt") VALUES (?, ?, ?, ?)', [row.id, row.name, row.slug, '2026-01-01 00:00:00.000'])).toEqual({ records: [], affected: 1 });
      inside = names();
      await paused;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Another caller, while that transaction is in the middle of its work: its read and its write wait their turn.
    expect(names()).toBe(QUEUED);
    expect(direct.run('DELETE FROM "tenant"', [])).toBe(QUEUED);
    release();
    await working;
    expect(inside).toEqual([{ name: 'inside' }]);
    expect(names()).toEqual([{ name: 'inside' }]);
    expect(() => direct.run('SELECT "nope" FROM "tenant"', [])).toThrow(/no such column/);
  });

  it('runs a write from outside in the group without a savepoint: when it fails, only it is undone', async () => {
    const existing = tenant('existing');
    await dataSource.getRepository(Tenant).insert(existing);
    // All four queue before the first one starts, so they share a commit.
    const first = dataSource.transaction(async (manager) => manager.getRepository(Tenant).insert(tenant('first')));
    const duplicate = dataSource.getRepository(Tenant).insert({ ...existing, name: 'duplicate' });
    const fine = dataSource.getRepository(Tenant).insert(tenant('fine'));
    const last = dataSource.transaction(async (manager) => manager.getRepository(Tenant).insert(tenant('last')));
    const outcomes = await Promise.allSettled([first, duplicate, fine, last]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(committedNames()).toEqual(['existing', 'fine', 'first', 'last']);
  });
});
