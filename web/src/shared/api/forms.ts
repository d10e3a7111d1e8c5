import {
  appsList, departmentsList, formsFields, formsList, formsPublished, formsVersion, publicFormsGet, publicFormsSubmit,
  recordsGet, recordsImport, recordsList, recordsMine, recordsRemove, recordsSubmit, recordsUpdate, usersGet, usersList,
  type AppDto, type DepartmentDto, type FormFieldDto, type FormSettingsDto, type FormSummaryDto, type FormVersionDto,
  type MyRecordDto, type PublicFormDto, type RecordDto, type UserDto,
} from '@opsflow/plugin-sdk';

export type JsonObject = Record<string, unknown>;
export type FormSettings = FormSettingsDto;
export type AppSummary = AppDto;
export type FormSummary = FormSummaryDto;
export type FormVersion = FormVersionDto;
export type PublicForm = PublicFormDto;
export type FormRecord = RecordDto;
export type MyRecord = MyRecordDto;
export type FormField = FormFieldDto;
export type FieldType = FormFieldDto['type'];

export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'isEmpty' | 'between';

export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: unknown;
}

export type Filter = { and: Array<FilterCondition | Filter> } | { or: Array<FilterCondition | Filter> } | { not: FilterCondition | Filter };

export interface RecordQuery {
  filter?: Filter | null;
  sort?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

interface RecordQueryParams {
  filter?: string;
  sort?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

const id = encodeURIComponent;

/** The query string of a records list or export: filter as JSON, empty parts left out. */
export function recordQueryParams(query: RecordQuery): RecordQueryParams {
  const params: RecordQueryParams = {};
  if (query.filter && !isEmptyFilter(query.filter)) params.filter = JSON.stringify(query.filter);
  if (query.sort) params.sort = query.sort;
  if (query.q?.trim()) params.q = query.q.trim();
  if (query.page) params.page = query.page;
  if (query.pageSize) params.pageSize = query.pageSize;
  return params;
}

function isEmptyFilter(filter: Filter): boolean {
  if ('and' in filter) return filter.and.length === 0;
  if ('or' in filter) return filter.or.length === 0;
  return false;
}

/** Same-origin URL of the CSV/XLSX export of the records the table shows (same filter, sort and search). */
export function exportUrl(formId: string, format: 'csv' | 'xlsx', query: RecordQuery): string {
  const params = new URLSearchParams({ format });
  const rest = recordQueryParams({ ...query, page: undefined, pageSize: undefined });
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) params.set(key, String(value));
  return `/api/forms/${id(formId)}/records/export?${params.toString()}`;
}

/** Apps, forms and records, through the generated client. */
export const formsApi = {
  listApps: async (page = 1, pageSize = 100) => (await appsList({ query: { page, pageSize } })).data,
  listForms: async (appId: string, page = 1, pageSize = 100) => (await formsList({ query: { appId, page, pageSize } })).data,
  published: async (formId: string) => (await formsPublished({ path: { id: formId } })).data,
  version: async (formId: string, version: number) => (await formsVersion({ path: { id: formId, version: String(version) } })).data,
  fields: async (formId: string) => (await formsFields({ path: { id: formId } })).data,
  submit: async (formId: string, data: JsonObject) => (await recordsSubmit({ path: { id: formId }, body: { data } })).data,
  records: async (formId: string, query: RecordQuery) =>
    (await recordsList({ path: { id: formId }, query: recordQueryParams(query) })).data,
  mine: async (page = 1, pageSize = 50) => (await recordsMine({ query: { page, pageSize } })).data,
  record: async (recordId: string) => (await recordsGet({ path: { id: recordId } })).data,
  updateRecord: async (recordId: string, data: JsonObject) => (await recordsUpdate({ path: { id: recordId }, body: { data } })).data,
  deleteRecord: async (recordId: string): Promise<void> => {
    await recordsRemove({ path: { id: recordId } });
  },
  importCsv: async (formId: string, csv: string) => (await recordsImport({ path: { id: formId }, body: { csv } })).data,
  publicForm: async (token: string) => (await publicFormsGet({ path: { token } })).data,
  submitPublic: async (token: string, data: JsonObject) => (await publicFormsSubmit({ path: { token }, body: { data } })).data,
};

export type UserOption = Pick<UserDto, 'id' | 'name' | 'email'>;
export type DepartmentOption = Pick<DepartmentDto, 'id' | 'name' | 'parentId'>;

/** What the user and department pickers search. */
export const directoryApi = {
  searchUsers: async (q: string): Promise<UserOption[]> =>
    (await usersList({ query: { q: q || undefined, pageSize: 20, active: true } })).data.items,
  user: async (userId: string): Promise<UserOption> => (await usersGet({ path: { id: userId } })).data,
  departments: async (): Promise<DepartmentOption[]> => (await departmentsList()).data.items,
};
