import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, Repository } from 'typeorm';
import { AppConfig } from '../../core/config/app-config.js';
import { hashPassword } from '../../core/auth/password.js';
import { PrincipalCache } from '../../core/auth/principal-cache.js';
import { randomToken, sha256 } from '../../core/auth/tokens.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext, type Role } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { Department } from './department.entity.js';
import { CreateUserDto, UpdateUserDto, UserQueryDto } from './dto/user.dto.js';
import { OrgError } from './org.exception.js';
import { User } from './user.entity.js';

const INVITE_DAYS = 7;

export interface NewUser {
  email: string;
  name: string;
  roles: Role[];
  password?: string;
  departmentId?: string | null;
  managerId?: string | null;
  locale?: string;
  platformAdmin?: boolean;
}

/** People of a tenant: who they are, their roles, department and manager. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly principals: PrincipalCache,
  ) {}

  async list(query: UserQueryDto): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u').where('u.tenantId = :tenantId', { tenantId: RequestContext.tenantId() });
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active });
    if (query.departmentId) qb.andWhere('u.departmentId = :departmentId', { departmentId: query.departmentId });
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where("LOWER(u.name) LIKE :like ESCAPE '\\'", { like }).orWhere("u.email LIKE :like ESCAPE '\\'", { like })));
    }
    const { skip, take } = skipTake(query);
    const [items, total] = await qb.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return pageOf(items, total, query);
  }

  /** Another tenant's id answers exactly like a missing one. */
  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id, tenantId: RequestContext.tenantId() });
    if (!user) throw AppError.notFound('The user');
    return user;
  }

  async create(input: CreateUserDto): Promise<{ user: User; inviteUrl?: string }> {
    this.assertMayGrant(input.roles, []);
    const result = await this.dataSource.transaction(async (manager) => {
      const created = await this.insert(manager, RequestContext.tenantId(), input);
      await this.audit.record({ action: 'user.created', targetType: 'user', targetId: created.user.id, data: { email: created.user.email, roles: created.user.roles } }, manager);
      return created;
    });
    return result;
  }

  /** Inserts one user inside a transaction; used by create, CSV import, sign-up and seeding. */
  async insert(manager: EntityManager, tenantId: string, input: NewUser): Promise<{ user: User; inviteUrl?: string }> {
    const repo = manager.getRepository(User);
    const email = input.email.trim().toLowerCase();
    if (await repo.existsBy({ tenantId, email })) throw OrgError.emailTaken();
    if (input.departmentId) await this.assertDepartment(manager, tenantId, input.departmentId, 'departmentId');
    if (input.managerId) await this.assertUser(manager, tenantId, input.managerId, 'managerId');
    const inviteToken = input.password ? undefined : randomToken();
    const now = new Date();
    const user = repo.create({
      id: randomUUID(), tenantId, email, name: input.name.trim(), roles: uniqueRoles(input.roles),
      passwordHash: input.password ? await hashPassword(input.password) : null,
      departmentId: input.departmentId ?? null, managerId: input.managerId ?? null, active: true,
      platformAdmin: input.platformAdmin ?? false, locale: input.locale ?? 'en',
      inviteTokenHash: inviteToken ? sha256(inviteToken) : null,
      inviteExpiresAt: inviteToken ? new Date(now.getTime() + INVITE_DAYS * 86_400_000) : null,
      lastLoginAt: null, createdAt: now, updatedAt: now,
    });
    await repo.insert(user);
    return { user, inviteUrl: inviteToken ? `${this.config.publicUrl}/accept-invite?token=${inviteToken}` : undefined };
  }

  async update(id: string, input: UpdateUserDto): Promise<User> {
    const actor = RequestContext.requireActor();
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(User);
      const user = await repo.findOneBy({ id, tenantId: actor.tenantId });
      if (!user) throw AppError.notFound('The user');
      const changes: Partial<User> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.locale !== undefined) changes.locale = input.locale;
      if (input.roles !== undefined) {
        this.assertMayGrant(input.roles, user.roles);
        changes.roles = uniqueRoles(input.roles);
      }
      if (input.departmentId !== undefined) {
        if (input.departmentId) await this.assertDepartment(manager, actor.tenantId, input.departmentId, 'departmentId');
        changes.departmentId = input.departmentId;
      }
      if (input.managerId !== undefined) {
        if (input.managerId) await this.assertManager(manager, actor.tenantId, user.id, input.managerId);
        changes.managerId = input.managerId;
      }
      if (input.active !== undefined && input.active !== user.active) {
        if (!input.active && user.id === actor.userId) throw OrgError.selfDeactivation();
        changes.active = input.active;
      }
      if (input.password !== undefined) {
        changes.passwordHash = await hashPassword(input.password);
        changes.inviteTokenHash = null;
        changes.inviteExpiresAt = null;
      }
      const next = { ...user, ...changes };
      if (user.roles.includes('owner') && user.active && !(next.roles.includes('owner') && next.active)) {
        const owners = await repo.createQueryBuilder('u').where('u.tenantId = :tenantId AND u.active = :active AND u.id != :id', { tenantId: actor.tenantId, active: true, id: user.id })
          .andWhere('u.roles LIKE :owner', { owner: '%"owner"%' }).getCount();
        if (owners === 0) throw OrgError.lastOwner();
      }
      changes.updatedAt = new Date();
      await repo.update({ id: user.id, tenantId: actor.tenantId }, changes);
      const fields = Object.keys(changes).filter((k) => k !== 'updatedAt' && k !== 'passwordHash' && k !== 'inviteTokenHash' && k !== 'inviteExpiresAt');
      const action = changes.active === false ? 'user.deactivated' : changes.active === true ? 'user.reactivated' : 'user.updated';
      await this.audit.record({ action, targetType: 'user', targetId: user.id, data: { fields, passwordChanged: input.password !== undefined, roles: changes.roles } }, manager);
      this.principals.forgetUser(user.id);
      return next;
    });
  }

  // --- used by sign-in and the auth guard -------------------------------------------------------

  findActive(tenantId: string, id: string): Promise<User | null> {
    return this.users.findOneBy({ id, tenantId, active: true });
  }

  /** Every active account with this email, across tenants (sign-in asks for the tenant when several match). */
  findActiveByEmail(email: string, tenantIds?: string[]): Promise<User[]> {
    return this.users.findBy({ email: email.trim().toLowerCase(), active: true, ...(tenantIds ? { tenantId: In(tenantIds) } : {}) });
  }

  findByInviteToken(token: string): Promise<User | null> {
    return this.users.findOneBy({ inviteTokenHash: sha256(token), active: true });
  }

  async setOwnPassword(user: User, password: string): Promise<void> {
    await this.users.update({ id: user.id, tenantId: user.tenantId }, {
      passwordHash: await hashPassword(password), inviteTokenHash: null, inviteExpiresAt: null, updatedAt: new Date(),
    });
  }

  async updateOwnProfile(user: User, changes: { name?: string; locale?: string }): Promise<void> {
    await this.users.update({ id: user.id, tenantId: user.tenantId }, { ...changes, updatedAt: new Date() });
    this.principals.forgetUser(user.id);
  }

  async touchLogin(user: User): Promise<void> {
    await this.users.update({ id: user.id, tenantId: user.tenantId }, { lastLoginAt: new Date() });
  }

  // --- rules ------------------------------------------------------------------------------------

  private assertMayGrant(next: Role[], previous: Role[]): void {
    const actor = RequestContext.requireActor();
    const touchesOwner = next.includes('owner') !== previous.includes('owner');
    if (touchesOwner && !actor.roles.includes('owner')) throw OrgError.ownerOnly();
  }

  private async assertDepartment(manager: EntityManager, tenantId: string, id: string, path: string): Promise<void> {
    if (!(await manager.getRepository(Department).existsBy({ id, tenantId }))) throw OrgError.invalid(path, 'No such department');
  }

  private async assertUser(manager: EntityManager, tenantId: string, id: string, path: string): Promise<void> {
    if (!(await manager.getRepository(User).existsBy({ id, tenantId }))) throw OrgError.invalid(path, 'No such user');
  }

  /** A manager must exist and must not be the user or anyone who reports to them (no cycles in the chain). */
  private async assertManager(manager: EntityManager, tenantId: string, userId: string, managerId: string): Promise<void> {
    await this.assertUser(manager, tenantId, managerId, 'managerId');
    const repo = manager.getRepository(User);
    const seen = new Set<string>();
    for (let current: string | null = managerId; current; ) {
      if (current === userId) throw OrgError.invalid('managerId', 'This manager reports to the user, which would make a loop');
      if (seen.has(current)) break;
      seen.add(current);
      const next: Pick<User, 'managerId'> | null = await repo.findOne({ where: { id: current, tenantId }, select: { managerId: true } });
      current = next?.managerId ?? null;
    }
  }
}

function uniqueRoles(roles: Role[]): Role[] {
  return [...new Set(roles)];
}
