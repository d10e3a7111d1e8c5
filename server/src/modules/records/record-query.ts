import { createHash } from 'node:crypto';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError, type ErrorDetail } from '../../core/errors/app-error.js';
import type { FormField } from '../forms/form-fields.js';

/**
 * The record list's filter / sort / search language compiled to parameterised SQL that gives the
 * same answers on SQLite (json_extract over JSON text) and PostgreSQL (JSONB).
 *
 * Semantics every operator shares (documented in the API and pinned by record-query.e2e-spec.ts):
 * - A condition is two-valued: it matches or it does not, never "unknown". A field that is missing,
 *   JSON null or holds a value of another type than the form declares (text in a number field)
 *   matches no comparison (`eq gt gte lt lte in between contains`).
 * - `ne` is the complement of `eq`, and `not` is the complement of what it wraps: both include
 *   records whose field is missing, null or of another type ("status is not Done" lists records
 *   without a status). SQL's `NOT (x = 1)` would be NULL there and drop them, so negation is pushed
 *   down to the conditions and each negated condition is `NOT COALESCE(condition, FALSE)`.
 * - Numbers compare numerically; strings, `date` and `date-time` strings compare as text in code
 *   point order (`COLLATE "C"` on PostgreSQL, SQLite's binary order), so ISO dates sort correctly;
 *   booleans only equal booleans; `createdAt`/`updatedAt` compare as instants.
 * - `contains` on a string is a substring match, case-insensitive for ASCII letters on both
 *   databases (SQLite's lower() folds ASCII only, so PostgreSQL folds the same), with every
 *   character of the value literal (`%`, `_`, `\`). On an array (multi-select) it is exact
 *   membership of one item.
 * - `isEmpty: true` matches missing, null, "" and []; `false` is its complement.
 * - Sorting puts values of another type than the field's and missing values last, in either
 *   direction, and always ends with `id` so pages are stable.
 *
 * Typed values are read through one expression per field and type (see `ValueExpressions`), which
 * is also what `recordIndexStatements` indexes, so the same text serves filters, sorts and indexes.
 */

export type SqlDialect = 'sqlite' | 'postgres';

export interface RecordQueryInput {
  /** A filter node, or its JSON text as it arrives in `?filter=`. */
  filter?: unknown;
  /** `-createdAt,budget`: up to 5 fields, `-` for descending. */
  sort?: unknown;
  /** Full-text search over `searchText`. */
  q?: unknown;
}

export interface RecordOrder {
  expression: string;
  direction: 'ASC' | 'DESC';
  nulls: 'NULLS FIRST' | 'NULLS LAST';
}

export interface CompiledRecordQuery {
  /** A boolean SQL expression over the record alias, or null when nothing restricts the list. */
  where: string | null;
  /** Every value the SQL binds, named `rq_<n>` so they never collide with the caller's parameters. */
  params: Record<string, unknown>;
  /** ORDER BY terms, the last one always the record id. */
  orderBy: RecordOrder[];
  /**
   * The form fields whose typed values `where` reads, when that is all it reads (so the form's
   * covering index can answer it); null when it also reads something no index holds (emptiness,
   * list membership, system columns, the search text, names that need a bound path).
   */
  filterFields: string[] | null;
  /** The first sort key when an index can hold its order: a number, text or date field, or `createdAt`. */
  sortField: string | null;
  /**
   * Conditions that every match meets (ANDed at the top of the filter) and that a field's own index
   * answers alone (a comparison, `in` or `between` on a number, text or date field): each bounds
   * how many records can match.
   */
  anchors: RecordAnchor[];
}

export interface RecordAnchor {
  field: string;
  /** SQL over the field's typed value only, with the compiled query's parameters. */
  condition: string;
}

export const RECORD_QUERY_LIMITS = {
  conditions: 50,
  depth: 6,
  inValues: 500,
  sortFields: 5,
  stringLength: 1000,
  searchLength: 200,
  filterLength: 100_000,
} as const;

