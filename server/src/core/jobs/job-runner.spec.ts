import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource } from '../../../test/databases.js';
import type { AppConfig } from '../config/app-config.js';
import { RequestContext } from '../tenancy/request-context.js';
import { BullMqJobDriver, toBullMqJobId } from './bullmq.driver.js';
import { InlineJobDriver } from './inline.driver.js';
import { JobRunner } from './job-runner.js';
import { type Clock, defineJob, type FailedJob, QueueName } from './job.types.js';

interface GreetPayload {
  tenantId: string;
  name: string;
}
const greet = defineJob<GreetPayload>(QueueName.Notifications, 'greet');

class FakeClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** A runner whose handler records every call, with a way to make the next calls fail. */
function recordingRunner(runner: JobRunner) {
  const calls: Array<{ payload: GreetPayload; tenantFromContext: string; attempt: number }> = [];
  const failures: FailedJob[] = [];
  let failNext = 0;
  runner.register(greet, async (payload, context) => {
    calls.push({ payload, tenantFromContext: RequestContext.tenantId(), attempt: context.attempt });
    if (failNext > 0) {
      failNext--;
      throw new Error('downstream said no');
    }
  });
  runner.onFinalFailure((job) => {
    failures.push(job);
  });
  return { calls, failures, failTimes: (n: number) => (failNext = n) };
}

type DriverKind = 'inline' | 'bullmq';
const drivers: DriverKind[] = process.env.REDIS_URL ? ['inline', 'bullmq'] : ['inline'];

