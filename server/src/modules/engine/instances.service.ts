import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { hasRole } from '../../core/auth/roles.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { candidateGroupsOf, userNames } from '../org/people.js';
import { ProcessCatalog } from '../processes/process-catalog.js';
import { ProcessDefinition } from '../processes/process.entity.js';
import {
  ElementInstanceRow, HistoryEntry, Incident, ProcessInstance, UserTask, type Variables,
} from './engine.entities.js';
import type {
  CorrelationResultDto, HistoryEntryDto, IncidentDto, IncidentQueryDto, InstanceDetailDto, InstanceDto, InstanceQueryDto,
} from './engine.dto.js';
import { EngineService } from './engine.service.js';
import { isCandidate, isCopied } from './task-candidates.js';

/** The instances API: start, list, read, cancel, history, messages, incidents — who may see what is decided here. */
@Injectable()
export class InstancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: EngineService,
    private readonly audit: AuditService,
    private readonly catalog: ProcessCatalog,
  ) {}

  async start(processId: string, variables: Variables, businessKey: string | null, version?: number): Promise<InstanceDto> {
    const actor = RequestContext.requireActor();
    const instance = await this.engine.start({ tenantId: actor.tenantId, processId, version, variables, businessKey, startedBy: actor.userId }, {
      write: (manager, started) => this.audit.record({ action: 'instance.started', targetType: 'instance', targetId: started.id, data: { processId, version: started.version } }, manager),
    });
    const deployed = await this.catalog.versionById(this.dataSource.manager, actor.tenantId, instance.processVersionId);
    return toInstanceDto(instance, deployed.name);
  }

  async list(query: InstanceQueryDto): Promise<Page<InstanceDto>> {
    const actor = RequestContext.requireActor();
    const qb = this.dataSource.getRepository(ProcessInstance).createQueryBuilder('i').where('i.tenantId = :tenantId', { tenantId: actor.tenantId });
    if (query.processId) qb.andWhere('i.processId = :processId', { processId: query.processId });
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.scope === 'mine' || !seesAll(actor)) {
      qb.andWhere('(i.startedBy = :me OR i.id IN (SELECT "t"."instanceId" FROM "user_task" "t" WHERE "t"."tenantId" = :tenantId AND ("t"."assignee" = :me OR "t"."completedBy" = :me)))', { me: actor.userId });
      if (query.scope === 'mine') qb.andWhere('i.startedBy = :me', { me: actor.userId });
    }
    const { skip, take } = skipTake(query);
    const [rows, total] = await qb.orderBy('i.createdAt', 'DESC').addOrderBy('i.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return pageOf(await this.toDtos(rows), total, query);
  }

  async get(id: string): Promise<InstanceDetailDto> {
    const instance = await this.visible(id);
    const [elements, incidents] = await Promise.all([
      this.dataSource.getRepository(ElementInstanceRow).find({ where: { instanceId: id }, order: { startedAt: 'ASC' } }),
      this.dataSource.getRepository(Incident).find({ where: { instanceId: id }, order: { createdAt: 'DESC' } }),
    ]);
    return {
      ...(await this.toDtos([instance]))[0],
      bpmnProcessId: instance.bpmnProcessId,
      activeElements: elements.map((element) => ({
        elementInstanceId: element.id, elementId: element.elementId, state: element.state, startedAt: element.startedAt,
      })),
      incidents: incidents.map(toIncidentDto),
    };
  }

  async history(id: string): Promise<HistoryEntryDto[]> {
    const instance = await this.visible(id);
    const entries = await this.dataSource.getRepository(HistoryEntry).find({ where: { instanceId: instance.id }, order: { seq: 'ASC' } });
    const names = await userNames(this.dataSource.manager, instance.tenantId, entries.flatMap((entry) => [entry.actor, entry.target]));
    return entries.map((entry) => ({
      elementId: entry.elementId, elementType: entry.elementType, name: entry.name, status: entry.status, startedAt: entry.startedAt, endedAt: entry.endedAt,
      actor: entry.actor, actorName: entry.actor ? names.get(entry.actor) ?? null : null, outcome: entry.outcome, comment: entry.comment,
      target: entry.target, targetName: entry.target ? names.get(entry.target) ?? null : null,
    }));
  }

  async cancel(id: string, reason: string | undefined): Promise<void> {
    const actor = RequestContext.requireActor();
    const instance = await this.visible(id);
    if (!hasRole(actor.roles, 'admin')) throw AppError.forbidden('Only administrators may cancel a process instance');
    await this.engine.cancel(actor.tenantId, instance.id, actor.userId, reason ?? 'cancelled by an administrator');
    await this.audit.record({ action: 'instance.canceled', targetType: 'instance', targetId: id, data: { reason: reason ?? null } });
  }

  async setVariables(id: string, variables: Variables): Promise<InstanceDetailDto> {
    const actor = RequestContext.requireActor();
    const instance = await this.visible(id);
    await this.engine.setVariables(actor.tenantId, instance.id, variables, actor.userId);
    await this.audit.record({ action: 'instance.variables_set', targetType: 'instance', targetId: id, data: { names: Object.keys(variables) } });
    return this.get(id);
  }

  /** 撤回: the initiator takes the request back while no approver has acted on it yet. */
  async withdraw(id: string, comment: string | null): Promise<void> {
    const actor = RequestContext.requireActor();
    const instance = await this.visible(id);
    if (instance.startedBy !== actor.userId) throw AppError.forbidden('Only the person who started the request can withdraw it');
    if (instance.status !== 'active' && instance.status !== 'incident') throw AppError.conflict('instance_ended', 'The request has already ended');
    const acted = await this.dataSource.getRepository(HistoryEntry).createQueryBuilder('h')
      .where('h.instanceId = :id AND h.elementType = :userTask AND h.actor IS NOT NULL AND h.actor <> :me', { id, userTask: 'userTask', me: actor.userId })
      .getExists();
    if (acted) throw AppError.conflict('withdraw_not_allowed', 'An approver has already acted on this request, so it can no longer be withdrawn');
    await this.engine.withdraw(actor.tenantId, id, actor.userId, comment);
    await this.audit.record({ action: 'instance.withdrawn', targetType: 'instance', targetId: id, data: {} });
  }

  async correlate(name: string, correlationKey: string | null, variables: Variables): Promise<CorrelationResultDto> {
    const actor = RequestContext.requireActor();
    const result = await this.engine.correlateMessage(actor.tenantId, name, correlationKey, variables);
    await this.audit.record({ action: 'message.correlated', targetType: 'instance', targetId: result.instanceId, data: { name, correlationKey } });
    return result;
  }

  async incidents(query: IncidentQueryDto): Promise<Page<IncidentDto>> {
    const tenantId = RequestContext.tenantId();
    const [rows, total] = await this.dataSource.getRepository(Incident).findAndCount({
      where: { tenantId, ...(query.status ? { status: query.status } : {}), ...(query.instanceId ? { instanceId: query.instanceId } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' }, ...skipTake(query),
    });
    return pageOf(rows.map(toIncidentDto), total, query);
  }

  async retryIncident(id: string): Promise<void> {
    const actor = RequestContext.requireActor();
    const incident = await this.dataSource.getRepository(Incident).findOneBy({ id, tenantId: actor.tenantId });
    if (!incident) throw AppError.notFound('The incident');
    if (incident.status !== 'open') throw AppError.conflict('incident_resolved', 'The incident has already been resolved');
    await this.engine.retry(actor.tenantId, incident.instanceId, incident.elementInstanceId, actor.userId);
    await this.audit.record({ action: 'incident.retried', targetType: 'incident', targetId: id, data: { instanceId: incident.instanceId } });
  }

  /** An instance the actor may see: admins and designers see all; others what they started or work on. */
  private async visible(id: string): Promise<ProcessInstance> {
    const actor = RequestContext.requireActor();
    const instance = await this.dataSource.getRepository(ProcessInstance).findOneBy({ id, tenantId: actor.tenantId });
    if (!instance) throw AppError.notFound('The process instance');
    if (seesAll(actor) || instance.startedBy === actor.userId) return instance;
    const tasks = await this.dataSource.getRepository(UserTask).find({
      select: { assignee: true, completedBy: true, candidateUsers: true, candidateGroups: true, ccUsers: true, ccGroups: true, status: true },
      where: { instanceId: id },
    });
    const needsGroups = tasks.some((task) => (task.status === 'open' && task.candidateGroups.length > 0) || task.ccGroups.length > 0);
    const groups = needsGroups ? await candidateGroupsOf(this.dataSource.manager, actor) : [];
    // People who work or worked on it, candidates of an open task (so they can read the request before
    // claiming it), and the people it was copied to (抄送, read-only: changing it asks for more).
    const involved = tasks.some((task) => task.assignee === actor.userId || task.completedBy === actor.userId
      || (task.status === 'open' && !task.assignee && isCandidate(task, actor.userId, groups)) || isCopied(task, actor.userId, groups));
    if (!involved) throw AppError.notFound('The process instance');
    return instance;
  }

  private async toDtos(rows: ProcessInstance[]): Promise<InstanceDto[]> {
    if (rows.length === 0) return [];
    const processes = await this.dataSource.getRepository(ProcessDefinition).find({
      select: { id: true, name: true }, where: { tenantId: rows[0].tenantId, id: In([...new Set(rows.map((row) => row.processId))]) },
    });
    const names = new Map(processes.map((process) => [process.id, process.name]));
    return rows.map((row) => toInstanceDto(row, names.get(row.processId) ?? ''));
  }

}

function seesAll(actor: Actor): boolean {
  return hasRole(actor.roles, 'designer') || actor.kind !== 'user';
}

function toInstanceDto(row: ProcessInstance, processName: string): InstanceDto {
  return {
    id: row.id, processId: row.processId, processName, version: row.version, status: row.status,
    variables: row.variables, businessKey: row.businessKey, startedBy: row.startedBy, recordId: row.recordId,
    parentInstanceId: row.parentInstanceId, createdAt: row.createdAt, endedAt: row.endedAt,
  };
}

export function toIncidentDto(incident: Incident): IncidentDto {
  return {
    id: incident.id, instanceId: incident.instanceId, elementId: incident.elementId, kind: incident.kind, message: incident.message,
    status: incident.status, createdAt: incident.createdAt, resolvedAt: incident.resolvedAt,
  };
}
