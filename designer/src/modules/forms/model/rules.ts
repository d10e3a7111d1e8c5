import type { FieldKind, RuleEffect, RuleOperator, RuleValue, SimpleRule } from './types';

export const RULE_EFFECTS: readonly RuleEffect[] = ['SHOW', 'HIDE', 'ENABLE', 'DISABLE'];
export const RULE_OPERATORS: readonly RuleOperator[] = ['eq', 'ne', 'gt', 'contains'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const unescapeRegExp = (text: string) => text.replace(/\\(.)/g, '$1');
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The operators that make sense for a field kind (greater than for numbers, contains for text and lists). */
export function operatorsFor(kind: FieldKind | undefined): RuleOperator[] {
  if (kind === 'number' || kind === 'integer' || kind === 'money' || kind === 'rating' || kind === 'calculated') {
    return ['eq', 'ne', 'gt'];
  }
  if (kind === 'checkbox' || kind === 'select' || kind === 'radio') return ['eq', 'ne'];
  if (kind === 'multiselect') return ['contains'];
  return ['eq', 'ne', 'contains'];
}

/** The value typed into the builder, as the field stores it (numbers for number fields, booleans for checkboxes). */
export function coerceRuleValue(kind: FieldKind | undefined, value: RuleValue): RuleValue {
  if (kind === 'checkbox') return value === true || value === 'true';
  if (kind === 'number' || kind === 'integer' || kind === 'money' || kind === 'rating' || kind === 'calculated') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return typeof value === 'string' ? value : String(value);
}

/**
 * The JSON Forms rule for a builder rule. `failWhenUndefined` keeps "equals"/"greater than"/"contains"
 * false while the other field is still empty (an empty value would pass `exclusiveMinimum`).
 */
export function toJsonFormsRule(rule: SimpleRule, kind: FieldKind | undefined): Record<string, unknown> {
  const scope = `#/properties/${rule.field}`;
  let schema: Record<string, unknown>;
  let failWhenUndefined = true;
  switch (rule.operator) {
    case 'eq':
      schema = { const: rule.value };
      break;
    case 'ne':
      schema = { not: { const: rule.value } };
      failWhenUndefined = false;
      break;
    case 'gt':
      schema = { type: 'number', exclusiveMinimum: Number(rule.value) };
      break;
    case 'contains':
      schema = kind === 'multiselect'
        ? { type: 'array', contains: { const: rule.value } }
        : { type: 'string', pattern: escapeRegExp(String(rule.value)) };
      break;
  }
  return { effect: rule.effect, condition: { scope, schema, ...(failWhenUndefined ? { failWhenUndefined: true } : {}) } };
}

/** The builder rule a saved JSON Forms rule came from, or null when the builder cannot show it. */
export function fromJsonFormsRule(rule: unknown): SimpleRule | null {
  if (!isRecord(rule) || !isRecord(rule.condition)) return null;
  const effect = rule.effect;
  if (typeof effect !== 'string' || !(RULE_EFFECTS as readonly string[]).includes(effect)) return null;
  const { scope, schema } = rule.condition;
  if (typeof scope !== 'string' || !isRecord(schema)) return null;
  const match = /^#\/properties\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(scope);
  if (!match) return null;
  const base = { effect: effect as RuleEffect, field: match[1]! };
  const isValue = (v: unknown): v is RuleValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if ('const' in schema && isValue(schema.const)) return { ...base, operator: 'eq', value: schema.const };
  if (isRecord(schema.not) && isValue(schema.not.const)) return { ...base, operator: 'ne', value: schema.not.const };
  if (typeof schema.exclusiveMinimum === 'number') return { ...base, operator: 'gt', value: schema.exclusiveMinimum };
  if (isRecord(schema.contains) && isValue(schema.contains.const)) {
    return { ...base, operator: 'contains', value: schema.contains.const };
  }
  if (typeof schema.pattern === 'string') return { ...base, operator: 'contains', value: unescapeRegExp(schema.pattern) };
  return null;
}
