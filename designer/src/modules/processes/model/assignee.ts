import { expressionOf, feelStringList, parseFeelStringList, withEquals } from './feel';

/**
 * Who works on a user task, as an admin chooses it. Zeebe's own `zeebe:assignmentDefinition` carries a
 * person, groups, the initiator or a FEEL expression; the org-chart rules (the initiator's manager N levels
 * up, a department's head) are Opsflow's and travel as `zeebe:property` entries the engine resolves when
 * the task is created: `opsflow:assigneeRule` = `manager:<N>` | `departmentHead` | `departmentHead:<field>`.
 */
export type AssigneeRule =
  | { kind: 'none' }
  | { kind: 'initiator' }
  | { kind: 'user'; userId: string }
  | { kind: 'groups'; groups: string[] }
  | { kind: 'initiatorManager'; levels: number }
  | { kind: 'departmentHead'; field: string | null }
  | { kind: 'expression'; expression: string };

export type AssigneeKind = AssigneeRule['kind'];
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['initiator', 'user', 'groups', 'initiatorManager', 'departmentHead', 'expression', 'none'];
/** How far up the chain the designer offers (the engine accepts up to 20). */
export const MAX_MANAGER_LEVELS = 5;

/** The variable the initiator rule reads (set by start forms and the start API). */
export const INITIATOR_VARIABLE = 'initiator';
/** Variables older diagrams read for the org-chart rules; shown as the rules they meant. */
const LEGACY_MANAGER_VARIABLE = 'initiatorManager';
const LEGACY_DEPARTMENT_HEAD_VARIABLE = 'initiatorDepartmentHead';

export const RULE_PROPERTY = 'opsflow:assigneeRule';
export const FALLBACK_PROPERTY = 'opsflow:fallback';
export const CC_USERS_PROPERTY = 'opsflow:ccUsers';
export const CC_GROUPS_PROPERTY = 'opsflow:ccGroups';
export const EDITABLE_FIELDS_PROPERTY = 'opsflow:editableFields';

/** The attributes of `zeebe:assignmentDefinition`; `undefined` removes one. */
export interface AssignmentAttributes {
  assignee: string | undefined;
  candidateGroups: string | undefined;
  candidateUsers: string | undefined;
}

/** What the panel writes for a rule: the assignment attributes and the rule property (`undefined` removes it). */
export interface AssigneeWrite {
  attributes: AssignmentAttributes;
  rule: string | undefined;
}

/** Who gets the task when the rule finds nobody (`opsflow:fallback`). */
export type AssigneeFallback = { kind: 'none' } | { kind: 'initiator' } | { kind: 'admins' } | { kind: 'user'; userId: string };
export const FALLBACK_KINDS: readonly AssigneeFallback['kind'][] = ['none', 'initiator', 'admins', 'user'];

/** The variable a rule needs at run time, for the hint shown under it. */
export function requiredVariable(rule: AssigneeRule): string | null {
  if (rule.kind === 'initiator') return INITIATOR_VARIABLE;
  if (rule.kind === 'departmentHead') return rule.field;
  return null;
}

/** Whether a rule can come up empty at run time, so a fallback makes sense. */
export function mayFindNobody(rule: AssigneeRule): boolean {
  return rule.kind === 'initiatorManager' || rule.kind === 'departmentHead' || rule.kind === 'expression';
}

export function assigneeWrite(rule: AssigneeRule): AssigneeWrite {
  const none: AssignmentAttributes = { assignee: undefined, candidateGroups: undefined, candidateUsers: undefined };
  switch (rule.kind) {
    case 'none': return { attributes: none, rule: undefined };
    case 'initiator': return { attributes: { ...none, assignee: `=${INITIATOR_VARIABLE}` }, rule: undefined };
    // a static value: the engine takes it as the user id as it is
    case 'user': return { attributes: { ...none, assignee: rule.userId || undefined }, rule: undefined };
    case 'groups': return { attributes: { ...none, candidateGroups: rule.groups.length ? `=${feelStringList(rule.groups)}` : undefined }, rule: undefined };
    case 'expression': return { attributes: { ...none, assignee: withEquals(rule.expression) || undefined }, rule: undefined };
    case 'initiatorManager': return { attributes: none, rule: `manager:${clampLevels(rule.levels)}` };
    case 'departmentHead': return { attributes: none, rule: rule.field ? `departmentHead:${rule.field}` : 'departmentHead' };
  }
}