export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'isEmpty', 'between'] as const;
export type Operator = (typeof OPERATORS)[number];

export const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'submittedBy', 'formVersion'] as const;

/** How a field's values compare. `date` is an ISO string field: compared as text, values checked as ISO. */
type ValueKind = 'number' | 'string' | 'date' | 'boolean' | 'timestamp' | 'array' | 'object';

const OPERATORS_BY_KIND: Record<ValueKind, readonly Operator[]> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'isEmpty'],
  string: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'contains', 'isEmpty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'contains', 'isEmpty'],
  boolean: ['eq', 'ne', 'in', 'isEmpty'],
  timestamp: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'isEmpty'],
  array: ['contains', 'isEmpty'],
  object: ['isEmpty'],
};

/**
 * Kinds whose typed value the form's covering index holds on SQLite; number, text and date fields
 * also get an index of their own (see recordIndexStatements).
 */
const COVERED_KINDS: readonly ValueKind[] = ['number', 'string', 'date', 'boolean'];
/** Kinds whose fields get an index of their own. */
const INDEXED_KINDS: readonly ValueKind[] = ['number', 'string', 'date'];

const COMPARISONS: Partial<Record<Operator, string>> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** Operators whose condition a field's index can search (a point, a set of points or a range). */
const INDEX_SEARCH_OPERATORS: readonly Operator[] = ['eq', 'gt', 'gte', 'lt', 'lte', 'in', 'between'];

/** Property names that can sit inside SQL text as literals (and so match expression indexes). */
const PLAIN_NAME = /^[\p{L}\p{M}\p{N}_-]+$/u;
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Form ids reach index DDL and partial-index predicates as literals; they are UUIDs. */
export const FORM_ID = /^[A-Za-z0-9-]{1,36}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** A field as the compiler sees it: how to read it in SQL and how its values compare. */
interface Target {
  name: string;
  kind: ValueKind;
  itemKind?: 'number' | 'string' | 'boolean';
  /** The typed value: NULL when missing or of another type. */
  value: string;
  /** True when the field holds nothing: missing, null, '' or []. Never NULL. */
  isEmpty: string;
  /** For arrays: SQL that is true when the array holds the bound item. */
  contains?: (item: string, itemValue: unknown) => string;
  /** True when `value` is the very expression the form's field indexes hold (see recordIndexStatements). */
  indexed: boolean;
}

class Params {
  readonly values: Record<string, unknown> = {};
  private next = 0;
  constructor(private readonly dialect: SqlDialect) {}

  bind(value: unknown): string {
    const name = `rq_${this.next++}`;
    // TypeORM inlines numbers into SQLite text and turns booleans into 1/0; strings and arrays are bound.
    this.values[name] = typeof value === 'boolean' && this.dialect === 'sqlite' ? (value ? 1 : 0) : value;
    return `:${name}`;
  }
}

