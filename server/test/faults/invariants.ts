import { DataSource, In } from 'typeorm';
import { ENTITIES } from '../../src/core/database/data-source.js';
import {
  ElementInstanceRow, EngineTimer, HistoryEntry, Incident, MessageSubscription, OutboxRow, ProcessInstance, UserTask,
} from '../../src/modules/engine/engine.entities.js';
import type { ElementInstanceData } from '../../src/modules/engine/runtime/runtime-types.js';

/** The application_name of the test's own connections, which the terminations spare. */
const OBSERVER = 'opsflow-faults-observer';

/** Where an instance stands, read straight from the database. */
export interface InstanceSnapshot {
  instance: ProcessInstance;
  elements: ElementInstanceRow[];
  tasks: UserTask[];
  timers: EngineTimer[];
  subscriptions: MessageSubscription[];
  incidents: Incident[];
  history: HistoryEntry[];
  outbox: OutboxRow[];
}

/** What a legal instance waits for, or how it ended. */
export type Standing = 'ended' | 'user-task' | 'timer' | 'message' | 'job' | 'incident' | 'illegal';

export interface Verdict {
  instanceId: string;
  businessKey: string | null;
  standing: Standing;
  /** Waiting element ids (for `user-task`, `timer`, ...). */
  waitingAt: string[];
  problems: string[];
}

/** Reads engine state from the test's own connection (the processes under test have theirs). */
export class EngineState {
  private constructor(readonly dataSource: DataSource) {}

  static async connect(url: string): Promise<EngineState> {
    const dataSource = new DataSource({
      type: 'postgres', url, entities: ENTITIES, synchronize: false, migrationsRun: false, logging: false,
      extra: { max: 4, application_name: OBSERVER },
    });
    await dataSource.initialize();
    return new EngineState(dataSource);
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  /** Kills every connection of the processes under test to this database, as an administrator would with pg_terminate_backend. */
  async terminateBackends(): Promise<number> {
    const rows: { pid: number }[] = await this.dataSource.query(
      'SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1',
      [OBSERVER]);
    return rows.length;
  }

  /**
   * Kills the connections of the processes under test that are inside a transaction, between two of its statements,
   * right after a statement starting with `lastStatement` (pg_stat_activity shows an idle backend's last statement).
   */
  async terminateIdleInTransaction(lastStatement: string): Promise<number> {
    const rows: { pid: number }[] = await this.dataSource.query(
      `SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND application_name <> $1 AND state = 'idle in transaction' AND query LIKE $2`,
      [OBSERVER, `${lastStatement}%`]);
    return rows.length;
  }

  async instancesByBusinessKey(prefix: string): Promise<ProcessInstance[]> {
    return this.dataSource.getRepository(ProcessInstance).createQueryBuilder('i')
      .where('i.businessKey LIKE :prefix', { prefix: `${prefix}%` }).orderBy('i.createdAt', 'ASC').getMany();
  }

  async allInstanceIds(): Promise<string[]> {
    return (await this.dataSource.getRepository(ProcessInstance).find({ select: { id: true } })).map((row) => row.id);
  }

  async outboxCount(): Promise<number> {
    return this.dataSource.getRepository(OutboxRow).count();
  }

  async openTasks(instanceIds: string[]): Promise<UserTask[]> {
    if (instanceIds.length === 0) return [];
    return this.dataSource.getRepository(UserTask).find({ where: { instanceId: In(instanceIds), status: 'open' }, order: { createdAt: 'ASC' } });
  }

  async outboxRow(id: string): Promise<OutboxRow | null> {
    return this.dataSource.getRepository(OutboxRow).findOneBy({ id });
  }

  /** Each instance with its rows, read in one REPEATABLE READ transaction: one consistent moment, never half a command. */
  async snapshots(instanceIds: string[]): Promise<InstanceSnapshot[]> {
    if (instanceIds.length === 0) return [];
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const where = { instanceId: In(instanceIds) };
      const instances = await manager.getRepository(ProcessInstance).findBy({ id: In(instanceIds) });
      const elements = await manager.getRepository(ElementInstanceRow).findBy(where);
      const tasks = await manager.getRepository(UserTask).findBy(where);
      const timers = await manager.getRepository(EngineTimer).findBy(where);
      const subscriptions = await manager.getRepository(MessageSubscription).findBy(where);
      const incidents = await manager.getRepository(Incident).findBy(where);
      const history = await manager.getRepository(HistoryEntry).find({ where, order: { seq: 'ASC' } });
      // Outbox rows name their instance in the payload only.
      const outbox = await manager.getRepository(OutboxRow).find();
      return instances.map((instance) => ({
        instance,
        elements: elements.filter((row) => row.instanceId === instance.id),
        tasks: tasks.filter((row) => row.instanceId === instance.id),
        timers: timers.filter((row) => row.instanceId === instance.id),
        subscriptions: subscriptions.filter((row) => row.instanceId === instance.id),
        incidents: incidents.filter((row) => row.instanceId === instance.id),
        history: history.filter((row) => row.instanceId === instance.id),
        outbox: outbox.filter((row) => row.payload.instanceId === instance.id),
      }));
    });
  }

  async verdicts(instanceIds: string[], options: JudgeOptions = {}): Promise<Verdict[]> {
    return (await this.snapshots(instanceIds)).map((snapshot) => judge(snapshot, options));
  }
}

