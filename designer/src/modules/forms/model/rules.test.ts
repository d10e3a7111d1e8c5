import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { coerceRuleValue, fromJsonFormsRule, operatorsFor, toJsonFormsRule } from './rules';
import type { SimpleRule } from './types';

/** What JSON Forms does with a schema-based condition: validate the other field's value against it. */
function holds(rule: Record<string, unknown>, value: unknown): boolean {
  const condition = rule.condition as { schema: object; failWhenUndefined?: boolean };
  if (value === undefined && condition.failWhenUndefined) return false;
  return new Ajv({ strict: true }).validate(condition.schema, value);
}

describe('rule builder output', () => {
  it('builds equals, not equals, greater than and contains conditions', () => {
    const eq = toJsonFormsRule({ effect: 'SHOW', field: 'category', operator: 'eq', value: 'it' }, 'select');
    expect(eq).toEqual({ effect: 'SHOW', condition: { scope: '#/properties/category', schema: { const: 'it' }, failWhenUndefined: true } });
    expect([holds(eq, 'it'), holds(eq, 'hr'), holds(eq, undefined)]).toEqual([true, false, false]);

    const ne = toJsonFormsRule({ effect: 'HIDE', field: 'category', operator: 'ne', value: 'it' }, 'select');
    expect(ne.condition).toEqual({ scope: '#/properties/category', schema: { not: { const: 'it' } } });
    expect([holds(ne, 'it'), holds(ne, 'hr'), holds(ne, undefined)]).toEqual([false, true, true]);

    const gt = toJsonFormsRule({ effect: 'ENABLE', field: 'budget', operator: 'gt', value: 10000 }, 'money');
    expect([holds(gt, 10001), holds(gt, 10000), holds(gt, undefined)]).toEqual([true, false, false]);

    const text = toJsonFormsRule({ effect: 'DISABLE', field: 'note', operator: 'contains', value: 'a+b (1)' }, 'text');
    expect([holds(text, 'x a+b (1) y'), holds(text, 'aab (1)'), holds(text, undefined)]).toEqual([true, false, false]);

    const list = toJsonFormsRule({ effect: 'SHOW', field: 'tags', operator: 'contains', value: 'vip' }, 'multiselect');
    expect(list.condition).toMatchObject({ schema: { type: 'array', contains: { const: 'vip' } } });
    expect([holds(list, ['a', 'vip']), holds(list, ['a'])]).toEqual([true, false]);
  });

  it('reads its own rules back', () => {
    const rules: [SimpleRule, 'text' | 'multiselect' | 'number' | 'checkbox'][] = [
      [{ effect: 'SHOW', field: 'a', operator: 'eq', value: 'x' }, 'text'],
      [{ effect: 'HIDE', field: 'a', operator: 'ne', value: true }, 'checkbox'],
      [{ effect: 'ENABLE', field: 'n', operator: 'gt', value: 5 }, 'number'],
      [{ effect: 'DISABLE', field: 't', operator: 'contains', value: 'a.b*c' }, 'text'],
      [{ effect: 'SHOW', field: 'm', operator: 'contains', value: 'vip' }, 'multiselect'],
    ];
    for (const [rule, kind] of rules) expect(fromJsonFormsRule(toJsonFormsRule(rule, kind))).toEqual(rule);
    expect(fromJsonFormsRule({ effect: 'SHOW', condition: { scope: '#', schema: {} } })).toBeNull();
    expect(fromJsonFormsRule({ effect: 'WOBBLE', condition: { scope: '#/properties/a', schema: { const: 1 } } })).toBeNull();
  });

  it('offers operators and value types that fit the field', () => {
    expect(operatorsFor('money')).toContain('gt');
    expect(operatorsFor('multiselect')).toEqual(['contains']);
    expect(coerceRuleValue('number', '12.5')).toBe(12.5);
    expect(coerceRuleValue('checkbox', 'true')).toBe(true);
    expect(coerceRuleValue('text', 3)).toBe('3');
  });
});
