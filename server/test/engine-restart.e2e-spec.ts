import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRunner } from '../src/core/jobs/job-runner.js';
import { InlineJobDriver } from '../src/core/jobs/inline.driver.js';
import { EngineScheduler } from '../src/modules/engine/engine-scheduler.js';
import { createDatabase } from './databases.js';
import { bpmn, flow, HOUR, ManualClock, MINUTE } from './engine-harness.js';
import { PASSWORD, startApp, type TestApp } from './harness.js';

/** Runs jobs and due timers until none are left (both drivers). */
async function settle(app: TestApp): Promise<void> {
  const runner = app.app.get(JobRunner);
  const scheduler = app.app.get(EngineScheduler);
  for (let quiet = 0, round = 0; quiet < 3 && round < 400; round++) {
    const timers = await scheduler.enqueueDueTimers();
    if (runner.driver instanceof InlineJobDriver) await runner.driver.drain();
    else await new Promise((resolve) => setTimeout(resolve, 20));
    quiet = timers + (await runner.driver.pending()) === 0 ? quiet + 1 : 0;
  }
}

describe('timers survive a restart and fire once', () => {
  const clock = new ManualClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-restart-'));
  let database: { url: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
    env = {
      DATA_DIR: dataDir, OPSFLOW_QUEUE_PREFIX: `opsflow-restart-${randomBytes(4).toString('hex')}`, OPSFLOW_SESSION_SECRET: randomBytes(24).toString('hex'),
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a waiting timer and an SLA boundary across a stop and fires each once after the start', async () => {
    const first = await startApp(env, { clock });
    const tenant = await first.tenant('Restart');
    const appId = (await tenant.owner.post('/api/apps').send({ name: 'Restart' }).expect(201)).body.id;
    const xml = bpmn('restart', `
      <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:boundaryEvent id="late" attachedToRef="approve"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="waited" /><bpmn:endEvent id="approved" /><bpmn:endEvent id="escalated" />
      ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'wait')}${flow('f3', 'fork', 'approve')}${flow('f4', 'wait', 'waited')}${flow('f5', 'approve', 'approved')}
      ${flow('f6', 'late', 'escalated')}`);
    const processId = (await tenant.owner.post('/api/processes').send({ appId, name: 'Restart', bpmnXml: xml }).expect(201)).body.id;
    await tenant.owner.post(`/api/processes/${processId}/deploy`).expect(200);
    const instanceId = (await tenant.owner.post(`/api/processes/${processId}/instances`).send({ variables: { initiator: tenant.ownerId } }).expect(201)).body.id;
    await settle(first);
    await first.close();

    clock.advance(2 * HOUR + MINUTE);
    const second = await startApp(env, { clock });
    try {
      const owner = await second.login(tenant.ownerEmail, PASSWORD);
      await settle(second);
      await settle(second);
      const instance = (await owner.get(`/api/instances/${instanceId}`).expect(200)).body;
      expect(instance.status).toBe('completed');
      const history = (await owner.get(`/api/instances/${instanceId}/history`).expect(200)).body as { elementId: string; status: string }[];
      expect(history.filter((entry) => entry.elementId === 'wait' && entry.status === 'completed')).toHaveLength(1);
      expect(history.filter((entry) => entry.elementId === 'late' && entry.status === 'completed')).toHaveLength(1);
      expect(history.filter((entry) => entry.elementId === 'escalated')).toHaveLength(1);
      expect(history.find((entry) => entry.elementId === 'approve')?.status).toBe('terminated');
    } finally {
      await second.close();
    }
  });
});
