import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import rateLimiter, { type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config.js';

// A CommonJS package: Node's ESM loader cannot see its named exports.
const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = rateLimiter;

export type RateLimitResult = InstanceType<typeof RateLimiterRes>;
export const isRateLimitResult = (value: unknown): value is RateLimitResult => value instanceof RateLimiterRes;

/**
 * Makes named rate limiters: in Redis when REDIS_URL is set (so every API replica counts together),
 * in memory otherwise. While Redis is unreachable each process counts on its own rather than failing requests.
 */
@Injectable()
export class RateLimiterFactory implements OnModuleDestroy {
  private readonly redis: Redis | undefined;

  constructor(private readonly config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.redis.on('error', () => undefined);
    }
  }

  create(name: string, options: Omit<IRateLimiterOptions, 'keyPrefix' | 'storeClient'>): RateLimiterAbstract {
    const full = { ...options, keyPrefix: `${this.config.queuePrefix}:${name}` };
    if (!this.redis) return new RateLimiterMemory(full);
    return new RateLimiterRedis({ ...full, storeClient: this.redis, insuranceLimiter: new RateLimiterMemory(full) });
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
