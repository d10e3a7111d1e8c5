import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import type { Clock } from '../../core/jobs/job.types.js';
import { AppConfig } from '../../core/config/app-config.js';
import { ProcessCatalog } from '../processes/process-catalog.js';
import { EngineTimer, MessageSubscription, ProcessInstance, UserTask, type Variables } from './engine.entities.js';
import { EngineEvents } from './engine-events.js';
import { EngineException } from './engine.exception.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { type CompletionInput, Interpreter, StepFailure } from './runtime/interpreter.js';
import { ConcurrentUpdate, InstanceStore } from './runtime/instance-store.js';
import type { InstanceState } from './runtime/runtime-types.js';
import { followingOccurrence } from './model/timer-definition.js';
import type { ProcessModel } from './model/process-model.js';
import { TaskRouting } from './task-routing.js';
import { newId } from '../../core/database/new-id.js';

const MAX_TRIES = 5;
const URGE_INTERVAL_MS = 60 * 60_000;

/** Records in a command's transaction that the job which asked for the command is done (JobContext.settle). */
export type Settle = (manager: EntityManager) => Promise<void>;

/** What a caller adds to an engine command: a check on the loaded instance, and rows written in its transaction. */
export interface CommandExtras {
  check?(instance: ProcessInstance, model: ProcessModel): void;
  write?(manager: EntityManager, instance: ProcessInstance): Promise<void>;
}

export interface StartInstanceInput {
  tenantId: string;
  processId: string;
  /** A version number; the latest when omitted. */
  version?: number;
  variables: Variables;
  businessKey?: string | null;
  startedBy: string | null;
  recordId?: string | null;
}

/**
 * The engine's commands. Each loads an instance, lets the interpreter apply the command and run to
 * the next wait states, and saves everything in one transaction guarded by the instance's `rev`;
 * a command that lost a race runs again on fresh state. Jobs and events go out after the commit.
 */
