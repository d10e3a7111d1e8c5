import type { UserTask } from './engine.entities.js';

/** Whether a person may claim a task: named among its candidate users, or in one of its candidate groups (group ids and role names). */
export function isCandidate(task: Pick<UserTask, 'candidateUsers' | 'candidateGroups'>, userId: string | null, groups: readonly string[]): boolean {
  return (userId !== null && task.candidateUsers.includes(userId)) || task.candidateGroups.some((group) => groups.includes(group));
}

/** Whether a task was copied (抄送) to a person, by name or through one of their groups. */
export function isCopied(task: Pick<UserTask, 'ccUsers' | 'ccGroups'>, userId: string | null, groups: readonly string[]): boolean {
  return (userId !== null && task.ccUsers.includes(userId)) || task.ccGroups.some((group) => groups.includes(group));
}

/** How `task_principal` names a person and their groups. */
export function principalKeys(userId: string | null, groups: readonly string[]): string[] {
  return [...(userId ? [`u:${userId}`] : []), ...groups.map((group) => `g:${group}`)];
}

/** Who a task waits for: its assignee, or while nobody took it, the people it is offered to by name. */
export function holdersOf(task: Pick<UserTask, 'assignee' | 'candidateUsers'>): string[] {
  return task.assignee ? [task.assignee] : task.candidateUsers;
}
