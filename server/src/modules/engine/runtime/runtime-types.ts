import type {
  EngineTimer, HistoryEntry, Incident, MessageSubscription, OutboxRow, ProcessInstance, UserTask, Variables,
} from '../engine.entities.js';

/** What an element instance is: an activity or event, a multi-instance body, a token waiting at a join. */
export type ElementInstanceKind = 'activity' | 'multiBody' | 'join';
export type ElementInstanceState = 'active' | 'waiting' | 'failed';

export interface MultiInstanceData {
  total: number;
  /** The collection items not yet started (sequential) — parallel bodies start all at once. */
  items: unknown[];
  next: number;
  completed: number;
  active: number;
  outputs: unknown[];
}

export interface ElementInstanceData {
  /** The service-task job this element waits for; a result for another key is stale and ignored. */
  jobKey?: string;
  jobGeneration?: number;
  jobType?: string;
  taskId?: string;
  timerIds?: string[];
  subscriptionIds?: string[];
  /** Join arrivals: the flow the token came by. */
  flow?: string | null;
  /** Multi-instance inner instance: its position (0-based). */
  loopIndex?: number;
  multi?: MultiInstanceData;
  /** 加签: who signs after the current assignee, in order. */
  signers?: string[];
  /** Event-based gateway: catch event → how it is waited for. */
  targets?: string[];
  childInstanceId?: string;
  incidentId?: string;
  incidentKind?: string;
}

export interface ElementInstance {
  id: string;
  parentId: string;
  elementId: string;
  kind: ElementInstanceKind;
  state: ElementInstanceState;
  variables: Variables | null;
  data: ElementInstanceData;
  startedAt: Date;
}

export type EngineEvent =
  | { type: 'instance.started'; tenantId: string; instanceId: string; processId: string; startedBy: string | null }
  | { type: 'instance.completed'; tenantId: string; instanceId: string; processId: string; startedBy: string | null; parentInstanceId: string | null }
  | { type: 'instance.canceled'; tenantId: string; instanceId: string; processId: string; reason: string }
  | { type: 'task.created'; tenantId: string; task: UserTask }
  | { type: 'task.completed' | 'task.canceled'; tenantId: string; instanceId: string; end: TaskEnd }
  | { type: 'incident.created'; tenantId: string; incident: Incident }
  | { type: 'incident.resolved'; tenantId: string; incident: Incident };

export interface TaskEnd {
  id: string;
  status: 'done' | 'canceled';
  endedAt: Date;
  completedBy: string | null;
  outcome: string | null;
  comment: string | null;
}

/** Everything one command changes, written in one transaction. */
export class Changes {
  instanceCreated = false;
  readonly upserted = new Set<string>();
  readonly removed = new Set<string>();
  readonly tasksCreated: UserTask[] = [];
  readonly tasksEnded: TaskEnd[] = [];
  readonly tasksReassigned: { id: string; assignee: string }[] = [];
  readonly timersCreated: EngineTimer[] = [];
  readonly timersDeleted: string[] = [];
  readonly subscriptionsCreated: MessageSubscription[] = [];
  readonly subscriptionsDeleted: string[] = [];
  readonly outbox: OutboxRow[] = [];
  readonly incidentsCreated: Incident[] = [];
  readonly incidentsResolved: { id: string; resolvedAt: Date; resolvedBy: string | null }[] = [];
  readonly history: HistoryEntry[] = [];
  readonly events: EngineEvent[] = [];
}

/** An instance as a command sees it: the row, its waiting element instances, and what the command changed. */
export interface InstanceState {
  instance: ProcessInstance;
  /** The `rev` read; the save checks it. */
  loadedRev: number;
  elements: Map<string, ElementInstance>;
  /** Element instances that exist as rows. */
  persisted: Set<string>;
  changes: Changes;
}
