import { NestFactory } from '@nestjs/core';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { ServiceTaskRegistry, type ServiceTaskType } from '../src/modules/plugins/service-task-registry.js';
import { JobRow } from '../src/core/jobs/job.entity.js';
import { JobRunner } from '../src/core/jobs/job-runner.js';
import type { Clock } from '../src/core/jobs/job.types.js';
import { InlineJobDriver } from '../src/core/jobs/inline.driver.js';
import { EngineScheduler } from '../src/modules/engine/engine-scheduler.js';
import { EngineEvents } from '../src/modules/engine/engine-events.js';
import { OutboxRow, UserTask } from '../src/modules/engine/engine.entities.js';
import { startApp, type TestApp, type TestTenant } from './harness.js';

/** Time that moves only when a test says so: timers and SLAs without sleeping. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start = '2027-03-01T09:00:00.000Z') {
    this.at = Date.parse(start);
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

/** A BPMN file around a process body (process id `P_<id>`); `extra` holds root elements such as messages and errors. */
export function bpmn(id: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_${id}" targetNamespace="http://opsflow.test">
  ${extra}
  <bpmn:process id="P_${id}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A sequence flow, optionally with a FEEL condition. */
export function flow(id: string, from: string, to: string, condition?: string): string {
  const body = condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(condition)}</bpmn:conditionExpression>` : '';
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${body}</bpmn:sequenceFlow>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface EngineTestApp {
  t: TestApp;
  clock: ManualClock;
  tenant: TestTenant;
  appId: string;
  dataSource: DataSource;
  /** Creates and deploys a process; returns its id. Throws with the 422 body when refused. */
  deploy(xml: string, name?: string): Promise<string>;
  start(processId: string, variables?: Record<string, unknown>): Promise<string>;
  /** Runs every job and due timer until nothing is left to do. */
  settle(): Promise<void>;
  instance(id: string): Promise<{ status: string; variables: Record<string, unknown>; activeElements: { elementId: string; state: string }[]; incidents: { id: string; kind: string; status: string; message: string }[] }>;
  /** Completed element ids in the order they finished (not sequence flows, not terminated ones). */
  path(id: string): Promise<string[]>;
  history(id: string): Promise<{ elementId: string; elementType: string; status: string; actor: string | null; outcome: string | null; target: string | null; targetName: string | null }[]>;
  tasks(instanceId: string): Promise<{ id: string; elementId: string; assignee: string | null; status: string; candidateGroups: string[]; dueAt: string | null }[]>;
  completeTask(taskId: string, data?: Record<string, unknown>, outcome?: string): Promise<void>;
  /** Registers a service-task type in every process that consumes jobs. */
  registerTaskType(type: ServiceTaskType): void;
  close(): Promise<void>;
}

export async function startEngineApp(env: Record<string, string> = {}): Promise<EngineTestApp> {
  const clock = new ManualClock();
  const t = await startApp(env, { clock });
  // On BullMQ a second worker consumes the same queues (another set of BullMQ workers on its own
  // connections, sharing the database and the manual clock): every suite runs with two consumers.
  const extraWorker = t.config.jobDriver === 'bullmq'
    ? await NestFactory.createApplicationContext(AppModule.forRoot({ config: t.config, consumeJobs: true, clock }), { logger: ['error'] })
    : undefined;
  const tenant = await t.tenant('Engine tests');
  const appResponse = await tenant.owner.post('/api/apps').send({ name: 'Processes' }).expect(201);
  const appId = appResponse.body.id as string;
  const dataSource = t.app.get(DataSource);
  const runner = t.app.get(JobRunner);
  const scheduler = t.app.get(EngineScheduler);
  const events = t.app.get(EngineEvents);
  let deployed = 0;

  const settle = async () => {
    const started = Date.now();
    let quiet = 0;
    while (Date.now() - started < 20_000) {
      // Listeners (notifications, audit) run after a command's commit and may enqueue jobs.
      await events.settled();
      const timers = await scheduler.enqueueDueTimers();
      let busy: number;
      if (runner.driver instanceof InlineJobDriver) {
        await runner.driver.drain();
        // Jobs waiting for a retry at a later (manual-clock) time are not work for now.
        busy = timers + (await dataSource.getRepository(JobRow).count({ where: [{ status: 'pending', runAt: LessThanOrEqual(clock.now()) }, { status: 'running' }] }));
      } else {
        busy = timers + (await runner.driver.pending()) + (await dataSource.getRepository(OutboxRow).count());
      }
      if (busy === 0 && ++quiet >= 2) return;
      if (busy > 0) quiet = 0;
      if (!(runner.driver instanceof InlineJobDriver)) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    throw new Error('The engine did not settle within 20 s');
  };

  return {
    t, clock, tenant, appId, dataSource, settle,
    async deploy(xml, name = `Process ${++deployed}`) {
      const created = await tenant.owner.post('/api/processes').send({ appId, name, bpmnXml: xml }).expect(201);
      const response = await tenant.owner.post(`/api/processes/${created.body.id}/deploy`);
      if (response.status !== 200) throw new Error(`deploy refused: ${response.status} ${JSON.stringify(response.body)}`);
      return created.body.id as string;
    },
    async start(processId, variables = {}) {
      const response = await tenant.owner.post(`/api/processes/${processId}/instances`).send({ variables });
      if (response.status !== 201) throw new Error(`start refused: ${response.status} ${JSON.stringify(response.body)}`);
      await settle();
      return response.body.id as string;
    },
    async instance(id) {
      return (await tenant.owner.get(`/api/instances/${id}`).expect(200)).body;
    },
    async path(id) {
      const entries = (await tenant.owner.get(`/api/instances/${id}/history`).expect(200)).body as { elementId: string; status: string; elementType: string }[];
      return entries.filter((entry) => entry.status === 'completed' && entry.elementType !== 'multiInstanceBody').map((entry) => entry.elementId);
    },
    async history(id) {
      return (await tenant.owner.get(`/api/instances/${id}/history`).expect(200)).body;
    },
    async tasks(instanceId) {
      const rows = await dataSource.getRepository(UserTask).find({ where: { instanceId }, order: { createdAt: 'ASC' } });
      return rows.map((row) => ({ ...row, dueAt: row.dueAt ? row.dueAt.toISOString() : null }));
    },
    async completeTask(taskId, data = {}, outcome) {
      const response = await tenant.owner.post(`/api/tasks/${taskId}/complete`).send({ data, ...(outcome ? { outcome } : {}) });
      if (response.status !== 204) throw new Error(`complete refused: ${response.status} ${JSON.stringify(response.body)}`);
      await settle();
    },
    registerTaskType(type) {
      for (const context of [t.app, extraWorker]) context?.get(ServiceTaskRegistry).register(type);
    },
    async close() {
      await extraWorker?.close();
      await t.close();
    },
  };
}
