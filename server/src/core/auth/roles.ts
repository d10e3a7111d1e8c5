import type { Role } from '../tenancy/request-context.js';

const RANK: Record<Role, number> = { member: 0, designer: 1, admin: 2, owner: 3 };

export function highestRank(roles: readonly Role[]): number {
  return roles.reduce((best, role) => Math.max(best, RANK[role] ?? -1), -1);
}

export function hasRole(roles: readonly Role[], required: Role): boolean {
  return highestRank(roles) >= RANK[required];
}

/** The roles a person holds, with those their highest role includes (an owner is an admin too). */
export function impliedRoles(roles: readonly Role[]): Role[] {
  const rank = highestRank(roles);
  return (Object.keys(RANK) as Role[]).filter((role) => RANK[role] <= rank);
}
