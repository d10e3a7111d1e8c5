import type { TaskDetail } from '../../shared/api/processes';

/** What else a person can do with a task besides completing it. */
export type TaskAction = 'transfer' | 'addSigner' | 'return' | 'unclaim' | 'urge';

export interface ActionContext {
  me: string | null;
  isAdmin: boolean;
  /** the person who started the request */
  startedBy: string | null;
}

/**
 * The actions a person is offered on a task, in menu order; the server checks each again.
 * 转办, 加签 and 驳回 belong to whoever holds the task (or an administrator); giving a claimed task back to its
 * pool to the one who claimed it; 催办 to the request's initiator (or an administrator) while someone else holds it.
 */
export function availableActions(task: Pick<TaskDetail, 'status' | 'assignee' | 'candidateUsers' | 'candidateGroups'>, context: ActionContext): TaskAction[] {
  if (task.status !== 'open') return [];
  const holder = task.assignee !== null && task.assignee === context.me;
  const actions: TaskAction[] = [];
  if (holder || (context.isAdmin && task.assignee !== null)) actions.push('transfer', 'addSigner', 'return');
  if (holder && (task.candidateUsers.length > 0 || task.candidateGroups.length > 0)) actions.push('unclaim');
  if (!holder && (context.startedBy === context.me || context.isAdmin)) actions.push('urge');
  return actions;
}

/** Whether the dialog of an action has what it needs to be sent. */
export function actionReady(action: TaskAction, input: { userId: string | null; target: string | null; comment: string }): boolean {
  if (action === 'transfer' || action === 'addSigner') return !!input.userId;
  // a step back needs a reason the earlier approver reads
  if (action === 'return') return !!input.target && input.comment.trim().length > 0;
  return true;
}