/** SQL reading one JSON field of a record, per dialect. */
function jsonTarget(dialect: SqlDialect, field: FormField, data: string, params: Params): Target {
  const segments = field.path.split('.');
  const kind = kindOf(field);
  const itemKind = field.type === 'array' ? itemKindOf(field.itemType) : undefined;
  const plain = segments.every((segment) => PLAIN_NAME.test(segment));

  if (dialect === 'sqlite') {
    const path = `$${segments.map((s) => `."${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('')}`;
    const p = plain ? `'${path}'` : params.bind(path);
    const type = `json_type(${data}, ${p})`;
    const raw = `json_extract(${data}, ${p})`;
    return {
      name: field.path,
      kind,
      itemKind,
      indexed: plain && COVERED_KINDS.includes(kind),
      value: sqliteTypedValue(kind, type, raw),
      isEmpty: `(${type} IS NULL OR ${type} = 'null' OR (${type} = 'text' AND ${raw} = '') OR (${type} = 'array' AND json_array_length(${data}, ${p}) = 0))`,
      contains: (item) =>
        `(${type} = 'array' AND EXISTS (SELECT 1 FROM json_each(${data}, ${p}) AS rq_item WHERE ${sqliteItemMatch(itemKind, 'rq_item', item)}))`,
    };
  }

  let json: string;
  let text: string;
  if (plain) {
    const chain = segments.map((s) => `'${s}'`);
    json = `${data}->${chain.join('->')}`;
    text = segments.length === 1 ? `${data}->>${chain[0]}` : `${data}->${chain.slice(0, -1).join('->')}->>${chain[chain.length - 1]}`;
  } else {
    const p = params.bind(segments);
    json = `(${data} #> CAST(${p} AS text[]))`;
    text = `(${data} #>> CAST(${p} AS text[]))`;
  }
  return {
    name: field.path,
    kind,
    itemKind,
    indexed: plain && COVERED_KINDS.includes(kind),
    value: postgresTypedValue(kind, json, text),
    isEmpty: `(${json} IS NULL OR ${json} IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb))`,
    contains: (item) => `(jsonb_typeof(${json}) = 'array' AND ${json} @> CAST(${item} AS jsonb))`,
  };
}

function sqliteTypedValue(kind: ValueKind, type: string, raw: string): string {
  switch (kind) {
    case 'number': return `(CASE WHEN ${type} IN ('integer', 'real') THEN ${raw} END)`;
    case 'string':
    case 'date': return `(CASE WHEN ${type} = 'text' THEN ${raw} END)`;
    case 'boolean': return `(CASE ${type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)`;
    default: return 'NULL';
  }
}

function postgresTypedValue(kind: ValueKind, json: string, text: string): string {
  // The cast sits inside the type test, so a record holding text in a number field never makes it throw.
  switch (kind) {
    case 'number': return `(CASE WHEN jsonb_typeof(${json}) = 'number' THEN CAST(${text} AS numeric) END)`;
    case 'string':
    case 'date': return `((CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${text} END) COLLATE "C")`;
    case 'boolean': return `(CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN CAST(${text} AS boolean) END)`;
    default: return 'NULL';
  }
}

function sqliteItemMatch(itemKind: Target['itemKind'], item: string, value: string): string {
  switch (itemKind) {
    case 'number': return `${item}.type IN ('integer', 'real') AND ${item}.value = ${value}`;
    case 'boolean': return `${item}.type IN ('true', 'false') AND ${item}.value = ${value}`;
    default: return `${item}.type = 'text' AND ${item}.value = ${value}`;
  }
}

function systemTarget(dialect: SqlDialect, name: (typeof SYSTEM_FIELDS)[number], alias: string): Target {
  const column = `"${alias}"."${name}"`;
  switch (name) {
    case 'formVersion':
      return { name, kind: 'number', value: column, isEmpty: `(${column} IS NULL)`, indexed: false };
    case 'createdAt':
    case 'updatedAt':
      return { name, kind: 'timestamp', value: column, isEmpty: `(${column} IS NULL)`, indexed: false };
    default:
      return {
        name,
        kind: 'string',
        indexed: false,
        value: dialect === 'postgres' ? `(${column} COLLATE "C")` : column,
        isEmpty: `(${column} IS NULL OR ${column} = '')`,
      };
  }
}

function kindOf(field: FormField): ValueKind {
  switch (field.type) {
    case 'number':
    case 'integer': return 'number';
    case 'string': return field.format === 'date' || field.format === 'date-time' ? 'date' : 'string';
    default: return field.type;
  }
}

function itemKindOf(type: FormField['type'] | undefined): Target['itemKind'] {
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'string' || type === 'boolean') return type;
  return undefined;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles one request's filter, sort and search. Throws AppError.validation (422) with every problem found. */
class Compiler {
  readonly errors: ErrorDetail[] = [];
  readonly params: Params;
  /** Fields whose typed values the filter and search read; null once they read anything else. */
  filterFields: Set<string> | null = new Set();
  sortField: string | null = null;
  readonly anchors: RecordAnchor[] = [];
  private readonly fields = new Map<string, FormField>();
  private readonly targets = new Map<string, Target>();
  private readonly data: string;
  private conditions = 0;

