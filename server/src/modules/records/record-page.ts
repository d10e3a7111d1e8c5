import { type DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import type { FormField } from '../forms/form-fields.js';
import { applyRecordQuery, type CompiledRecordQuery, existingRecordIndexes, FORM_ID, type RecordIndex, recordIndexStatements, sqlDialectOf } from './record-query.js';
import { FormRecord } from './record.entity.js';

export interface RecordPageRequest {
  tenantId: string;
  formId: string;
  /** The fields of the form's published version: what syncRecordIndexes built its indexes from. */
  indexedFields: readonly FormField[];
  query: CompiledRecordQuery;
  offset: number;
  limit: number;
}

/** How a page was found; the benchmark prints it and the tests pin every path to the same answers. */
export interface RecordPagePlan {
  /**
   * `field-index`: through the index of a condition few records meet (SQLite). `covering-index`:
   * from the form's covering index alone (SQLite).
   */
  count: 'field-index' | 'covering-index' | 'planner';
  /**
   * `field-index`: the few records that condition's index names, sorted (SQLite). `sort-index`:
   * walked the first sort key's index in order, stopping after the page. `none`: the page lies past the end.
   */
  page: 'field-index' | 'sort-index' | 'planner' | 'none';
}

/** Up to this many records, a condition's own index is the cheapest way to count and page the matches (SQLite). */
export const SELECTIVE_MATCHES = 2000;

export interface RecordPage {
  /** Exactly how many records match, whatever the plan. */
  total: number;
  records: FormRecord[];
  plan: RecordPagePlan;
}

/**
 * One page of a form's records and the exact number that match, for a compiled filter/sort/search.
 *
 * Left alone, both databases answer a filter + sort + page by fetching every match through the
 * most selective filter's index and sorting them all (36,000 records sorted for one 50-row page of
 * a 100,000-record form): their row estimates for JSON expressions are poor, and SQLite's planner
 * does not weigh the LIMIT. With the exact count in hand, which the page needs anyway, the page
 * instead walks the first sort key's index in order when that visits fewer records than fetching
 * every match: about (offset + limit) × form records / matches of them, if matches spread evenly
 * along the sort order, against `matches`. Both plans return the same rows; a filter that
 * correlates with the sort key only makes the walk slower, never longer than one pass over the form.
 *
 * On SQLite, counting is chosen here too. A condition every match meets whose own index holds at
 * most SELECTIVE_MATCHES entries (found by counting that far in the index alone) bounds the work:
 * the count and the page go through that index. Otherwise a filter that reads only indexed field
 * values is counted from the form's covering index (one narrow entry per record, a fixed cost of
 * about 10 ms per 100,000 records here) rather than by fetching every match, which gives the form's
 * size for the decision above in the same pass. PostgreSQL cannot count from expression indexes
 * alone (see recordIndexStatements), so there the form's size is the planner's estimate.
 */
export async function findRecordPage(dataSource: DataSource, request: RecordPageRequest): Promise<RecordPage> {
  if (!FORM_ID.test(request.formId)) return plannedPage(dataSource, request);
  try {
    return sqlDialectOf(dataSource) === 'sqlite' ? await sqlitePage(dataSource, request) : await postgresPage(dataSource, request);
  } catch (error) {
    // A re-publish can drop an index between looking it up and using it; the planner needs none.
    if (error instanceof Error && /no such index|no query solution/.test(error.message)) return plannedPage(dataSource, request);
    throw error;
  }
}

async function sqlitePage(dataSource: DataSource, request: RecordPageRequest): Promise<RecordPage> {
  const { query, offset, limit } = request;
  const { indexes, createdAt } = await usableIndexes(dataSource, request);
  const anchor = query.where ? await narrowestAnchor(dataSource, request, indexes) : undefined;
  if (anchor && query.where) {
    const from = `"record" "r" INDEXED BY "${anchor}" WHERE ${formRecords(request)} AND ${query.where}`;
    const [row] = await run<{ count: number }>(dataSource, request, `SELECT COUNT(*) AS "count" FROM ${from}`);
    if (row.count <= offset) return { total: row.count, records: [], plan: { count: 'field-index', page: 'none' } };
    const rows = await run<{ id: string }>(dataSource, request, `SELECT "r"."id" AS "id" FROM ${from} ORDER BY ${orderBy(query)} LIMIT ${limit} OFFSET ${offset}`);
    return { total: row.count, records: await inOrder(dataSource, request.tenantId, rows.map((r) => r.id)), plan: { count: 'field-index', page: 'field-index' } };
  }
  const cover = indexes.find((index) => index.role === 'cover');
  let total: number;
  let formRows: number | undefined;
  let count: RecordPagePlan['count'] = 'planner';
  if (query.where && cover && query.filterFields?.every((field) => cover.fields.includes(field))) {
    const [row] = await run<{ rows: number; matched: number }>(dataSource, request,
      `SELECT COUNT(*) AS "rows", COUNT(*) FILTER (WHERE ${query.where}) AS "matched" FROM "record" "r" INDEXED BY "${cover.name}" WHERE ${formRecords(request)}`);
    total = row.matched;
    formRows = row.rows;
    count = 'covering-index';
  } else {
    total = await countMatches(dataSource, request);
    if (!query.where) formRows = total;
  }
  if (total <= offset) return { total, records: [], plan: { count, page: 'none' } };

  const sortIndex = query.sortField === 'createdAt' ? createdAt : indexes.find((index) => index.role === 'field' && index.fields[0] === query.sortField)?.name;
  if (sortIndex) {
    formRows ??= await countMatches(dataSource, { ...request, query: { ...query, where: null } });
    if (walkIsCheaper(request, total, formRows)) {
      // SQLite walks an index in either direction with missing values last, as the sort wants.
      const rows = await run<{ id: string }>(dataSource, request,
        `SELECT "r"."id" AS "id" FROM "record" "r" INDEXED BY "${sortIndex}" WHERE ${formRecords(request)}${query.where ? ` AND ${query.where}` : ''} ORDER BY ${orderBy(query)} LIMIT ${limit} OFFSET ${offset}`);
      return { total, records: await inOrder(dataSource, request.tenantId, rows.map((row) => row.id)), plan: { count, page: 'sort-index' } };
    }
  }
  return { total, records: await recordsQuery(dataSource, request).offset(offset).limit(limit).getMany(), plan: { count, page: 'planner' } };
}

async function postgresPage(dataSource: DataSource, request: RecordPageRequest): Promise<RecordPage> {
  const { query, offset, limit } = request;
  const total = await countMatches(dataSource, request);
  if (total <= offset) return { total, records: [], plan: { count: 'planner', page: 'none' } };
  const { indexes, createdAt } = await usableIndexes(dataSource, request);
  const sortIndex = query.sortField === 'createdAt' ? createdAt : indexes.find((index) => index.role === 'field' && index.fields[0] === query.sortField)?.name;
  if (!sortIndex || !walkIsCheaper(request, total, await estimatedFormRows(dataSource, request))) {
    return { total, records: await recordsQuery(dataSource, request).offset(offset).limit(limit).getMany(), plan: { count: 'planner', page: 'planner' } };
  }
  // A PostgreSQL index keeps missing values last going forward and first going backward, so the
  // walk takes the records that have a sort key, and those without (last in both directions,
  // by the remaining keys) follow in a second query when the page reaches them.
  const [lead, ...rest] = query.orderBy;
  const keyed = `${lead.expression} IS NOT NULL`;
  const walkOrder = [{ ...lead, nulls: lead.direction === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST' } as const, ...rest];
  const ids = await dataSource.transaction(async (manager) => {
    // The planner's row estimates for JSON expressions are what mislead it; costing every sort out
    // leaves it the one plan that needs none, the index walk.
    await manager.query('SET LOCAL enable_sort = off');
    const rows = await run<{ id: string }>(dataSource, request,
      `SELECT "r"."id" AS "id" FROM "record" "r" WHERE ${formRecords(request)} AND ${keyed}${query.where ? ` AND ${query.where}` : ''} ORDER BY ${orderBy({ orderBy: walkOrder })} LIMIT ${limit} OFFSET ${offset}`,
      manager);
    return rows.map((row) => row.id);
  });
  if (ids.length < limit) {
    const withKey = ids.length > 0 ? offset + ids.length : await countMatches(dataSource, request, keyed);
    const rows = await recordsQuery(dataSource, request).andWhere(`${lead.expression} IS NULL`).select('r.id', 'id')
      .offset(Math.max(0, offset - withKey)).limit(limit - ids.length).getRawMany<{ id: string }>();
    ids.push(...rows.map((row) => row.id));
  }
  return { total, records: await inOrder(dataSource, request.tenantId, ids), plan: { count: 'planner', page: 'sort-index' } };
}

/**
 * The index of the top-level condition the fewest records meet, when that is at most
 * SELECTIVE_MATCHES: each is counted in its index alone, stopping one past the limit.
 */
async function narrowestAnchor(dataSource: DataSource, request: RecordPageRequest, indexes: RecordIndex[]): Promise<string | undefined> {
  let best: { index: string; count: number } | undefined;
  for (const anchor of request.query.anchors) {
    const index = indexes.find((candidate) => candidate.role === 'field' && candidate.fields[0] === anchor.field)?.name;
    if (!index) continue;
    const [row] = await run<{ count: number }>(dataSource, request,
      `SELECT COUNT(*) AS "count" FROM (SELECT 1 FROM "record" "r" INDEXED BY "${index}" WHERE "r"."formId" = '${request.formId}' AND ${anchor.condition} LIMIT ${SELECTIVE_MATCHES + 1})`);
    if (row.count <= SELECTIVE_MATCHES && (!best || row.count < best.count)) best = { index, count: row.count };
  }
  return best?.index;
}

/** Whether walking the sort index visits fewer records than fetching all `matches` (see findRecordPage). */
function walkIsCheaper(request: RecordPageRequest, matches: number, formRows: number): boolean {
  return (request.offset + request.limit) * formRows <= matches * matches;
}

async function plannedPage(dataSource: DataSource, request: RecordPageRequest): Promise<RecordPage> {
  const total = await countMatches(dataSource, request);
  if (total <= request.offset) return { total, records: [], plan: { count: 'planner', page: 'none' } };
  const records = await recordsQuery(dataSource, request).offset(request.offset).limit(request.limit).getMany();
  return { total, records, plan: { count: 'planner', page: 'planner' } };
}

/** The query as written, for the database's own planner (and for exports, which read it in batches). */
export function recordsQuery(dataSource: DataSource, request: Pick<RecordPageRequest, 'tenantId' | 'formId' | 'query'>): SelectQueryBuilder<FormRecord> {
  const qb = dataSource.getRepository(FormRecord).createQueryBuilder('r')
    .where('r.tenantId = :tenantId AND r.formId = :formId', { tenantId: request.tenantId, formId: request.formId });
  return applyRecordQuery(qb, request.query);
}

/** COUNT(*) rather than TypeORM's getCount, whose COUNT(DISTINCT id) sorts every match's id. */
async function countMatches(dataSource: DataSource, request: RecordPageRequest, and?: string): Promise<number> {
  const conditions = [`"r"."tenantId" = :tenantId AND "r"."formId" = :formId`, request.query.where, and].filter(Boolean).join(' AND ');
  const [row] = await run<{ count: number | string }>(dataSource, request, `SELECT COUNT(*) AS "count" FROM "record" "r" WHERE ${conditions}`);
  return Number(row.count);
}

/** The planner's estimate of the form's size (kept current by autovacuum's ANALYZE), for the plan choice only. */
async function estimatedFormRows(dataSource: DataSource, request: RecordPageRequest): Promise<number> {
  const [row] = await run<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(dataSource, request,
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM "record" "r" WHERE "r"."tenantId" = :tenantId AND "r"."formId" = :formId`);
  return row['QUERY PLAN'][0].Plan['Plan Rows'];
}

/**
 * The form's field indexes that exist and match its published fields (the job builds them after
 * publishing), and the entity's (tenantId, formId, createdAt) index that newest-first lists walk.
 */
async function usableIndexes(dataSource: DataSource, request: RecordPageRequest): Promise<{ indexes: RecordIndex[]; createdAt?: string }> {
  const existing = await existingRecordIndexes(dataSource, request.formId);
  const createdAt = dataSource.getMetadata(FormRecord).indices
    .find((index) => index.columns.map((column) => column.propertyName).join() === 'tenantId,formId,createdAt')?.name;
  return {
    indexes: recordIndexStatements(sqlDialectOf(dataSource), request.formId, request.indexedFields).filter((index) => existing.has(index.name)),
    createdAt,
  };
}

/**
 * The tenant and form restriction. The form id is a literal (checked against FORM_ID): SQLite
 * accepts `INDEXED BY` a partial index only when the statement itself shows `formId = '<id>'`.
 */
function formRecords(request: RecordPageRequest): string {
  return `"r"."tenantId" = :tenantId AND "r"."formId" = '${request.formId}'`;
}

function orderBy(query: Pick<CompiledRecordQuery, 'orderBy'>): string {
  return query.orderBy.map((term) => `${term.expression} ${term.direction} ${term.nulls}`).join(', ');
}

/** Runs SQL written here with the compiled query's named parameters (on `manager` inside a transaction). */
function run<T>(dataSource: DataSource, request: RecordPageRequest, sql: string, manager: EntityManager = dataSource.manager): Promise<T[]> {
  const [text, values] = dataSource.driver.escapeQueryWithParameters(sql, { ...request.query.params, tenantId: request.tenantId, formId: request.formId });
  return manager.query(text, values);
}

async function inOrder(dataSource: DataSource, tenantId: string, ids: string[]): Promise<FormRecord[]> {
  if (ids.length === 0) return [];
  const byId = new Map((await dataSource.getRepository(FormRecord).findBy({ tenantId, id: In(ids) })).map((record) => [record.id, record]));
  return ids.map((id) => byId.get(id)).filter((record): record is FormRecord => record !== undefined);
}
