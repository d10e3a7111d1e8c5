import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, JsonColumn, RefColumn, TenantIdColumn, TimestampColumn } from '../../core/database/columns.js';
import type { TimerRepeat } from './model/timer-definition.js';

export type InstanceStatus = 'active' | 'completed' | 'canceled' | 'incident';
export type Variables = Record<string, unknown>;

/** A running or finished process instance; `rev` is the optimistic lock every command checks. */
@Entity('process_instance')
@Index(['tenantId', 'processId', 'status'])
@Index(['tenantId', 'startedBy', 'createdAt'])
export class ProcessInstance {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Column({ type: 'varchar', length: 36 }) processId: string;
  @Column({ type: 'varchar', length: 36 }) processVersionId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'varchar', length: 200 }) bpmnProcessId: string;
  @Column({ type: 'varchar', length: 16 }) status: InstanceStatus;
  @JsonColumn() variables: Variables;
  @Column({ type: 'varchar', length: 200, nullable: true }) businessKey: string | null;
  @RefColumn() startedBy: string | null;
  @RefColumn() recordId: string | null;
  @RefColumn() parentInstanceId: string | null;
  /** The call activity that started this instance; unique, so a redelivered start job cannot start a second child. */
  @Index({ unique: true }) @RefColumn() parentElementInstanceId: string | null;
  @Column({ type: 'integer' }) rev: number;
  /** Next history position: the order in which elements finished. */
  @Column({ type: 'integer' }) seq: number;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) endedAt: Date | null;
}

/**
 * An element instance that is waiting (a task, a timer or message catch, a join, a subprocess or
 * multi-instance scope, a failed step with an incident). Elements that pass straight through never
 * become rows: their trace is the history.
 */
@Entity('element_instance')
export class ElementInstanceRow {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) instanceId: string;
  /** The scope it runs in: the instance id, or a subprocess / multi-instance element instance. */
  @Column({ type: 'varchar', length: 36 }) parentId: string;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ type: 'varchar', length: 16 }) state: string;
  @JsonColumn({ nullable: true }) variables: Variables | null;
  @JsonColumn({ nullable: true }) data: Record<string, unknown> | null;
  @TimestampColumn() startedAt: Date;
}

export type TaskStatus = 'open' | 'done' | 'canceled';

/** A user task: what the inbox lists. Written by the engine in the same transaction as the instance. */
@Entity('user_task')
@Index(['tenantId', 'assignee', 'status', 'createdAt'])
@Index(['tenantId', 'status', 'createdAt'])
@Index(['instanceId'])
export class UserTask {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Column({ type: 'varchar', length: 36 }) instanceId: string;
  @Column({ type: 'varchar', length: 36 }) elementInstanceId: string;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 36 }) processId: string;
  @RefColumn() assignee: string | null;
  @JsonColumn() candidateUsers: string[];
  @JsonColumn() candidateGroups: string[];
  @Column({ type: 'varchar', length: 16 }) status: TaskStatus;
  @RefColumn() formId: string | null;
  @TimestampColumn({ nullable: true }) dueAt: Date | null;
  @TimestampColumn({ nullable: true }) followUpAt: Date | null;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) endedAt: Date | null;
  @RefColumn() completedBy: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) outcome: string | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  /** 催办: the last reminder, at most one per hour. */
  @TimestampColumn({ nullable: true }) lastUrgedAt: Date | null;
  /** 抄送: who receives a copy (read-only access to the request): user ids and group ids or role names. */
  @JsonColumn() ccUsers: string[];
  @JsonColumn() ccGroups: string[];
}

/**
 * Who a task is for besides its assignee, one row per person or group, so the inbox finds "tasks I may
 * claim" and "tasks copied to me" by index instead of searching JSON text. `principal` is `u:<userId>`
 * or `g:<group id or role name>`.
 */
@Entity('task_principal')
@Index(['tenantId', 'kind', 'principal', 'taskId'])
export class TaskPrincipal {
  @PrimaryColumn({ type: 'varchar', length: 36 }) taskId: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) kind: TaskPrincipalKind;
  @PrimaryColumn({ type: 'varchar', length: 240 }) principal: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
}

export type TaskPrincipalKind = 'candidate' | 'cc';

/** A due moment: `firedAt` is set once by the command that handles it (`UPDATE ... WHERE firedAt IS NULL`). */
@Entity('engine_timer')
@Index(['firedAt', 'dueAt'])
export class EngineTimer {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  /** null for timer start events, which belong to a process version. */
  @RefColumn() instanceId: string | null;
  @RefColumn() elementInstanceId: string | null;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 36 }) processVersionId: string;
  @TimestampColumn() dueAt: Date;
  @TimestampColumn({ nullable: true }) firedAt: Date | null;
  @JsonColumn({ nullable: true }) repeat: TimerRepeat | null;
  @TimestampColumn() createdAt: Date;
}

/** An element waiting for a message (catch event, receive task, boundary, event gateway) or a message start event. */
@Entity('message_subscription')
@Index(['tenantId', 'name', 'correlationKey'])
export class MessageSubscription {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) correlationKey: string | null;
  @Index() @RefColumn() instanceId: string | null;
  @RefColumn() elementInstanceId: string | null;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 36 }) processVersionId: string;
  @TimestampColumn() createdAt: Date;
}

/** Jobs a command wants run, written in its transaction and handed to the job runner after commit (row id = job id). */
@Entity('engine_outbox')
export class OutboxRow {
  @PrimaryColumn({ type: 'varchar', length: 200 }) id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Column({ type: 'varchar', length: 32 }) queue: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @JsonColumn() payload: Record<string, unknown>;
  @TimestampColumn() runAt: Date;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ type: 'integer' }) backoffMs: number;
  @Index() @TimestampColumn() createdAt: Date;
}

export type IncidentStatus = 'open' | 'resolved';

/** A step that cannot go on without an admin: a service task out of retries, an expression that failed, an uncaught error. */
@Entity('incident')
@Index(['tenantId', 'status', 'createdAt'])
export class Incident {
  @IdColumn() id: string;
  @TenantIdColumn() tenantId: string;
  @Index() @Column({ type: 'varchar', length: 36 }) instanceId: string;
  @Column({ type: 'varchar', length: 36 }) elementInstanceId: string;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 32 }) kind: string;
  @Column({ type: 'text' }) message: string;
  @Column({ type: 'varchar', length: 16 }) status: IncidentStatus;
  @TimestampColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) resolvedAt: Date | null;
  @RefColumn() resolvedBy: string | null;
}

export type HistoryStatus = 'completed' | 'terminated' | 'transferred' | 'signer_added' | 'urged' | 'withdrawn';

/** What happened in an instance, one row per finished element instance, in the order they finished. */
@Entity('instance_history')
@Index(['instanceId', 'seq'])
export class HistoryEntry {
  @IdColumn() id: string;
  @TenantIdColumn({ covered: true }) tenantId: string;
  @Column({ type: 'varchar', length: 36 }) instanceId: string;
  @Column({ type: 'integer' }) seq: number;
  @Column({ type: 'varchar', length: 200 }) elementId: string;
  @Column({ type: 'varchar', length: 40 }) elementType: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  /** completed / terminated for elements; transferred, signer_added, urged, returned, withdrawn for approval actions. */
  @Column({ type: 'varchar', length: 16 }) status: HistoryStatus;
  @TimestampColumn() startedAt: Date;
  @TimestampColumn() endedAt: Date;
  @RefColumn() actor: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) outcome: string | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  /** The person a task went to (转办, 加签). */
  @RefColumn() target: string | null;
}
