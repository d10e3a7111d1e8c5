import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Actor } from '../tenancy/request-context.js';

interface Entry {
  actor: Actor;
  expiresAt: number;
}

const MAX_ENTRIES = 10_000;

/**
 * Who a session token belongs to, remembered for a few seconds (OPSFLOW_AUTH_CACHE_SECONDS, 5 by
 * default; 0 turns it off) so busy clients do not cost two lookups per request. This process forgets
 * an entry at once on sign-out and on any change to the user; other API replicas notice within the TTL.
 */
@Injectable()
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;

  constructor(config: AppConfig) {
    this.ttlMs = config.authCacheSeconds * 1000;
  }

  get(token: string): Actor | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.actor;
  }

  set(token: string, actor: Actor): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { actor, expiresAt: Date.now() + this.ttlMs });
  }

  forgetUser(userId: string): void {
    for (const [token, entry] of this.entries) if (entry.actor.userId === userId) this.entries.delete(token);
  }

  forgetSession(sessionId: string): void {
    for (const [token, entry] of this.entries) if (entry.actor.sessionId === sessionId) this.entries.delete(token);
  }
}
