import type { DataSource } from 'typeorm';
import type { AppError } from '../src/core/errors/app-error.js';
import type { JsonSchema } from '../src/modules/forms/form-definition.js';
import { listFields } from '../src/modules/forms/form-fields.js';
import { applyRecordQuery, compileRecordQuery, recordIndexStatements, sqlDialectOf, syncRecordIndexes, type RecordQueryInput } from '../src/modules/records/record-query.js';
import { findRecordPage, type RecordPagePlan, SELECTIVE_MATCHES } from '../src/modules/records/record-page.js';
import { FormRecord } from '../src/modules/records/record.entity.js';
import { testDataSource } from './databases.js';

/**
 * The record query language against a real migrated database: SQLite in `npm test`, PostgreSQL in
 * `npm run test:services`. Every expectation is a hand-derived list of ids, so both databases must
 * return exactly the same records in the same order.
 */

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
const FORM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER_FORM = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const WEIRD = 'we"ird name';
const EVIL = `evil'"); DROP TABLE "record"; --`;

const schema: JsonSchema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    budget: { type: 'number' },
    count: { type: 'integer' },
    approved: { type: 'boolean' },
    due: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'string' } },
    scores: { type: 'array', items: { type: 'number' } },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
    [WEIRD]: { type: 'string' },
    [EVIL]: { type: 'string' },
    预算: { type: 'number' },
  },
};
const fields = listFields(schema);

/** r01..r24: mixed types, missing fields, wrong-typed values, unicode and LIKE metacharacters. */
const DATA: Record<string, Record<string, unknown>> = {
  r01: { title: 'Alpha', budget: 5000, count: 1, approved: true, due: '2025-01-10', tags: ['red', 'blue'], address: { city: 'Berlin', zip: '10115' }, 预算: 1 },
  r02: { title: 'beta', budget: 15000, count: 2, approved: false, due: '2025-02-01', tags: ['blue'], address: { city: 'Paris' } },
  r03: { title: 'Gamma 100%', budget: 25000.5, approved: true, due: '2025-03-15', tags: [], address: { city: 'berlin' } },
  r04: { title: '50_50 split', budget: 10000, count: 0, approved: false, tags: ['green'] },
  r05: { title: 'back\\slash', budget: -200, approved: true, [EVIL]: 'boom' },
  r06: { title: 'Ünïcödé café', budget: 100000, due: '2024-12-31', tags: ['red'] },
  r07: { title: '', budget: 0, approved: null },
  r08: { title: null, budget: null },
  r09: {},
  r10: { title: 'Delta', budget: 'lots', approved: 'yes', tags: 'red' },
  r11: { title: 'epsilon', budget: 9999.99, count: 5, tags: ['Red'] },
  r12: { title: 'Zeta', budget: 20000, scores: [1, 2, 3] },
  r13: { title: "O'Brien", budget: 12000, [WEIRD]: 'odd' },
  r14: { title: 'alpha beta', budget: 15000, tags: ['red', 'green'] },
  r15: { title: 'ALPHA', budget: 1000000 },
  r16: { title: '100 percent', budget: true, due: '2025-01-10T10:00:00Z' },
  r17: { title: 'Eta', budget: 30000, address: { city: 'Paris', zip: '75001' }, 预算: 5 },
  r18: { title: 123, budget: 7000 },
  r19: { title: 'theta', budget: 15000, approved: true, scores: [2.5] },
  r20: { title: 'iota', budget: 45000, due: '2025-06-30', tags: ['blue', 'red'] },
  r21: { title: 'kappa', budget: 15000, count: 3, approved: false, address: 'not an object' },
  r22: { title: 'lambda', budget: [1], tags: [1, 2] },
  r23: { title: 'mu', budget: { v: 1 }, address: {} },
  r24: { title: 'nu', budget: 3, count: -1, approved: true, due: '2025-02-01' },
};
const ALL = Object.keys(DATA);
const except = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

