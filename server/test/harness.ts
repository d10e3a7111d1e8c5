import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../src/app.factory.js';
import { AppConfig } from '../src/core/config/app-config.js';
import type { Clock } from '../src/core/jobs/job.types.js';
import { TenantsService } from '../src/modules/tenants/tenants.service.js';
import { createDatabase } from './databases.js';

/**
 * Starts the real app for an HTTP suite: SQLite in a temp folder with the inline driver by default;
 * a fresh PostgreSQL database and a private BullMQ prefix when DATABASE_URL / REDIS_URL are set
 * (`npm run test:services`).
 */
export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http(): TestAgent;
  /** A new tenant with a signed-in owner agent (cookie jar). */
  tenant(name?: string): Promise<TestTenant>;
  /** A signed-in agent for an existing account. */
  login(email: string, password: string): Promise<TestAgent>;
  close(): Promise<void>;
}

export interface TestTenant {
  id: string;
  slug: string;
  ownerId: string;
  ownerEmail: string;
  owner: TestAgent;
}

export const PASSWORD = 'correct horse battery';

export const onServices = Boolean(process.env.DATABASE_URL);

export async function startApp(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-test-'));
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const config = new AppConfig({
    DATA_DIR: dataDir,
    OPSFLOW_SEED_DEMO: 'false',
    OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '100000',
    OPSFLOW_QUEUE_PREFIX: `opsflow-test-${randomBytes(4).toString('hex')}`,
    ...(database ? { DATABASE_URL: database.url, OPSFLOW_SESSION_SECRET: randomBytes(32).toString('hex') } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const app = await createApp(config, { serveFrontEnds: false, logger: ['error'], consumeJobs: true, clock: options.clock });
  const http = () => request.agent(app.getHttpServer());
  let counter = 0;

  const login = async (email: string, password: string) => {
    const agent = http();
    const response = await agent.post('/api/auth/login').send({ email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return agent;
  };

  return {
    app,
    config,
    http,
    login,
    async tenant(name = `Tenant ${++counter}`) {
      const ownerEmail = `owner-${randomBytes(4).toString('hex')}@example.com`;
      const { tenant, owner } = await app.get(TenantsService).create({ name, ownerEmail, ownerPassword: PASSWORD, ownerName: `${name} Owner` });
      return { id: tenant.id, slug: tenant.slug, ownerId: owner.id, ownerEmail, owner: await login(ownerEmail, PASSWORD) };
    },
    async close() {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
