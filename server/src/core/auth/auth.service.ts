import { Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { RequestContext, type RequestMeta } from '../tenancy/request-context.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { User } from '../../modules/org/user.entity.js';
import { UsersService } from '../../modules/org/users.service.js';
import { TenantsService } from '../../modules/tenants/tenants.service.js';
import { LoginLimiter } from './login-limiter.js';
import { verifyPassword } from './password.js';
import { SessionService } from './session.service.js';

const INVALID = () => new AppError(401, 'invalid_credentials', 'The email or password is incorrect');

/** Sign-in, sign-out, invitations and a person's own profile. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly sessions: SessionService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, tenantSlug: string | undefined, meta: RequestMeta): Promise<{ user: User; token: string; expiresAt: Date }> {
    await this.limiter.admit(email, meta.ip ?? 'unknown');
    let tenantIds: string[] | undefined;
    if (tenantSlug) tenantIds = (await this.tenants.findBySlugs([tenantSlug])).map((t) => t.id);
    const candidates = tenantIds && !tenantIds.length ? [] : await this.users.findActiveByEmail(email, tenantIds);
    const matches: User[] = [];
    if (!candidates.length) await verifyPassword(null, password);
    for (const candidate of candidates) if (await verifyPassword(candidate.passwordHash, password)) matches.push(candidate);

    if (!matches.length) {
      await this.limiter.failed(email);
      for (const candidate of candidates) {
        await this.audit.record({ action: 'auth.login_failed', targetType: 'user', targetId: candidate.id, actor: { tenantId: candidate.tenantId, userId: null, kind: 'user' } });
      }
      throw INVALID();
    }
    if (matches.length > 1) {
      const tenants = await this.tenants.findByIds(matches.map((m) => m.tenantId));
      throw new AppError(409, 'tenant_required', 'This account exists in several organisations; choose one', tenants.map((t) => ({ path: 'tenant', message: t.slug })));
    }
    const user = matches[0];
    await this.limiter.succeeded(email);
    const session = await this.sessions.open(user, meta);
    await this.users.touchLogin(user);
    await this.audit.record({ action: 'auth.login', targetType: 'user', targetId: user.id, actor: { tenantId: user.tenantId, userId: user.id, kind: 'user' } });
    return { user, ...session };
  }

  async logout(): Promise<void> {
    const actor = RequestContext.actor();
    if (!actor?.sessionId) return;
    await this.sessions.revoke(actor.sessionId);
    await this.audit.record({ action: 'auth.logout', targetType: 'user', targetId: actor.userId });
  }

  async acceptInvite(token: string, password: string, meta: RequestMeta): Promise<{ user: User; token: string; expiresAt: Date }> {
    await this.limiter.admitAddress(meta.ip ?? 'unknown');
    const user = await this.users.findByInviteToken(token);
    if (!user || !user.inviteExpiresAt || user.inviteExpiresAt.getTime() <= Date.now()) {
      throw new AppError(410, 'invite_invalid', 'This invitation link is not valid any more; ask your administrator for a new one');
    }
    await this.users.setOwnPassword(user, password);
    const session = await this.sessions.open(user, meta);
    await this.audit.record({ action: 'user.invite_accepted', targetType: 'user', targetId: user.id, actor: { tenantId: user.tenantId, userId: user.id, kind: 'user' } });
    return { user, ...session };
  }

  async currentUser(): Promise<User> {
    const actor = RequestContext.requireActor();
    if (!actor.userId) throw AppError.forbidden('An API key has no personal profile');
    const user = await this.users.findActive(actor.tenantId, actor.userId);
    if (!user) throw AppError.unauthenticated();
    return user;
  }

  async updateMe(changes: { name?: string; locale?: string; currentPassword?: string; password?: string }): Promise<User> {
    const user = await this.currentUser();
    if (changes.password !== undefined) {
      if (!changes.currentPassword || !(await verifyPassword(user.passwordHash, changes.currentPassword))) {
        throw new AppError(422, 'password_incorrect', 'The current password is not correct', [{ path: 'currentPassword', message: 'is not correct' }]);
      }
      await this.users.setOwnPassword(user, changes.password);
      await this.sessions.revokeAllOf(user.tenantId, user.id, RequestContext.actor()?.sessionId);
      await this.audit.record({ action: 'user.password_changed', targetType: 'user', targetId: user.id });
    }
    const profile = { ...(changes.name !== undefined ? { name: changes.name } : {}), ...(changes.locale !== undefined ? { locale: changes.locale } : {}) };
    if (Object.keys(profile).length) await this.users.updateOwnProfile(user, profile);
    return { ...user, ...profile };
  }
}
