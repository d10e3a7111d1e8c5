import type { MeDto, PublicSettingsDto, TenantDto, UserDto } from '@opsflow/plugin-sdk';

export type User = UserDto;
export type Tenant = TenantDto;
export type Me = MeDto;
export type PublicSettings = PublicSettingsDto;
export type Role = UserDto['roles'][number];
export type Locale = UserDto['locale'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'designer', 'member'];

/** What every list endpoint answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
