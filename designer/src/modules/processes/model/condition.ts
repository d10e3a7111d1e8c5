import { FEEL_PATH, feelString, parseFeelString, splitTopLevel } from './feel';

/** A condition on a sequence flow built from fields: `budget > 10000 and category = "hardware"`. */
export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'isEmpty' | 'isNotEmpty';
export const CONDITION_OPS: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'isEmpty', 'isNotEmpty'];
/** Operators that compare with no value. */
export const UNARY_OPS: ReadonlySet<ConditionOp> = new Set(['isEmpty', 'isNotEmpty']);

export type ConditionValue = string | number | boolean;

export interface ConditionRule {
  /** A variable or a form field path: `budget`, `address.city`. */
  field: string;
  op: ConditionOp;
  value: ConditionValue | null;
}

export interface ConditionSet {
  join: 'and' | 'or';
  rules: ConditionRule[];
}

const SYMBOLS: Partial<Record<ConditionOp, string>> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

export type RuleProblem = 'field' | 'value';

/** What is missing in a rule before it can be written (shown next to it). */
export function ruleProblem(rule: ConditionRule): RuleProblem | null {
  if (!FEEL_PATH.test(rule.field)) return 'field';
  if (UNARY_OPS.has(rule.op)) return null;
  if (rule.value === null || rule.value === '' || (typeof rule.value === 'number' && !Number.isFinite(rule.value))) return 'value';
  return null;
}

function literal(value: ConditionValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return feelString(value);
}

function ruleToFeel(rule: ConditionRule): string {
  const { field, op, value } = rule;
  if (op === 'isEmpty') return `(${field} = null or ${field} = "")`;
  if (op === 'isNotEmpty') return `(${field} != null and ${field} != "")`;
  if (op === 'contains') return `contains(string(${field}), ${feelString(String(value ?? ''))})`;
  return `${field} ${SYMBOLS[op]} ${literal(value ?? '')}`;
}

/** The FEEL condition (with `=`) of a set of rules, or '' when a rule is incomplete or there is none. */
export function conditionToFeel(set: ConditionSet): string {
  if (set.rules.length === 0 || set.rules.some((rule) => ruleProblem(rule) !== null)) return '';
  return `=${set.rules.map(ruleToFeel).join(` ${set.join} `)}`;
}

function parseLiteral(text: string): ConditionValue | null {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return parseFeelString(t);
}

const EMPTY = /^\(\s*([\w.]+)\s*=\s*null\s+or\s+([\w.]+)\s*=\s*""\s*\)$/;
const NOT_EMPTY = /^\(\s*([\w.]+)\s*!=\s*null\s+and\s+([\w.]+)\s*!=\s*""\s*\)$/;
const CONTAINS = /^contains\(\s*string\(\s*([\w.]+)\s*\)\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/;
const COMPARE = /^([\w.]+)\s*(!=|>=|<=|=|>|<)\s*(.+)$/;

function parseRule(text: string): ConditionRule | null {
  let match = EMPTY.exec(text);
  if (match && match[1] === match[2]) return { field: match[1], op: 'isEmpty', value: null };
  match = NOT_EMPTY.exec(text);
  if (match && match[1] === match[2]) return { field: match[1], op: 'isNotEmpty', value: null };
  match = CONTAINS.exec(text);
  if (match) return { field: match[1], op: 'contains', value: parseFeelString(match[2]) };
  match = COMPARE.exec(text);
  if (!match || !FEEL_PATH.test(match[1])) return null;
  const op = (Object.keys(SYMBOLS) as ConditionOp[]).find((key) => SYMBOLS[key] === match![2]);
  const value = parseLiteral(match[3]);
  return op && value !== null ? { field: match[1], op, value } : null;
}

/**
 * The rules of a condition the builder can show, or null for FEEL it did not write (the raw editor shows it).
 * An empty condition is an empty set.
 */
export function parseCondition(feel: string | null | undefined): ConditionSet | null {
  const text = (feel ?? '').trim().replace(/^=/, '').trim();
  if (!text) return { join: 'and', rules: [] };
  const andParts = splitTopLevel(text, 'and');
  const orParts = splitTopLevel(text, 'or');
  // mixed and/or needs parentheses the builder does not write
  if (andParts.length > 1 && orParts.length > 1) return null;
  const join = orParts.length > 1 ? 'or' : 'and';
  const rules = (join === 'or' ? orParts : andParts).map(parseRule);
  return rules.every((rule): rule is ConditionRule => rule !== null) ? { join, rules } : null;
}

/** What kind of value a field compares with, from the form field's JSON type. */
export function valueKind(type: string | undefined): 'number' | 'boolean' | 'string' {
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'string';
}

/** Operators that make sense for a field's type. */
export function opsFor(type: string | undefined): ConditionOp[] {
  const kind = valueKind(type);
  if (kind === 'boolean') return ['eq', 'ne', 'isEmpty', 'isNotEmpty'];
  if (kind === 'number') return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty'];
  return ['eq', 'ne', 'contains', 'isEmpty', 'isNotEmpty', 'gt', 'lt'];
}
