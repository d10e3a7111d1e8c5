import { SetMetadata } from '@nestjs/common';
import type { Role } from '../tenancy/request-context.js';

export const PUBLIC_KEY = 'opsflow:public';
export const MIN_ROLE_KEY = 'opsflow:min-role';

/** The handler needs no sign-in (health, login, public settings, sign-up). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The handler needs at least this role; owner > admin > designer > member. */
export const RequireRole = (role: Role) => SetMetadata(MIN_ROLE_KEY, role);