function clampLevels(levels: number): number {
  return Math.min(20, Math.max(1, Math.floor(levels) || 1));
}

/** The rule a property names, or null when it is not one the engine knows. */
function parseRule(text: string): AssigneeRule | null {
  const [kind, argument = ''] = text.trim().split(/:(.*)/s, 2).map((part) => part.trim());
  if (kind === 'manager') {
    const levels = argument === '' ? 1 : Number(argument);
    return Number.isInteger(levels) && levels >= 1 && levels <= 20 ? { kind: 'initiatorManager', levels } : null;
  }
  if (kind === 'departmentHead') return { kind: 'departmentHead', field: argument || null };
  return null;
}

/** Reads back what {@link assigneeWrite} wrote; anything else is shown as a FEEL expression. */
export function readAssignee(attributes: Partial<Record<keyof AssignmentAttributes, string | undefined>>, ruleProperty?: string): AssigneeRule {
  const rule = ruleProperty ? parseRule(ruleProperty) : null;
  if (rule) return rule;
  const { assignee, candidateGroups, candidateUsers } = attributes;
  if (!assignee && !candidateGroups && !candidateUsers) return { kind: 'none' };
  if (assignee && !candidateGroups && !candidateUsers) {
    const expression = expressionOf(assignee);
    if (expression === null) return { kind: 'user', userId: assignee.trim() };
    if (expression === INITIATOR_VARIABLE) return { kind: 'initiator' };
    if (expression === LEGACY_MANAGER_VARIABLE) return { kind: 'initiatorManager', levels: 1 };
    if (expression === LEGACY_DEPARTMENT_HEAD_VARIABLE) return { kind: 'departmentHead', field: null };
    return { kind: 'expression', expression: `=${expression}` };
  }
  if (candidateGroups && !assignee && !candidateUsers) {
    const expression = expressionOf(candidateGroups);
    const groups = expression === null ? candidateGroups.split(',').map((g) => g.trim()).filter(Boolean) : parseFeelStringList(expression);
    if (groups) return { kind: 'groups', groups };
  }
  return { kind: 'expression', expression: assignee ?? candidateGroups ?? candidateUsers ?? '' };
}

export function fallbackProperty(fallback: AssigneeFallback): string | undefined {
  switch (fallback.kind) {
    case 'none': return undefined;
    case 'user': return fallback.userId ? `user:${fallback.userId}` : undefined;
    default: return fallback.kind;
  }
}

export function readFallback(text: string | undefined): AssigneeFallback {
  const value = text?.trim() ?? '';
  if (value === 'initiator' || value === 'admins') return { kind: value };
  if (value.startsWith('user:') && value.length > 5) return { kind: 'user', userId: value.slice(5).trim() };
  return { kind: 'none' };
}

/**
 * A list of ids in a property: comma-separated, or a FEEL list of string literals. Anything else (a FEEL
 * expression computing the list) is null, and the panel shows it as it is.
 */
export function readIdList(text: string | undefined): string[] | null {
  if (!text?.trim()) return [];
  const expression = expressionOf(text);
  if (expression === null) return [...new Set(text.split(',').map((id) => id.trim()).filter(Boolean))];
  return parseFeelStringList(expression);
}

export function idListProperty(ids: readonly string[]): string | undefined {
  const unique = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
  return unique.length ? unique.join(',') : undefined;
}
