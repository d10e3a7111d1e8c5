import type {
  ApiKeyDto, AuditEventDto, CreateUserDto, CreatedApiKeyDto, CreatedUserDto, DepartmentDto, GroupDto, UpdateUserDto,
} from '@opsflow/plugin-sdk';

export type CreatedUser = CreatedUserDto;
export type NewUser = CreateUserDto;
export type UserChange = UpdateUserDto;
export type Department = DepartmentDto;
export type Group = GroupDto;
export type ApiKey = ApiKeyDto;
export type CreatedApiKey = CreatedApiKeyDto;
export type ApiKeyScope = ApiKeyDto['scopes'][number];
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write', 'admin'];
export type AuditEvent = AuditEventDto;
