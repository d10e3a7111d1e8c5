import { expressionOf, feelStringList, parseFeelStringList, withEquals } from './feel';

/**
 * Who works on a user task, as an admin chooses it; written into `zeebe:assignmentDefinition`.
 *
 * The manager and department-head rules read variables the start form (or a later resolver) provides; the
 * designer names them so the admin knows what the process needs.
 */
export type AssigneeRule =
  | { kind: 'none' }
  | { kind: 'initiator' }
  | { kind: 'user'; userId: string }
  | { kind: 'groups'; groups: string[] }
  | { kind: 'initiatorManager' }
  | { kind: 'departmentHead' }
  | { kind: 'expression'; expression: string };

export type AssigneeKind = AssigneeRule['kind'];
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['initiator', 'user', 'groups', 'initiatorManager', 'departmentHead', 'expression', 'none'];

/** The variables the rules refer to. */
export const INITIATOR_VARIABLE = 'initiator';
export const MANAGER_VARIABLE = 'initiatorManager';
export const DEPARTMENT_HEAD_VARIABLE = 'initiatorDepartmentHead';

/** The attributes of `zeebe:assignmentDefinition`; `undefined` removes one. */
export interface AssignmentAttributes {
  assignee: string | undefined;
  candidateGroups: string | undefined;
  candidateUsers: string | undefined;
}

/** The variable a rule needs at run time, for the hint shown under it. */
export function requiredVariable(rule: AssigneeRule): string | null {
  switch (rule.kind) {
    case 'initiator': return INITIATOR_VARIABLE;
    case 'initiatorManager': return MANAGER_VARIABLE;
    case 'departmentHead': return DEPARTMENT_HEAD_VARIABLE;
    default: return null;
  }
}

export function assignmentAttributes(rule: AssigneeRule): AssignmentAttributes {
  const none: AssignmentAttributes = { assignee: undefined, candidateGroups: undefined, candidateUsers: undefined };
  switch (rule.kind) {
    case 'none': return none;
    case 'initiator': return { ...none, assignee: `=${INITIATOR_VARIABLE}` };
    case 'initiatorManager': return { ...none, assignee: `=${MANAGER_VARIABLE}` };
    case 'departmentHead': return { ...none, assignee: `=${DEPARTMENT_HEAD_VARIABLE}` };
    // a static value: the engine takes it as the user id as it is
    case 'user': return { ...none, assignee: rule.userId || undefined };
    case 'groups': return { ...none, candidateGroups: rule.groups.length ? `=${feelStringList(rule.groups)}` : undefined };
    case 'expression': return { ...none, assignee: withEquals(rule.expression) || undefined };
  }
}

/** Reads back what {@link assignmentAttributes} wrote; anything else is shown as a FEEL expression. */
export function readAssignee(attributes: Partial<Record<keyof AssignmentAttributes, string | undefined>>): AssigneeRule {
  const { assignee, candidateGroups, candidateUsers } = attributes;
  if (!assignee && !candidateGroups && !candidateUsers) return { kind: 'none' };
  if (assignee && !candidateGroups && !candidateUsers) {
    const expression = expressionOf(assignee);
    if (expression === null) return { kind: 'user', userId: assignee.trim() };
    if (expression === INITIATOR_VARIABLE) return { kind: 'initiator' };
    if (expression === MANAGER_VARIABLE) return { kind: 'initiatorManager' };
    if (expression === DEPARTMENT_HEAD_VARIABLE) return { kind: 'departmentHead' };
    return { kind: 'expression', expression: `=${expression}` };
  }
  if (candidateGroups && !assignee && !candidateUsers) {
    const expression = expressionOf(candidateGroups);
    const groups = expression === null ? candidateGroups.split(',').map((g) => g.trim()).filter(Boolean) : parseFeelStringList(expression);
    if (groups) return { kind: 'groups', groups };
  }
  return { kind: 'expression', expression: assignee ?? candidateGroups ?? candidateUsers ?? '' };
}