  constructor(
    private readonly dialect: SqlDialect,
    fields: readonly FormField[],
    private readonly alias: string,
  ) {
    this.params = new Params(dialect);
    for (const field of fields) this.fields.set(field.path, field);
    this.data = `"${alias}"."data"`;
  }

  target(name: string): Target | undefined {
    const known = this.targets.get(name);
    if (known) return known;
    let target: Target | undefined;
    if ((SYSTEM_FIELDS as readonly string[]).includes(name)) {
      target = systemTarget(this.dialect, name as (typeof SYSTEM_FIELDS)[number], this.alias);
    } else {
      const field = this.fields.get(name);
      if (field) target = jsonTarget(this.dialect, field, this.data, this.params);
    }
    if (target) this.targets.set(name, target);
    return target;
  }

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  /**
   * SQL true exactly when the node matches (or, with `negate`, exactly when it does not).
   * `conjunct`: every match of the whole filter matches this node (the root, and what a root AND holds).
   */
  node(node: unknown, path: string, negate: boolean, depth: number, conjunct = false): string | undefined {
    if (!isPlainObject(node)) return this.fail(path, 'must be an object: {"and": [...]}, {"or": [...]}, {"not": {...}} or {"field", "op", "value"}');
    const group = (['and', 'or', 'not'] as const).filter((key) => Object.hasOwn(node, key));
    if (group.length > 0) {
      const key = group[0];
      for (const other of Object.keys(node)) if (other !== key) this.fail(`${path}.${other}`, `is not allowed next to "${key}"`);
      if (depth > RECORD_QUERY_LIMITS.depth) return this.fail(path, `nests groups more than ${RECORD_QUERY_LIMITS.depth} levels deep`);
      if (key === 'not') return this.node(node.not, `${path}.not`, !negate, depth + 1);
      const children = node[key];
      if (!Array.isArray(children)) return this.fail(`${path}.${key}`, 'must be an array of filter nodes');
      // De Morgan: a negated AND is an OR of negated children, so NOT never meets a NULL.
      const joiner = (key === 'and') !== negate ? ' AND ' : ' OR ';
      const parts = children.map((child, i) => this.node(child, `${path}.${key}[${i}]`, negate, depth + 1, conjunct && key === 'and' && !negate));
      if (parts.length === 0) return joiner === ' AND ' ? '(1 = 1)' : '(1 = 0)';
      return parts.every((part) => part !== undefined) ? `(${parts.join(joiner)})` : undefined;
    }
    return this.condition(node, path, negate, conjunct);
  }