@Injectable()
export class EngineService {
  private readonly logger = new Logger('Engine');
  private readonly store: InstanceStore;
  private readonly tasks: RowStatements<UserTask>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: ProcessCatalog,
    private readonly outbox: OutboxDispatcher,
    private readonly events: EngineEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly routing: TaskRouting,
    config: AppConfig,
  ) {
    this.store = new InstanceStore(dataSource, { maxVariableBytes: config.instanceVariablesMaxKb * 1024 });
    this.tasks = new RowStatements(dataSource, UserTask);
  }

  /** Starts an instance at the process's plain start event; `also.write` adds rows to its transaction (its audit entry). */
  async start(input: StartInstanceInput, also?: Pick<CommandExtras, 'write'>): Promise<ProcessInstance> {
    const { instance, state } = await this.dataSource.transaction(async (manager) => {
      const started = await this.startWith(manager, input);
      await also?.write?.(manager, started.instance);
      return started;
    });
    await this.afterCommit(state);
    return instance;
  }

  /**
   * Starts an instance inside the caller's transaction (a start form's record and its instance commit
   * together); the caller runs `afterCommit` once committed. Jobs of a crash in between are sent by the outbox sweep.
   */
  async startInTransaction(manager: EntityManager, input: StartInstanceInput): Promise<{ instance: ProcessInstance; afterCommit: () => Promise<void> }> {
    const { instance, state } = await this.startWith(manager, input);
    return { instance, afterCommit: () => this.afterCommit(state) };
  }

  private async startWith(manager: EntityManager, input: StartInstanceInput): Promise<{ instance: ProcessInstance; state: InstanceState }> {
    const version = await this.catalog.versionToStart(manager, input.tenantId, input.processId, input.version);
    if (!version.model.noneStartEventId) {
      throw new EngineException(422, 'no_plain_start_event', 'This process starts only by a timer or a message, not by hand');
    }
    return this.startAt(manager, version, version.model.noneStartEventId, input);
  }

  private async startAt(
    manager: EntityManager, version: Awaited<ReturnType<ProcessCatalog['versionToStart']>>, startEventId: string,
    input: Omit<StartInstanceInput, 'processId'> & { parentInstanceId?: string; parentElementInstanceId?: string },
  ): Promise<{ instance: ProcessInstance; state: InstanceState }> {
    const now = this.clock.now();
    const instance: ProcessInstance = {
      id: newId(), tenantId: input.tenantId, processId: version.processId, processVersionId: version.id, version: version.version,
      bpmnProcessId: version.model.bpmnProcessId, status: 'active', variables: { ...input.variables }, businessKey: input.businessKey ?? null,
      startedBy: input.startedBy, recordId: input.recordId ?? null, parentInstanceId: input.parentInstanceId ?? null,
      parentElementInstanceId: input.parentElementInstanceId ?? null, rev: 0, seq: 0, createdAt: now, endedAt: null,
    };
    const state = this.store.fresh(instance);
    state.changes.events.push({ type: 'instance.started', tenantId: instance.tenantId, instanceId: instance.id, processId: instance.processId, startedBy: input.startedBy });
    new Interpreter(version.model, state, now, input.startedBy).start(startEventId);
    await this.routing.route(manager, version.model, state);
    await this.save(manager, state);
    return { instance, state };
  }

  /**
   * Completes a user task with the form data; a second completion of the same task is a 409. `task` when the
   * caller has read it already; `also` checks the completion against the instance as loaded (and may refuse
   * it) and writes what belongs with it (its audit entry) in the command's transaction.
   */
  async completeUserTask(tenantId: string, taskId: string, input: CompletionInput, task?: UserTask, also?: CommandExtras): Promise<void> {
    if (!task || task.status !== 'open') task = await this.openTask(tenantId, taskId);
    // Two completions at once: both apply, one saves first, the other's rev check fails and its retry finds the task gone.
    const { instanceId, elementInstanceId } = task;
    await this.command(tenantId, instanceId, input.actor, async (interpreter, state, manager, model) => {
      if (!state.elements.has(elementInstanceId)) throw this.taskNotOpen();
      also?.check?.(state.instance, model);
      interpreter.completeUserTask(elementInstanceId, input);
      await also?.write?.(manager, state.instance);
    });
  }

  /** Sends the token of a user task back to an earlier user task (驳回). */
  async returnUserTask(tenantId: string, task: UserTask, targetElementId: string, input: CompletionInput): Promise<void> {
    await this.onOpenTask(tenantId, task, input.actor, (interpreter) => {
      try {
        interpreter.returnTo(task.elementInstanceId, targetElementId, input);
      } catch (error) {
        if (error instanceof StepFailure) throw new EngineException(409, error.kind, error.message);
        throw error;
      }
    });
  }

  /** 转办 */
  async transferTask(tenantId: string, task: UserTask, toUser: string, actor: string | null, comment: string | null): Promise<void> {
    await this.onOpenTask(tenantId, task, actor, (interpreter) => interpreter.transfer(task.elementInstanceId, task.id, toUser, { actor, comment }));
  }

  /** 加签 */
  async addSigner(tenantId: string, task: UserTask, signer: string, position: 'before' | 'after', actor: string | null, comment: string | null): Promise<void> {
    await this.onOpenTask(tenantId, task, actor, (interpreter) =>
      interpreter.addSigner(task.elementInstanceId, task.id, signer, task.assignee ?? actor ?? signer, position, { actor, comment }));
  }

  /** 催办: recorded in the history; at most once an hour per task (`lastUrgedAt`, set in the same transaction). */
  async urgeTask(tenantId: string, task: UserTask, actor: string | null, comment: string | null): Promise<boolean> {
    const now = this.clock.now();
    let urged = false;
    await this.onOpenTask(tenantId, task, actor, async (interpreter, manager) => {
      const changed = await this.tasks.update(manager, { lastUrgedAt: now },
        '"id" = ? AND ("lastUrgedAt" IS NULL OR "lastUrgedAt" <= ?)', [task.id, new Date(now.getTime() - URGE_INTERVAL_MS)]);
      if (changed !== 1) return;
      urged = true;
      interpreter.urge(task.elementInstanceId, { actor, comment });
    });
    return urged;
  }

  /** 撤回 by the initiator. The caller checked that nobody has acted yet. */
  async withdraw(tenantId: string, instanceId: string, actor: string | null, comment: string | null): Promise<void> {
    await this.command(tenantId, instanceId, actor, (interpreter, state) => {
      if (state.instance.status !== 'active' && state.instance.status !== 'incident') {
        throw new EngineException(409, 'instance_ended', 'The request has already ended');
      }
      interpreter.withdraw({ actor, comment });
    });
  }

  private async onOpenTask(
    tenantId: string, task: UserTask, actor: string | null,
    apply: (interpreter: Interpreter, manager: EntityManager) => void | Promise<void>,
  ): Promise<void> {
    await this.command(tenantId, task.instanceId, actor, async (interpreter, state, manager) => {
      if (!state.elements.has(task.elementInstanceId)) throw this.taskNotOpen();
      await apply(interpreter, manager);
    });
  }

  /**
   * The result of a service task's job. `settle` (JobContext.settle) records the job as done in the same
   * transaction, as the timer and the other job-driven commands below also take it.
   */
  async completeJob(tenantId: string, instanceId: string, elementInstanceId: string, jobKey: string, output: Variables, settle?: Settle): Promise<void> {
    await this.command(tenantId, instanceId, null, (interpreter) => interpreter.completeJob(elementInstanceId, jobKey, output), { settle });
  }

  async failJob(tenantId: string, instanceId: string, elementInstanceId: string, jobKey: string, message: string, settle?: Settle): Promise<void> {
    await this.command(tenantId, instanceId, null, (interpreter) => interpreter.failJob(elementInstanceId, jobKey, message), { settle });
  }

  async throwJobError(
    tenantId: string, instanceId: string, elementInstanceId: string, jobKey: string, errorCode: string, message: string, settle?: Settle,
  ): Promise<void> {
    await this.command(tenantId, instanceId, null, (interpreter) => interpreter.throwJobError(elementInstanceId, jobKey, errorCode, message), { settle });
  }

  /** A due timer: marked fired once (`WHERE firedAt IS NULL`), then applied; a second delivery finds it fired and does nothing. */
  async fireTimer(tenantId: string, timerId: string, settle?: Settle): Promise<void> {
    const timer = await this.dataSource.getRepository(EngineTimer).findOneBy({ id: timerId, tenantId });
    if (!timer || timer.firedAt) return;
    if (!timer.instanceId) {
      await this.fireStartTimer(timer);
      return;
    }
    await this.command(tenantId, timer.instanceId, null, async (interpreter, _state, manager) => {
      if (!(await this.markFired(manager, timer.id))) return;
      interpreter.fireTimer(timer.elementInstanceId!, timer.elementId, timer.repeat);
    }, { missingIsNoop: true, settle });
  }

  private async fireStartTimer(timer: EngineTimer): Promise<void> {
    const state = await this.dataSource.transaction(async (manager) => {
      if (!(await this.markFired(manager, timer.id))) return null;
      const version = await this.catalog.versionById(manager, timer.tenantId, timer.processVersionId);
      const next = timer.repeat ? followingOccurrence(timer.repeat, this.clock.now()) : null;
      if (next && (await this.catalog.isLatest(manager, version))) {
        await manager.insert(EngineTimer, { ...timer, id: newId(), dueAt: next.dueAt, repeat: next.repeat, firedAt: null, createdAt: this.clock.now() });
      }
      // The occurrence is spent (its job id is in job_done, so a redelivery finds nothing to do).
      await manager.delete(EngineTimer, { id: timer.id });
      return (await this.startAt(manager, version, timer.elementId, { tenantId: timer.tenantId, variables: {}, startedBy: null })).state;
    });
    if (state) await this.afterCommit(state);
  }

  private async markFired(manager: EntityManager, timerId: string): Promise<boolean> {
    const result = await manager.createQueryBuilder().update(EngineTimer).set({ firedAt: this.clock.now() })
      .where('id = :id AND firedAt IS NULL', { id: timerId }).execute();
    return result.affected === 1;
  }

  /**
   * Delivers a message to the oldest waiting subscription with its name and correlation key, or
   * starts an instance at a message start event. Answers what it did; 404 when nothing waits.
   */
  async correlateMessage(tenantId: string, name: string, correlationKey: string | null, variables: Variables): Promise<{ instanceId: string; started: boolean }> {
    const repo = this.dataSource.getRepository(MessageSubscription);
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const subscription = correlationKey === null ? null : await repo.findOne({
        where: { tenantId, name, correlationKey }, order: { createdAt: 'ASC' },
      });
      if (subscription?.instanceId) {
        const delivered = await this.command(tenantId, subscription.instanceId, null, (interpreter) =>
          interpreter.correlateMessage(subscription.elementInstanceId!, subscription.elementId, variables), { missingIsNoop: true });
        if (delivered) return { instanceId: subscription.instanceId, started: false };
        await repo.delete({ id: subscription.id });
        continue;
      }
      const starter = await repo.findOne({ where: { tenantId, name, instanceId: IsNull() }, order: { createdAt: 'DESC' } });
      if (!starter) break;
      const { instance, state } = await this.dataSource.transaction(async (manager) => {
        const version = await this.catalog.versionById(manager, tenantId, starter.processVersionId);
        return this.startAt(manager, version, starter.elementId, { tenantId, variables, startedBy: null, businessKey: correlationKey });
      });
      await this.afterCommit(state);
      return { instanceId: instance.id, started: true };
    }
    throw new EngineException(404, 'message_not_correlated', `No process is waiting for the message "${name}"${correlationKey === null ? '' : ` with the key "${correlationKey}"`}`);
  }

  /** Starts the process a call activity names, once per call (the child's parentElementInstanceId is unique). */
  async startChild(tenantId: string, parentInstanceId: string, parentElementInstanceId: string, bpmnProcessId: string, variables: Variables): Promise<void> {
    const existing = await this.dataSource.getRepository(ProcessInstance).findOneBy({ parentElementInstanceId });
    let childId = existing?.id;
    if (!existing) {
      const version = await this.catalog.latestByBpmnProcessId(this.dataSource.manager, tenantId, bpmnProcessId);
      if (!version || !version.model.noneStartEventId) {
        await this.command(tenantId, parentInstanceId, null, (interpreter) =>
          interpreter.failCall(parentElementInstanceId, null, `No deployed process has the id "${bpmnProcessId}" (with a plain start event)`), { missingIsNoop: true });
        return;
      }
      const parent = await this.dataSource.getRepository(ProcessInstance).findOneBy({ id: parentInstanceId, tenantId });
      if (!parent || (parent.status !== 'active' && parent.status !== 'incident')) return;
      const { instance, state } = await this.dataSource.transaction((manager) =>
        this.startAt(manager, version, version.model.noneStartEventId!, {
          tenantId, variables, startedBy: parent.startedBy, parentInstanceId, parentElementInstanceId,
        }));
      await this.afterCommit(state);
      childId = instance.id;
    }
    const linked = await this.command(tenantId, parentInstanceId, null, (interpreter) => interpreter.linkChild(parentElementInstanceId, childId!), { missingIsNoop: true });
    // The caller ended while the child started: the child is cancelled too.
    if (!linked) await this.cancel(tenantId, childId!, null, 'the calling activity ended').catch(() => undefined);
  }

  async completeCall(tenantId: string, instanceId: string, elementInstanceId: string, childInstanceId: string, variables: Variables): Promise<void> {
    await this.command(tenantId, instanceId, null, (interpreter) => interpreter.completeCall(elementInstanceId, childInstanceId, variables), { missingIsNoop: true });
  }

  async failCall(tenantId: string, instanceId: string, elementInstanceId: string, errorCode: string | null, message: string): Promise<void> {
    await this.command(tenantId, instanceId, null, (interpreter) => interpreter.failCall(elementInstanceId, errorCode, message), { missingIsNoop: true });
  }

  /** Cancels an active instance; 409 when it already ended. */
  async cancel(tenantId: string, instanceId: string, actor: string | null, reason: string): Promise<void> {
    await this.command(tenantId, instanceId, actor, (interpreter, state) => {
      if (state.instance.status !== 'active' && state.instance.status !== 'incident') {
        throw new EngineException(409, 'instance_ended', 'The instance has already ended');
      }
      interpreter.cancel(reason);
    });
  }

  /** Merges variables into the instance's (an administrator fixing data before a retry). */
  async setVariables(tenantId: string, instanceId: string, variables: Variables, actor: string | null): Promise<void> {
    await this.command(tenantId, instanceId, actor, (interpreter, state) => {
      if (state.instance.status !== 'active' && state.instance.status !== 'incident') {
        throw new EngineException(409, 'instance_ended', 'The instance has already ended');
      }
      interpreter.setVariables(variables);
    });
  }

  /** Retries the failed step behind an incident. */
  async retry(tenantId: string, instanceId: string, elementInstanceId: string, actor: string | null): Promise<void> {
    await this.command(tenantId, instanceId, actor, (interpreter) => {
      if (!interpreter.retry(elementInstanceId)) throw new EngineException(409, 'incident_resolved', 'The incident has already been resolved');
    });
  }

  // ── the command loop ────────────────────────────────────────────────────

  private async command<T>(
    tenantId: string, instanceId: string, actor: string | null,
    apply: (interpreter: Interpreter, state: InstanceState, manager: EntityManager, model: ProcessModel) => T | Promise<T>,
    options: { missingIsNoop?: boolean; settle?: Settle } = {},
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.dataSource.transaction(async (manager) => {
          const state = await this.store.load(manager, tenantId, instanceId);
          if (!state) {
            if (options.missingIsNoop) return null;
            throw AppError.notFound('The process instance');
          }
          const model = (await this.catalog.versionById(manager, tenantId, state.instance.processVersionId)).model;
          const interpreter = new Interpreter(model, state, this.clock.now(), actor);
          const result = await apply(interpreter, state, manager, model);
          await this.routing.route(manager, model, state);
          await this.save(manager, state);
          await options.settle?.(manager);
          return { result, state };
        });
        if (!outcome) return undefined;
        await this.afterCommit(outcome.state);
        return outcome.result;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdate)) throw error;
        if (attempt >= MAX_TRIES) throw AppError.conflict('concurrent_update', 'Someone else changed this process at the same moment; please try again');
      }
    }
  }

  /** What a command changed, and the jobs it made, in its transaction. */
  private async save(manager: EntityManager, state: InstanceState): Promise<void> {
    await this.store.save(manager, state);
    await this.outbox.write(manager, state.changes.outbox);
  }

  private async afterCommit(state: InstanceState): Promise<void> {
    await this.outbox.dispatch(state.changes.outbox);
    this.events.publish(state.changes.events);
  }

  private async openTask(tenantId: string, taskId: string): Promise<UserTask> {
    const [task] = await this.tasks.select(this.dataSource.manager, '"id" = ? AND "tenantId" = ?', [taskId, tenantId]);
    if (!task) throw AppError.notFound('The task');
    if (task.status !== 'open') throw this.taskNotOpen();
    return task;
  }

  private taskNotOpen(): AppError {
    return new EngineException(409, 'task_not_open', 'This task has already been completed or cancelled');
  }
}
