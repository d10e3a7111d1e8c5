import { toBullMqJobId } from '../../src/core/jobs/bullmq.driver.js';
import { QueueName } from '../../src/core/jobs/job.types.js';
import { FaultCluster, type StoredJob } from './cluster.js';
import type { ProbeAction, ProbeCall } from './probe.js';
import { pidOfConnection, sleep, waitFor } from './services.js';

/**
 * Fault tests with real processes: two API processes (`dist/main.js`) and two workers
 * (`dist/worker.js`) on a fresh PostgreSQL database and a private redis-server. Service tasks call
 * the test's probe over HTTP (`http.request`), which counts calls per job key and can hold a call
 * open. Delivery is at least once, so a crash MAY repeat a call; what must hold afterwards is that
 * every instance has ended, waits on a user task / timer / message, or has an incident, and that its
 * state changed once per step (see invariants.ts). Run with `npm run test:faults`.
 */

const HOLD: ProbeAction = { kind: 'hold' };
const OK: ProbeAction = { kind: 'answer', status: 200 };

/** Holds the first call of `step` for instances whose business key starts with `prefix`; answers everything else. */
const holdFirst = (prefix: string, step = 'fetch') => (call: ProbeCall, previous: number): ProbeAction =>
  call.businessKey.startsWith(prefix) && call.step === step && previous === 0 ? HOLD : OK;

