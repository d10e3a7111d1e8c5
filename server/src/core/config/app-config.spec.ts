import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './app-config.js';

describe('AppConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'opsflow-config-'));

  it('needs nothing installed by default: SQLite under DATA_DIR, inline jobs, port 3000, closed sign-up', () => {
    const config = new AppConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ port: 3000, signup: 'closed', databaseKind: 'sqlite', jobDriver: 'inline' });
    expect(config.sqlitePath).toMatch(/opsflow\.sqlite$/);
  });

  it('keeps the generated session key across restarts', () => {
    const dir = dataDir();
    expect(new AppConfig({ DATA_DIR: dir }).sessionSecret).toBe(new AppConfig({ DATA_DIR: dir }).sessionSecret);
  });

  it('switches to PostgreSQL and BullMQ by URL, and then wants a shared session key', () => {
    const env = { DATA_DIR: dataDir(), DATABASE_URL: 'postgres://u@db/opsflow', REDIS_URL: 'redis://cache:6379' };
    expect(() => new AppConfig(env)).toThrow(/OPSFLOW_SESSION_SECRET/);
    const config = new AppConfig({ ...env, OPSFLOW_SESSION_SECRET: 'k'.repeat(40) });
    expect(config).toMatchObject({ databaseKind: 'postgres', jobDriver: 'bullmq' });
  });

  it('reads which proxies to trust as Fastify takes them, and the body limit as a size', () => {
    const trust = (value: string) => new AppConfig({ DATA_DIR: dataDir(), OPSFLOW_TRUST_PROXY: value }).trustProxy;
    expect(new AppConfig({ DATA_DIR: dataDir() }).trustProxy).toBe('loopback');
    expect([trust('true'), trust('false'), trust('10.0.0.0/8,loopback')]).toEqual([true, false, '10.0.0.0/8,loopback']);
    expect(new AppConfig({ DATA_DIR: dataDir(), OPSFLOW_BODY_LIMIT: '500kb' }).bodyLimitBytes).toBe(512_000);
  });

  it.each([
    [{ OPSFLOW_BODY_LIMIT: 'lots' }, /OPSFLOW_BODY_LIMIT must be a size/],
    [{ OPSFLOW_TRUST_PROXY: '2' }, /OPSFLOW_TRUST_PROXY takes true, false or the proxies' addresses/],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    [{ OPSFLOW_SIGNUP: 'maybe' }, /OPSFLOW_SIGNUP must be one of open, closed/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL is not a valid URL/],
    [{ OPSFLOW_ADMIN_PASSWORD: 'short' }, /at least 8 characters/],
  ])('explains a bad setting %o', (env, message) => {
    expect(() => new AppConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => new AppConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });
});
