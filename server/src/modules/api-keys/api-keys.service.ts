import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { randomToken, sha256 } from '../../core/auth/tokens.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiKey } from './api-key.entity.js';
import { CreateApiKeyDto } from './api-keys.dto.js';

export const API_KEY_PREFIX = 'opk_';

/** API keys for integrations: shown once, stored as a hash, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: PageQueryDto): Promise<Page<ApiKey>> {
    const [items, total] = await this.keys.findAndCount({ where: { tenantId: RequestContext.tenantId() }, order: { createdAt: 'DESC' }, ...skipTake(query) });
    return pageOf(items, total, query);
  }

  async create(input: CreateApiKeyDto): Promise<{ apiKey: ApiKey; key: string }> {
    const actor = RequestContext.requireActor();
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw AppError.validation([{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const key = `${API_KEY_PREFIX}${randomToken()}`;
    const apiKey: ApiKey = {
      id: randomUUID(), tenantId: actor.tenantId, name: input.name, prefix: key.slice(0, 12), secretHash: sha256(key),
      scopes: [...new Set(input.scopes)], createdBy: actor.userId, createdAt: new Date(), expiresAt: input.expiresAt ?? null,
      lastUsedAt: null, revokedAt: null,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ApiKey).insert(apiKey);
      await this.audit.record({ action: 'api_key.created', targetType: 'api_key', targetId: apiKey.id, data: { name: apiKey.name, scopes: apiKey.scopes } }, manager);
    });
    return { apiKey, key };
  }

  async revoke(id: string): Promise<void> {
    const tenantId = RequestContext.tenantId();
    await this.dataSource.transaction(async (manager) => {
      const apiKey = await manager.getRepository(ApiKey).findOneBy({ id, tenantId });
      if (!apiKey) throw AppError.notFound('The API key');
      if (apiKey.revokedAt) return;
      await manager.getRepository(ApiKey).update({ id, tenantId }, { revokedAt: new Date() });
      await this.audit.record({ action: 'api_key.revoked', targetType: 'api_key', targetId: id, data: { name: apiKey.name } }, manager);
    });
  }

  /** The live key behind a bearer token, or null (unknown, revoked or expired). */
  async authenticate(token: string): Promise<ApiKey | null> {
    if (!token.startsWith(API_KEY_PREFIX)) return null;
    const apiKey = await this.keys.findOneBy({ secretHash: sha256(token) });
    if (!apiKey || apiKey.revokedAt || (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now())) return null;
    const now = new Date();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > 60_000) {
      await this.keys.update({ id: apiKey.id }, { lastUsedAt: now });
    }
    return apiKey;
  }
}