  condition(node: Record<string, unknown>, path: string, negate: boolean, conjunct: boolean): string | undefined {
    this.conditions++;
    if (this.conditions === RECORD_QUERY_LIMITS.conditions + 1) {
      this.fail('filter', `has more than ${RECORD_QUERY_LIMITS.conditions} conditions`);
    }
    let valid = true;
    for (const key of Object.keys(node)) {
      if (key !== 'field' && key !== 'op' && key !== 'value') valid = !!this.fail(`${path}.${key}`, 'is not a known key (expected "field", "op" and "value")');
    }
    const { field, op } = node;
    if (typeof field !== 'string') return this.fail(`${path}.field`, 'must be the path of a field of this form');
    const target = this.target(field);
    if (!target) return this.fail(`${path}.field`, `${describe(field)} is not a field of this form`);
    if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
      return this.fail(`${path}.op`, `must be one of ${OPERATORS.join(', ')}`);
    }
    if (!OPERATORS_BY_KIND[target.kind].includes(op as Operator)) {
      return this.fail(`${path}.op`, `"${op}" does not apply to ${target.kind} field "${target.name}" (use ${OPERATORS_BY_KIND[target.kind].join(', ')})`);
    }
    const positive = this.operator(target, op as Operator, node, `${path}.value`);
    if (positive === undefined || !valid) return undefined;
    this.reads(target, positive.readsValueOnly);
    const sql = positive.sql;
    if (conjunct && !negate && !positive.complement && target.indexed && INDEXED_KINDS.includes(target.kind)
      && INDEX_SEARCH_OPERATORS.includes(op as Operator) && sql !== '(1 = 0)') {
      this.anchors.push({ field: target.name, condition: sql });
    }
    return positive.complement !== negate ? `(NOT COALESCE(${sql}, FALSE))` : sql;
  }

  /** The SQL of one operator, possibly as the complement of another (`ne` is "not eq"). */
  operator(target: Target, op: Operator, node: Record<string, unknown>, path: string): { sql: string; complement: boolean; readsValueOnly?: boolean } | undefined {
    const has = Object.hasOwn(node, 'value');
    const value = node.value;
    if (op === 'isEmpty') {
      if (has && typeof value !== 'boolean') return this.fail(path, 'must be true or false');
      return { sql: target.isEmpty, complement: value === false, readsValueOnly: false };
    }
    if (!has) return this.fail(path, 'is required');
    if (op === 'eq' || op === 'ne') {
      const bound = this.scalar(target, value, path);
      return bound === undefined ? undefined : { sql: `(${target.value} = ${bound})`, complement: op === 'ne' };
    }
    const comparison = COMPARISONS[op];
    if (comparison) {
      const bound = this.scalar(target, value, path);
      return bound === undefined ? undefined : { sql: `(${target.value} ${comparison} ${bound})`, complement: false };
    }
    if (op === 'in') {
      if (!Array.isArray(value) || value.length > RECORD_QUERY_LIMITS.inValues) {
        return this.fail(path, `must be an array of up to ${RECORD_QUERY_LIMITS.inValues} values`);
      }
      if (value.length === 0) return { sql: '(1 = 0)', complement: false };
      const bound = value.map((item, i) => this.scalar(target, item, `${path}[${i}]`));
      if (bound.some((b) => b === undefined)) return undefined;
      return { sql: `(${target.value} IN (${bound.join(', ')}))`, complement: false };
    }
    if (op === 'between') {
      if (!Array.isArray(value) || value.length !== 2) return this.fail(path, 'must be [low, high]');
      const low = this.scalar(target, value[0], `${path}[0]`);
      const high = this.scalar(target, value[1], `${path}[1]`);
      if (low === undefined || high === undefined) return undefined;
      return { sql: `(${target.value} >= ${low} AND ${target.value} <= ${high})`, complement: false };
    }
    // contains
    if (target.kind === 'array') {
      if (!target.itemKind || !target.contains) return this.fail(path, `"contains" does not apply to lists of ${this.fields.get(target.name)?.itemType ?? 'unknown'} items`);
      if (typeof value !== target.itemKind) return this.fail(path, `must be a ${target.itemKind}, one item of "${target.name}"`);
      if (target.itemKind === 'number' && !Number.isFinite(value)) return this.fail(path, 'must be a finite number');
      if (typeof value === 'string' && value.length > RECORD_QUERY_LIMITS.stringLength) return this.fail(path, `must be at most ${RECORD_QUERY_LIMITS.stringLength} characters`);
      const bound = this.params.bind(this.dialect === 'postgres' ? JSON.stringify([value]) : value);
      return { sql: target.contains(bound, value), complement: false, readsValueOnly: false };
    }
    if (typeof value !== 'string') return this.fail(path, 'must be a string');
    if (value.length > RECORD_QUERY_LIMITS.stringLength) return this.fail(path, `must be at most ${RECORD_QUERY_LIMITS.stringLength} characters`);
    // instr/strpos rather than LIKE: every character of the value is literal, nothing to escape.
    const needle = this.params.bind(value.replace(/[A-Z]/g, (c) => c.toLowerCase()));
    const sql = this.dialect === 'sqlite'
      ? `(instr(lower(${target.value}), ${needle}) > 0)`
      : `(strpos(translate(${target.value}, '${ASCII_UPPER}', '${ASCII_LOWER}'), ${needle}) > 0)`;
    return { sql, complement: false };
  }

  /** Notes what a condition reads, for `filterFields`: every operator but isEmpty and list membership reads only `value`. */
  reads(target: Target, valueOnly = true): void {
    if (!this.filterFields) return;
    if (target.indexed && valueOnly) this.filterFields.add(target.name);
    else this.filterFields = null;
  }

  /** Binds one comparison value after checking it has the field's type. */
  scalar(target: Target, value: unknown, path: string): string | undefined {
    switch (target.kind) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, `must be a number (${target.name} is a number field)`);
        return this.params.bind(value);
      case 'boolean':
        if (typeof value !== 'boolean') return this.fail(path, `must be true or false (${target.name} is a yes/no field)`);
        return this.params.bind(value);
      case 'string':
      case 'date':
        if (typeof value !== 'string') return this.fail(path, `must be a string (${target.name} is a text field)`);
        if (value.length > RECORD_QUERY_LIMITS.stringLength) return this.fail(path, `must be at most ${RECORD_QUERY_LIMITS.stringLength} characters`);
        if (target.kind === 'date' && !ISO_DATE.test(value) && !ISO_DATE_TIME.test(value)) {
          return this.fail(path, 'must be an ISO date (2025-01-31) or date-time (2025-01-31T09:30:00Z)');
        }
        return this.params.bind(value);
      case 'timestamp': {
        const instant = typeof value === 'string' && (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) ? new Date(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value) : undefined;
        if (!instant || Number.isNaN(instant.getTime())) return this.fail(path, 'must be an ISO date (2025-01-31) or date-time (2025-01-31T09:30:00Z)');
        // SQLite keeps TypeORM's UTC 'YYYY-MM-DD HH:MM:SS.SSS' text, which compares in time order.
        return this.params.bind(this.dialect === 'sqlite' ? instant.toISOString().replace('T', ' ').slice(0, 23) : instant.toISOString());
      }
      default:
        return this.fail(path, `cannot be compared (${target.name} is a ${target.kind} field)`);
    }
  }

  filter(input: unknown): string | null {
    if (input === undefined || input === null || input === '') return null;
    let tree: unknown = input;
    if (typeof input === 'string') {
      if (input.length > RECORD_QUERY_LIMITS.filterLength) return this.fail('filter', `must be at most ${RECORD_QUERY_LIMITS.filterLength} characters`) ?? null;
      try {
        tree = JSON.parse(input) as unknown;
      } catch {
        return this.fail('filter', 'is not valid JSON') ?? null;
      }
    }
    return this.node(tree, 'filter', false, 1, true) ?? null;
  }

  sort(input: unknown): RecordOrder[] {
    const id: RecordOrder = { expression: this.target('id')!.value, direction: 'ASC', nulls: 'NULLS LAST' };
    const text = input === undefined || input === null || input === '' ? '-createdAt' : input;
    if (typeof text !== 'string') return this.fail('sort', 'must be a comma-separated list of fields') ?? [];
    const items = text.split(',').map((item) => item.trim());
    if (items.length > RECORD_QUERY_LIMITS.sortFields) return this.fail('sort', `may list at most ${RECORD_QUERY_LIMITS.sortFields} fields`) ?? [];
    const orders: RecordOrder[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const descending = item.startsWith('-');
      const name = descending || item.startsWith('+') ? item.slice(1) : item;
      if (!name) return this.fail('sort', 'has an empty field name') ?? [];
      const target = this.target(name);
      if (!target) return this.fail('sort', `${describe(name)} is not a field of this form`) ?? [];
      if (target.kind === 'array' || target.kind === 'object') return this.fail('sort', `cannot sort by ${target.kind} field "${name}"`) ?? [];
      if (seen.has(name)) return this.fail('sort', `lists "${name}" twice`) ?? [];
      seen.add(name);
      // Missing and other-typed values are NULL in the typed expression: last in both directions.
      if (orders.length === 0 && ((target.indexed && target.kind !== 'boolean') || name === 'createdAt')) this.sortField = name;
      orders.push({ expression: target.value, direction: descending ? 'DESC' : 'ASC', nulls: 'NULLS LAST' });
    }
    if (!seen.has('id')) orders.push(id);
    return orders;
  }

  search(input: unknown): string | null {
    if (input === undefined || input === null) return null;
    if (typeof input !== 'string') return this.fail('q', 'must be a string') ?? null;
    const needle = input.trim().toLowerCase();
    if (!needle) return null;
    if (needle.length > RECORD_QUERY_LIMITS.searchLength) return this.fail('q', `must be at most ${RECORD_QUERY_LIMITS.searchLength} characters`) ?? null;
    // searchText is stored lower-cased (String#toLowerCase); instr/strpos keep % and _ literal.
    const column = `"${this.alias}"."searchText"`;
    const bound = this.params.bind(needle);
    this.filterFields = null;
    return this.dialect === 'sqlite' ? `(instr(${column}, ${bound}) > 0)` : `(strpos(${column}, ${bound}) > 0)`;
  }
}

