import { type BeforeApplicationShutdown, type DynamicModule, Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { BullMqJobDriver } from './bullmq.driver.js';
import { InlineJobDriver } from './inline.driver.js';
import { JobRunner } from './job-runner.js';
import { type Clock, systemClock } from './job.types.js';

export const CLOCK = Symbol('Clock');
const CONSUME_JOBS = Symbol('ConsumeJobs');

/** Picks the driver from the config: BullMQ when REDIS_URL is set, inline otherwise. */
function createRunner(config: AppConfig, dataSource: DataSource, clock: Clock, consume: boolean): JobRunner {
  const driver = config.redisUrl
    ? new BullMqJobDriver({ redisUrl: config.redisUrl, prefix: config.queuePrefix, consume }, clock)
    : new InlineJobDriver(dataSource, clock);
  return new JobRunner(driver, dataSource, clock);
}

@Global()
@Module({})
export class JobsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly runner: JobRunner, @Inject(CONSUME_JOBS) private readonly consume: boolean) {}

  /** `consume`: worker processes consume the queues; API processes on BullMQ only enqueue. The inline driver always consumes. */
  static forRoot(consume: boolean, clock: Clock = systemClock): DynamicModule {
    return {
      module: JobsModule,
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: CONSUME_JOBS, useValue: consume },
        { provide: JobRunner, inject: [AppConfig, DataSource, CLOCK, CONSUME_JOBS], useFactory: createRunner },
      ],
      exports: [JobRunner, CLOCK],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.consume || this.runner.driver.kind === 'inline') await this.runner.start();
  }

  /** Before the database closes: running jobs finish with their connection still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
