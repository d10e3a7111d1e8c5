import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import rateLimiter, { type RateLimiterAbstract } from 'rate-limiter-flexible';

// A CommonJS package: Node's ESM loader cannot see its named exports.
const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = rateLimiter;
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';

const ACCOUNT_FAILURES = 5;
const ACCOUNT_LOCK_SECONDS = 15 * 60;
const IP_WINDOW_SECONDS = 15 * 60;

/**
 * Sign-in throttling: an account locks for 15 minutes after 5 failures in a row, and one address
 * may try OPSFLOW_LOGIN_ATTEMPTS_PER_IP (30) times per 15 minutes. Kept in Redis when configured, so every API replica agrees.
 */
@Injectable()
export class LoginLimiter implements OnModuleDestroy {
  private readonly redis: Redis | undefined;
  private readonly byAccount: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(config: AppConfig) {
    const account = { keyPrefix: `${config.queuePrefix}:login:account`, points: ACCOUNT_FAILURES, duration: ACCOUNT_LOCK_SECONDS, blockDuration: ACCOUNT_LOCK_SECONDS };
    const ip = { keyPrefix: `${config.queuePrefix}:login:ip`, points: config.loginAttemptsPerIp, duration: IP_WINDOW_SECONDS };
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.redis.on('error', () => undefined);
      // While Redis is unreachable each process counts on its own rather than failing every sign-in.
      this.byAccount = new RateLimiterRedis({ storeClient: this.redis, ...account, insuranceLimiter: new RateLimiterMemory(account) });
      this.byIp = new RateLimiterRedis({ storeClient: this.redis, ...ip, insuranceLimiter: new RateLimiterMemory(ip) });
    } else {
      this.byAccount = new RateLimiterMemory(account);
      this.byIp = new RateLimiterMemory(ip);
    }
  }

  /** Refuses the attempt when the address or the account is over its limit; counts it against the address. */
  async admit(email: string, ip: string): Promise<void> {
    const account = await this.byAccount.get(email);
    if (account && account.consumedPoints >= ACCOUNT_FAILURES) throw tooMany(account);
    try {
      await this.byIp.consume(ip);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error);
      throw error;
    }
  }

  async failed(email: string): Promise<void> {
    await this.byAccount.consume(email).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }

  /** Sign-up and invite acceptance share the per-address budget. */
  async admitAddress(ip: string): Promise<void> {
    await this.byIp.consume(ip).catch((error: unknown) => {
      if (error instanceof RateLimiterRes) throw tooMany(error);
      throw error;
    });
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}

function tooMany(res: InstanceType<typeof RateLimiterRes>): AppError {
  const minutes = Math.max(1, Math.ceil(res.msBeforeNext / 60_000));
  return new AppError(429, 'too_many_attempts', `Too many sign-in attempts. Try again in ${minutes} minute(s).`, [{ path: 'retryAfterMinutes', message: String(minutes) }]);
}
