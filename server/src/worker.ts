import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { AppConfig, ConfigError } from './core/config/app-config.js';

/** A queue worker: the same modules as the API, no HTTP; consumes every queue. Run several for scale. */
async function main(): Promise<void> {
  const config = new AppConfig();
  if (config.jobDriver !== 'bullmq') {
    throw new ConfigError('The worker needs REDIS_URL; without Redis the API process runs jobs itself (inline driver)');
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, consumeJobs: true }), { logger: ['log', 'error', 'warn'] });
  app.enableShutdownHooks();
  new Logger('Worker').log(`Consuming queues on ${config.redisUrl?.replace(/\/\/[^@]*@/, '//***@')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
