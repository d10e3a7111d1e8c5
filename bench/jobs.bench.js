// Job-runner throughput. Baseline: writing and deleting the same rows straight through TypeORM (the
// storage work any durable job needs). Figures: the inline driver end to end (enqueue, claim, run a
// no-op handler, ledger, delete), and BullMQ with a worker in this process when REDIS_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib.js';

const dist = (path) => import(join(root, 'server/dist', path));
const JOBS = Number(process.env.BENCH_JOBS ?? 2000);

export async function run() {
  const { AppConfig } = await dist('core/config/app-config.js');
  const { createDataSource } = await dist('core/database/data-source.js');
  const { InlineJobDriver } = await dist('core/jobs/inline.driver.js');
  const { BullMqJobDriver } = await dist('core/jobs/bullmq.driver.js');
  const { JobRunner } = await dist('core/jobs/job-runner.js');
  const { JobRow } = await dist('core/jobs/job.entity.js');
  const { defineJob, QueueName } = await dist('core/jobs/job.types.js');

  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-bench-jobs-'));
  const config = new AppConfig({ DATA_DIR: dataDir, REDIS_URL: process.env.REDIS_URL ?? '', OPSFLOW_QUEUE_PREFIX: `opsflow-bench-${randomUUID().slice(0, 8)}` });
  const dataSource = await createDataSource(config);
  const tenantId = randomUUID();
  const noop = defineJob(QueueName.Notifications, 'noop');
  const rate = (start) => JOBS / ((performance.now() - start) / 1000);

  try {
    let start = performance.now();
    const repo = dataSource.getRepository(JobRow);
    for (let i = 0; i < JOBS; i++) {
      const id = `baseline:${i}`;
      await repo.insert({ id, queue: 'notifications', name: 'noop', tenantId, payload: { tenantId }, status: 'pending', attempts: 0, maxAttempts: 1, backoffMs: 1000, runAt: new Date(), lockedUntil: null, lastError: null, createdAt: new Date() });
      await repo.delete({ id });
    }
    const baseline = rate(start);

    const inlineDriver = new InlineJobDriver(dataSource, undefined, { autoPoll: false, concurrency: 16 });
    const inline = new JobRunner(inlineDriver, dataSource);
    let ran = 0;
    inline.register(noop, async () => { ran++; });
    await inline.start();
    start = performance.now();
    for (let i = 0; i < JOBS; i++) await inline.enqueue(noop, { tenantId }, { jobId: `inline:${i}` });
    await inlineDriver.drain();
    const inlineRate = rate(start);
    await inline.stop();
    if (ran !== JOBS) throw new Error(`inline ran ${ran} of ${JOBS} jobs`);

    console.log(`\nJobs on SQLite, ${JOBS} no-op jobs per figure (ratio = figure / baseline jobs/s)`);
    console.log(`${'baseline: insert + delete the job row'.padEnd(44)} ${baseline.toFixed(0).padStart(7)} jobs/s  ratio 1.00`);
    console.log(`${'inline driver: enqueue, claim, run, ledger'.padEnd(44)} ${inlineRate.toFixed(0).padStart(7)} jobs/s  ratio ${(inlineRate / baseline).toFixed(2)}`);

    if (config.redisUrl) {
      const driver = new BullMqJobDriver({ redisUrl: config.redisUrl, prefix: config.queuePrefix, consume: true, concurrency: 50 });
      const bull = new JobRunner(driver, dataSource);
      let done = 0;
      bull.register(noop, async () => { done++; });
      await bull.start();
      start = performance.now();
      for (let i = 0; i < JOBS; i++) await bull.enqueue(noop, { tenantId }, { jobId: `bull:${i}` });
      while (done < JOBS) await new Promise((resolve) => setTimeout(resolve, 5));
      const bullRate = rate(start);
      await driver.obliterate();
      await bull.stop();
      console.log(`${'BullMQ driver (Redis, ledger on SQLite)'.padEnd(44)} ${bullRate.toFixed(0).padStart(7)} jobs/s  ratio ${(bullRate / baseline).toFixed(2)}`);
    }
  } finally {
    await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
