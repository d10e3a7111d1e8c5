import { testDataSource } from '../../../test/databases.js';
import { AuditEvent } from '../../modules/audit/audit-event.entity.js';
import { newId } from './new-id.js';
import { RowStatements } from './row-statements.js';

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

function auditEvent(tenantId: string): AuditEvent {
  return {
    id: newId(), tenantId, actorId: null, actorKind: 'system', action: 'user.created', targetType: 'user', targetId: null,
    data: { note: 'ünïcode & "quotes"' }, ip: null, createdAt: new Date('2026-03-04T05:06:07.089Z'),
  } as AuditEvent;
}

describe('plain statements', () => {
  it('write and read rows as TypeORM does (JSON, dates), and count what they change', async () => {
    const db = await testDataSource();
    try {
      const rows = new RowStatements(db.dataSource, AuditEvent);
      const event = auditEvent(newId());
      await db.dataSource.transaction((manager) => rows.insert(manager, [event]));
      const [read] = await rows.select(db.dataSource.manager, '"id" = ?', [event.id]);
      expect(read).toEqual(event);
      expect(await db.dataSource.getRepository(AuditEvent).findOneBy({ id: event.id })).toEqual(event);
      expect(await rows.update(db.dataSource.manager, { targetId: 'x' }, '"tenantId" = ?', [event.tenantId])).toBe(1);
      expect(await rows.delete(db.dataSource.manager, '"id" = ?', ['no such id'])).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('run a batch of writes in order and tell what each changed (on PostgreSQL as one statement)', async () => {
    const db = await testDataSource();
    try {
      const rows = new RowStatements(db.dataSource, AuditEvent);
      const tenantId = newId();
      const [first, second] = [auditEvent(tenantId), auditEvent(tenantId)];
      await rows.insert(db.dataSource.manager, [first]);
      const counts = await db.dataSource.transaction((manager) => rows.batch(manager, [
        rows.updateWrite({ targetId: 'changed' }, '"id" = ? AND "tenantId" = ?', [first.id, tenantId]),
        rows.insertWrite([second, first], { ignoreDuplicates: true })!,
        rows.deleteWrite('"id" = ?', ['no such id']),
        rows.updateWrite({ targetId: 'never' }, '"id" = ?', ['no such id']),
      ]));
      expect(counts).toEqual([1, 1, 0, 0]);
      const stored = await rows.select(db.dataSource.manager, '"tenantId" = ? ORDER BY "id"', [tenantId]);
      expect(stored).toEqual([{ ...first, targetId: 'changed' }, second].sort((a, b) => a.id.localeCompare(b.id)));
      // A failing write fails the whole batch, and with it the transaction.
      await expect(db.dataSource.transaction((manager) => rows.batch(manager, [
        rows.insertWrite([auditEvent(tenantId)])!,
        rows.insertWrite([second])!,
      ]))).rejects.toThrow();
      expect(await rows.select(db.dataSource.manager, '"tenantId" = ?', [tenantId])).toHaveLength(2);
    } finally {
      await db.close();
    }
  });
});

onPostgres('plain statements on PostgreSQL', () => {
  /** The named statements the transaction's own connection holds after one read through RowStatements. */
  async function preparedAfterARead(env: Record<string, string>): Promise<string[]> {
    const db = await testDataSource(env);
    try {
      const rows = new RowStatements(db.dataSource, AuditEvent);
      return await db.dataSource.transaction(async (manager) => {
        await rows.select(manager, '"tenantId" = ?', [newId()]);
        const prepared = await manager.query('SELECT name FROM pg_prepared_statements') as Array<{ name: string }>;
        return prepared.map((row) => row.name);
      });
    } finally {
      await db.close();
    }
  }

  it('are named prepared statements, parsed once per connection', async () => {
    expect(await preparedAfterARead({})).toEqual([expect.stringMatching(/^opsflow_[0-9a-f]{24}$/)]);
  });

  it('are sent unnamed when OPSFLOW_PG_PREPARED_STATEMENTS=false (a pooler that cannot keep them)', async () => {
    expect(await preparedAfterARead({ OPSFLOW_PG_PREPARED_STATEMENTS: 'false' })).toEqual([]);
  });

  it('never leave a transaction whose connection was released', async () => {
    const db = await testDataSource();
    try {
      const rows = new RowStatements(db.dataSource, AuditEvent);
      const runner = db.dataSource.createQueryRunner();
      await runner.startTransaction();
      await runner.release();
      await expect(rows.insert(runner.manager, [auditEvent(newId())])).rejects.toThrow(/released/);
    } finally {
      await db.close();
    }
  });
});
