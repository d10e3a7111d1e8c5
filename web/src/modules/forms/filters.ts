import type { Filter, FilterCondition, FilterOp, FormField } from '../../shared';

/** One line of the filter builder, as the person sets it up. */
export interface FilterRow {
  field: string;
  op: FilterOp;
  /** the value; the lower bound for `between`; comma-separated values for `in` */
  value: string;
  /** the upper bound for `between` */
  value2: string;
}

export type ValueKind = 'number' | 'date' | 'datetime' | 'text' | 'boolean' | 'none';

/** The fields every record has, besides the form's own. */
export const SYSTEM_FIELDS: FormField[] = [{ path: 'createdAt', type: 'string', format: 'date-time' }];

/** Which comparisons make sense for a field, by its type. */
export function operatorsFor(field: FormField | undefined): FilterOp[] {
  if (!field) return [];
  switch (field.type) {
    case 'number':
    case 'integer':
      return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty'];
    case 'boolean':
      return ['eq', 'isEmpty'];
    case 'array':
      return field.itemType === 'object' ? ['isEmpty'] : ['contains', 'isEmpty'];
    case 'object':
      return ['isEmpty'];
    default:
      if (field.format === 'date' || field.format === 'date-time') return ['eq', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty'];
      return ['eq', 'ne', 'contains', 'in', 'isEmpty'];
  }
}

/** What kind of input the value of a row needs. */
export function valueKind(field: FormField | undefined, op: FilterOp): ValueKind {
  if (!field || op === 'isEmpty') return 'none';
  if (field.type === 'number' || field.type === 'integer') return 'number';
  if (field.type === 'boolean') return 'boolean';
  if (field.format === 'date') return 'date';
  if (field.format === 'date-time') return 'datetime';
  return 'text';
}

function convert(kind: ValueKind, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  if (kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'boolean') return text === 'true';
  if (kind === 'datetime') {
    // a day picked in the builder means that day in the person's own time zone
    const date = new Date(text.length === 10 ? `${text}T00:00:00` : text);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return text;
}

/** One row as a filter condition; null while it is not complete. */
export function toCondition(row: FilterRow, fields: readonly FormField[]): FilterCondition | null {
  const field = fields.find((f) => f.path === row.field);
  if (!field || !operatorsFor(field).includes(row.op)) return null;
  const kind = valueKind(field, row.op);
  if (row.op === 'isEmpty') return { field: row.field, op: 'isEmpty', value: true };
  if (row.op === 'between') {
    const low = convert(kind, row.value);
    const high = convert(kind, row.value2);
    return low === undefined || high === undefined ? null : { field: row.field, op: 'between', value: [low, high] };
  }
  if (row.op === 'in') {
    const values = row.value.split(',').map((v) => v.trim()).filter(Boolean);
    return values.length ? { field: row.field, op: 'in', value: values } : null;
  }
  const value = convert(kind, row.value);
  return value === undefined ? null : { field: row.field, op: row.op, value };
}

/** The filter JSON of the records API: every complete row, all of which must hold. */
export function buildFilter(rows: readonly FilterRow[], fields: readonly FormField[]): Filter | null {
  const conditions = rows.map((row) => toCondition(row, fields)).filter((c): c is FilterCondition => c !== null);
  return conditions.length ? { and: conditions } : null;
}

export function emptyRow(field?: FormField): FilterRow {
  return { field: field?.path ?? '', op: operatorsFor(field)[0] ?? 'eq', value: '', value2: '' };
}
