import { type EntityManager, In } from 'typeorm';
import { impliedRoles } from '../../core/auth/roles.js';
import type { Actor } from '../../core/tenancy/request-context.js';
import { GroupMember } from './group.entity.js';
import { User } from './user.entity.js';

/** Display names of the given users of a tenant (nulls and repeats ignored), for lists that show who did what. */
export async function userNames(manager: EntityManager, tenantId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const users = await manager.find(User, { select: { id: true, name: true }, where: { tenantId, id: In(wanted) } });
  return new Map(users.map((user) => [user.id, user.name]));
}

/** What a candidate group of a task may name for this person: their group ids and their role names. */
export async function candidateGroupsOf(manager: EntityManager, actor: Actor): Promise<string[]> {
  if (!actor.userId) return impliedRoles(actor.roles);
  const memberships = await manager.find(GroupMember, { select: { groupId: true }, where: { userId: actor.userId } });
  return [...memberships.map((membership) => membership.groupId), ...impliedRoles(actor.roles)];
}
