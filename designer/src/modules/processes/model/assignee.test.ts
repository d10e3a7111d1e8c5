import { describe, expect, it } from 'vitest';
import { assignmentAttributes, readAssignee, requiredVariable, type AssigneeRule } from './assignee';

describe('assignee rules', () => {
  it('write the FEEL the engine assigns by', () => {
    expect(assignmentAttributes({ kind: 'initiator' })).toEqual({ assignee: '=initiator', candidateGroups: undefined, candidateUsers: undefined });
    expect(assignmentAttributes({ kind: 'initiatorManager' }).assignee).toBe('=initiatorManager');
    expect(assignmentAttributes({ kind: 'departmentHead' }).assignee).toBe('=initiatorDepartmentHead');
    expect(assignmentAttributes({ kind: 'user', userId: 'u-1' }).assignee).toBe('u-1');
    expect(assignmentAttributes({ kind: 'groups', groups: ['finance', 'g-"2"'] })).toEqual({
      assignee: undefined, candidateGroups: '=["finance", "g-\\"2\\""]', candidateUsers: undefined,
    });
    expect(assignmentAttributes({ kind: 'expression', expression: 'reviewer' }).assignee).toBe('=reviewer');
    expect(assignmentAttributes({ kind: 'none' })).toEqual({ assignee: undefined, candidateGroups: undefined, candidateUsers: undefined });
  });

  it('read back every rule they wrote', () => {
    const rules: AssigneeRule[] = [
      { kind: 'initiator' }, { kind: 'initiatorManager' }, { kind: 'departmentHead' }, { kind: 'user', userId: 'u-1' },
      { kind: 'groups', groups: ['finance', 'member'] }, { kind: 'expression', expression: '=if budget > 5 then "a" else "b"' }, { kind: 'none' },
    ];
    for (const rule of rules) expect(readAssignee(assignmentAttributes(rule))).toEqual(rule);
  });

  it('show what they did not write as a FEEL expression', () => {
    expect(readAssignee({ assignee: '=a', candidateGroups: '=["x"]' })).toEqual({ kind: 'expression', expression: '=a' });
    expect(readAssignee({ candidateGroups: 'sales, support' })).toEqual({ kind: 'groups', groups: ['sales', 'support'] });
  });

  it('name the variable the process must provide', () => {
    expect(requiredVariable({ kind: 'initiatorManager' })).toBe('initiatorManager');
    expect(requiredVariable({ kind: 'user', userId: 'x' })).toBeNull();
  });
});
