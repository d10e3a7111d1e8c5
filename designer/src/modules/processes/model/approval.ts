import { expressionOf, feelStringList, parseFeelStringList, withEquals } from './feel';

/**
 * How several approvers decide, as BPMN multi-instance:
 * - `any` 或签: parallel, done when one has completed;
 * - `all` 会签: parallel, everyone completes;
 * - `sequential` 依次: one after another;
 * - `vote` 投票: parallel, done when the share of approvals reaches `ratio`.
 * `single` is an ordinary task (no multi-instance).
 */
export type ApprovalMode = 'single' | 'any' | 'all' | 'sequential' | 'vote';
export const APPROVAL_MODES: readonly ApprovalMode[] = ['single', 'any', 'all', 'sequential', 'vote'];

/** Who the approvers are: chosen users, or a FEEL expression giving a list of user ids. */
export type Approvers = { kind: 'users'; userIds: string[] } | { kind: 'expression'; expression: string };

export interface ApprovalSettings {
  mode: ApprovalMode;
  approvers: Approvers;
  /** For `vote`: the share of approvals (0 < ratio ≤ 1) that decides. */
  ratio: number;
}

/** What the multi-instance loop holds: `bpmn:multiInstanceLoopCharacteristics` + `zeebe:loopCharacteristics`. */
export interface LoopPlan {
  isSequential: boolean;
  inputCollection: string;
  inputElement: string;
  outputCollection: string | undefined;
  outputElement: string | undefined;
  completionCondition: string | undefined;
}

export interface ApprovalPlan {
  /** null removes the multi-instance loop. */
  loop: LoopPlan | null;
  /** Each instance's assignee when there is a loop (`=approver`). */
  assignee: string | undefined;
}

/** The variable each approver's task instance receives. */
export const APPROVER_VARIABLE = 'approver';
export const VOTES_VARIABLE = 'approvals';
/** What a task's outcome sets: true when approved. */
export const APPROVED_VARIABLE = 'approved';
export const ANY_ONE_CONDITION = '=nrOfCompletedInstances >= 1';
export const DEFAULT_RATIO = 0.5;

export function voteCondition(ratio: number): string {
  return `=count(${VOTES_VARIABLE}[item = true]) / nrOfInstances >= ${formatRatio(ratio)}`;
}

function formatRatio(ratio: number): string {
  const bounded = Math.min(1, Math.max(0.01, Number.isFinite(ratio) ? ratio : DEFAULT_RATIO));
  return String(Math.round(bounded * 100) / 100);
}

function inputCollection(approvers: Approvers): string {
  return approvers.kind === 'users' ? `=${feelStringList(approvers.userIds)}` : withEquals(approvers.expression);
}

export function approvalPlan(settings: ApprovalSettings): ApprovalPlan {
  if (settings.mode === 'single') return { loop: null, assignee: undefined };
  const loop: LoopPlan = {
    isSequential: settings.mode === 'sequential',
    inputCollection: inputCollection(settings.approvers),
    inputElement: APPROVER_VARIABLE,
    outputCollection: undefined,
    outputElement: undefined,
    completionCondition: undefined,
  };
  if (settings.mode === 'any') loop.completionCondition = ANY_ONE_CONDITION;
  if (settings.mode === 'vote') {
    loop.outputCollection = VOTES_VARIABLE;
    loop.outputElement = `=${APPROVED_VARIABLE}`;
    loop.completionCondition = voteCondition(settings.ratio);
  }
  return { loop, assignee: `=${APPROVER_VARIABLE}` };
}

const VOTE = /^count\(\s*approvals\s*\[\s*item\s*=\s*true\s*\]\s*\)\s*\/\s*nrOfInstances\s*>=\s*([0-9.]+)$/;

/** Reads back a loop; a loop this designer did not write reads as the closest mode (its texts stay as they are). */
export function readApproval(loop: Partial<LoopPlan> | null): ApprovalSettings {
  if (!loop) return { mode: 'single', approvers: { kind: 'users', userIds: [] }, ratio: DEFAULT_RATIO };
  const collection = expressionOf(loop.inputCollection ?? '');
  const userIds = collection === null ? null : parseFeelStringList(collection);
  const approvers: Approvers = userIds ? { kind: 'users', userIds } : { kind: 'expression', expression: loop.inputCollection ?? '' };
  const condition = expressionOf(loop.completionCondition ?? '') ?? '';
  const vote = VOTE.exec(condition);
  if (vote) return { mode: 'vote', approvers, ratio: Number(vote[1]) };
  if (loop.isSequential) return { mode: 'sequential', approvers, ratio: DEFAULT_RATIO };
  if (condition.replace(/\s+/g, '') === 'nrOfCompletedInstances>=1') return { mode: 'any', approvers, ratio: DEFAULT_RATIO };
  return { mode: 'all', approvers, ratio: DEFAULT_RATIO };
}
