import { describe, expect, it } from 'vitest';
import { conditionToFeel, opsFor, parseCondition, ruleProblem, type ConditionSet } from './condition';

describe('condition builder', () => {
  it('writes FEEL comparisons', () => {
    expect(conditionToFeel({ join: 'and', rules: [{ field: 'budget', op: 'gt', value: 10000 }] })).toBe('=budget > 10000');
    expect(conditionToFeel({
      join: 'or',
      rules: [{ field: 'category', op: 'eq', value: 'GPU "big"' }, { field: 'urgent', op: 'eq', value: true }],
    })).toBe('=category = "GPU \\"big\\"" or urgent = true');
    expect(conditionToFeel({ join: 'and', rules: [{ field: 'address.city', op: 'isEmpty', value: null }] }))
      .toBe('=(address.city = null or address.city = "")');
    expect(conditionToFeel({ join: 'and', rules: [{ field: 'title', op: 'contains', value: 'gpu' }] })).toBe('=contains(string(title), "gpu")');
  });

  it('writes nothing while a rule is incomplete', () => {
    expect(conditionToFeel({ join: 'and', rules: [{ field: 'budget', op: 'gt', value: null }] })).toBe('');
    expect(conditionToFeel({ join: 'and', rules: [{ field: 'not a name', op: 'eq', value: 1 }] })).toBe('');
    expect(ruleProblem({ field: '', op: 'eq', value: 1 })).toBe('field');
    expect(ruleProblem({ field: 'a', op: 'isEmpty', value: null })).toBeNull();
  });

  it('reads back what it wrote', () => {
    const sets: ConditionSet[] = [
      { join: 'and', rules: [{ field: 'budget', op: 'gt', value: 10000 }] },
      { join: 'and', rules: [{ field: 'budget', op: 'lte', value: 5.5 }, { field: 'team', op: 'ne', value: 'ops and "dev"' }] },
      { join: 'or', rules: [{ field: 'a.b', op: 'isNotEmpty', value: null }, { field: 'c', op: 'contains', value: 'x' }, { field: 'd', op: 'eq', value: false }] },
    ];
    for (const set of sets) expect(parseCondition(conditionToFeel(set))).toEqual(set);
  });

  it('leaves FEEL it did not write to the raw editor', () => {
    expect(parseCondition('=budget > 10 and a = 1 or b = 2')).toBeNull();
    expect(parseCondition('=sum(items) > 3')).toBeNull();
    expect(parseCondition('')).toEqual({ join: 'and', rules: [] });
  });

  it('offers operators that fit the field type', () => {
    expect(opsFor('integer')).toContain('gt');
    expect(opsFor('boolean')).not.toContain('gt');
  });
});
