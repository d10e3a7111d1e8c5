import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { CreateGroupDto, GroupDto, UpdateGroupDto } from './dto/org.dto.js';
import { Group, GroupMember } from './group.entity.js';
import { OrgError } from './org.exception.js';
import { User } from './user.entity.js';

/** Groups of people across departments: candidate groups for tasks, audiences for forms. */
@Injectable()
export class GroupsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  async list(): Promise<GroupDto[]> {
    const tenantId = RequestContext.tenantId();
    const groups = await this.dataSource.getRepository(Group).find({ where: { tenantId }, order: { name: 'ASC' } });
    const members = await this.dataSource.getRepository(GroupMember).findBy({ tenantId });
    return groups.map((group) => toDto(group, members.filter((m) => m.groupId === group.id).map((m) => m.userId)));
  }

  async get(id: string): Promise<GroupDto> {
    const tenantId = RequestContext.tenantId();
    const group = await this.find(this.dataSource.manager, tenantId, id);
    const members = await this.dataSource.getRepository(GroupMember).findBy({ tenantId, groupId: id });
    return toDto(group, members.map((m) => m.userId));
  }

  async create(input: CreateGroupDto): Promise<GroupDto> {
    const tenantId = RequestContext.tenantId();
    const group: Group = { id: randomUUID(), tenantId, name: input.name, description: input.description ?? '', createdAt: new Date() };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Group).insert(group);
      await this.audit.record({ action: 'group.created', targetType: 'group', targetId: group.id, data: { name: group.name } }, manager);
    });
    return toDto(group, []);
  }

  async update(id: string, input: UpdateGroupDto): Promise<GroupDto> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      await this.find(manager, tenantId, id);
      await manager.getRepository(Group).update({ id, tenantId }, input);
      await this.audit.record({ action: 'group.updated', targetType: 'group', targetId: id, data: { fields: Object.keys(input) } }, manager);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const group = await this.find(manager, tenantId, id);
      await manager.getRepository(GroupMember).delete({ tenantId, groupId: id });
      await manager.getRepository(Group).delete({ id, tenantId });
      await this.audit.record({ action: 'group.deleted', targetType: 'group', targetId: id, data: { name: group.name } }, manager);
    });
  }

  /** Replaces the member list; every id must be a user of this tenant. */
  async setMembers(id: string, userIds: string[]): Promise<GroupDto> {
    const tenantId = RequestContext.tenantId();
    const unique = [...new Set(userIds)];
    await this.dataSource.transaction(async (manager) => {
      const group = await this.find(manager, tenantId, id);
      const found = unique.length ? await manager.getRepository(User).find({ where: { tenantId, id: In(unique) }, select: { id: true } }) : [];
      const known = new Set(found.map((u) => u.id));
      const missing = unique.findIndex((userId) => !known.has(userId));
      if (missing >= 0) throw OrgError.invalid(`userIds.${userIds.indexOf(unique[missing])}`, 'No such user');
      await manager.getRepository(GroupMember).delete({ tenantId, groupId: id });
      if (unique.length) await manager.getRepository(GroupMember).insert(unique.map((userId) => ({ groupId: id, userId, tenantId })));
      await this.audit.record({ action: 'group.members_set', targetType: 'group', targetId: id, data: { name: group.name, count: unique.length } }, manager);
    });
    return this.get(id);
  }

  private async find(manager: EntityManager, tenantId: string, id: string): Promise<Group> {
    const group = await manager.getRepository(Group).findOneBy({ id, tenantId });
    if (!group) throw AppError.notFound('The group');
    return group;
  }
}

function toDto(group: Group, memberIds: string[]): GroupDto {
  return { id: group.id, name: group.name, description: group.description, memberIds, createdAt: group.createdAt };
}
