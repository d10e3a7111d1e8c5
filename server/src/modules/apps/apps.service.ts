import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, type PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { Form } from '../forms/form.entity.js';
import { App } from './app.entity.js';
import type { AppDto, CreateAppDto, UpdateAppDto } from './apps.dto.js';

/** Apps: named groups of forms, processes and dashboards. */
@Injectable()
export class AppsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  async list(query: PageQueryDto): Promise<Page<AppDto>> {
    const tenantId = RequestContext.tenantId();
    const [apps, total] = await this.dataSource.getRepository(App).findAndCount({ where: { tenantId }, order: { name: 'ASC', id: 'ASC' }, ...skipTake(query) });
    const counts = apps.length
      ? await this.dataSource.getRepository(Form).createQueryBuilder('f').select('f.appId', 'appId').addSelect('COUNT(*)', 'count')
        .where('f.tenantId = :tenantId AND f.appId IN (:...ids)', { tenantId, ids: apps.map((a) => a.id) }).groupBy('f.appId').getRawMany<{ appId: string; count: string | number }>()
      : [];
    const byApp = new Map(counts.map((c) => [c.appId, Number(c.count)]));
    return pageOf(apps.map((app) => toDto(app, byApp.get(app.id) ?? 0)), total, query);
  }

  async get(id: string): Promise<AppDto> {
    const tenantId = RequestContext.tenantId();
    const app = await this.find(this.dataSource.manager, tenantId, id);
    return toDto(app, await this.dataSource.getRepository(Form).countBy({ tenantId, appId: id }));
  }

  async create(input: CreateAppDto): Promise<AppDto> {
    const actor = RequestContext.requireActor();
    const now = new Date();
    const app: App = {
      id: randomUUID(), tenantId: actor.tenantId, name: input.name, description: input.description ?? '', icon: input.icon ?? 'mdiApps',
      createdBy: actor.userId, createdAt: now, updatedAt: now,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(App).insert(app);
      await this.audit.record({ action: 'app.created', targetType: 'app', targetId: app.id, data: { name: app.name } }, manager);
    });
    return toDto(app, 0);
  }

  async update(id: string, input: UpdateAppDto): Promise<AppDto> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      await this.find(manager, tenantId, id);
      await manager.getRepository(App).update({ id, tenantId }, { ...input, updatedAt: new Date() });
      await this.audit.record({ action: 'app.updated', targetType: 'app', targetId: id, data: { fields: Object.keys(input) } }, manager);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const app = await this.find(manager, tenantId, id);
      if (await manager.getRepository(Form).existsBy({ tenantId, appId: id })) {
        throw new AppError(409, 'app_not_empty', 'Delete or move the forms of this app first');
      }
      await manager.getRepository(App).delete({ id, tenantId });
      await this.audit.record({ action: 'app.deleted', targetType: 'app', targetId: id, data: { name: app.name } }, manager);
    });
  }

  /** For other modules: the app exists in this tenant, or 422 on the given field. */
  async assertExists(manager: EntityManager, tenantId: string, id: string, path: string): Promise<void> {
    if (!(await manager.getRepository(App).existsBy({ id, tenantId }))) throw AppError.validation([{ path, message: 'No such app' }]);
  }

  private async find(manager: EntityManager, tenantId: string, id: string): Promise<App> {
    const app = await manager.getRepository(App).findOneBy({ id, tenantId });
    if (!app) throw AppError.notFound('The app');
    return app;
  }
}

function toDto(app: App, formCount: number): AppDto {
  return { id: app.id, name: app.name, description: app.description, icon: app.icon, formCount, createdAt: app.createdAt, updatedAt: app.updatedAt };
}