describe('faults with real processes (PostgreSQL, BullMQ, 2 API + 2 worker processes)', () => {
  let c: FaultCluster;

  beforeAll(async () => {
    c = await FaultCluster.start();
  }, 120_000);

  afterAll(async () => {
    await c?.close();
  }, 60_000);

  afterEach(() => {
    c?.probe.answerAll();
  });

  const jobState = async (queue: QueueName, bullId: string): Promise<string> => {
    const job = await c.queue(queue).getJob(bullId);
    return job ? job.getState() : 'missing';
  };

  it('baseline: every step runs once; a service task that fails on every try ends in an incident, and a retry resolves it', async () => {
    const ids = await c.startInstances(c.processIds.chain, 'base-', 4);
    await c.waitForStanding(ids, ['user-task'], 30_000);
    await c.completeOpenTasks(ids);
    await c.waitForStanding(ids, ['ended'], 30_000);
    expect(await c.problems(ids)).toBe('');
    // Without faults, no call is repeated.
    expect([...c.probe.countsByKey((bk) => bk.startsWith('base-')).values()]).toEqual(Array(8).fill(1));

    c.probe.behave((call) => (call.step === 'fragile' ? { kind: 'answer', status: 500 } : OK));
    const fragile = await c.startInstance(c.processIds.fragile, 'fragile-00');
    await c.waitForStanding([fragile], ['incident'], 30_000);
    const [firstKey] = [...c.probe.countsByKey((bk) => bk === 'fragile-00').entries()];
    expect(firstKey[1]).toBe(2); // retries="2": two tries, then the incident
    const detail = await c.client.request<{ incidents: { id: string; status: string }[] }>(c.api.url, 'GET', `/api/instances/${fragile}`);
    const incident = detail.body.incidents.find((row) => row.status === 'open');
    expect(incident).toBeDefined();
    c.probe.answerAll();
    expect((await c.client.request(c.apis[1].url, 'POST', `/api/incidents/${incident!.id}/retry`)).status).toBe(204);
    await c.waitForStanding([fragile], ['ended'], 30_000);
    expect(await c.problems([fragile])).toBe('');
  });

  it('kill -9 of a worker inside a service-task call: BullMQ delivers the job again and every step changes the state once', async () => {
    c.probe.behave(holdFirst('kill-'));
    const ids = await c.startInstances(c.processIds.chain, 'kill-', 8);
    const held = await waitFor('all 8 fetch calls to be held', () => {
      const calls = c.probe.heldCalls().filter((call) => call.businessKey.startsWith('kill-'));
      return calls.length === 8 ? calls : undefined;
    }, 30_000);
    const pids = c.workers.map((worker) => worker.pid);
    const owner = new Map(held.map((call) => [call.key, pidOfConnection(call.remotePort, c.probe.port, pids)]));
    expect([...owner.values()].every((pid) => pid !== undefined)).toBe(true);
    const victim = c.workers.reduce((best, worker) =>
      [...owner.values()].filter((pid) => pid === worker.pid).length > [...owner.values()].filter((pid) => pid === best.pid).length ? worker : best);
    const orphaned = held.filter((call) => owner.get(call.key) === victim.pid).map((call) => call.key);
    expect(orphaned.length).toBeGreaterThan(0);

    await victim.kill9();
    await waitFor('the killed worker\'s calls to be cut off', () => orphaned.every((key) => c.probe.callsOf(key)[0].aborted), 10_000, 50);
    // A supervisor starts a replacement, so there are two workers again.
    c.workers.splice(c.workers.indexOf(victim), 1, await c.processes.startWorker('worker-3'));
    // The surviving worker's calls answer now; the orphaned jobs wait for BullMQ's stalled-job check (lock 30 s, check every 30 s).
    c.probe.release(200);
    await c.waitForStanding(ids, ['user-task'], 150_000);
    for (const key of orphaned) expect(c.probe.callsOf(key).length).toBeGreaterThanOrEqual(2);
    for (const call of held.filter((row) => !orphaned.includes(row.key))) expect(c.probe.callsOf(call.key)).toHaveLength(1);
    expect(await c.problems(ids)).toBe('');

    await c.completeOpenTasks(ids);
    await c.waitForStanding(ids, ['ended'], 30_000);
    expect(await c.problems(ids)).toBe('');
  }, 200_000);

  it('Redis restarted empty while jobs run, wait and fall due: the outbox sweep and the timer checker bring every instance to a legal state', async () => {
    c.probe.behave(holdFirst('redis-'));
    const running = await c.startInstances(c.processIds.chain, 'redis-a-', 24);
    // Every worker slot of the plugins queue is inside a call; the other jobs wait in Redis.
    const slots = await waitFor('busy workers with jobs waiting behind them', async () => {
      const counts = await c.queue(QueueName.Plugins).getJobCounts('waiting', 'active');
      const heldNow = c.probe.heldCalls().filter((call) => call.businessKey.startsWith('redis-a-')).length;
      return counts.waiting > 0 && heldNow > 0 && heldNow === counts.active && heldNow + counts.waiting === running.length ? counts : undefined;
    }, 30_000);
    const timed = await c.startInstances(c.processIds.timed, 'redis-t-', 4);
    await c.waitForStanding(timed, ['timer'], 10_000);

    await c.redis.crash();
    // Started while Redis is down: the commands commit, their hand-over waits for Redis.
    const duringOutage = Promise.all([0, 1, 2].map((n) => c.startInstance(c.processIds.chain, `redis-d-0${n}`, n)));
    await sleep(3_000); // the outage; the timers fall due meanwhile
    await c.redis.start();

    // The calls the workers were inside answer now: half with 503 (the retry BullMQ would schedule is in the lost Redis), half with 200.
    const inside = c.probe.heldCalls();
    expect(inside).toHaveLength(slots.active);
    const failing = new Set(inside.filter((_, index) => index % 2 === 0).map((call) => call.key));
    c.probe.answerAll();
    c.probe.release(503, (call) => failing.has(call.key));
    c.probe.release(200);
    await duringOutage;

    const ids = await c.instanceIds('redis-');
    expect(ids).toHaveLength(24 + 4 + 3);
    // Jobs lost with Redis come back through the outbox sweep (rows older than 30 s, checked every 10 s).
    await c.waitForStanding(ids, ['user-task'], 150_000);
    expect(await c.problems(ids)).toBe('');
    await c.completeOpenTasks(ids);
    await c.waitForStanding(ids, ['ended'], 60_000);
    expect(await c.problems(ids)).toBe('');
  }, 240_000);

  /** Runs `load` while every database connection of the processes under test is cut every 200 ms; a supervisor restarts processes that die. */
  const underTerminations = async (load: () => Promise<void>): Promise<{ terminated: number; died: string[] }> => {
    let terminated = 0;
    const died: string[] = [];
    let cutting = true;
    const terminator = (async () => {
      while (cutting) {
        terminated += await c.state.terminateBackends().catch(() => 0);
        await sleep(200);
      }
    })();
    const supervisor = (async () => {
      while (cutting) {
        died.push(...(await c.reviveDead().catch(() => [])));
        await sleep(250);
      }
    })();
    try {
      await load();
    } finally {
      cutting = false;
      await Promise.all([terminator, supervisor]);
    }
    died.push(...(await waitFor('the dead processes to be restarted', () => c.reviveDead(), 60_000)));
    return { terminated, died };
  };

  // Skipped until the two PostgreSQL bugs below are fixed: with every connection cut every 200 ms it failed in about one
  // run of four (a task completion half-written, see "cut between two of its statements"; a process crashing, see
  // "no API or worker process dies"). The supervisor above restarts crashed processes so that the state can be judged.
  it('PostgreSQL connections terminated (pg_terminate_backend) mid-run: commands fail and retry, nothing is half-written', async () => {
    const first = await c.startInstances(c.processIds.chain, 'pg-a-', 6);
    await c.waitForStanding(first, ['user-task'], 30_000);
    const tasks = await c.state.openTasks(first);

    const { terminated, died } = await underTerminations(async () => {
      // Load spread over the window: starts (each runs a service task) and task completions (each runs one more).
      await Promise.all([
        (async () => {
          for (let n = 0; n < 12; n++) {
            await c.startInstance(c.processIds.chain, `pg-b-${String(n).padStart(2, '0')}`, n);
            await sleep(250);
          }
        })(),
        (async () => {
          for (const [index, task] of tasks.entries()) {
            await c.completeTask(task.id, index);
            await sleep(400);
          }
        })(),
      ]);
      await sleep(1_000); // the jobs handed over last run into a few more cuts
    });
    expect(terminated).toBeGreaterThan(0);
    // Processes that crashed were restarted above (see the skipped test below); the state must be right either way.
    if (died.length > 0) console.warn(`pg_terminate_backend crashed and the test restarted: ${died.join(', ')}`);

    const later = await c.instanceIds('pg-b-');
    expect(later).toHaveLength(12);
    await c.waitForStanding(first, ['ended'], 150_000);
    await c.waitForStanding(later, ['user-task'], 150_000);
    expect(await c.problems([...first, ...later])).toBe('');

    await c.completeOpenTasks(later);
    await c.waitForStanding(later, ['ended'], 30_000);
    expect(await c.problems([...first, ...later])).toBe('');
  }, 300_000);

  // BUG (server/src/core/database, not the engine): a process dies with "Unhandled 'error' event" on a pg Client when
  // PostgreSQL terminates a connection the pool has lent out (in a transaction, between two queries). pg-pool removes its
  // error listener from a client while it is checked out, and TypeORM 1.1's PostgresDriver adds none, so the FATAL 57P01
  // message is emitted as an 'error' nobody listens to. Unskip once the data source handles errors of lent-out clients.
  it('no API or worker process dies when PostgreSQL terminates its connections', async () => {
    const { died } = await underTerminations(async () => {
      for (let n = 0; n < 12; n++) {
        await c.startInstance(c.processIds.chain, `pgx-${String(n).padStart(2, '0')}`, n);
        await sleep(250);
      }
    });
    expect(died).toEqual([]);
    const ids = await c.instanceIds('pgx-');
    await c.waitForStanding(ids, ['user-task'], 60_000);
    await c.completeOpenTasks(ids);
    await c.waitForStanding(ids, ['ended'], 30_000);
    expect(await c.problems(ids)).toBe('');
  }, 120_000);

  it('the same job delivered twice: the step changes the state once, however the duplicate arrives', async () => {
    c.probe.behave(holdFirst('dup-00'));
    const id = await c.startInstance(c.processIds.chain, 'dup-00');
    const original = await waitFor('the fetch call', () => c.probe.heldCalls().find((call) => call.businessKey === 'dup-00'), 30_000);
    const key = original.key;
    const row = await c.state.outboxRow(`job:${key}`);
    expect(row).not.toBeNull();
    const payload = row!.payload as StoredJob['payload'];
    const originalId = toBullMqJobId(`job:${key}`);

    // (a) The same job id again while the job runs: still one job.
    await c.enqueueRaw(QueueName.Plugins, 'service-task', `job:${key}`, payload);
    expect(await jobState(QueueName.Plugins, originalId)).toBe('active');

    // (b) Another job id with the same payload while the first is inside its call: the duplicate completes the step...
    const second = await c.enqueueRaw(QueueName.Plugins, 'service-task', `dup-b:${key}`, payload);
    await waitFor('the duplicate job to finish', async () => (await jobState(QueueName.Plugins, second)) === 'completed', 30_000);
    await c.waitForStanding([id], ['user-task'], 30_000);
    // ...and the original, answered afterwards, finds the step done.
    c.probe.release(200);
    await waitFor('the original job to finish', async () => (await jobState(QueueName.Plugins, originalId)) === 'completed', 30_000);
    await waitFor('the outbox row to go', async () => (await c.state.outboxRow(`job:${key}`)) === null, 30_000);
    expect(await c.problems([id])).toBe('');
    expect(c.probe.callsOf(key)).toHaveLength(2);

    // (c) A late duplicate after the step completed: the call is made again (at least once), the state stays.
    const late = await c.enqueueRaw(QueueName.Plugins, 'service-task', `dup-c:${key}`, payload);
    await waitFor('the late duplicate to finish', async () => (await jobState(QueueName.Plugins, late)) === 'completed', 30_000);
    expect(c.probe.callsOf(key)).toHaveLength(3);

    // (d) The original job id once more after BullMQ forgot it: the job_done ledger skips it without a call.
    await (await c.queue(QueueName.Plugins).getJob(originalId))!.remove();
    await c.enqueueRaw(QueueName.Plugins, 'service-task', `job:${key}`, payload);
    await waitFor('the repeated job to finish', async () => (await jobState(QueueName.Plugins, originalId)) === 'completed', 30_000);
    expect(c.probe.callsOf(key)).toHaveLength(3);
    const [verdict] = await c.waitForStanding([id], ['user-task'], 10_000);
    expect(verdict.problems).toEqual([]);

    // (e) A timer job delivered again under another id after the timer fired: nothing happens twice.
    const timed = await c.startInstance(c.processIds.timed, 'dup-t-00');
    await c.waitForStanding([timed], ['timer'], 10_000);
    const [snapshot] = await c.state.snapshots([timed]);
    expect(snapshot.timers).toHaveLength(1);
    const timerId = snapshot.timers[0].id;
    await c.waitForStanding([timed], ['user-task'], 30_000);
    const timerJob = await c.enqueueRaw(QueueName.Timers, 'timer-due', `timer-dup:${timerId}`, { tenantId: c.tenantId, timerId });
    await waitFor('the duplicate timer job to finish', async () => (await jobState(QueueName.Timers, timerJob)) === 'completed', 30_000);

    const both = [id, timed];
    await c.completeOpenTasks(both);
    await c.waitForStanding(both, ['ended'], 30_000);
    expect(await c.problems(both)).toBe('');
    expect(c.probe.callsOf(key)).toHaveLength(3);
  }, 120_000);

  it('two concurrent completions of one task on two API processes: one 204, one 409, the state changes once', async () => {
    const ids = await c.startInstances(c.processIds.chain, 'race-', 10);
    await c.waitForStanding(ids, ['user-task'], 30_000);
    const tasks = await c.state.openTasks(ids);
    expect(tasks).toHaveLength(10);
    const results = await Promise.all(tasks.map((task) => Promise.all(c.apis.map((api) =>
      c.client.request<{ code?: string }>(api.url, 'POST', `/api/tasks/${task.id}/complete`, { data: { approved: true }, outcome: 'approved' })))));
    for (const pair of results) {
      expect(pair.map((response) => response.status).sort()).toEqual([204, 409]);
      expect(pair.find((response) => response.status === 409)!.body.code).toBe('task_not_open');
    }
    await c.waitForStanding(ids, ['ended'], 30_000);
    expect(await c.problems(ids)).toBe('');
    // The step after the task was handed over once per instance, and nothing failed, so each call happened once.
    const notifyCalls = c.probe.calls.filter((call) => call.businessKey.startsWith('race-') && call.step === 'notify');
    expect(notifyCalls).toHaveLength(10);
    expect(new Set(notifyCalls.map((call) => call.key)).size).toBe(10);
  }, 120_000);

  // BUG (server/src/core/database/row-statements.ts, RowStatements.run, commit 9f46518): when PostgreSQL cuts the
  // connection of a transaction while it is idle between two statements, TypeORM releases the transaction's query
  // runner (its 'error' listener), and RowStatements.run, finding `manager.queryRunner.isReleased`, runs the remaining
  // statements of the command on a new connection in autocommit. They commit one by one; the statement before the cut
  // is rolled back and the final COMMIT fails ("Query runner already released"). Seen here: a user-task completion kept
  // the task done, its history entry, the next element and outbox row, but lost the instance's rev/seq/variables update,
  // so the next command wrote history position 2 a second time and the task's variables were never set.
  // Fix: when the manager has a query runner, always use it (a released one throws, and the command retries whole).
  it('a transaction whose connection is cut between two of its statements writes nothing', async () => {
    const ids = await c.startInstances(c.processIds.chain, 'cut-', 20);
    await c.waitForStanding(ids, ['user-task'], 30_000);
    const tasks = await c.state.openTasks(ids);
    let cutting = true;
    let cuts = 0;
    // Cut exactly after a command wrote its instance's rows (on PostgreSQL one statement, InstanceStore.save, led by
    // the instance's rev, seq and variables), before its other rows (the outbox) and its COMMIT. At most 8 cuts: the
    // window lasts until the COMMIT, and a sniper that never stops could cut one completion's every retry.
    const sniper = (async () => {
      while (cutting && cuts < 8) cuts += await c.state.terminateIdleInTransaction('WITH w0 AS (UPDATE "process_instance"').catch(() => 0);
    })();
    try {
      await Promise.all(tasks.map((task, index) => c.completeTask(task.id, index)));
    } finally {
      cutting = false;
      await sniper;
    }
    expect(cuts).toBeGreaterThan(0);
    await waitFor('the dead processes to be restarted', () => c.reviveDead(), 60_000);
    // Snapshots are consistent (one REPEATABLE READ transaction), so 'illegal' here is a real half-written command.
    await c.waitForStanding(ids, ['ended', 'illegal'], 90_000);
    expect(await c.problems(ids)).toBe('');
  }, 240_000);

  // BUG (engine: EngineJobHandlers.serviceTaskGaveUp in engine-jobs.ts + OutboxDispatcher.sweep in outbox-dispatcher.ts):
  // the incident of a service task out of tries is written by the driver's final-failure listener, after BullMQ has
  // already marked the job failed. When that write fails (a database error at that moment, or the worker dies right
  // then), nothing writes it again: the outbox row stays, the sweep hands the job over every 30 s, and BullMQ ignores
  // it because a failed job with that id is kept for 7 days (job_done is written only for finished jobs). The instance
  // waits forever on a job that never runs, with no incident. The same happens to a job BullMQ fails because it
  // stalled more than maxStalledCount times (a worker killed twice inside it): the 'failed' listener returns early
  // when attemptsMade < attempts. Unskip once a failed job's incident is written again (e.g. the sweep re-runs the
  // final-failure handling for rows whose job failed; failJob is a no-op when the step already failed).
  it('a service task whose last try failed while its incident could not be written still ends in an incident', async () => {
    c.probe.behave((call, previous) => (call.businessKey === 'gaveup-00' ? (previous === 0 ? { kind: 'answer', status: 500 } : HOLD) : OK));
    const id = await c.startInstance(c.processIds.fragile, 'gaveup-00');
    const last = await waitFor('the last try', () => c.probe.heldCalls().find((call) => call.businessKey === 'gaveup-00'), 30_000);
    // The database refuses the incident at the moment the job gives up (any transient error would do).
    await c.state.dataSource.query('ALTER TABLE "incident" RENAME TO "incident_away"');
    try {
      c.probe.release(500);
      await waitFor('the job to fail for good', async () => (await jobState(QueueName.Plugins, toBullMqJobId(`job:${last.key}`))) === 'failed', 30_000);
      await waitFor('the incident write to fail', () => c.processes.logs(400).includes('"incident" does not exist'), 10_000);
    } finally {
      await c.state.dataSource.query('ALTER TABLE "incident_away" RENAME TO "incident"');
    }
    // The outbox row is still there: the sweep (rows older than 30 s, every 10 s) must lead to the incident.
    await c.waitForStanding([id], ['incident'], 75_000);
    expect(await c.problems([id])).toBe('');
  }, 120_000);

  it('afterwards: every instance in the database is legal, no job is left, and every process still runs', async () => {
    const all = await c.state.allInstanceIds();
    expect(all.length).toBeGreaterThanOrEqual(56);
    await c.waitForStanding(all, ['ended', 'user-task', 'timer', 'message', 'incident'], 60_000);
    expect(await c.problems(all)).toBe('');
    await waitFor('no outbox row and no pending BullMQ job', async () => (await c.state.outboxCount()) === 0 && (await c.pendingJobs()) === 0, 60_000);
    expect([...c.apis.map((api) => api.child), ...c.workers].filter((child) => !child.running).map((child) => child.name)).toEqual([]);
  }, 120_000);
});