function searchText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return Object.values(value).map(searchText).filter(Boolean).join(' ');
  return String(value).toLowerCase();
}

function row(id: string, tenantId: string, formId: string, n: number, data: Record<string, unknown>, submittedBy: string | null): FormRecord {
  const createdAt = new Date(Date.UTC(2025, 0, 1, n));
  return Object.assign(new FormRecord(), {
    id, tenantId, formId, formVersion: n <= 12 ? 1 : 2, data, searchText: searchText(data), submittedBy, processInstanceId: null,
    createdAt, updatedAt: new Date(createdAt.getTime() + 60_000),
  });
}

describe('record query compiler on a real database', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await testDataSource());
    const rows = ALL.map((id, i) => row(id, TENANT, FORM, i + 1, DATA[id], id === 'r09' ? null : (i + 1) % 2 ? 'u1' : 'u2'));
    // Look-alikes that must never appear: another form of the tenant, the same form id in another tenant.
    rows.push(row('o01', TENANT, OTHER_FORM, 1, { title: 'Alpha', budget: 99999 }, 'u1'));
    rows.push(row('x01', OTHER_TENANT, FORM, 1, { title: 'Alpha', budget: 99999 }, 'u1'));
    await dataSource.getRepository(FormRecord).save(rows);
  });
  afterAll(() => close());

  async function list(input: RecordQueryInput, page?: { limit: number; offset: number }): Promise<string[]> {
    const compiled = compileRecordQuery(sqlDialectOf(dataSource), fields, input);
    const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').select('r.id', 'id')
      .where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId: TENANT, formId: FORM });
    applyRecordQuery(qb, compiled);
    if (page) qb.limit(page.limit).offset(page.offset);
    const rows: Array<{ id: string }> = await qb.getRawMany();
    return rows.map((r) => r.id);
  }
  const ids = (filter: unknown, q?: string) => list({ filter, q, sort: 'id' });
  const where = (field: string, op: string, value?: unknown) => (value === undefined ? { field, op } : { field, op, value });

  describe('numbers compare numerically; text, booleans, arrays and objects in a number field match nothing', () => {
    it.each([
      ['gt', 10000, ['r02', 'r03', 'r06', 'r12', 'r13', 'r14', 'r15', 'r17', 'r19', 'r20', 'r21']],
      ['gte', 10000, ['r02', 'r03', 'r04', 'r06', 'r12', 'r13', 'r14', 'r15', 'r17', 'r19', 'r20', 'r21']],
      ['lt', 5000, ['r05', 'r07', 'r24']],
      ['lte', 5000, ['r01', 'r05', 'r07', 'r24']],
      ['eq', 15000, ['r02', 'r14', 'r19', 'r21']],
      ['eq', 25000.5, ['r03']],
      ['in', [5000, 0, 3], ['r01', 'r07', 'r24']],
      ['in', [], []],
      ['between', [9999.99, 12000], ['r04', 'r11', 'r13']],
      ['isEmpty', true, ['r08', 'r09']],
    ])('budget %s %j', async (op, value, expected) => {
      expect(await ids(where('budget', op, value))).toEqual(expected);
    });

    it('ne is the complement of eq: missing, null and wrong-typed values are "not equal"', async () => {
      expect(await ids(where('budget', 'ne', 15000))).toEqual(except('r02', 'r14', 'r19', 'r21'));
    });

    it('isEmpty false is the complement of isEmpty true', async () => {
      expect(await ids(where('budget', 'isEmpty', false))).toEqual(except('r08', 'r09'));
    });

    it('integers, unicode names and names that need quoting', async () => {
      expect(await ids(where('count', 'lte', 1))).toEqual(['r01', 'r04', 'r24']);
      expect(await ids(where('预算', 'gt', 2))).toEqual(['r17']);
      expect(await ids(where(WEIRD, 'eq', 'odd'))).toEqual(['r13']);
    });
  });

  describe('strings compare as text in code point order', () => {
    it.each([
      ['eq', 'Alpha', ['r01']],
      ['gt', 'a', ['r02', 'r05', 'r06', 'r11', 'r14', 'r19', 'r20', 'r21', 'r22', 'r23', 'r24']],
      ['lt', 'B', ['r01', 'r04', 'r07', 'r15', 'r16']],
      ['in', ['Alpha', 'beta', 'nope'], ['r01', 'r02']],
      ['between', ['Delta', 'Zeta'], ['r03', 'r10', 'r12', 'r13', 'r17']],
      ['isEmpty', true, ['r07', 'r08', 'r09']],
    ])('title %s %j', async (op, value, expected) => {
      expect(await ids(where('title', op, value))).toEqual(expected);
    });

    it('ne includes empty, null, missing and non-text titles', async () => {
      expect(await ids(where('title', 'ne', 'Alpha'))).toEqual(except('r01'));
    });

    it.each([
      ['alpha', ['r01', 'r14', 'r15']],
      ['%', ['r03']],
      ['_', ['r04']],
      ['\\', ['r05']],
      ["'", ['r13']],
      ['café', ['r06']],
      // Folding is ASCII-only on both databases (SQLite's lower() knows no other letters).
      ['CAFÉ', []],
      ["'); DROP TABLE record; --", []],
    ])('contains %j: case-insensitive substring, every character literal', async (value, expected) => {
      expect(await ids(where('title', 'contains', value))).toEqual(expected);
    });

    it('date fields compare ISO text', async () => {
      expect(await ids(where('due', 'gte', '2025-01-10'))).toEqual(['r01', 'r02', 'r03', 'r16', 'r20', 'r24']);
      expect(await ids(where('due', 'between', ['2025-01-01', '2025-02-01']))).toEqual(['r01', 'r02', 'r16', 'r24']);
      expect(await ids(where('due', 'lt', '2025-01-10T00:00:00Z'))).toEqual(['r01', 'r06']);
    });

    it('nested object fields', async () => {
      expect(await ids(where('address.city', 'eq', 'Paris'))).toEqual(['r02', 'r17']);
      expect(await ids(where('address.city', 'contains', 'BERLIN'))).toEqual(['r01', 'r03']);
      expect(await ids(where('address.city', 'isEmpty', true))).toEqual(except('r01', 'r02', 'r03', 'r17'));
      expect(await ids(where('address', 'isEmpty', true))).toEqual(except('r01', 'r02', 'r03', 'r17', 'r21', 'r23'));
    });
  });

  describe('booleans only equal booleans', () => {
    it.each([
      ['eq', true, ['r01', 'r03', 'r05', 'r19', 'r24']],
      ['eq', false, ['r02', 'r04', 'r21']],
      ['in', [true, false], ['r01', 'r02', 'r03', 'r04', 'r05', 'r19', 'r21', 'r24']],
      ['isEmpty', true, ['r06', 'r07', 'r08', 'r09', 'r11', 'r12', 'r13', 'r14', 'r15', 'r16', 'r17', 'r18', 'r20', 'r22', 'r23']],
    ])('approved %s %j', async (op, value, expected) => {
      expect(await ids(where('approved', op, value))).toEqual(expected);
    });

    it('ne true includes false, null, missing and "yes"', async () => {
      expect(await ids(where('approved', 'ne', true))).toEqual(except('r01', 'r03', 'r05', 'r19', 'r24'));
    });
  });

  describe('multi-select arrays', () => {
    it('contains is exact membership of one item; a string that is not an array never matches', async () => {
      expect(await ids(where('tags', 'contains', 'red'))).toEqual(['r01', 'r06', 'r14', 'r20']);
      expect(await ids({ not: where('tags', 'contains', 'red') })).toEqual(except('r01', 'r06', 'r14', 'r20'));
      expect(await ids(where('scores', 'contains', 2))).toEqual(['r12']);
      expect(await ids(where('scores', 'contains', 2.5))).toEqual(['r19']);
    });

    it('isEmpty matches [] and missing', async () => {
      expect(await ids(where('tags', 'isEmpty', true))).toEqual(['r03', 'r05', 'r07', 'r08', 'r09', 'r12', 'r13', 'r15', 'r16', 'r17', 'r18', 'r19', 'r21', 'r23', 'r24']);
    });
  });

  describe('system fields', () => {
    it('createdAt compares instants given as ISO text in any offset', async () => {
      expect(await ids(where('createdAt', 'gte', '2025-01-01T20:00:00Z'))).toEqual(['r20', 'r21', 'r22', 'r23', 'r24']);
      expect(await ids(where('createdAt', 'lt', '2025-01-01T03:00:00+01:00'))).toEqual(['r01']);
      expect(await ids(where('createdAt', 'between', ['2025-01-01T05:00:00Z', '2025-01-01T07:00:00Z']))).toEqual(['r05', 'r06', 'r07']);
      expect(await ids(where('createdAt', 'eq', '2025-01-01T10:00:00.000Z'))).toEqual(['r10']);
      expect(await ids(where('createdAt', 'gt', '2025-01-02'))).toEqual([]);
      expect(await ids(where('updatedAt', 'gte', '2025-01-02'))).toEqual(['r24']);
    });

    it('submittedBy, formVersion and id', async () => {
      expect(await ids(where('submittedBy', 'eq', 'u1'))).toEqual(['r01', 'r03', 'r05', 'r07', 'r11', 'r13', 'r15', 'r17', 'r19', 'r21', 'r23']);
      expect(await ids(where('submittedBy', 'isEmpty', true))).toEqual(['r09']);
      expect(await ids(where('submittedBy', 'ne', 'u1'))).toEqual(['r02', 'r04', 'r06', 'r08', 'r09', 'r10', 'r12', 'r14', 'r16', 'r18', 'r20', 'r22', 'r24']);
      expect(await ids(where('formVersion', 'gt', 1))).toEqual(ALL.slice(12));
      expect(await ids(where('id', 'in', ['r01', 'r05', 'x01', 'o01']))).toEqual(['r01', 'r05']);
      expect(await ids(where('id', 'contains', '2'))).toEqual(['r02', 'r12', 'r20', 'r21', 'r22', 'r23', 'r24']);
    });
  });

  describe('and, or, not', () => {
    it('and / or', async () => {
      expect(await ids({ and: [where('budget', 'gt', 10000), where('approved', 'eq', true)] })).toEqual(['r03', 'r19']);
      expect(await ids({ or: [where('title', 'contains', 'alpha'), where('tags', 'contains', 'green')] })).toEqual(['r01', 'r04', 'r14', 'r15']);
      expect(await ids({ and: [] })).toEqual(ALL);
      expect(await ids({ or: [] })).toEqual([]);
    });

    it('not is the complement, including records where the field is missing or of another type', async () => {
      expect(await ids({ not: where('budget', 'gt', 10000) })).toEqual(['r01', 'r04', 'r05', 'r07', 'r08', 'r09', 'r10', 'r11', 'r16', 'r18', 'r22', 'r23', 'r24']);
      expect(await ids({ not: { and: [where('budget', 'gte', 10000), where('approved', 'eq', true)] } })).toEqual(except('r03', 'r19'));
      expect(await ids({ not: { or: [where('approved', 'eq', true), where('approved', 'eq', false)] } }))
        .toEqual(['r06', 'r07', 'r08', 'r09', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'r16', 'r17', 'r18', 'r20', 'r22', 'r23']);
      expect(await ids({ not: { not: where('budget', 'eq', 15000) } })).toEqual(['r02', 'r14', 'r19', 'r21']);
      expect(await ids({ not: where('title', 'ne', 'Alpha') })).toEqual(['r01']);
      expect(await ids({ not: where('tags', 'isEmpty', false) })).toEqual(await ids(where('tags', 'isEmpty', true)));
    });

    it('nests', async () => {
      const filter = { and: [{ or: [where('address.city', 'eq', 'Paris'), where('address.city', 'contains', 'berlin')] }, { not: where('budget', 'lt', 20000) }] };
      expect(await ids(filter)).toEqual(['r03', 'r17']);
      expect(await ids(JSON.stringify(filter))).toEqual(['r03', 'r17']);
    });
  });

  describe('q searches searchText', () => {
    it.each([
      ['ALPHA', ['r01', 'r14', 'r15']],
      ['%', ['r03']],
      ['_', ['r04']],
      ['ÜNÏ', ['r06']],
      ['paris', ['r02', 'r17']],
      ['  ', ALL],
    ])('q=%j', async (q, expected) => {
      expect(await ids(undefined, q)).toEqual(expected);
    });

    it('combines with a filter', async () => {
      expect(await ids(where('budget', 'gt', 10000), 'red')).toEqual(['r06', 'r14', 'r20']);
    });
  });

  describe('sort', () => {
    const textOrder = ['r07', 'r16', 'r04', 'r15', 'r01', 'r10', 'r17', 'r03', 'r13', 'r12', 'r14', 'r05', 'r02', 'r11', 'r20', 'r21', 'r22', 'r23', 'r24', 'r19', 'r06'];
    const budgetDesc = ['r15', 'r06', 'r20', 'r17', 'r03', 'r12', 'r02', 'r14', 'r19', 'r21', 'r13', 'r04', 'r11', 'r18', 'r01', 'r24', 'r07', 'r05'];
    const notNumbers = ['r08', 'r09', 'r10', 'r16', 'r22', 'r23'];

    it('defaults to newest first', async () => {
      expect(await list({})).toEqual([...ALL].reverse());
    });

    it('numbers numerically, non-numbers last in both directions, ties by id', async () => {
      expect(await list({ sort: '-budget' })).toEqual([...budgetDesc, ...notNumbers]);
      const ascending = [...budgetDesc].reverse();
      // Equal budgets keep id order in both directions.
      ascending.splice(ascending.indexOf('r21'), 4, 'r02', 'r14', 'r19', 'r21');
      expect(await list({ sort: 'budget' })).toEqual([...ascending, ...notNumbers]);
    });

    it('text in code point order, non-text last in both directions', async () => {
      expect(await list({ sort: 'title' })).toEqual([...textOrder, 'r08', 'r09', 'r18']);
      expect(await list({ sort: '-title' })).toEqual([...[...textOrder].reverse(), 'r08', 'r09', 'r18']);
    });

    it('several keys, booleans false first', async () => {
      expect(await list({ sort: 'submittedBy,-createdAt' })).toEqual([
        'r23', 'r21', 'r19', 'r17', 'r15', 'r13', 'r11', 'r07', 'r05', 'r03', 'r01',
        'r24', 'r22', 'r20', 'r18', 'r16', 'r14', 'r12', 'r10', 'r08', 'r06', 'r04', 'r02', 'r09',
      ]);
      expect(await list({ sort: 'approved,-id' })).toEqual(['r21', 'r04', 'r02', 'r24', 'r19', 'r05', 'r03', 'r01', ...except('r01', 'r02', 'r03', 'r04', 'r05', 'r19', 'r21', 'r24').reverse()]);
    });

    it('pages stably', async () => {
      expect(await list({ sort: '-budget' }, { limit: 5, offset: 5 })).toEqual(['r12', 'r02', 'r14', 'r19', 'r21']);
      expect(await list({ filter: where('budget', 'gt', 10000), sort: '-budget' }, { limit: 3, offset: 9 })).toEqual(['r21', 'r13']);
    });
  });

  describe('hostile input is refused or bound', () => {
    it('refuses unknown fields before they reach SQL, and binds hostile values', async () => {
      const attempt = (input: RecordQueryInput) => list(input).then(() => undefined, (error: AppError) => error.details);
      expect(await attempt({ filter: where("title'); DROP TABLE record; --", 'eq', 'x') })).toEqual([{ path: 'filter.field', message: expect.stringContaining('is not a field') }]);
      expect(await attempt({ sort: 'budget; DROP TABLE record' })).toEqual([{ path: 'sort', message: expect.stringContaining('is not a field') }]);
      expect(await ids(where('title', 'eq', "O'Brien"))).toEqual(['r13']);
      expect(await ids(where('title', 'in', ["'; DROP TABLE record; --", '" OR 1=1 --']))).toEqual([]);
      expect(await ids(undefined, "' OR '1'='1")).toEqual([]);
    });

    it('reads a catalogue field whose name is itself an injection attempt through a bound path', async () => {
      expect(await ids(where(EVIL, 'eq', 'boom'))).toEqual(['r05']);
      expect(await list({ sort: `-${EVIL},id` }, { limit: 1, offset: 0 })).toEqual(['r05']);
      expect(await dataSource.getRepository(FormRecord).count()).toBe(26);
    });
  });

  it('field indexes build on this database, skip names that need quoting, and leave answers unchanged', async () => {
    const indexes = recordIndexStatements(sqlDialectOf(dataSource), FORM, fields);
    expect(indexes.map((index) => index.create).join('\n')).not.toContain('DROP');
    // title budget count due address.city address.zip 预算, and on SQLite one covering index that adds approved.
    // PostgreSQL leaves out text fields without a known length bound (a btree entry holds at most ~2.7 KB).
    const fieldIndexes = sqlDialectOf(dataSource) === 'sqlite' ? ['title', 'budget', 'count', 'due', 'address.city', 'address.zip', '预算'] : ['budget', 'count', 'due', '预算'];
    expect(indexes.filter((index) => index.role === 'field').map((index) => index.fields[0])).toEqual(fieldIndexes);
    expect(indexes.filter((index) => index.role === 'cover').map((index) => index.fields))
      .toEqual(sqlDialectOf(dataSource) === 'sqlite' ? [['title', 'budget', 'count', 'approved', 'due', 'address.city', 'address.zip', '预算']] : []);
    await syncRecordIndexes(dataSource, FORM, fields);
    await syncRecordIndexes(dataSource, FORM, fields.filter((field) => field.path !== 'title'));
    expect(await ids(where('budget', 'gt', 10000))).toEqual(['r02', 'r03', 'r06', 'r12', 'r13', 'r14', 'r15', 'r17', 'r19', 'r20', 'r21']);
    expect(await list({ sort: 'title' })).toEqual(['r07', 'r16', 'r04', 'r15', 'r01', 'r10', 'r17', 'r03', 'r13', 'r12', 'r14', 'r05', 'r02', 'r11', 'r20', 'r21', 'r22', 'r23', 'r24', 'r19', 'r06', 'r08', 'r09', 'r18']);
    expect(await list({ sort: '-budget' }, { limit: 3, offset: 0 })).toEqual(['r15', 'r06', 'r20']);
  });

  describe('findRecordPage (what the records API runs) gives the same page and exact total on every plan', () => {
    const inputs: RecordQueryInput[] = [
      {}, { sort: '-budget' }, { sort: 'budget' }, { sort: 'title' }, { sort: '-title' }, { sort: 'title,-budget' }, { sort: 'createdAt' },
      { sort: 'due,-createdAt' }, { sort: '-预算' }, { sort: `-${EVIL},id` },
      { filter: where('budget', 'gt', 10000), sort: '-budget' },
      { filter: where('budget', 'gt', 10000), sort: 'budget' },
      { filter: { and: [where('budget', 'gte', 10000), where('approved', 'eq', true)] }, sort: 'title' },
      { filter: { not: where('title', 'contains', 'alpha') }, sort: 'due' },
      { filter: { or: [where('address.city', 'eq', 'Paris'), where('count', 'lte', 1)] }, sort: '-count' },
      { filter: where('approved', 'ne', true), sort: '-createdAt' },
      { filter: where('title', 'in', []), sort: 'title' },
      { filter: where('tags', 'contains', 'red'), sort: '-budget' },
      { filter: where('budget', 'isEmpty', true), sort: 'budget' },
      { filter: where(WEIRD, 'eq', 'odd'), sort: 'title' },
      { filter: where('createdAt', 'gte', '2025-01-01T10:00:00Z'), sort: '-budget' },
      { q: 'alpha', sort: 'title' },
      { filter: where('budget', 'lt', 100000), q: 'a', sort: '-title' },
    ];
    // Offsets 16 and 19 reach the records without a sort key (last in both directions) while the
    // sort-index walk is still chosen: PostgreSQL then reads them in a second query.
    const pages = [
      { offset: 0, limit: 3 }, { offset: 2, limit: 5 }, { offset: 9, limit: 3 }, { offset: 0, limit: 50 }, { offset: 16, limit: 5 }, { offset: 19, limit: 5 },
      { offset: 20, limit: 10 }, { offset: 30, limit: 5 },
    ];

    beforeAll(() => syncRecordIndexes(dataSource, FORM, fields));

    it('knows which filters the covering index can count and which sorts an index holds', () => {
      const compiled = (input: RecordQueryInput) => {
        const { filterFields, sortField, anchors } = compileRecordQuery(sqlDialectOf(dataSource), fields, input);
        return { filterFields, sortField, anchors: anchors.map((anchor) => anchor.field) };
      };
      expect(compiled({ filter: { and: [where('budget', 'gt', 1), { not: where('approved', 'eq', true) }, where('address.city', 'contains', 'x')] }, sort: '-budget,title' }))
        .toEqual({ filterFields: ['budget', 'approved', 'address.city'], sortField: 'budget', anchors: ['budget'] });
      expect(compiled({ filter: where('budget', 'isEmpty', true) })).toEqual({ filterFields: null, sortField: 'createdAt', anchors: [] });
      expect(compiled({ filter: where('tags', 'contains', 'red'), sort: 'approved' })).toEqual({ filterFields: null, sortField: null, anchors: [] });
      expect(compiled({ filter: where('createdAt', 'gt', '2025-01-01'), sort: 'id' })).toEqual({ filterFields: null, sortField: null, anchors: [] });
      expect(compiled({ filter: where(WEIRD, 'eq', 'odd'), sort: `-${EVIL}` })).toEqual({ filterFields: null, sortField: null, anchors: [] });
      expect(compiled({ filter: where('title', 'eq', 'x'), q: 'alpha', sort: 'due' })).toEqual({ filterFields: null, sortField: 'due', anchors: ['title'] });
      expect(compiled({})).toEqual({ filterFields: [], sortField: 'createdAt', anchors: [] });
      // Only conditions every match meets bound the matches: not those under OR, NOT or ne.
      expect(compiled({ filter: { and: [{ and: [where('count', 'in', [1, 2])] }, { or: [where('budget', 'eq', 1), where('title', 'eq', 'x')] }, where('due', 'ne', '2025-01-01'), { not: where('budget', 'lt', 5) }, where('count', 'in', [])] } }))
        .toEqual({ filterFields: ['count', 'budget', 'title', 'due'], sortField: 'createdAt', anchors: ['count'] });
    });

    it('matches the query as written for every input and page', async () => {
      const seen = { count: new Set<RecordPagePlan['count']>(), page: new Set<RecordPagePlan['page']>() };
      for (const input of inputs) {
        const all = await list(input);
        for (const { offset, limit } of pages) {
          const query = compileRecordQuery(sqlDialectOf(dataSource), fields, input);
          const page = await findRecordPage(dataSource, { tenantId: TENANT, formId: FORM, indexedFields: fields, query, offset, limit });
          expect({ input, offset, limit, total: page.total, ids: page.records.map((r) => r.id) })
            .toEqual({ input, offset, limit, total: all.length, ids: all.slice(offset, offset + limit) });
          seen.count.add(page.plan.count);
          seen.page.add(page.plan.page);
        }
      }
      // Each path above was taken at least once; PostgreSQL plans counts itself.
      const sqlite = sqlDialectOf(dataSource) === 'sqlite';
      expect([...seen.count].sort()).toEqual(sqlite ? ['covering-index', 'field-index', 'planner'] : ['planner']);
      expect([...seen.page].sort()).toEqual(sqlite ? ['field-index', 'none', 'planner', 'sort-index'] : ['none', 'planner', 'sort-index']);
    });

    it('returns whole records of this tenant and form only', async () => {
      const query = compileRecordQuery(sqlDialectOf(dataSource), fields, { sort: '-budget' });
      const page = await findRecordPage(dataSource, { tenantId: TENANT, formId: FORM, indexedFields: fields, query, offset: 0, limit: 2 });
      expect(page.records.map((r) => [r.id, r.tenantId, r.formId, r.data])).toEqual([['r15', TENANT, FORM, DATA.r15], ['r06', TENANT, FORM, DATA.r06]]);
      expect(page.total).toBe(24);
    });

    it('falls back to the planner for a form whose indexes are not built yet', async () => {
      const query = compileRecordQuery(sqlDialectOf(dataSource), fields, { filter: where('budget', 'gt', 1), sort: '-budget' });
      const page = await findRecordPage(dataSource, { tenantId: TENANT, formId: OTHER_FORM, indexedFields: fields, query, offset: 0, limit: 5 });
      expect({ total: page.total, ids: page.records.map((r) => r.id), plan: page.plan }).toEqual({ total: 1, ids: ['o01'], plan: { count: 'planner', page: 'planner' } });
    });

    it(`counts through a condition's index up to ${SELECTIVE_MATCHES} matches, and past that from the covering index`, async () => {
      const BIG_FORM = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
      const rows = Array.from({ length: SELECTIVE_MATCHES + 100 }, (_, i) => row(`c${String(i).padStart(5, '0')}`, TENANT, BIG_FORM, i % 24, { budget: i, title: `t${i % 7}` }, null));
      await dataSource.getRepository(FormRecord).save(rows, { chunk: 200 });
      await syncRecordIndexes(dataSource, BIG_FORM, fields);
      const page = async (input: RecordQueryInput) => {
        const query = compileRecordQuery(sqlDialectOf(dataSource), fields, input);
        const found = await findRecordPage(dataSource, { tenantId: TENANT, formId: BIG_FORM, indexedFields: fields, query, offset: 40, limit: 5 });
        const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r').select('r.id', 'id')
          .where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId: TENANT, formId: BIG_FORM });
        const all: Array<{ id: string }> = await applyRecordQuery(qb, query).getRawMany();
        expect({ total: found.total, ids: found.records.map((r) => r.id) }).toEqual({ total: all.length, ids: all.slice(40, 45).map((r) => r.id) });
        return found.plan.count;
      };
      const sqlite = sqlDialectOf(dataSource) === 'sqlite';
      expect(await page({ filter: where('budget', 'gte', 50), sort: '-budget' })).toBe(sqlite ? 'covering-index' : 'planner');
      expect(await page({ filter: where('budget', 'lt', SELECTIVE_MATCHES), sort: 'title' })).toBe(sqlite ? 'field-index' : 'planner');
      expect(await page({ filter: where('budget', 'lte', SELECTIVE_MATCHES), sort: 'title' })).toBe(sqlite ? 'covering-index' : 'planner');
      expect(await page({ filter: { and: [where('budget', 'gte', 50), where('title', 'in', ['t3', 't5'])] }, sort: '-budget' })).toBe(sqlite ? 'field-index' : 'planner');
    });
  });
});
