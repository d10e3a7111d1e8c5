import {
  instancesGet, instancesHistory, instancesList, instancesStart, instancesWithdraw, processesList, processesVersion, tasksAddSigner, tasksClaim,
  tasksComplete, tasksGet, tasksList, tasksReturnTargets, tasksReturnTo, tasksTransfer, tasksUnclaim, tasksUrge,
  type ActiveElementDto, type ReturnTargetDto, type HistoryEntryDto, type IncidentDto, type InstanceDetailDto, type InstanceDto, type ProcessSummaryDto,
  type TaskDetailDto, type TaskListItemDto,
} from '@opsflow/plugin-sdk';

export type Task = TaskListItemDto;
export type TaskDetail = TaskDetailDto;
export type TaskScope = 'mine' | 'candidate' | 'involved' | 'cc';
export type ReturnTarget = ReturnTargetDto;
export type SignerPosition = 'before' | 'after';
export type TaskStatus = 'open' | 'done' | 'all';
export type Instance = InstanceDto;
export type InstanceDetail = InstanceDetailDto;
export type InstanceStatus = InstanceDto['status'];
export type ActiveElement = ActiveElementDto;
export type Incident = IncidentDto;
export type HistoryEntry = HistoryEntryDto;
export type ProcessSummary = ProcessSummaryDto;

export interface TaskQuery {
  scope: TaskScope;
  status: TaskStatus;
  page?: number;
  pageSize?: number;
  /** only the tasks of this request */
  instanceId?: string;
}

export interface CompleteTaskInput {
  data?: Record<string, unknown>;
  outcome?: string;
  comment?: string;
}

/** The largest page the API answers. */
export const MAX_PAGE_SIZE = 500;

/** The task inbox and what a task page does, through the generated client. */
export const tasksApi = {
  list: async ({ scope, status, page = 1, pageSize = 20, instanceId }: TaskQuery) =>
    (await tasksList({ query: { scope, status, page, pageSize, instanceId } })).data,
  get: async (taskId: string) => (await tasksGet({ path: { id: taskId } })).data,
  claim: async (taskId: string) => (await tasksClaim({ path: { id: taskId } })).data,
  complete: async (taskId: string, body: CompleteTaskInput): Promise<void> => {
    await tasksComplete({ path: { id: taskId }, body });
  },
  unclaim: async (taskId: string) => (await tasksUnclaim({ path: { id: taskId } })).data,
  /** 转办: hand the task over to someone else. */
  transfer: async (taskId: string, userId: string, comment?: string) => (await tasksTransfer({ path: { id: taskId }, body: { userId, comment } })).data,
  /** 加签: someone signs before or after me. */
  addSigner: async (taskId: string, userId: string, position: SignerPosition, comment?: string) =>
    (await tasksAddSigner({ path: { id: taskId }, body: { userId, position, comment } })).data,
  /** 驳回: the earlier steps the request can go back to, and sending it there. */
  returnTargets: async (taskId: string) => (await tasksReturnTargets({ path: { id: taskId } })).data,
  returnTo: async (taskId: string, elementId: string, comment?: string): Promise<void> => {
    await tasksReturnTo({ path: { id: taskId }, body: { elementId, comment } });
  },
  /** 催办: remind whoever holds the task; false when a reminder went out less than an hour ago. */
  urge: async (taskId: string, comment?: string) => (await tasksUrge({ path: { id: taskId }, body: { comment } })).data.urged,
};

/** Requests (process instances): the ones I started, one with its history, starting and withdrawing. */
export const instancesApi = {
  mine: async (page = 1, pageSize = 20) => (await instancesList({ query: { scope: 'mine', page, pageSize } })).data,
  get: async (instanceId: string) => (await instancesGet({ path: { id: instanceId } })).data,
  history: async (instanceId: string) => (await instancesHistory({ path: { id: instanceId } })).data,
  start: async (processId: string, variables: Record<string, unknown> = {}) =>
    (await instancesStart({ path: { id: processId }, body: { variables } })).data,
  withdraw: async (instanceId: string, reason?: string): Promise<void> => {
    await instancesWithdraw({ path: { id: instanceId }, body: reason ? { reason } : {} });
  },
};

/** Processes as people see them: names for lists, and a deployed version's diagram. */
export const processesApi = {
  list: async (page = 1, pageSize = MAX_PAGE_SIZE) => (await processesList({ query: { page, pageSize } })).data,
  version: async (processId: string, version: number) =>
    (await processesVersion({ path: { id: processId, version } })).data,
};
