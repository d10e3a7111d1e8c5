import {
  formsFields, instancesCancel, instancesGet, instancesHistory, instancesIncidents, instancesList, instancesRetry,
  instancesSetVariables, pluginsTaskTypes, processesCreate, processesDeploy, processesGet, processesList, processesUpdate,
  processesVersion, processesVersions,
  type FormFieldDto, type HistoryEntryDto, type IncidentDto, type InstanceDetailDto, type InstanceDto, type InstancesListData,
  type ProcessDto, type ProcessSummaryDto, type ProcessVersionDto, type ProcessVersionSummaryDto, type TaskTypeDto,
} from '@opsflow/plugin-sdk';

// Processes, instances, incidents and the catalogues the process designer offers, through the generated client only.

export type ProcessSummary = ProcessSummaryDto;
export type Process = ProcessDto;
export type ProcessVersion = ProcessVersionDto;
export type ProcessVersionSummary = ProcessVersionSummaryDto;
export type Instance = InstanceDto;
export type InstanceDetail = InstanceDetailDto;
export type InstanceStatus = InstanceDto['status'];
export type HistoryEntry = HistoryEntryDto;
export type Incident = IncidentDto;
export type TaskType = TaskTypeDto;
export type FormField = FormFieldDto;
export type InstanceQuery = NonNullable<InstancesListData['query']>;

export const INSTANCE_STATUSES: readonly InstanceStatus[] = ['active', 'incident', 'completed', 'canceled'];

export interface ProcessChange {
  name?: string;
  bpmnXml?: string;
  startFormId?: string | null;
}

export const processesApi = {
  list: async (appId: string, page = 1, pageSize = 100) => (await processesList({ query: { appId, page, pageSize } })).data,
  listAll: async (page = 1, pageSize = 500) => (await processesList({ query: { page, pageSize } })).data,
  get: async (id: string) => (await processesGet({ path: { id } })).data,
  create: async (body: { appId: string; name: string; bpmnXml?: string }) => (await processesCreate({ body })).data,
  update: async (id: string, body: ProcessChange) => (await processesUpdate({ path: { id }, body })).data,
  /** 422 `process_invalid` with one detail per problem, `path` naming the BPMN element. */
  deploy: async (id: string) => (await processesDeploy({ path: { id } })).data,
  versions: async (id: string) => (await processesVersions({ path: { id } })).data,
  version: async (id: string, version: number) => (await processesVersion({ path: { id, version } })).data,
};

export const instancesApi = {
  list: async (query: InstanceQuery) => (await instancesList({ query })).data,
  get: async (id: string) => (await instancesGet({ path: { id } })).data,
  history: async (id: string) => (await instancesHistory({ path: { id } })).data,
  cancel: async (id: string, reason?: string): Promise<void> => {
    await instancesCancel({ path: { id }, body: reason ? { reason } : {} });
  },
  setVariables: async (id: string, variables: Record<string, unknown>) =>
    (await instancesSetVariables({ path: { id }, body: { variables } })).data,
  incidents: async (instanceId: string) => (await instancesIncidents({ query: { instanceId, page: 1, pageSize: 100 } })).data,
  retry: async (incidentId: string): Promise<void> => {
    await instancesRetry({ path: { id: incidentId } });
  },
};

export const catalogApi = {
  taskTypes: async () => (await pluginsTaskTypes()).data,
  formFields: async (formId: string) => (await formsFields({ path: { id: formId } })).data.items,
};
