import bytes from 'bytes';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type SignupMode = 'open' | 'closed';

/** Thrown when an environment variable holds a value Opsflow cannot use. */
export class ConfigError extends Error {}

/**
 * Every setting Opsflow reads from the environment, validated once at start.
 * Defaults need nothing installed: SQLite under DATA_DIR and the inline job driver.
 */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  /**
   * Which proxies may set X-Forwarded-For (the client address used for rate limits): `true` (any), `false`
   * (none), or addresses, CIDR ranges and names such as `loopback`, comma-separated.
   */
  readonly trustProxy: boolean | string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly queuePrefix: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly signup: SignupMode;
  readonly sessionSecret: string;
  readonly sessionTtlHours: number;
  readonly authCacheSeconds: number;
  readonly publicUrl: string;
  /** The largest JSON body, in bytes (OPSFLOW_BODY_LIMIT, e.g. `1mb`). */
  readonly bodyLimitBytes: number;
  readonly uploadMaxBytes: number;
  readonly jsonMaxDepth: number;
  readonly loginAttemptsPerIp: number;
  readonly secureCookies: boolean;
  readonly seedDemo: boolean;
  /** Largest size of one process instance's variables. */
  readonly instanceVariablesMaxKb: number;
  /** Hosts (or IP addresses) service tasks may call although they resolve to private addresses. */
  readonly httpAllowHosts: string[];
  /** Mounts the baseline endpoints `npm run bench` compares against. */
  readonly benchEndpoints: boolean;
  /**
   * PostgreSQL: the engine's and the hot paths' statements are named prepared statements, parsed and planned once
   * per connection. Off for a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  readonly pgPreparedStatements: boolean;
  /** SQLite's page cache in MB (OPSFLOW_SQLITE_CACHE_MB). */
  readonly sqliteCacheMb: number;
  /** Where e-mail goes out (smtp:// or smtps://); without it e-mails wait in the outbox for an admin to read. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Tries per e-mail before it is marked failed. */
  readonly mailAttempts: number;
  /** Days sent e-mails and read notifications are kept (0: for ever). */
  readonly retentionDays: number;
  readonly webDist: string;
  readonly designerDist: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.port = integer(env, 'PORT', 3000, 0, 65535);
    this.host = env.HOST || '0.0.0.0';
    this.trustProxy = proxyTrust(env.OPSFLOW_TRUST_PROXY || 'loopback');
    this.dataDir = resolve(env.DATA_DIR || './data');
    this.databaseUrl = optionalUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
    this.redisUrl = optionalUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
    this.queuePrefix = env.OPSFLOW_QUEUE_PREFIX || 'opsflow';
    this.adminEmail = env.OPSFLOW_ADMIN_EMAIL || undefined;
    this.adminPassword = env.OPSFLOW_ADMIN_PASSWORD || undefined;
    if (this.adminPassword !== undefined && this.adminPassword.length < 8) {
      throw new ConfigError('OPSFLOW_ADMIN_PASSWORD must have at least 8 characters');
    }
    this.signup = oneOf(env, 'OPSFLOW_SIGNUP', ['open', 'closed'], 'closed');
    this.sessionTtlHours = integer(env, 'OPSFLOW_SESSION_TTL_HOURS', 12, 1, 24 * 90);
    this.authCacheSeconds = integer(env, 'OPSFLOW_AUTH_CACHE_SECONDS', 5, 0, 300);
    this.publicUrl = (env.OPSFLOW_PUBLIC_URL || `http://localhost:${this.port}`).replace(/\/$/, '');
    this.bodyLimitBytes = byteSize(env, 'OPSFLOW_BODY_LIMIT', '1mb');
    this.uploadMaxBytes = integer(env, 'OPSFLOW_UPLOAD_MAX_MB', 20, 1, 1024) * 1024 * 1024;
    this.jsonMaxDepth = integer(env, 'OPSFLOW_JSON_MAX_DEPTH', 32, 2, 256);
    this.loginAttemptsPerIp = integer(env, 'OPSFLOW_LOGIN_ATTEMPTS_PER_IP', 30, 1, 1_000_000);
    this.secureCookies = (env.OPSFLOW_SECURE_COOKIES ?? (this.publicUrl.startsWith('https:') ? 'true' : 'false')) === 'true';
    this.seedDemo = (env.OPSFLOW_SEED_DEMO ?? 'true') !== 'false';
    this.benchEndpoints = env.OPSFLOW_BENCH_ENDPOINTS === 'true';
    this.pgPreparedStatements = env.OPSFLOW_PG_PREPARED_STATEMENTS !== 'false';
    this.sqliteCacheMb = integer(env, 'OPSFLOW_SQLITE_CACHE_MB', 64, 2, 4096);
    this.instanceVariablesMaxKb = integer(env, 'OPSFLOW_INSTANCE_VARIABLES_MAX_KB', 256, 1, 16 * 1024);
    this.smtpUrl = optionalUrl(env, 'OPSFLOW_SMTP_URL', ['smtp:', 'smtps:']);
    this.mailFrom = env.OPSFLOW_MAIL_FROM || 'Opsflow <no-reply@localhost>';
    this.mailAttempts = integer(env, 'OPSFLOW_MAIL_ATTEMPTS', 5, 1, 20);
    this.retentionDays = integer(env, 'OPSFLOW_RETENTION_DAYS', 90, 0, 36_500);
    this.httpAllowHosts = (env.OPSFLOW_HTTP_ALLOW_HOSTS ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
    this.sessionSecret = env.OPSFLOW_SESSION_SECRET || (this.databaseUrl ? requireSecret() : localSecret(this.dataDir));
    const root = resolve(new URL('.', import.meta.url).pathname, '../../../..');
    this.webDist = env.OPSFLOW_WEB_DIST || join(root, 'web', 'dist');
    this.designerDist = env.OPSFLOW_DESIGNER_DIST || join(root, 'designer', 'dist');
  }

  get databaseKind(): 'sqlite' | 'postgres' {
    return this.databaseUrl ? 'postgres' : 'sqlite';
  }

  get jobDriver(): 'bullmq' | 'inline' {
    return this.redisUrl ? 'bullmq' : 'inline';
  }

  get filesDir(): string {
    return join(this.dataDir, 'files');
  }

  get sqlitePath(): string {
    return join(this.dataDir, 'opsflow.sqlite');
  }
}

function proxyTrust(raw: string): boolean | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  // Fastify trusts no one for a bare hop count (it cannot check the nearest peer): say so instead of ignoring it.
  if (/^\d+$/.test(raw)) throw new ConfigError(`OPSFLOW_TRUST_PROXY takes true, false or the proxies' addresses (such as loopback or 10.0.0.0/8), not a number of hops ("${raw}")`);
  return raw;
}

function byteSize(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const value = bytes.parse(raw);
  if (value === null || !Number.isFinite(value) || value < 1) throw new ConfigError(`${name} must be a size such as 1mb or 500kb, got "${raw}"`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function optionalUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function requireSecret(): string {
  throw new ConfigError('OPSFLOW_SESSION_SECRET must be set (32+ random characters) when DATABASE_URL is set, so that every replica signs sessions with the same key');
}

/** The embedded default keeps a generated signing key beside the database, so restarts keep sessions valid. */
function localSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
