import { AppError } from '../../core/errors/app-error.js';
import type { FormField } from '../forms/form-fields.js';
import { compileRecordQuery, recordIndexStatements, type RecordQueryInput, type SqlDialect } from './record-query.js';

const fields: FormField[] = [
  { path: 'title', type: 'string', short: true },
  { path: 'budget', type: 'number' },
  { path: 'approved', type: 'boolean' },
  { path: 'due', type: 'string', format: 'date' },
  { path: 'tags', type: 'array', itemType: 'string' },
  { path: 'rows', type: 'array', itemType: 'object' },
  { path: 'address', type: 'object' },
  { path: 'address.city', type: 'string', short: true },
  { path: `x'); DROP TABLE record; --`, type: 'string' },
  { path: `a"b\\`, type: 'number' },
];

function errors(input: RecordQueryInput, dialect: SqlDialect = 'sqlite') {
  try {
    compileRecordQuery(dialect, fields, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    return (error as AppError).details;
  }
  throw new Error('expected a validation error');
}

const condition = (field: string, op: string, value?: unknown) => ({ field, op, value });

describe('compileRecordQuery validation', () => {
  it('names malformed JSON and non-object nodes', () => {
    expect(errors({ filter: '{"and": [' })).toEqual([{ path: 'filter', message: 'is not valid JSON' }]);
    expect(errors({ filter: '[]' })).toEqual([{ path: 'filter', message: expect.stringContaining('must be an object') }]);
    expect(errors({ filter: { and: [condition('title', 'eq', 'x'), 'title = 1'] } })).toEqual([{ path: 'filter.and[1]', message: expect.stringContaining('must be an object') }]);
    expect(errors({ filter: { or: {} } })).toEqual([{ path: 'filter.or', message: 'must be an array of filter nodes' }]);
  });

  it('names unknown keys, fields and operators with their paths', () => {
    expect(errors({ filter: { and: [condition('title', 'eq', 'x'), { field: 'budget', op: 'gt', value: 1, sql: '1=1' }] } }))
      .toEqual([{ path: 'filter.and[1].sql', message: expect.stringContaining('not a known key') }]);
    expect(errors({ filter: { and: [], field: 'title' } })).toEqual([{ path: 'filter.field', message: 'is not allowed next to "and"' }]);
    expect(errors({ filter: { or: [condition('nope', 'eq', 1)] } })).toEqual([{ path: 'filter.or[0].field', message: '"nope" is not a field of this form' }]);
    expect(errors({ filter: { not: condition('title', 'like', 'x') } })).toEqual([{ path: 'filter.not.op', message: expect.stringContaining('must be one of eq, ne') }]);
    expect(errors({ filter: condition('approved', 'gt', true) })).toEqual([{ path: 'filter.op', message: expect.stringContaining('"gt" does not apply to boolean field "approved"') }]);
    expect(errors({ filter: { field: 'title', op: 'eq' } })).toEqual([{ path: 'filter.value', message: 'is required' }]);
  });

  it('reports every problem at once', () => {
    expect(errors({ filter: { and: [condition('nope', 'eq', 1), condition('budget', 'eq', '5')] }, sort: 'nope', q: 5 })).toEqual([
      { path: 'filter.and[0].field', message: '"nope" is not a field of this form' },
      { path: 'filter.and[1].value', message: 'must be a number (budget is a number field)' },
      { path: 'q', message: 'must be a string' },
      { path: 'sort', message: '"nope" is not a field of this form' },
    ]);
  });

  it.each([
    [condition('budget', 'eq', '10'), 'filter.value', 'must be a number (budget is a number field)'],
    [condition('budget', 'ne', null), 'filter.value', 'must be a number (budget is a number field)'],
    [condition('budget', 'gt', Number.NaN), 'filter.value', 'must be a number (budget is a number field)'],
    [condition('title', 'eq', 5), 'filter.value', 'must be a string (title is a text field)'],
    [condition('approved', 'eq', 'true'), 'filter.value', 'must be true or false (approved is a yes/no field)'],
    [condition('due', 'gte', '31/01/2025'), 'filter.value', expect.stringContaining('must be an ISO date')],
    [condition('createdAt', 'gt', 'yesterday'), 'filter.value', expect.stringContaining('must be an ISO date')],
    [condition('budget', 'in', [1, '2']), 'filter.value[1]', 'must be a number (budget is a number field)'],
    [condition('budget', 'in', 1), 'filter.value', 'must be an array of up to 500 values'],
    [condition('budget', 'in', Array.from({ length: 501 }, (_, i) => i)), 'filter.value', 'must be an array of up to 500 values'],
    [condition('budget', 'between', [1]), 'filter.value', 'must be [low, high]'],
    [condition('budget', 'between', [1, 'x']), 'filter.value[1]', 'must be a number (budget is a number field)'],
    [condition('tags', 'contains', 1), 'filter.value', 'must be a string, one item of "tags"'],
    [condition('tags', 'eq', ['a']), 'filter.op', expect.stringContaining('use contains, isEmpty')],
    [condition('rows', 'contains', 'x'), 'filter.value', expect.stringContaining('does not apply to lists of object items')],
    [condition('title', 'contains', { $regex: '.' }), 'filter.value', 'must be a string'],
    [condition('title', 'isEmpty', 'yes'), 'filter.value', 'must be true or false'],
    [condition('address', 'eq', {}), 'filter.op', expect.stringContaining('use isEmpty')],
  ])('refuses %j', (filter, path, message) => {
    expect(errors({ filter })).toEqual([{ path, message }]);
  });

  it('limits conditions to 50 and nesting to 6 levels', () => {
    const many = { or: Array.from({ length: 51 }, () => condition('budget', 'gt', 1)) };
    expect(errors({ filter: many })).toEqual([{ path: 'filter', message: 'has more than 50 conditions' }]);
    expect(() => compileRecordQuery('sqlite', fields, { filter: { or: many.or.slice(1) } })).not.toThrow();
    let deep: unknown = condition('budget', 'gt', 1);
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expect(() => compileRecordQuery('sqlite', fields, { filter: deep })).not.toThrow();
    expect(errors({ filter: { and: [deep] } })).toEqual([{ path: 'filter.and[0].not.not.not.not.not', message: 'nests groups more than 6 levels deep' }]);
  });

  it('validates sort and q', () => {
    expect(errors({ sort: 'budget,-nope' })).toEqual([{ path: 'sort', message: '"nope" is not a field of this form' }]);
    expect(errors({ sort: 'a,b,c,d,e,f' })).toEqual([{ path: 'sort', message: 'may list at most 5 fields' }]);
    expect(errors({ sort: 'budget,,title' })).toEqual([{ path: 'sort', message: 'has an empty field name' }]);
    expect(errors({ sort: 'tags' })).toEqual([{ path: 'sort', message: 'cannot sort by array field "tags"' }]);
    expect(errors({ sort: 'budget,-budget' })).toEqual([{ path: 'sort', message: 'lists "budget" twice' }]);
    expect(errors({ q: 'x'.repeat(201) })).toEqual([{ path: 'q', message: 'must be at most 200 characters' }]);
  });
});

describe('compileRecordQuery output', () => {
  it.each(['sqlite', 'postgres'] as const)('binds every value and never puts hostile text into %s SQL', (dialect) => {
    const hostile = `'); DROP TABLE record; --`;
    const compiled = compileRecordQuery(dialect, fields, {
      filter: { and: [condition('title', 'eq', hostile), condition('title', 'contains', `%_\\${hostile}`), condition('tags', 'contains', hostile), condition('due', 'in', ['2025-01-01'])] },
      q: hostile,
      sort: `-x'); DROP TABLE record; --,title`,
    });
    const sql = [compiled.where, ...compiled.orderBy.map((o) => o.expression)].join(' ');
    expect(sql).not.toContain('DROP');
    expect(sql).not.toMatch(/%|\\/);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining([hostile, `%_\\${hostile.toLowerCase()}`, hostile.toLowerCase()]));
  });

  it('puts catalogue names that are not plain words into bound JSON paths, quoted for SQLite', () => {
    const sqlite = compileRecordQuery('sqlite', fields, { filter: condition(`a"b\\`, 'gt', 1) });
    expect(sqlite.where).not.toContain('a"b');
    expect(Object.values(sqlite.params)).toContain('$."a\\"b\\\\"');
    const postgres = compileRecordQuery('postgres', fields, { filter: condition(`a"b\\`, 'gt', 1) });
    expect(Object.values(postgres.params)).toContainEqual([`a"b\\`]);
  });

  it('refuses JSON-path tricks: a path is a catalogue entry, never parsed', () => {
    for (const field of ['$.budget', 'budget[0]', 'address.city.x', '"budget"', 'budget\'', 'address."city"', '__proto__', 'constructor']) {
      expect(errors({ filter: condition(field, 'eq', 'x') })).toEqual([{ path: 'filter.field', message: expect.stringContaining('is not a field of this form') }]);
    }
  });

  it('keeps literal plain names so expression indexes match, and negates with COALESCE', () => {
    const compiled = compileRecordQuery('sqlite', fields, { filter: { not: condition('budget', 'gt', 10) } });
    expect(compiled.where).toBe(`((NOT COALESCE((${"(CASE WHEN json_type(\"r\".\"data\", '$.\"budget\"') IN ('integer', 'real') THEN json_extract(\"r\".\"data\", '$.\"budget\"') END)"} > :rq_0), FALSE)))`);
    expect(compiled.params).toEqual({ rq_0: 10 });
  });

  it('sorts newest first by default and always ends with id', () => {
    expect(compileRecordQuery('postgres', fields, {}).orderBy).toEqual([
      { expression: '"r"."createdAt"', direction: 'DESC', nulls: 'NULLS LAST' },
      { expression: '("r"."id" COLLATE "C")', direction: 'ASC', nulls: 'NULLS LAST' },
    ]);
    expect(compileRecordQuery('sqlite', fields, { sort: '-id' }).orderBy).toEqual([{ expression: '"r"."id"', direction: 'DESC', nulls: 'NULLS LAST' }]);
    expect(compileRecordQuery('sqlite', fields, {}).where).toBeNull();
  });

  it('refuses an unsafe alias', () => {
    expect(() => compileRecordQuery('sqlite', fields, {}, 'r; DROP')).toThrow('Unsafe query alias');
  });

  it('index statements embed only checked form ids and plain field names', () => {
    expect(() => recordIndexStatements('sqlite', "x' OR 1=1", fields)).toThrow('Unexpected form id');
    const statements = recordIndexStatements('postgres', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', fields).map((index) => index.create);
    expect(statements).toHaveLength(4); // title, budget, due, address.city; not the names that need quoting
    expect(statements.join('\n')).not.toMatch(/DROP|a"b/);
  });

  it('gives PostgreSQL no btree index on a text field without a known bound (an entry holds at most ~2.7 KB)', () => {
    const unbounded: FormField[] = [{ path: 'details', type: 'string' }, { path: 'code', type: 'string', short: true }];
    expect(recordIndexStatements('postgres', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', unbounded).map((index) => index.fields)).toEqual([['code']]);
    expect(recordIndexStatements('sqlite', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', unbounded).filter((index) => index.role === 'field')).toHaveLength(2);
  });
});
