import { describe, expect, it } from 'vitest';
import {
  assigneeWrite, fallbackProperty, idListProperty, mayFindNobody, readAssignee, readFallback, readIdList, requiredVariable,
  type AssigneeFallback, type AssigneeRule,
} from './assignee';

describe('assignee rules', () => {
  it('write Zeebe attributes for what Zeebe knows, and the org-chart rules as the property the engine resolves', () => {
    expect(assigneeWrite({ kind: 'initiator' })).toEqual({ attributes: { assignee: '=initiator', candidateGroups: undefined, candidateUsers: undefined }, rule: undefined });
    expect(assigneeWrite({ kind: 'user', userId: 'u-1' }).attributes.assignee).toBe('u-1');
    expect(assigneeWrite({ kind: 'groups', groups: ['finance', 'g-"2"'] }).attributes).toEqual({
      assignee: undefined, candidateGroups: '=["finance", "g-\\"2\\""]', candidateUsers: undefined,
    });
    expect(assigneeWrite({ kind: 'expression', expression: 'reviewer' }).attributes.assignee).toBe('=reviewer');
    expect(assigneeWrite({ kind: 'none' })).toEqual({ attributes: { assignee: undefined, candidateGroups: undefined, candidateUsers: undefined }, rule: undefined });
    // the org chart: no assignee attribute at all, the rule says it
    expect(assigneeWrite({ kind: 'initiatorManager', levels: 2 })).toEqual({ attributes: { assignee: undefined, candidateGroups: undefined, candidateUsers: undefined }, rule: 'manager:2' });
    expect(assigneeWrite({ kind: 'initiatorManager', levels: 0 }).rule).toBe('manager:1');
    expect(assigneeWrite({ kind: 'departmentHead', field: null }).rule).toBe('departmentHead');
    expect(assigneeWrite({ kind: 'departmentHead', field: 'department' }).rule).toBe('departmentHead:department');
  });

  it('read back every rule they wrote', () => {
    const rules: AssigneeRule[] = [
      { kind: 'initiator' }, { kind: 'initiatorManager', levels: 1 }, { kind: 'initiatorManager', levels: 3 }, { kind: 'departmentHead', field: null },
      { kind: 'departmentHead', field: 'dept' }, { kind: 'user', userId: 'u-1' }, { kind: 'groups', groups: ['finance', 'member'] },
      { kind: 'expression', expression: '=if budget > 5 then "a" else "b"' }, { kind: 'none' },
    ];
    for (const rule of rules) {
      const written = assigneeWrite(rule);
      expect(readAssignee(written.attributes, written.rule)).toEqual(rule);
    }
  });

  it('show the variables older diagrams used as the org-chart rules they meant', () => {
    expect(readAssignee({ assignee: '=initiatorManager' })).toEqual({ kind: 'initiatorManager', levels: 1 });
    expect(readAssignee({ assignee: '=initiatorDepartmentHead' })).toEqual({ kind: 'departmentHead', field: null });
  });

  it('show what they did not write as a FEEL expression, and ignore a rule property the engine would refuse', () => {
    expect(readAssignee({ assignee: '=a', candidateGroups: '=["x"]' })).toEqual({ kind: 'expression', expression: '=a' });
    expect(readAssignee({ candidateGroups: 'sales, support' })).toEqual({ kind: 'groups', groups: ['sales', 'support'] });
    expect(readAssignee({ assignee: 'anna' }, 'manager:0')).toEqual({ kind: 'user', userId: 'anna' });
  });

  it('name the variable a rule reads, and say which rules can find nobody', () => {
    expect(requiredVariable({ kind: 'initiator' })).toBe('initiator');
    expect(requiredVariable({ kind: 'departmentHead', field: 'department' })).toBe('department');
    expect(requiredVariable({ kind: 'initiatorManager', levels: 1 })).toBeNull();
    expect(mayFindNobody({ kind: 'initiatorManager', levels: 1 })).toBe(true);
    expect(mayFindNobody({ kind: 'user', userId: 'x' })).toBe(false);
  });
});

describe('fallback and id lists', () => {
  it('round-trip the fallback the engine reads', () => {
    const fallbacks: AssigneeFallback[] = [{ kind: 'initiator' }, { kind: 'admins' }, { kind: 'user', userId: 'u-9' }];
    for (const fallback of fallbacks) expect(readFallback(fallbackProperty(fallback))).toEqual(fallback);
    expect(fallbackProperty({ kind: 'none' })).toBeUndefined();
    expect(readFallback('everyone')).toEqual({ kind: 'none' });
  });

  it('read comma lists and FEEL lists of ids, and leave computed lists alone', () => {
    expect(readIdList('a, b,,a')).toEqual(['a', 'b']);
    expect(readIdList('=["a", "b"]')).toEqual(['a', 'b']);
    expect(readIdList('=reviewers')).toBeNull();
    expect(readIdList(undefined)).toEqual([]);
    expect(idListProperty(['a', ' b ', 'a'])).toBe('a,b');
    expect(idListProperty([])).toBeUndefined();
  });
});
