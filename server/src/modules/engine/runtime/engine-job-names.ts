import { defineJob, type JobPayload, QueueName } from '../../../core/jobs/job.types.js';
import type { Variables } from '../engine.entities.js';
import type { TimerRepeat } from '../model/timer-definition.js';

export interface ServiceTaskJob extends JobPayload {
  instanceId: string;
  elementInstanceId: string;
  elementId: string;
  jobKey: string;
  type: string;
  input: Variables;
  headers: Record<string, string>;
}

export interface StartChildJob extends JobPayload {
  instanceId: string;
  elementInstanceId: string;
  bpmnProcessId: string;
  variables: Variables;
}

export interface ChildCompletedJob extends JobPayload {
  instanceId: string;
  elementInstanceId: string;
  childInstanceId: string;
  variables: Variables;
}

export interface ChildFailedJob extends JobPayload {
  instanceId: string;
  elementInstanceId: string;
  errorCode: string | null;
  message: string;
}

export interface CancelInstanceJob extends JobPayload {
  instanceId: string;
  reason: string;
}

export interface TimerDueJob extends JobPayload {
  timerId: string;
}

export type { TimerRepeat };

/** The engine's jobs; the outbox stores their queue and name, and the row id becomes the job id. */
export const EngineJobs = {
  serviceTask: defineJob<ServiceTaskJob>(QueueName.Plugins, 'service-task'),
  startChild: defineJob<StartChildJob>(QueueName.Engine, 'start-child'),
  childCompleted: defineJob<ChildCompletedJob>(QueueName.Engine, 'child-completed'),
  childFailed: defineJob<ChildFailedJob>(QueueName.Engine, 'child-failed'),
  cancelInstance: defineJob<CancelInstanceJob>(QueueName.Engine, 'cancel-instance'),
  timerDue: defineJob<TimerDueJob>(QueueName.Timers, 'timer-due'),
} as const;
