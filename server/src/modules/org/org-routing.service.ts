import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Department } from './department.entity.js';
import { GroupMember } from './group.entity.js';
import { User } from './user.entity.js';

/**
 * What approval routing asks of the org chart: a user's manager N levels up, the head of a department
 * (walking up to the nearest department that has one), and a group's active members.
 * Every answer is limited to active users of the given tenant.
 */
@Injectable()
export class OrgRoutingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The manager `levels` steps up the chain (1 = direct manager), skipping nobody; null when the chain ends first. */
  async managerOf(tenantId: string, userId: string, levels = 1, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    const users = manager.getRepository(User);
    let current = await users.findOneBy({ id: userId, tenantId });
    const seen = new Set<string>([userId]);
    for (let step = 0; step < levels && current; step++) {
      if (!current.managerId || seen.has(current.managerId)) return null;
      seen.add(current.managerId);
      current = await users.findOneBy({ id: current.managerId, tenantId });
    }
    return current && current.active ? current : null;
  }

  /** The head of the department, or of its nearest ancestor that has an active head. */
  async headOf(tenantId: string, departmentId: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    const departments = manager.getRepository(Department);
    const seen = new Set<string>();
    for (let id: string | null = departmentId; id && !seen.has(id); ) {
      seen.add(id);
      const department: Department | null = await departments.findOneBy({ id, tenantId });
      if (!department) return null;
      if (department.headId) {
        const head = await manager.getRepository(User).findOneBy({ id: department.headId, tenantId, active: true });
        if (head) return head;
      }
      id = department.parentId;
    }
    return null;
  }

  /** The department a user belongs to, or null. */
  async departmentOf(tenantId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const user = await manager.getRepository(User).findOne({ select: { departmentId: true }, where: { id: userId, tenantId } });
    return user?.departmentId ?? null;
  }

  async groupMembers(tenantId: string, groupId: string): Promise<User[]> {
    const members = await this.dataSource.getRepository(GroupMember).findBy({ tenantId, groupId });
    if (!members.length) return [];
    return this.dataSource.getRepository(User).createQueryBuilder('u')
      .where('u.tenantId = :tenantId AND u.active = :active', { tenantId, active: true })
      .andWhereInIds(members.map((m) => m.userId)).orderBy('u.name').getMany();
  }
}