/**
 * Compiles `?filter=&sort=&q=` for one form into SQL over the record alias. Field paths reach SQL
 * only after matching the form's field catalogue, and then as quoted literals when they consist of
 * letters, digits, `_` and `-` (so expression indexes apply) or as bound parameters otherwise; every
 * value is bound. Throws AppError.validation (422) listing every problem with its path.
 */
export function compileRecordQuery(dialect: SqlDialect, fields: readonly FormField[], input: RecordQueryInput, alias = 'r'): CompiledRecordQuery {
  if (!ALIAS.test(alias)) throw new Error(`Unsafe query alias ${JSON.stringify(alias)}`);
  const compiler = new Compiler(dialect, fields, alias);
  const filter = compiler.filter(input.filter);
  const search = compiler.search(input.q);
  const orderBy = compiler.sort(input.sort);
  if (compiler.errors.length > 0) throw AppError.validation(compiler.errors, 'The filter, sort or search is not valid');
  const parts = [filter, search].filter((part): part is string => part !== null);
  return {
    where: parts.length > 0 ? `(${parts.join(' AND ')})` : null, params: compiler.params.values, orderBy,
    filterFields: compiler.filterFields ? [...compiler.filterFields] : null, sortField: compiler.sortField, anchors: compiler.anchors,
  };
}

