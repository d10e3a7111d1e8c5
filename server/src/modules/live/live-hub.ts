import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../core/config/app-config.js';

/** What a person's open pages hear about at once: their inbox or their bell changed. */
export type LiveEvent =
  | { type: 'task'; taskId: string; instanceId: string; name: string }
  | { type: 'notification'; kind: string; title: string };

type Listener = (event: LiveEvent) => void;

interface Message {
  tenantId: string;
  userIds: string[];
  event: LiveEvent;
}

/**
 * Delivers live events to the streams people have open (GET /api/live). With REDIS_URL the event goes
 * through a Redis channel, so a task a queue worker creates reaches the API replica holding its
 * assignee's stream; without Redis everything runs in the one process. Delivery is a hint, at most
 * once: a page that missed one still shows the truth on its next read.
 */
@Injectable()
export class LiveHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveHub');
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  private readonly channel: string;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor(private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:live`;
  }

  /** Tells these people's open streams; never throws and never waits for them. */
  publish(tenantId: string, userIds: readonly string[], event: LiveEvent): void {
    const people = [...new Set(userIds.filter(Boolean))];
    if (people.length === 0) return;
    const message: Message = { tenantId, userIds: people, event };
    if (!this.config.redisUrl) return this.deliver(message);
    this.publisher ??= this.connect();
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => this.logger.warn(`live event not sent: ${String(error)}`));
  }

  /** Streams open for this person now. */
  count(tenantId: string, userId: string): number {
    return this.listeners.get(`${tenantId}:${userId}`)?.size ?? 0;
  }

  /**
   * Listens for one person's events until the returned function is called. `close` is called when the
   * process shuts down, so open streams end instead of holding the HTTP server open.
   */
  subscribe(tenantId: string, userId: string, listener: Listener, close: () => void): () => void {
    if (this.config.redisUrl && !this.subscriber) this.listen();
    const key = `${tenantId}:${userId}`;
    const set = this.listeners.get(key) ?? new Set<Listener>();
    this.listeners.set(key, set.add(listener));
    this.closers.add(close);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
      this.closers.delete(close);
    };
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }

  private deliver({ tenantId, userIds, event }: Message): void {
    for (const userId of userIds) {
      for (const listener of this.listeners.get(`${tenantId}:${userId}`) ?? []) listener(event);
    }
  }

  private connect(): Redis {
    const redis = new Redis(this.config.redisUrl!, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    return redis;
  }

  private listen(): void {
    this.subscriber = this.connect();
    this.subscriber.subscribe(this.channel).catch((error: unknown) => this.logger.warn(`live events unavailable: ${String(error)}`));
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        this.deliver(JSON.parse(raw) as Message);
      } catch {
        /* not one of ours */
      }
    });
  }
}
