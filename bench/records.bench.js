// Record list queries on SQLite. Baseline: one page of a form's records, newest first, plus the total
// (the plain list every table opens with). Figure: a filter + sort + page through the record query
// compiler (budget > 10000 and status in [open, review], sorted by -budget, page 3 of 50, with the
// total), first without and then with the per-field expression indexes syncRecordIndexes creates.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib.js';

const dist = (path) => import(join(root, 'server/dist', path));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const OTHER_RECORDS = Math.round(RECORDS / 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const STATUSES = ['draft', 'open', 'review', 'approved', 'rejected'];
const TAGS = ['red', 'green', 'blue', 'amber', 'violet'];

export async function run() {
  const { AppConfig } = await dist('core/config/app-config.js');
  const { createDataSource } = await dist('core/database/data-source.js');
  const { FormRecord } = await dist('modules/records/record.entity.js');
  const { listFields } = await dist('modules/forms/form-fields.js');
  const { applyRecordQuery, compileRecordQuery, syncRecordIndexes } = await dist('modules/records/record-query.js');

  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-records-'));
  const dataSource = await createDataSource(new AppConfig({ DATA_DIR: dataDir }));
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
    await dataSource.query('ANALYZE');
    console.log(`\nRecords on SQLite: ${RECORDS} records of one form + ${OTHER_RECORDS} of another (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s), ${RUNS} runs each`);

    const list = (input) => async () => {
      const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId, formId });
      applyRecordQuery(qb, compileRecordQuery('sqlite', fields, input));
      const total = await qb.getCount();
      const items = await qb.offset(100).limit(50).getMany();
      return { total, items };
    };
    const baseline = async () => {
      const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId, formId });
      const total = await qb.getCount();
      const items = await qb.orderBy('r.createdAt', 'DESC').limit(50).getMany();
      return { total, items };
    };
    const realistic = { filter: { and: [{ field: 'budget', op: 'gt', value: 10000 }, { field: 'status', op: 'in', value: ['open', 'review'] }] }, sort: '-budget' };
    const searched = { filter: { field: 'tags', op: 'contains', value: 'red' }, q: 'invoice 7', sort: 'title' };

    const base = await time(baseline);
    row('baseline: newest 50 + total', base, base);
    const plain = await time(list(realistic));
    row('filter + sort + page 3, no field indexes', plain, base);

    const indexed = performance.now();
    await syncRecordIndexes(dataSource, formId, fields);
    const indexSeconds = (performance.now() - indexed) / 1000;
    const fast = await time(list(realistic));
    row('filter + sort + page 3, field indexes', fast, base);
    row('tags contains + q + sort by title (scan)', await time(list(searched)), base);
    console.log(`(field indexes for ${fields.length} fields built in ${indexSeconds.toFixed(1)} s; ${fast.total} of ${RECORDS} records match)`);
    for (const plan of await explain(dataSource, FormRecord, tenantId, formId, fields, realistic, applyRecordQuery, compileRecordQuery)) console.log(`  plan: ${plan}`);
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
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    ({ total } = await query());
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))], total };
}

function row(name, figure, baseline) {
  console.log(`${name.padEnd(44)} median ${figure.p50.toFixed(1).padStart(7)} ms  p99 ${figure.p99.toFixed(1).padStart(7)} ms  ratio ${(figure.p50 / baseline.p50).toFixed(2)}`);
}

async function explain(dataSource, FormRecord, tenantId, formId, fields, input, applyRecordQuery, compileRecordQuery) {
  const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').select('r.id').where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId, formId });
  applyRecordQuery(qb, compileRecordQuery('sqlite', fields, input));
  const [sql, params] = qb.offset(100).limit(50).getQueryAndParameters();
  const [countSql, countParams] = qb.clone().offset(undefined).limit(undefined).orderBy().select('COUNT(*)').getQueryAndParameters();
  const plans = [];
  for (const [text, values] of [[sql, params], [countSql, countParams]]) {
    plans.push((await dataSource.query(`EXPLAIN QUERY PLAN ${text}`, values)).map((step) => step.detail).join(' | '));
  }
  return plans;
}