/** Adds a compiled query's conditions, parameters and ordering to a query builder over records. */
export function applyRecordQuery<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, compiled: CompiledRecordQuery): SelectQueryBuilder<T> {
  qb.setParameters(compiled.params);
  if (compiled.where) qb.andWhere(compiled.where);
  for (const order of compiled.orderBy) qb.addOrderBy(order.expression, order.direction, order.nulls);
  return qb;
}

export function sqlDialectOf(dataSource: DataSource): SqlDialect {
  return dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

export interface RecordIndex {
  name: string;
  create: string;
  /**
   * `field`: one field's typed value, to filter and sort by it. `cover`: on SQLite, the tenant and
   * every indexed field's typed value in one entry per record, so counting a filter over those
   * fields reads that index alone instead of every matching record.
   */
  role: 'field' | 'cover';
  /** The field paths whose typed values the index holds, in order. */
  fields: string[];
}

const INDEX_PREFIX = 'record_field_';
const MAX_INDEXED_FIELDS = 24;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Expression indexes that let filters and sorts on a form's number, text and date fields use an
 * index: one partial index per field over exactly the typed expression the compiler emits,
 * restricted to the form's records, and on SQLite one covering index over all of them (booleans
 * included) for counts. Names are stable per (form, field, kind), the covering index's per list of
 * them, so re-publishing creates only what is new and `syncRecordIndexes` drops what is gone.
 */