export interface JudgeOptions {
  /** Whether an instance may still wait for a service-task job (its outbox row exists): mid-run, yes; once settled, no. */
  allowPendingJobs?: boolean;
  /** The variable every service task of the fault processes increments by one in its output mapping. */
  counter?: string;
}

/**
 * The fault tests' invariant for one instance: it has ended, or it waits on a user task, a timer or a
 * message (or, mid-run, a job still handed to the runner), or it has an open incident; and no step
 * ran twice — every element is in the history at most once, history positions are 0..n-1 without gaps
 * or repeats, each done user task has one history entry, and the counter the service tasks increment
 * equals the number of service tasks in the history.
 */
export function judge(snapshot: InstanceSnapshot, options: JudgeOptions = {}): Verdict {
  const { instance, elements, tasks, timers, subscriptions, incidents, history, outbox } = snapshot;
  const problems: string[] = [];
  const openTasks = tasks.filter((task) => task.status === 'open');
  const pendingTimers = timers.filter((timer) => !timer.firedAt);
  const openIncidents = incidents.filter((incident) => incident.status === 'open');

  const seen = new Map<string, number>();
  for (const entry of history) seen.set(entry.elementId, (seen.get(entry.elementId) ?? 0) + 1);
  for (const [elementId, count] of seen) if (count > 1) problems.push(`${elementId} is ${count} times in the history`);
  const positions = history.map((entry) => entry.seq).sort((a, b) => a - b);
  if (positions.some((seq, index) => seq !== index)) problems.push(`history positions are not 0..${history.length - 1}: ${positions.join(',')}`);
  if (instance.seq !== history.length) problems.push(`instance.seq is ${instance.seq} but the history has ${history.length} entries`);

  for (const task of tasks.filter((row) => row.status === 'done')) {
    if (!history.some((entry) => entry.elementId === task.elementId && entry.status === 'completed')) problems.push(`task ${task.elementId} is done but not in the history`);
  }
  if (tasks.filter((task) => task.status === 'done').length !== history.filter((entry) => entry.elementType === 'userTask' && entry.status === 'completed').length) {
    problems.push('done user tasks and completed user-task history entries differ in number');
  }
  for (const task of openTasks) {
    if (!elements.some((element) => element.id === task.elementInstanceId && element.state === 'waiting')) problems.push(`open task ${task.elementId} has no waiting element`);
  }
  const byElement = new Map<string, number>();
  for (const task of tasks) byElement.set(task.elementInstanceId, (byElement.get(task.elementInstanceId) ?? 0) + 1);
  for (const [elementInstanceId, count] of byElement) if (count > 1) problems.push(`element instance ${elementInstanceId} has ${count} user tasks`);

  if (options.counter) {
    const serviceSteps = history.filter((entry) => entry.elementType === 'serviceTask' && entry.status === 'completed').length;
    const counter = instance.variables[options.counter];
    if (counter !== serviceSteps) problems.push(`${options.counter} is ${JSON.stringify(counter)} but ${serviceSteps} service tasks completed`);
  }

  let standing: Standing = 'illegal';
  const waitingAt: string[] = [];
  if (instance.status === 'completed' || instance.status === 'canceled') {
    standing = 'ended';
    if (!instance.endedAt) problems.push('ended without endedAt');
    if (elements.length > 0) problems.push(`ended but ${elements.length} element instance(s) remain: ${elements.map((e) => e.elementId).join(',')}`);
    if (openTasks.length > 0) problems.push('ended with open user tasks');
    if (pendingTimers.length > 0) problems.push('ended with pending timers');
    if (subscriptions.length > 0) problems.push('ended with message subscriptions');
    if (openIncidents.length > 0) problems.push('ended with open incidents');
    if (instance.status === 'completed' && !history.some((entry) => entry.elementType === 'endEvent')) problems.push('completed without an end event in the history');
  } else if (instance.status === 'incident') {
    standing = 'incident';
    const failed = elements.filter((element) => element.state === 'failed');
    if (openIncidents.length === 0) problems.push('status incident without an open incident');
    if (failed.length === 0) problems.push('status incident without a failed element');
    for (const element of failed) {
      const data = element.data as ElementInstanceData | null;
      if (!openIncidents.some((incident) => incident.id === data?.incidentId)) problems.push(`failed ${element.elementId} has no open incident`);
    }
    waitingAt.push(...failed.map((element) => element.elementId));
  } else if (instance.status === 'active') {
    if (openIncidents.length > 0) problems.push('active with open incidents');
    const leaves = elements.filter((element) => !elements.some((child) => child.parentId === element.id));
    if (leaves.length === 0) problems.push('active but waits for nothing');
    const kinds = new Set<Standing>();
    for (const element of leaves) {
      const data = (element.data ?? {}) as ElementInstanceData;
      waitingAt.push(element.elementId);
      if (element.state !== 'waiting') {
        problems.push(`${element.elementId} is ${element.state}, not waiting`);
      } else if (data.taskId) {
        kinds.add('user-task');
        if (!openTasks.some((task) => task.id === data.taskId)) problems.push(`${element.elementId} waits for task ${data.taskId}, which is not open`);
      } else if (data.jobKey) {
        kinds.add('job');
        if (!outbox.some((row) => row.id === `job:${data.jobKey}`)) problems.push(`${element.elementId} waits for job ${data.jobKey}, which no outbox row will deliver (lost)`);
        else if (!options.allowPendingJobs) problems.push(`${element.elementId} still waits for job ${data.jobKey}`);
      } else if (data.timerIds?.length) {
        kinds.add('timer');
        if (!pendingTimers.some((timer) => data.timerIds?.includes(timer.id))) problems.push(`${element.elementId} waits for timers that are gone or fired`);
      } else if (data.subscriptionIds?.length) {
        kinds.add('message');
      } else if (element.kind !== 'join') {
        problems.push(`${element.elementId} waits for nothing known`);
      }
    }
    standing = kinds.has('job') ? 'job' : kinds.has('user-task') ? 'user-task' : kinds.has('timer') ? 'timer' : kinds.has('message') ? 'message' : 'illegal';
  } else {
    problems.push(`unknown status ${instance.status}`);
  }
  if (problems.length > 0) standing = 'illegal';
  return { instanceId: instance.id, businessKey: instance.businessKey, standing, waitingAt, problems };
}

/** One line per illegal instance, for an assertion message. */
export function describeProblems(verdicts: Verdict[]): string {
  return verdicts.filter((verdict) => verdict.problems.length > 0)
    .map((verdict) => `${verdict.businessKey ?? verdict.instanceId}: ${verdict.problems.join('; ')}`).join('\n');
}
