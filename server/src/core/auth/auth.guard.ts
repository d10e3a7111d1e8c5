import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { type Actor, RequestContext, type Role } from '../tenancy/request-context.js';
import { ApiKeysService } from '../../modules/api-keys/api-keys.service.js';
import { type ApiKeyScope } from '../../modules/api-keys/api-key.entity.js';
import { UsersService } from '../../modules/org/users.service.js';
import { MIN_ROLE_KEY, PUBLIC_KEY } from './auth.decorators.js';
import { PrincipalCache } from './principal-cache.js';
import { hasRole } from './roles.js';
import { SESSION_COOKIE, SessionService } from './session.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What an API key may do, expressed as the role it acts with. */
function roleOfScopes(scopes: ApiKeyScope[]): Role[] {
  if (scopes.includes('admin')) return ['admin'];
  if (scopes.includes('write')) return ['designer'];
  return ['member'];
}

/**
 * The one global guard: finds who is calling (session cookie, session bearer token or API key),
 * puts them in the request context, and checks the handler's minimum role and the key's scopes.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    private readonly cache: PrincipalCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const actor = await this.identify(request, isPublic);
    if (!actor) {
      if (isPublic) return true;
      throw AppError.unauthenticated();
    }
    RequestContext.setActor(actor);
    if (isPublic) return true;

    if (actor.kind === 'api-key') {
      const scopes = actor.scopes ?? [];
      if (!SAFE_METHODS.has(request.method) && !scopes.includes('write') && !scopes.includes('admin')) {
        throw new AppError(403, 'scope_required', 'This API key may only read; it needs the "write" scope');
      }
    }
    const minRole = this.reflector.getAllAndOverride<Role>(MIN_ROLE_KEY, targets);
    if (minRole && !hasRole(actor.roles, minRole)) throw AppError.forbidden(`This needs the ${minRole} role`);
    return true;
  }

  private async identify(request: FastifyRequest, isPublic: boolean): Promise<Actor | null> {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = request.cookies[SESSION_COOKIE];
    const token = bearer || cookie;
    if (!token) return null;

    if (bearer?.startsWith('opk_')) {
      const apiKey = await this.apiKeys.authenticate(bearer);
      if (!apiKey) return this.reject(isPublic, 'This API key is not valid, or it was revoked or has expired');
      return { tenantId: apiKey.tenantId, userId: apiKey.createdBy, kind: 'api-key', roles: roleOfScopes(apiKey.scopes), scopes: apiKey.scopes, apiKeyId: apiKey.id };
    }
    const cached = this.cache.get(token);
    if (cached) return cached;
    const session = await this.sessions.verify(token);
    if (!session) return this.reject(isPublic, 'Your session has ended; please sign in again');
    const user = await this.users.findActive(session.tenantId, session.userId);
    if (!user) return this.reject(isPublic, 'Your session has ended; please sign in again');
    const actor: Actor = { tenantId: user.tenantId, userId: user.id, name: user.name, kind: 'user', roles: user.roles, sessionId: session.id, platformAdmin: user.platformAdmin };
    this.cache.set(token, actor);
    return actor;
  }

  /** A public handler ignores bad credentials; any other one refuses them. */
  private reject(isPublic: boolean, message: string): null {
    if (isPublic) return null;
    throw AppError.unauthenticated(message);
  }
}
