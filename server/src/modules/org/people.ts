import { type EntityManager, In } from 'typeorm';
import { hasRole, impliedRoles } from '../../core/auth/roles.js';
import { type Actor, type Role, ROLES } from '../../core/tenancy/request-context.js';
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

/**
 * The active people a list of candidate or CC groups names: members of the groups (by id) and holders of
 * the roles (by name, owners counting as admins). At most `limit` people.
 */
export async function peopleIn(manager: EntityManager, tenantId: string, groups: readonly string[], limit = 500): Promise<string[]> {
  if (groups.length === 0) return [];
  const isRole = (group: string): group is Role => (ROLES as readonly string[]).includes(group);
  const roles = groups.filter(isRole);
  const groupIds = groups.filter((group) => !isRole(group));
  const found = new Set<string>();
  if (groupIds.length) {
    const members = await manager.find(GroupMember, { select: { userId: true }, where: { tenantId, groupId: In(groupIds) } });
    const active = await manager.find(User, { select: { id: true }, where: { tenantId, active: true, id: In([...new Set(members.map((m) => m.userId))]) } });
    for (const user of active) found.add(user.id);
  }
  if (roles.length) {
    const users = await manager.find(User, { select: { id: true, roles: true }, where: { tenantId, active: true } });
    for (const user of users) if (roles.some((role) => hasRole(user.roles, role))) found.add(user.id);
  }
  return [...found].slice(0, limit);
}
