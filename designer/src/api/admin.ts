import {
  apiKeysCreate, apiKeysList, apiKeysRevoke, auditList, notificationsMailOutbox, departmentsCreate, departmentsList, departmentsRemove,
  departmentsUpdate, groupsCreate, groupsList, groupsRemove, groupsSetMembers, groupsUpdate, usersCreate, usersImport,
  usersList, usersUpdate,
  type CreateApiKeyDto, type CreateDepartmentDto, type CreateGroupDto, type UpdateDepartmentDto, type UpdateGroupDto,
  type MailMessageDto, type UsersListData,
} from '@opsflow/plugin-sdk';
import type { NewUser, UserChange } from './types';

export type UserQuery = NonNullable<UsersListData['query']>;

// Admin endpoints, through the generated client only.
export const usersApi = {
  list: async (query: UserQuery) => (await usersList({ query })).data,
  create: async (body: NewUser) => (await usersCreate({ body })).data,
  update: async (id: string, body: UserChange) => (await usersUpdate({ path: { id }, body })).data,
  import: async (csv: string) => (await usersImport({ body: { csv } })).data,
};

export const departmentsApi = {
  list: async () => (await departmentsList()).data,
  create: async (body: CreateDepartmentDto) => (await departmentsCreate({ body })).data,
  update: async (id: string, body: UpdateDepartmentDto) => (await departmentsUpdate({ path: { id }, body })).data,
  remove: async (id: string): Promise<void> => {
    await departmentsRemove({ path: { id } });
  },
};

export const groupsApi = {
  list: async () => (await groupsList()).data,
  create: async (body: CreateGroupDto) => (await groupsCreate({ body })).data,
  update: async (id: string, body: UpdateGroupDto) => (await groupsUpdate({ path: { id }, body })).data,
  setMembers: async (id: string, userIds: string[]) => (await groupsSetMembers({ path: { id }, body: { userIds } })).data,
  remove: async (id: string): Promise<void> => {
    await groupsRemove({ path: { id } });
  },
};

export const apiKeysApi = {
  list: async (query: { page: number; pageSize: number }) => (await apiKeysList({ query })).data,
  create: async (body: CreateApiKeyDto) => (await apiKeysCreate({ body })).data,
  revoke: async (id: string): Promise<void> => {
    await apiKeysRevoke({ path: { id } });
  },
};

export const auditApi = {
  list: async (query: { page: number; pageSize: number }) => (await auditList({ query })).data,
};

export type MailMessage = MailMessageDto;
export type MailStatus = MailMessageDto['status'];

/** The mail outbox: notification e-mails sent, failed, or kept (no SMTP configured). */
export const mailApi = {
  list: async (query: { page: number; pageSize: number; status?: MailStatus }) => (await notificationsMailOutbox({ query })).data,
};