export function recordIndexStatements(dialect: SqlDialect, formId: string, fields: readonly FormField[]): RecordIndex[] {
  const prefix = indexPrefix(formId);
  const concurrently = dialect === 'postgres' ? 'CONCURRENTLY ' : '';
  const partial = `WHERE "formId" = '${formId}'`;
  const indexes: RecordIndex[] = [];
  const covered: Array<{ path: string; value: string; key: string }> = [];
  for (const field of fields) {
    const kind = kindOf(field);
    if (!COVERED_KINDS.includes(kind) || !field.path.split('.').every((segment) => PLAIN_NAME.test(segment))) continue;
    const { value } = jsonTarget(dialect, field, '"data"', new Params(dialect));
    const key = `${field.path}\u0000${kind}`;
    if (covered.length < MAX_INDEXED_FIELDS) covered.push({ path: field.path, value, key });
    if (!INDEXED_KINDS.includes(kind) || indexes.length >= MAX_INDEXED_FIELDS) continue;
    // A PostgreSQL btree entry holds at most ~2.7 KB: a text field without a known bound would make a long answer fail to save.
    if (dialect === 'postgres' && kind === 'string' && !field.short) continue;
    const name = `${prefix}${shortHash(key)}`;
    indexes.push({ name, role: 'field', fields: [field.path], create: `CREATE INDEX ${concurrently}IF NOT EXISTS "${name}" ON "record" (${value}) ${partial}` });
  }
  // PostgreSQL answers no query from an expression index alone (index-only scans need the column
  // itself), so a covering index would only cost writes there.
  if (dialect === 'sqlite' && covered.length > 0) {
    const name = `${prefix}cover_${shortHash(covered.map((c) => c.key).join('\u0001'))}`;
    indexes.push({
      name, role: 'cover', fields: covered.map((c) => c.path),
      create: `CREATE INDEX IF NOT EXISTS "${name}" ON "record" ("tenantId", ${covered.map((c) => c.value).join(', ')}) ${partial}`,
    });
  }
  return indexes;
}

function indexPrefix(formId: string): string {
  if (!FORM_ID.test(formId)) throw new Error(`Unexpected form id ${JSON.stringify(formId)}`);
  return `${INDEX_PREFIX}${shortHash(formId)}_`;
}

/**
 * Creates the form's field indexes and drops those of fields it no longer has, then refreshes the
 * planner's statistics. Run it after publishing commits, outside a transaction (PostgreSQL builds
 * the indexes CONCURRENTLY so submissions keep flowing); on a large form it takes seconds, so a job
 * is the right place.
 */
export async function syncRecordIndexes(dataSource: DataSource, formId: string, fields: readonly FormField[]): Promise<void> {
  const dialect = sqlDialectOf(dataSource);
  const wanted = recordIndexStatements(dialect, formId, fields);
  const existing = await existingRecordIndexes(dataSource, formId);
  const keep = new Set(wanted.map((index) => index.name));
  for (const name of existing) {
    if (!keep.has(name)) await dataSource.query(`DROP INDEX ${dialect === 'postgres' ? 'CONCURRENTLY ' : ''}IF EXISTS "${name}"`);
  }
  for (const index of wanted) await dataSource.query(index.create);
  await dataSource.query('ANALYZE "record"');
}

/** Names of the field indexes that exist for a form (built by syncRecordIndexes). */
export async function existingRecordIndexes(dataSource: DataSource, formId: string): Promise<Set<string>> {
  const prefix = indexPrefix(formId);
  const rows: Array<{ name: string }> = sqlDialectOf(dataSource) === 'postgres'
    ? await dataSource.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'record' AND starts_with(indexname, $1)`, [prefix])
    : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record' AND substr(name, 1, ${prefix.length}) = ?`, [prefix]);
  return new Set(rows.map((row) => row.name));
}
