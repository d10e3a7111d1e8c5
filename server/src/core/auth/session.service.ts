import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { type RequestMeta } from '../tenancy/request-context.js';
import { PrincipalCache } from './principal-cache.js';
import { Session } from './session.entity.js';

export const SESSION_COOKIE = 'opsflow_session';
/** The only algorithm a session token may carry; `none` and asymmetric tricks are refused. */
const ALGORITHM = 'HS256' as const;

interface SessionClaims {
  sub: string;
  tid: string;
  sid: string;
}

/** Sessions are rows (so signing out and deactivation revoke them) named by a short HS256 JWT in an httpOnly cookie. */
@Injectable()
export class SessionService {
  /** Made once: handing jsonwebtoken a string makes it try (and fail) to parse a public key on every call. */
  private readonly key: KeyObject;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly cache: PrincipalCache,
  ) {
    this.key = createSecretKey(Buffer.from(config.sessionSecret, 'utf8'));
  }

  async open(user: { id: string; tenantId: string }, meta: RequestMeta): Promise<{ token: string; expiresAt: Date }> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3_600_000);
    const session: Session = {
      id: randomUUID(), tenantId: user.tenantId, userId: user.id, expiresAt, revokedAt: null,
      ip: meta.ip?.slice(0, 64) ?? null, userAgent: meta.userAgent?.slice(0, 400) ?? null, createdAt: now,
    };
    await this.sessions.insert(session);
    const claims: SessionClaims = { sub: user.id, tid: user.tenantId, sid: session.id };
    const token = await this.jwt.signAsync(claims, {
      secret: this.key as never, algorithm: ALGORITHM, expiresIn: this.config.sessionTtlHours * 3600,
    });
    return { token, expiresAt };
  }

  /** The live session a token names, or null for a bad signature, another algorithm, expiry or revocation. */
  async verify(token: string): Promise<Session | null> {
    let claims: SessionClaims;
    try {
      claims = await this.jwt.verifyAsync<SessionClaims>(token, { secret: this.key as never, algorithms: [ALGORITHM] });
    } catch {
      return null;
    }
    if (typeof claims.sid !== 'string' || typeof claims.tid !== 'string' || typeof claims.sub !== 'string') return null;
    const session = await this.sessions.findOneBy({ id: claims.sid, tenantId: claims.tid, userId: claims.sub, revokedAt: IsNull() });
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    return session;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.forgetSession(sessionId);
  }

  async revokeAllOf(tenantId: string, userId: string, except?: string): Promise<void> {
    const qb = this.sessions.createQueryBuilder().update(Session).set({ revokedAt: new Date() })
      .where('tenantId = :tenantId AND userId = :userId AND revokedAt IS NULL', { tenantId, userId });
    if (except) qb.andWhere('id != :except', { except });
    await qb.execute();
    this.cache.forgetUser(userId);
  }
}
