import { Injectable } from '@nestjs/common';
import type { JsonSchema } from '../forms/form-definition.js';

export type TaskVariables = Record<string, unknown>;

export interface ServiceTaskContext {
  tenantId: string;
  instanceId: string;
  elementId: string;
  /** Unique per try of this step: pass it on as an idempotency key to systems that accept one. */
  jobKey: string;
  headers: Record<string, string>;
  attempt: number;
  maxAttempts: number;
}

/** A service-task type: what `zeebe:taskDefinition type` names. Plugins add theirs to the registry. */
export interface ServiceTaskType {
  type: string;
  title: { en: string; 'zh-CN': string };
  description: { en: string; 'zh-CN': string };
  /** The task's input variables (what the designer's form for the task asks). */
  inputSchema: JsonSchema;
  /** What the handler returns; merged into the process variables (or mapped by output mappings). */
  outputSchema: JsonSchema;
  run(input: TaskVariables, context: ServiceTaskContext): Promise<TaskVariables>;
}

/** Thrown by a handler for a business error the process models (a boundary error event with this code catches it). */
export class BpmnError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Thrown for a failure that retrying cannot fix (bad input): the step gets an incident at once. */
export class PermanentTaskFailure extends Error {}

/** The service-task types this server runs: built-ins now, plugins later. */
@Injectable()
export class ServiceTaskRegistry {
  private readonly types = new Map<string, ServiceTaskType>();

  register(type: ServiceTaskType): void {
    if (this.types.has(type.type)) throw new Error(`The service-task type ${type.type} is already registered`);
    this.types.set(type.type, type);
  }

  get(type: string): ServiceTaskType | undefined {
    return this.types.get(type);
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  list(): ServiceTaskType[] {
    return [...this.types.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
