import type { FeelExpression, FeelValue } from '../../../core/feel/feel-expression.js';
import type { TimerDefinition } from './timer-definition.js';

/** The element kinds the engine runs; anything else is refused when a process is deployed. */
export type ElementKind =
  | 'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
  | 'task' | 'manualTask' | 'userTask' | 'serviceTask' | 'sendTask' | 'receiveTask' | 'scriptTask' | 'businessRuleTask'
  | 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway' | 'eventBasedGateway'
  | 'subProcess' | 'callActivity';

export type EventTrigger =
  | { kind: 'none' }
  | { kind: 'timer'; timer: TimerDefinition }
  | { kind: 'message'; messageName: string; correlationKey: FeelValue | null }
  | { kind: 'error'; errorCode: string | null }
  | { kind: 'terminate' };

export interface Mapping {
  source: FeelValue;
  target: string;
}

export interface MultiInstance {
  sequential: boolean;
  inputCollection: FeelValue;
  inputElement: string | null;
  outputCollection: string | null;
  outputElement: FeelValue | null;
  completionCondition: FeelExpression | null;
}

export interface UserTaskDefinition {
  assignee: FeelValue | null;
  candidateUsers: FeelValue | null;
  candidateGroups: FeelValue | null;
  dueDate: FeelValue | null;
  followUpDate: FeelValue | null;
  /** An Opsflow form id (`zeebe:formDefinition formId`) or a form key. */
  formId: string | null;
  /** 抄送 (`opsflow:ccUsers` / `opsflow:ccGroups` properties): who gets a read-only copy. */
  ccUsers: FeelValue | null;
  ccGroups: FeelValue | null;
  /** An org-chart rule resolved when the task is created (`opsflow:assigneeRule`); it wins over `assignee`. */
  assigneeRule: AssigneeRule | null;
  /** Who gets the task when the rule or the assignee expression finds nobody (`opsflow:fallback`). */
  fallback: AssigneeFallback | null;
  /** The form fields this step may change (`opsflow:editableFields`, comma-separated); null: all of them. */
  editableFields: string[] | null;
}

/**
 * Org-chart routing: the initiator's manager N levels up (`manager:2`), the head of the department a
 * variable names (`departmentHead:department`), or of the initiator's own department (`departmentHead`).
 */
export type AssigneeRule = { kind: 'manager'; levels: number } | { kind: 'departmentHead'; variable: string | null };

/** `initiator`, `admins` (a candidate task for the admin role) or `user:<id>`. */
export type AssigneeFallback = { kind: 'initiator' } | { kind: 'admins' } | { kind: 'user'; userId: string };

export interface JobDefinition {
  type: FeelValue;
  retries: number;
  headers: Record<string, string>;
}

export interface FlowElement {
  id: string;
  name: string | null;
  kind: ElementKind;
  /** The element whose scope the element runs in: the process or an embedded subprocess. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  /** Sequence flow taken when no condition holds (exclusive and inclusive gateways). */
  defaultFlow: string | null;
  trigger: EventTrigger;
  inputs: Mapping[];
  outputs: Mapping[];
  multiInstance: MultiInstance | null;
  userTask: UserTaskDefinition | null;
  job: JobDefinition | null;
  /** zeebe:script (script and business rule tasks): a FEEL expression whose result lands in a variable. */
  script: { expression: FeelExpression; resultVariable: string } | null;
  callActivity: { processId: FeelValue; propagateAllChildVariables: boolean } | null;
  /** Boundary events: the activity they sit on, and whether they cancel it. */
  attachedTo: string | null;
  cancelActivity: boolean;
  boundaryEvents: string[];
  /** Subprocesses: their start event. */
  startEventId: string | null;
}

export interface SequenceFlow {
  id: string;
  name: string | null;
  sourceId: string;
  targetId: string;
  condition: FeelExpression | null;
}

/** A deployed process version compiled for execution: plain data plus parsed FEEL, shared by every instance of the version. */
export interface ProcessModel {
  /** The BPMN process id (`<bpmn:process id>`). */
  bpmnProcessId: string;
  name: string | null;
  elements: Map<string, FlowElement>;
  flows: Map<string, SequenceFlow>;
  /** The process's none start event (instances started through the API or a start form). */
  noneStartEventId: string | null;
  /** Start events triggered by timers or messages. */
  eventStartIds: string[];
  /** For each inclusive join: the elements from which the join can still be reached. */
  inclusiveJoinSources: Map<string, Set<string>>;
}

export const PROCESS_SCOPE = '__process';