describe.each(drivers)('job runner on the %s driver', (kind) => {
  let db: { dataSource: DataSource; config: AppConfig; close(): Promise<void> };
  let runner: JobRunner;
  let inline: InlineJobDriver | undefined;
  let bull: BullMqJobDriver | undefined;
  let recorder: ReturnType<typeof recordingRunner>;

  /** Inline: run what is due now; BullMQ: wait for the workers. */
  const settle = async (until: () => boolean) => {
    if (inline) await inline.drain();
    else await eventually(until, 'the BullMQ workers have run the jobs');
  };

  beforeEach(async () => {
    db = await testDataSource();
    if (kind === 'inline') {
      inline = new InlineJobDriver(db.dataSource, undefined, { autoPoll: false });
      runner = new JobRunner(inline, db.dataSource);
    } else {
      bull = new BullMqJobDriver({ redisUrl: process.env.REDIS_URL!, prefix: db.config.queuePrefix, consume: true });
      runner = new JobRunner(bull, db.dataSource);
    }
    recorder = recordingRunner(runner);
    await runner.start();
  });

  afterEach(async () => {
    await bull?.obliterate();
    await runner.stop();
    await db.close();
    inline = bull = undefined;
  });

  it('runs the handler in the payload\'s tenant context', async () => {
    const tenantId = randomUUID();
    await runner.enqueue(greet, { tenantId, name: 'Ada' }, { jobId: `greet:${tenantId}` });
    await settle(() => recorder.calls.length === 1);
    expect(recorder.calls).toEqual([{ payload: { tenantId, name: 'Ada' }, tenantFromContext: tenantId, attempt: 1 }]);
  });

  it('runs a job id once, however often it is enqueued, before or after it ran', async () => {
    const tenantId = randomUUID();
    const jobId = `greet:once:${tenantId}`;
    await runner.enqueue(greet, { tenantId, name: 'first' }, { jobId });
    await runner.enqueue(greet, { tenantId, name: 'second' }, { jobId });
    await settle(() => recorder.calls.length >= 1);
    await runner.enqueue(greet, { tenantId, name: 'third' }, { jobId });
    await runner.enqueue(greet, { tenantId, name: 'other' }, { jobId: `${jobId}:other` });
    await settle(() => recorder.calls.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (inline) await inline.drain();
    expect(recorder.calls.map((c) => c.payload.name)).toEqual(['first', 'other']);
  });

  it('retries a failing job with backoff, then reports the final failure', async () => {
    const tenantId = randomUUID();
    recorder.failTimes(2);
    await runner.enqueue(greet, { tenantId, name: 'flaky' }, { jobId: `flaky:${tenantId}`, attempts: 3, backoffMs: 10 });
    if (inline) {
      for (let i = 0; i < 3; i++) {
        await inline.drain();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await settle(() => recorder.calls.length === 3);
    expect(recorder.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(recorder.failures).toEqual([]);

    recorder.failTimes(2);
    await runner.enqueue(greet, { tenantId, name: 'broken' }, { jobId: `broken:${tenantId}`, attempts: 2, backoffMs: 10 });
    if (inline) {
      for (let i = 0; i < 2; i++) {
        await inline.drain();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await eventually(() => recorder.failures.length === 1, 'the final failure is reported');
    expect(recorder.failures[0]).toMatchObject({ id: `broken:${tenantId}`, attempt: 2, error: 'downstream said no' });
  });

  it('settles a job in the handler\'s own transaction: rolled back, the job stays and runs again; committed, it is done once', async () => {
    const settling = defineJob<GreetPayload>(QueueName.Notifications, 'settling');
    const tries: number[] = [];
    const doneAfterTry: boolean[] = [];
    const ledger = async (jobId: string) => (await db.dataSource.query(`SELECT "id" FROM "job_done" WHERE "id" = ${db.config.databaseKind === 'postgres' ? '$1' : '?'}`, [jobId])).length === 1;
    runner.register(settling, async (_payload, context) => {
      tries.push(context.attempt);
      await db.dataSource.transaction(async (manager) => {
        await context.settle(manager);
        if (context.attempt === 1) throw new Error('the effect failed after settling');
      }).finally(async () => doneAfterTry.push(await ledger(context.jobId)));
    });
    const jobId = `settling:${randomUUID()}`;
    await runner.enqueue(settling, { tenantId: randomUUID(), name: 'x' }, { jobId, attempts: 2, backoffMs: 10 });
    if (inline) {
      await inline.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await inline.drain();
    }
    // The second try's ledger check runs after its transaction; BullMQ marks the job completed after the handler.
    await settle(() => doneAfterTry.length === 2);
    if (bull) await eventually(async () => (await runner.driver.state(settling.queue, jobId)) === 'done', 'BullMQ marks the job completed');
    expect(tries).toEqual([1, 2]);
    expect(doneAfterTry).toEqual([false, true]);
    expect(await runner.driver.state(settling.queue, jobId)).toBe('done');
    if (inline) expect(await inline.waiting()).toEqual([]);
    await runner.enqueue(settling, { tenantId: randomUUID(), name: 'again' }, { jobId });
    if (inline) await inline.drain();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tries).toEqual([1, 2]);
  });
});

describe('inline driver timers', () => {
  let db: Awaited<ReturnType<typeof testDataSource>>;
  beforeEach(async () => (db = await testDataSource()));
  afterEach(() => db.close());

  it('keeps a due timer across a restart and fires it once when due', async () => {
    const clock = new FakeClock();
    const before = new JobRunner(new InlineJobDriver(db.dataSource, clock, { autoPoll: false }), db.dataSource, clock);
    const early = recordingRunner(before);
    await before.start();
    const tenantId = randomUUID();
    await before.enqueue(greet, { tenantId, name: 'reminder' }, { jobId: `timer:${tenantId}`, runAt: new Date(clock.now().getTime() + 3_600_000) });
    await (before.driver as InlineJobDriver).drain();
    expect(early.calls).toEqual([]);
    await before.stop();

    // A new process: same database, an hour later.
    clock.advance(3_600_000);
    const afterDriver = new InlineJobDriver(db.dataSource, clock, { autoPoll: false });
    const after = new JobRunner(afterDriver, db.dataSource, clock);
    const late = recordingRunner(after);
    await after.start();
    await afterDriver.drain();
    await afterDriver.drain();
    expect(late.calls.map((c) => c.payload.name)).toEqual(['reminder']);
    expect(await afterDriver.waiting()).toEqual([]);
    await after.stop();
  });

  it('writes jobs in the caller\'s transaction: a rolled-back change leaves no job, a committed one runs once', async () => {
    const driver = new InlineJobDriver(db.dataSource, undefined, { autoPoll: false });
    const runner = new JobRunner(driver, db.dataSource);
    const recorder = recordingRunner(runner);
    await runner.start();
    const tenantId = randomUUID();
    const job = (name: string) => ({ queue: greet.queue, name: greet.name, payload: { tenantId, name }, options: { jobId: `tx:${name}`, runAt: new Date(), attempts: 1, backoffMs: 10 } });
    await expect(db.dataSource.transaction(async (manager) => {
      await driver.transactional.write(manager, [job('rolled back')]);
      throw new Error('the command failed after writing its job');
    })).rejects.toThrow('the command failed');
    await db.dataSource.transaction((manager) => driver.transactional.write(manager, [job('kept'), job('kept')]));
    driver.transactional.wake();
    await driver.drain();
    expect(recorder.calls.map((c) => c.payload.name)).toEqual(['kept']);
    expect(await driver.waiting()).toEqual([]);
    await runner.stop();
  });

  it('lets exactly one of two processes claim a due job', async () => {
    const clock = new FakeClock();
    const drivers = [0, 1].map(() => new InlineJobDriver(db.dataSource, clock, { autoPoll: false }));
    const runners = drivers.map((driver) => new JobRunner(driver, db.dataSource, clock));
    const recorders = runners.map(recordingRunner);
    for (const runner of runners) await runner.start();
    const tenantId = randomUUID();
    for (let i = 0; i < 20; i++) await runners[i % 2].enqueue(greet, { tenantId, name: `job ${i}` }, { jobId: `race:${i}` });
    await Promise.all(drivers.map((driver) => driver.drain()));
    const names = recorders.flatMap((r) => r.calls.map((c) => c.payload.name)).sort();
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}`).sort());
    for (const runner of runners) await runner.stop();
  });
});

(process.env.REDIS_URL ? describe : describe.skip)('several BullMQ workers', () => {
  let db: Awaited<ReturnType<typeof testDataSource>>;
  beforeEach(async () => (db = await testDataSource()));
  afterEach(() => db.close());

  it('share the queues: every job runs exactly once across two consuming processes', async () => {
    const options = { redisUrl: process.env.REDIS_URL!, prefix: db.config.queuePrefix, consume: true, concurrency: 4 };
    const drivers = [new BullMqJobDriver(options), new BullMqJobDriver(options)];
    const runners = drivers.map((driver) => new JobRunner(driver, db.dataSource));
    const recorders = runners.map(recordingRunner);
    for (const runner of runners) await runner.start();
    const producer = new JobRunner(new BullMqJobDriver({ ...options, consume: false }), db.dataSource);
    const tenantId = randomUUID();
    for (let i = 0; i < 40; i++) await producer.enqueue(greet, { tenantId, name: `job ${i}` }, { jobId: `spread:${i}` });
    await eventually(() => recorders.reduce((n, r) => n + r.calls.length, 0) >= 40, 'both workers have drained the queue');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const names = recorders.flatMap((r) => r.calls.map((c) => c.payload.name)).sort();
    expect(names).toEqual(Array.from({ length: 40 }, (_, i) => `job ${i}`).sort());
    await drivers[0].obliterate();
    for (const runner of [producer, ...runners]) await runner.stop();
  });
});

describe('BullMQ job ids', () => {
  it('encodes ids BullMQ would refuse', () => {
    expect(toBullMqJobId('complete:task-1')).not.toContain(':');
    expect(toBullMqJobId('42')).not.toMatch(/^\d+$/);
    expect(toBullMqJobId('a:b')).not.toBe(toBullMqJobId('a%3Ab'));
  });
});
