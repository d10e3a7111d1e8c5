import type { Role } from '../tenancy/request-context.js';

const RANK: Record<Role, number> = { member: 0, designer: 1, admin: 2, owner: 3 };

export function highestRank(roles: readonly Role[]): number {
  return roles.reduce((best, role) => Math.max(best, RANK[role] ?? -1), -1);
}

export function hasRole(roles: readonly Role[], required: Role): boolean {
  return highestRank(roles) >= RANK[required];
}
