import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { Department } from './department.entity.js';
import { CreateDepartmentDto, UpdateDepartmentDto } from './dto/org.dto.js';
import { OrgError } from './org.exception.js';
import { User } from './user.entity.js';

/** The department tree: each department has a parent (or none) and a head. */
@Injectable()
export class DepartmentsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  list(): Promise<Department[]> {
    return this.dataSource.getRepository(Department).find({ where: { tenantId: RequestContext.tenantId() }, order: { name: 'ASC' } });
  }

  async create(input: CreateDepartmentDto): Promise<Department> {
    const tenantId = RequestContext.tenantId();
    return this.dataSource.transaction(async (manager) => {
      const department = await this.insert(manager, tenantId, input);
      await this.audit.record({ action: 'department.created', targetType: 'department', targetId: department.id, data: { name: department.name } }, manager);
      return department;
    });
  }

  async insert(manager: EntityManager, tenantId: string, input: CreateDepartmentDto): Promise<Department> {
    if (input.parentId) await this.find(manager, tenantId, input.parentId, 'parentId');
    if (input.headId) await this.assertUser(manager, tenantId, input.headId);
    const department = manager.getRepository(Department).create({
      id: randomUUID(), tenantId, name: input.name, parentId: input.parentId ?? null, headId: input.headId ?? null, createdAt: new Date(),
    });
    await manager.getRepository(Department).insert(department);
    return department;
  }

  async update(id: string, input: UpdateDepartmentDto): Promise<Department> {
    const tenantId = RequestContext.tenantId();
    return this.dataSource.transaction(async (manager) => {
      const department = await this.get(manager, tenantId, id);
      if (input.parentId) await this.assertNoCycle(manager, tenantId, id, input.parentId);
      if (input.headId) await this.assertUser(manager, tenantId, input.headId);
      const changes: Partial<Department> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.parentId !== undefined) changes.parentId = input.parentId;
      if (input.headId !== undefined) changes.headId = input.headId;
      await manager.getRepository(Department).update({ id, tenantId }, changes);
      await this.audit.record({ action: 'department.updated', targetType: 'department', targetId: id, data: { fields: Object.keys(changes) } }, manager);
      return { ...department, ...changes };
    });
  }

  async remove(id: string): Promise<void> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const department = await this.get(manager, tenantId, id);
      const children = await manager.getRepository(Department).countBy({ tenantId, parentId: id });
      const members = await manager.getRepository(User).countBy({ tenantId, departmentId: id });
      if (children > 0 || members > 0) throw OrgError.departmentNotEmpty();
      await manager.getRepository(Department).delete({ id, tenantId });
      await this.audit.record({ action: 'department.deleted', targetType: 'department', targetId: id, data: { name: department.name } }, manager);
    });
  }

  private async get(manager: EntityManager, tenantId: string, id: string): Promise<Department> {
    const department = await manager.getRepository(Department).findOneBy({ id, tenantId });
    if (!department) throw AppError.notFound('The department');
    return department;
  }

  private async find(manager: EntityManager, tenantId: string, id: string, path: string): Promise<Department> {
    const department = await manager.getRepository(Department).findOneBy({ id, tenantId });
    if (!department) throw OrgError.invalid(path, 'No such department');
    return department;
  }

  private async assertUser(manager: EntityManager, tenantId: string, id: string): Promise<void> {
    if (!(await manager.getRepository(User).existsBy({ id, tenantId }))) throw OrgError.invalid('headId', 'No such user');
  }

  /** A department cannot move under itself or one of its own sub-departments. */
  private async assertNoCycle(manager: EntityManager, tenantId: string, id: string, parentId: string): Promise<void> {
    const seen = new Set<string>();
    for (let current: string | null = parentId; current; ) {
      if (current === id) throw OrgError.invalid('parentId', 'A department cannot be placed under itself or its own sub-department');
      if (seen.has(current)) break;
      seen.add(current);
      current = (await this.find(manager, tenantId, current, 'parentId')).parentId;
    }
  }
}
