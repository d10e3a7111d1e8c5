import { Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { isRateLimitResult, RateLimiterFactory, type RateLimitResult } from '../http/rate-limiter.js';

const ACCOUNT_FAILURES = 5;
const ACCOUNT_LOCK_SECONDS = 15 * 60;
const IP_WINDOW_SECONDS = 15 * 60;

/**
 * Sign-in throttling: an account locks for 15 minutes after 5 failures in a row, and one address
 * may try OPSFLOW_LOGIN_ATTEMPTS_PER_IP (30) times per 15 minutes.
 */
@Injectable()
export class LoginLimiter {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(config: AppConfig, limiters: RateLimiterFactory) {
    this.byAccount = limiters.create('login:account', { points: ACCOUNT_FAILURES, duration: ACCOUNT_LOCK_SECONDS, blockDuration: ACCOUNT_LOCK_SECONDS });
    this.byIp = limiters.create('login:ip', { points: config.loginAttemptsPerIp, duration: IP_WINDOW_SECONDS });
  }

  /** Refuses the attempt when the address or the account is over its limit; counts it against the address. */
  async admit(email: string, ip: string): Promise<void> {
    const account = await this.byAccount.get(email);
    if (account && account.consumedPoints >= ACCOUNT_FAILURES) throw tooMany(account);
    await this.admitAddress(ip);
  }

  async failed(email: string): Promise<void> {
    await this.byAccount.consume(email).catch((error: unknown) => {
      if (!isRateLimitResult(error)) throw error;
    });
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }

  /** Sign-up and invite acceptance share the per-address budget. */
  async admitAddress(ip: string): Promise<void> {
    await this.byIp.consume(ip).catch((error: unknown) => {
      if (isRateLimitResult(error)) throw tooMany(error);
      throw error;
    });
  }
}

function tooMany(res: RateLimitResult): AppError {
  const minutes = Math.max(1, Math.ceil(res.msBeforeNext / 60_000));
  return new AppError(429, 'too_many_attempts', `Too many sign-in attempts. Try again in ${minutes} minute(s).`, [{ path: 'retryAfterMinutes', message: String(minutes) }]);
}
