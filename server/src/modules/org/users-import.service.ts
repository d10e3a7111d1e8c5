import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { DataSource, EntityManager, In } from 'typeorm';
import { type ErrorDetail } from '../../core/errors/app-error.js';
import { RequestContext, ROLES, type Role } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { Department } from './department.entity.js';
import { DepartmentsService } from './departments.service.js';
import { OrgError } from './org.exception.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

const MAX_ROWS = 5000;
const COLUMNS = ['email', 'name', 'roles', 'department', 'manager', 'password'] as const;

interface Row {
  email: string;
  name: string;
  roles: Role[];
  department: string[];
  manager: string;
  password: string;
}

/**
 * Imports people from CSV: every row is checked first, and one bad row means nothing is written,
 * with an error per row and column. Departments are given as paths (`Engineering/Platform`) and
 * created when missing; managers are emails of existing users or of rows in the same file.
 */
@Injectable()
export class UsersImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly departments: DepartmentsService,
    private readonly audit: AuditService,
  ) {}

  async import(csv: string): Promise<{ created: Array<{ user: User; inviteUrl?: string }> }> {
    const tenantId = RequestContext.tenantId();
    const rows = this.parse(csv);
    const errors: ErrorDetail[] = [];
    const existing = await this.dataSource.getRepository(User).find({ where: { tenantId, email: In(rows.map((r) => r.email)) }, select: { email: true } });
    const taken = new Set(existing.map((u) => u.email));
    const inFile = new Map<string, number>();
    rows.forEach((row, i) => {
      const at = (field: string) => `rows[${i + 1}].${field}`;
      if (!isEmail(row.email)) errors.push({ path: at('email'), message: 'is not an email address' });
      else if (taken.has(row.email)) errors.push({ path: at('email'), message: 'a user with this email already exists' });
      else if (inFile.has(row.email)) errors.push({ path: at('email'), message: `repeats row ${inFile.get(row.email)}` });
      inFile.set(row.email, i + 1);
      if (!row.name) errors.push({ path: at('name'), message: 'is required' });
      if (row.name.length > 200) errors.push({ path: at('name'), message: 'is longer than 200 characters' });
      const badRole = row.roles.find((role) => !ROLES.includes(role));
      if (badRole) errors.push({ path: at('roles'), message: `"${badRole}" is not one of ${ROLES.join(', ')}` });
      if (row.roles.includes('owner') && !RequestContext.requireActor().roles.includes('owner')) errors.push({ path: at('roles'), message: 'only an owner can give the owner role' });
      if (row.password && row.password.length < 8) errors.push({ path: at('password'), message: 'must have at least 8 characters' });
      if (row.department.some((part) => part.length > 200)) errors.push({ path: at('department'), message: 'a department name is longer than 200 characters' });
    });
    const managerEmails = [...new Set(rows.map((r) => r.manager).filter(Boolean))];
    const managers = managerEmails.length
      ? await this.dataSource.getRepository(User).find({ where: { tenantId, email: In(managerEmails) }, select: { id: true, email: true } })
      : [];
    const managerIds = new Map(managers.map((m) => [m.email, m.id]));
    rows.forEach((row, i) => {
      if (row.manager && !managerIds.has(row.manager) && !inFile.has(row.manager)) errors.push({ path: `rows[${i + 1}].manager`, message: 'no user or row has this email' });
      if (row.manager && row.manager === row.email) errors.push({ path: `rows[${i + 1}].manager`, message: 'a person cannot be their own manager' });
    });
    if (errors.length) throw OrgError.importFailed(errors);

    const created = await this.dataSource.transaction(async (manager) => {
      const departmentIds = await this.ensureDepartments(manager, tenantId, rows.map((r) => r.department));
      const results: Array<{ user: User; inviteUrl?: string }> = [];
      for (const row of rows) {
        const result = await this.users.insert(manager, tenantId, {
          email: row.email, name: row.name, roles: row.roles, password: row.password || undefined,
          departmentId: row.department.length ? departmentIds.get(row.department.join('/')) : null,
          managerId: managerIds.get(row.manager) ?? null,
        });
        managerIds.set(row.email, result.user.id);
        results.push(result);
      }
      // Managers named by a later row of the file are known only now.
      for (const [i, row] of rows.entries()) {
        if (row.manager && !results[i].user.managerId) {
          const managerId = managerIds.get(row.manager)!;
          await manager.getRepository(User).update({ id: results[i].user.id, tenantId }, { managerId });
          results[i].user.managerId = managerId;
        }
      }
      await this.audit.record({ action: 'user.imported', targetType: 'user', data: { count: results.length } }, manager);
      return results;
    });
    return { created };
  }

  private parse(csv: string): Row[] {
    let records: Record<string, string>[];
    try {
      records = parse(csv, {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true, trim: true, bom: true, relax_column_count: false, to: MAX_ROWS + 1,
      });
    } catch (error) {
      throw OrgError.invalid('csv', `The CSV could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!records.length) throw OrgError.invalid('csv', 'The CSV has no rows under its header');
    if (records.length > MAX_ROWS) throw OrgError.invalid('csv', `At most ${MAX_ROWS} rows can be imported at once`);
    const header = Object.keys(records[0]);
    const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
    if (unknown.length) throw OrgError.invalid('csv', `Unknown column(s): ${unknown.join(', ')}. Use ${COLUMNS.join(', ')}`);
    for (const required of ['email', 'name']) {
      if (!header.includes(required)) throw OrgError.invalid('csv', `The column "${required}" is missing`);
    }
    return records.map((r) => ({
      email: (r.email ?? '').toLowerCase(),
      name: r.name ?? '',
      roles: (r.roles ? r.roles.split('|').map((s) => s.trim()).filter(Boolean) : ['member']) as Role[],
      department: (r.department ?? '').split('/').map((s) => s.trim()).filter(Boolean),
      manager: (r.manager ?? '').toLowerCase(),
      password: r.password ?? '',
    }));
  }

  /** Finds or creates each department path; returns path → id. */
  private async ensureDepartments(manager: EntityManager, tenantId: string, paths: string[][]): Promise<Map<string, string>> {
    const all = await manager.getRepository(Department).findBy({ tenantId });
    const byParentAndName = new Map(all.map((d) => [`${d.parentId ?? ''}\u0000${d.name}`, d.id]));
    const ids = new Map<string, string>();
    for (const path of paths) {
      let parentId: string | null = null;
      for (let depth = 0; depth < path.length; depth++) {
        const key = `${parentId ?? ''}\u0000${path[depth]}`;
        let id = byParentAndName.get(key);
        if (!id) {
          id = (await this.departments.insert(manager, tenantId, { name: path[depth], parentId })).id;
          byParentAndName.set(key, id);
        }
        ids.set(path.slice(0, depth + 1).join('/'), id);
        parentId = id;
      }
    }
    return ids;
  }
}
