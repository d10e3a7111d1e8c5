import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../errors/app-error.js';

export type Role = 'owner' | 'admin' | 'designer' | 'member';
export const ROLES: readonly Role[] = ['owner', 'admin', 'designer', 'member'];

/** Who is acting: a signed-in person, an API key, or the system (jobs, seeding). */
export interface Actor {
  tenantId: string;
  userId: string | null;
  /** The person's display name, when a person acts. */
  name?: string;
  kind: 'user' | 'api-key' | 'system';
  roles: Role[];
  /** API key scopes; undefined for people. */
  scopes?: string[];
  apiKeyId?: string;
  sessionId?: string;
  platformAdmin?: boolean;
}

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

interface ContextStore {
  actor?: Actor;
  meta: RequestMeta;
}

const storage = new AsyncLocalStorage<ContextStore>();

/**
 * The tenant and actor of the current request or job. A middleware opens an empty store per request,
 * the auth guard fills it, and jobs re-enter it from their payload's tenantId.
 */
export const RequestContext = {
  run<T>(meta: RequestMeta, fn: () => T): T {
    return storage.run({ meta }, fn);
  },

  runAs<T>(actor: Actor, fn: () => T): T {
    return storage.run({ actor, meta: {} }, fn);
  },

  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (!store) throw new Error('RequestContext.setActor called outside a request context');
    store.actor = actor;
  },

  actor(): Actor | undefined {
    return storage.getStore()?.actor;
  },

  /** The acting principal; throws when a handler runs without one, which is a bug, not a user error. */
  requireActor(): Actor {
    const actor = storage.getStore()?.actor;
    if (!actor) throw AppError.unauthenticated();
    return actor;
  },

  tenantId(): string {
    return RequestContext.requireActor().tenantId;
  },

  meta(): RequestMeta {
    return storage.getStore()?.meta ?? {};
  },
};

export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: null, kind: 'system', roles: ['owner'] };
}
