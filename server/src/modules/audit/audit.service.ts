import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { RowStatements } from '../../core/database/row-statements.js';
import { PageQueryDto, type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import type { AuditAction, AuditTarget } from './audit-actions.js';
import { AuditEvent } from './audit-event.entity.js';
import { newId } from '../../core/database/new-id.js';

export interface AuditEntry {
  action: AuditAction;
  targetType: AuditTarget;
  targetId?: string | null;
  data?: Record<string, unknown>;
  /** Defaults to the current actor; sign-in failures and sign-ups name it explicitly. */
  actor?: Pick<Actor, 'tenantId' | 'userId' | 'kind'>;
  /** An anonymous submission: neither who nor from which address is recorded. */
  anonymous?: boolean;
}

/** Who did what, when, to which object. Written in the same transaction as the change when one is given. */
@Injectable()
export class AuditService {
  /** One plain prepared INSERT: the audit entry rides along with nearly every write. */
  private readonly rows: RowStatements<AuditEvent>;

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {
    this.rows = new RowStatements(events.manager.connection, AuditEvent);
  }

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const actor = entry.actor ?? RequestContext.requireActor();
    const event: AuditEvent = {
      id: newId(),
      tenantId: actor.tenantId,
      actorId: entry.anonymous ? null : actor.userId,
      actorKind: entry.anonymous ? 'anonymous' : actor.kind,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      data: entry.data ?? {},
      ip: entry.anonymous ? null : RequestContext.meta().ip ?? null,
      createdAt: new Date(),
    };
    await this.rows.insert(manager ?? this.events.manager, [event]);
  }

  async list(query: PageQueryDto & { action?: AuditAction }): Promise<Page<AuditEvent>> {
    const where = { tenantId: RequestContext.tenantId(), ...(query.action ? { action: query.action } : {}) };
    const [items, total] = await this.events.findAndCount({ where, order: { createdAt: 'DESC' }, ...skipTake(query) });
    return pageOf(items, total, query);
  }
}
