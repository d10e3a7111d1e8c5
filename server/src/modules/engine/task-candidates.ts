import type { UserTask } from './engine.entities.js';

/** Whether a person may claim a task: named among its candidate users, or in one of its candidate groups (group ids and role names). */
export function isCandidate(task: Pick<UserTask, 'candidateUsers' | 'candidateGroups'>, userId: string | null, groups: readonly string[]): boolean {
  return (userId !== null && task.candidateUsers.includes(userId)) || task.candidateGroups.some((group) => groups.includes(group));
}
