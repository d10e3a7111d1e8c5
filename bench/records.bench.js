// Record list queries. Baseline: one page of a form's records, newest first, plus the total (the plain
// list every table opens with). Figure: a filter + sort + page the way GET /api/forms/:id/records runs
// it (compileRecordQuery + findRecordPage: budget > 10000 and status in [open, review], sorted by
// -budget, page 3 of 50, with the exact total), first without and then with the field indexes
// syncRecordIndexes creates; then other shapes with the indexes. On SQLite; also on PostgreSQL when
// BENCH_POSTGRES_URL names a server (a fresh database is created beside it and dropped afterwards).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib.js';

const dist = (path) => import(join(root, 'server/dist', path));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const OTHER_RECORDS = Math.round(RECORDS / 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL;
const STATUSES = ['draft', 'open', 'review', 'approved', 'rejected'];
const TAGS = ['red', 'green', 'blue', 'amber', 'violet'];

export async function run() {
  await runOn('SQLite', {});
  if (POSTGRES_URL) {
    const { DataSource } = await import('typeorm');
    const name = `opsflow_bench_${randomBytes(6).toString('hex')}`;
    const admin = async (sql) => {
      const dataSource = await new DataSource({ type: 'postgres', url: POSTGRES_URL }).initialize();
      try { await dataSource.query(sql); } finally { await dataSource.destroy(); }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    try {
      await runOn('PostgreSQL', { DATABASE_URL: url.toString(), OPSFLOW_SESSION_SECRET: randomBytes(32).toString('hex') });
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
}

async function runOn(databaseName, env) {
  const { AppConfig } = await dist('core/config/app-config.js');
  const { createDataSource } = await dist('core/database/data-source.js');
  const { FormRecord } = await dist('modules/records/record.entity.js');
  const { listFields } = await dist('modules/forms/form-fields.js');
  const { compileRecordQuery, sqlDialectOf, syncRecordIndexes } = await dist('modules/records/record-query.js');
  const { findRecordPage } = await dist('modules/records/record-page.js');

  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-records-'));
  const dataSource = await createDataSource(new AppConfig({ DATA_DIR: dataDir, ...env }));
  const dialect = sqlDialectOf(dataSource);
  const tenantId = randomUUID();
  const formId = randomUUID();
  const otherFormId = randomUUID();
  const fields = listFields({
    type: 'object',
    properties: {
      title: { type: 'string' }, budget: { type: 'number' }, status: { type: 'string' }, requester: { type: 'string' },
      due: { type: 'string', format: 'date' }, urgent: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } },
    },
  });

  try {
    const seeded = performance.now();
    await seed(dataSource, FormRecord, tenantId, formId, RECORDS);
    await seed(dataSource, FormRecord, tenantId, otherFormId, OTHER_RECORDS);
    // What a running database has after bulk inserts: statistics (and on PostgreSQL autovacuum's visibility map).
    await dataSource.query(dialect === 'postgres' ? 'VACUUM ANALYZE "record"' : 'ANALYZE');
    console.log(`\nRecords on ${databaseName}: ${RECORDS} records of one form + ${OTHER_RECORDS} of another (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s), ${RUNS} runs each`);

    const list = (input, offset = 100) => async () => {
      const { total, records, plan } = await findRecordPage(dataSource, {
        tenantId, formId, indexedFields: fields, query: compileRecordQuery(dialect, fields, input), offset, limit: 50,
      });
      return { total, items: records, plan };
    };
    const baseline = async () => {
      const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId, formId });
      const total = await qb.getCount();
      const items = await qb.orderBy('r.createdAt', 'DESC').limit(50).getMany();
      return { total, items };
    };
    const realistic = { filter: { and: [{ field: 'budget', op: 'gt', value: 10000 }, { field: 'status', op: 'in', value: ['open', 'review'] }] }, sort: '-budget' };
    const searched = { filter: { field: 'tags', op: 'contains', value: 'red' }, q: 'invoice 7', sort: 'title' };
    const selective = { filter: { and: [{ field: 'requester', op: 'eq', value: 'user7@example.com' }, { field: 'urgent', op: 'eq', value: true }] }, sort: '-budget' };
    const newest = { filter: { field: 'status', op: 'in', value: ['open', 'review'] } };

    const base = await time(baseline);
    row('baseline: newest 50 + total', base, base);
    const plain = await time(list(realistic));
    row('filter + sort + page 3, no field indexes', plain, base);

    const indexed = performance.now();
    await syncRecordIndexes(dataSource, formId, fields);
    const indexSeconds = (performance.now() - indexed) / 1000;
    if (dialect === 'postgres') await dataSource.query('VACUUM ANALYZE "record"');
    const fast = await time(list(realistic));
    row('filter + sort + page 3, field indexes', fast, base);
    row('same, page 200 (offset 9,950)', await time(list(realistic, 9950)), base);
    row('requester + urgent, sorted by -budget', await time(list(selective)), base);
    row('status in, newest first, page 3', await time(list(newest)), base);
    row('tags contains + q + sort by title', await time(list(searched)), base);
    console.log(`(field indexes for ${fields.length} fields built in ${indexSeconds.toFixed(1)} s; ${fast.total} of ${RECORDS} records match the first filter)`);
  } finally {
    await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Bulk inserts in one transaction, 400 rows a statement (10 columns each, under SQLite's variable limit). */
async function seed(dataSource, FormRecord, tenantId, formId, count) {
  const start = Date.UTC(2025, 0, 1);
  await dataSource.transaction(async (manager) => {
    for (let offset = 0; offset < count; offset += 400) {
      const rows = [];
      for (let i = offset; i < Math.min(count, offset + 400); i++) {
        const data = {
          title: `Invoice ${i} ${['Acme', 'Globex', 'Initech', 'Umbrella'][i % 4]}`,
          budget: i % 997 === 0 ? 'n/a' : (i * 7919) % 100_000,
          status: STATUSES[(i * 31) % 5],
          requester: `user${i % 200}@example.com`,
          due: new Date(start + (i % 365) * 86_400_000).toISOString().slice(0, 10),
          urgent: i % 3 === 0,
          tags: [TAGS[i % 5], TAGS[(i * 3) % 5]],
        };
        const createdAt = new Date(start + i * 60_000);
        rows.push({
          id: randomUUID(), tenantId, formId, formVersion: 1, data, submittedBy: null, processInstanceId: null, createdAt, updatedAt: createdAt,
          searchText: Object.values(data).flat().join(' ').toLowerCase(),
        });
      }
      await manager.createQueryBuilder().insert().into(FormRecord).values(rows).execute();
    }
  });
}

async function time(query) {
  for (let i = 0; i < 3; i++) await query();
  const ms = [];
  let total = 0;
  let plan;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    ({ total, plan } = await query());
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))], total, plan };
}

function row(name, figure, baseline) {
  const plan = figure.plan ? `  ${figure.total} match; count: ${figure.plan.count}, page: ${figure.plan.page}` : '';
  console.log(`${name.padEnd(44)} median ${figure.p50.toFixed(1).padStart(7)} ms  p99 ${figure.p99.toFixed(1).padStart(7)} ms  ratio ${(figure.p50 / baseline.p50).toFixed(2)}${plan}`);
}
