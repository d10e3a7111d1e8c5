import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { AuditService } from '../audit/audit.service.js';
import { DepartmentsService } from '../org/departments.service.js';
import { Department } from '../org/department.entity.js';
import { User } from '../org/user.entity.js';
import { UsersService } from '../org/users.service.js';
import { Tenant } from './tenant.entity.js';

export interface NewTenant {
  name: string;
  ownerEmail: string;
  ownerPassword: string;
  ownerName?: string;
  platformAdmin?: boolean;
}

/** Tenants: each is one organisation with its own people, apps and data. */
@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly departments: DepartmentsService,
    private readonly audit: AuditService,
  ) {}

  get(id: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ id });
  }

  findBySlugs(slugs: string[]): Promise<Tenant[]> {
    return this.dataSource.getRepository(Tenant).createQueryBuilder('t').where('t.slug IN (:...slugs)', { slugs }).getMany();
  }

  findByIds(ids: string[]): Promise<Tenant[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.dataSource.getRepository(Tenant).createQueryBuilder('t').whereInIds(ids).getMany();
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(Tenant).count();
  }

  /** Creates the tenant, a first department headed by the owner, and the owner, all or nothing. */
  async create(input: NewTenant): Promise<{ tenant: Tenant; owner: User }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant: Tenant = { id: randomUUID(), name: input.name.trim(), slug: await this.freeSlug(input.name), createdAt: new Date() };
      await manager.getRepository(Tenant).insert(tenant);
      const department = await this.departments.insert(manager, tenant.id, { name: tenant.name });
      const { user: owner } = await this.users.insert(manager, tenant.id, {
        email: input.ownerEmail, name: input.ownerName?.trim() || input.ownerEmail.split('@')[0], roles: ['owner'],
        password: input.ownerPassword, departmentId: department.id, platformAdmin: input.platformAdmin,
      });
      await manager.getRepository(Department).update({ id: department.id }, { headId: owner.id });
      await this.audit.record({ action: 'tenant.created', targetType: 'tenant', targetId: tenant.id, data: { name: tenant.name }, actor: { tenantId: tenant.id, userId: owner.id, kind: 'user' } }, manager);
      return { tenant, owner };
    });
  }

  private async freeSlug(name: string): Promise<string> {
    const base = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
    const repo = this.dataSource.getRepository(Tenant);
    if (!(await repo.existsBy({ slug: base }))) return base;
    for (let i = 0; i < 5; i++) {
      const slug = `${base}-${randomBytes(3).toString('hex')}`;
      if (!(await repo.existsBy({ slug }))) return slug;
    }
    throw new AppError(409, 'slug_taken', 'Could not find a free short name for this organisation; try another name');
  }
}
