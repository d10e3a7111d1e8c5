import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { insertRows, updateRows } from '../../core/database/entity-writes.js';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AppsService } from '../apps/apps.service.js';
import { AuditService } from '../audit/audit.service.js';
import { compileProcess, type ModelProblem } from '../engine/model/model-builder.js';
import type { ProcessModel } from '../engine/model/process-model.js';
import { Form } from '../forms/form.entity.js';
import { userNames } from '../org/people.js';
import { ServiceTaskRegistry } from '../plugins/service-task-registry.js';
import { ProcessDefinition, ProcessVersion } from './process.entity.js';
import type {
  CreateProcessDto, ProcessDto, ProcessQueryDto, ProcessSummaryDto, ProcessVersionDto, ProcessVersionSummaryDto, UpdateProcessDto,
} from './processes.dto.js';
import { ProcessesException } from './processes.exception.js';

/** Runs inside the deploy transaction: the engine arms timer and message start events of the new version. */
export type DeployedListener = (manager: EntityManager, version: ProcessVersion, model: ProcessModel) => Promise<void>;

const START_FORMS_CACHE_MS = 2000;

export const EMPTY_DIAGRAM = (id: string, name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" name="${name.replace(/[<>&"]/g, '')}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

/** Process definitions: BPMN drafts, validated deployments into immutable versions. */
@Injectable()
export class ProcessesService {
  private readonly deployedListeners: DeployedListener[] = [];
  private readonly startFormsCache = new Map<string, { value: ProcessDefinition[]; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apps: AppsService,
    private readonly audit: AuditService,
    private readonly registry: ServiceTaskRegistry,
  ) {}

  onDeployed(listener: DeployedListener): void {
    this.deployedListeners.push(listener);
  }

  async list(query: ProcessQueryDto): Promise<Page<ProcessSummaryDto>> {
    const tenantId = RequestContext.tenantId();
    const [rows, total] = await this.dataSource.getRepository(ProcessDefinition).findAndCount({
      select: { id: true, appId: true, name: true, bpmnProcessId: true, latestVersion: true, startFormId: true, updatedAt: true },
      where: { tenantId, ...(query.appId ? { appId: query.appId } : {}) }, order: { name: 'ASC', id: 'ASC' }, ...skipTake(query),
    });
    return pageOf(rows.map(toSummary), total, query);
  }

  async get(id: string): Promise<ProcessDto> {
    const definition = await this.find(this.dataSource.manager, RequestContext.tenantId(), id);
    return this.toDto(definition);
  }

  async create(input: CreateProcessDto): Promise<ProcessDto> {
    const actor = RequestContext.requireActor();
    const now = new Date();
    const definition: ProcessDefinition = {
      id: randomUUID(), tenantId: actor.tenantId, appId: input.appId, name: input.name,
      bpmnXml: input.bpmnXml ?? EMPTY_DIAGRAM(`Process_${randomUUID().slice(0, 8)}`, input.name),
      bpmnProcessId: null, startFormId: input.startFormId ?? null, latestVersion: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
    };
    await this.dataSource.transaction(async (manager) => {
      await this.apps.assertExists(manager, actor.tenantId, input.appId, 'appId');
      if (definition.startFormId) await this.assertForm(manager, actor.tenantId, definition.startFormId);
      await insertRows(manager, ProcessDefinition, definition);
      this.startFormsCache.clear();
      await this.audit.record({ action: 'process.created', targetType: 'process', targetId: definition.id, data: { name: definition.name } }, manager);
    });
    return this.toDto(definition);
  }

  async update(id: string, input: UpdateProcessDto): Promise<ProcessDto> {
    const actor = RequestContext.requireActor();
    const definition = await this.dataSource.transaction(async (manager) => {
      const current = await this.find(manager, actor.tenantId, id);
      if (input.startFormId) await this.assertForm(manager, actor.tenantId, input.startFormId);
      const changes: Partial<ProcessDefinition> = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.bpmnXml !== undefined ? { bpmnXml: input.bpmnXml } : {}),
        ...(input.startFormId !== undefined ? { startFormId: input.startFormId } : {}),
        updatedAt: new Date(),
      };
      await updateRows(manager, ProcessDefinition, { id, tenantId: actor.tenantId }, changes);
      this.startFormsCache.clear();
      await this.audit.record({ action: 'process.updated', targetType: 'process', targetId: id, data: { fields: Object.keys(input) } }, manager);
      return { ...current, ...changes };
    });
    return this.toDto(definition);
  }

  /** Checks the draft as the engine will run it; 422 `process_invalid` lists every problem with its element id. */
  async deploy(id: string): Promise<ProcessVersionDto> {
    const actor = RequestContext.requireActor();
    const draft = await this.find(this.dataSource.manager, actor.tenantId, id);
    const compiled = await compileProcess(draft.bpmnXml);
    const problems = [...compiled.problems];
    for (const { elementId, type } of compiled.taskTypes) {
      if (!this.registry.has(type)) problems.push({ elementId, code: 'unknown_task_type', message: `No plugin provides the task type "${type}"` });
    }
    const formIds = [...new Set(compiled.formRefs.map((ref) => ref.formId))];
    const forms = formIds.length === 0 ? [] : await this.dataSource.getRepository(Form).find({
      select: { id: true, publishedVersion: true }, where: { tenantId: actor.tenantId, id: In(formIds.filter(isUuid)) },
    });
    for (const { elementId, formId } of compiled.formRefs) {
      const form = forms.find((candidate) => candidate.id === formId);
      if (!form) problems.push({ elementId, code: 'unknown_form', message: `The task's form "${formId}" does not exist in this organisation` });
      else if (form.publishedVersion === null) problems.push({ elementId, code: 'form_not_published', message: 'The task\'s form has not been published yet' });
    }
    if (problems.length > 0 || !compiled.model) throw invalid(problems);
    const model = compiled.model;
    const version = await this.dataSource.transaction(async (manager) => {
      const current = await this.find(manager, actor.tenantId, id);
      const clash = await manager.findOne(ProcessDefinition, { where: { tenantId: actor.tenantId, bpmnProcessId: model.bpmnProcessId } });
      if (clash && clash.id !== id) {
        throw invalid([{ elementId: model.bpmnProcessId, code: 'process_id_taken', message: `The process "${clash.name}" already uses the id "${model.bpmnProcessId}"; give this process another id` }]);
      }
      const row: ProcessVersion = {
        id: randomUUID(), tenantId: actor.tenantId, processId: id, version: (current.latestVersion ?? 0) + 1, bpmnProcessId: model.bpmnProcessId,
        name: current.name, bpmnXml: draft.bpmnXml, deployedBy: actor.userId, deployedAt: new Date(),
      };
      await insertRows(manager, ProcessVersion, row);
      const changed = await manager.createQueryBuilder().update(ProcessDefinition)
        .set({ latestVersion: row.version, bpmnProcessId: model.bpmnProcessId, updatedAt: new Date() })
        .where('id = :id AND tenantId = :tenantId', { id, tenantId: actor.tenantId })
        .andWhere(current.latestVersion === null ? 'latestVersion IS NULL' : 'latestVersion = :latest', { latest: current.latestVersion })
        .execute();
      if (changed.affected !== 1) throw AppError.conflict('concurrent_deploy', 'Someone deployed this process at the same moment; deploy again');
      for (const listener of this.deployedListeners) await listener(manager, row, model);
      this.startFormsCache.clear();
      await this.audit.record({ action: 'process.deployed', targetType: 'process', targetId: id, data: { version: row.version } }, manager);
      return row;
    });
    return this.versionDto(version, actor.name ?? null);
  }

  async versions(id: string): Promise<ProcessVersionSummaryDto[]> {
    const tenantId = RequestContext.tenantId();
    await this.find(this.dataSource.manager, tenantId, id);
    const rows = await this.dataSource.getRepository(ProcessVersion).find({
      select: { id: true, version: true, bpmnProcessId: true, deployedBy: true, deployedAt: true }, where: { tenantId, processId: id }, order: { version: 'DESC' },
    });
    const names = await userNames(this.dataSource.manager, tenantId, rows.map((row) => row.deployedBy));
    return rows.map((row) => ({
      id: row.id, version: row.version, bpmnProcessId: row.bpmnProcessId, deployedBy: row.deployedBy,
      deployedByName: row.deployedBy ? names.get(row.deployedBy) ?? null : null, deployedAt: row.deployedAt,
    }));
  }

  async getVersion(id: string, version: number): Promise<ProcessVersionDto> {
    const tenantId = RequestContext.tenantId();
    const row = await this.dataSource.getRepository(ProcessVersion).findOneBy({ tenantId, processId: id, version });
    if (!row) throw AppError.notFound('The process version');
    const names = await userNames(this.dataSource.manager, tenantId, [row.deployedBy]);
    return this.versionDto(row, row.deployedBy ? names.get(row.deployedBy) ?? null : null);
  }

  /**
   * Processes a start form starts. Asked on every submission, so the answer is kept for a moment:
   * this process forgets it on any change of a process, other replicas within START_FORMS_CACHE_MS.
   */
  async startedByForm(manager: EntityManager, tenantId: string, formId: string): Promise<ProcessDefinition[]> {
    const key = `${tenantId}:${formId}`;
    const cached = this.startFormsCache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const value = await manager.find(ProcessDefinition, {
      select: { id: true, tenantId: true, name: true, latestVersion: true, startFormId: true }, where: { tenantId, startFormId: formId },
    });
    if (this.startFormsCache.size >= 1000) this.startFormsCache.clear();
    this.startFormsCache.set(key, { value, expiresAt: Date.now() + START_FORMS_CACHE_MS });
    return value;
  }

  private async assertForm(manager: EntityManager, tenantId: string, formId: string): Promise<void> {
    if (!(await manager.existsBy(Form, { id: formId, tenantId }))) {
      throw AppError.validation([{ path: 'startFormId', message: 'The form does not exist' }]);
    }
  }

  private async find(manager: EntityManager, tenantId: string, id: string): Promise<ProcessDefinition> {
    const definition = await manager.findOneBy(ProcessDefinition, { id, tenantId });
    if (!definition) throw AppError.notFound('The process');
    return definition;
  }

  private async toDto(definition: ProcessDefinition): Promise<ProcessDto> {
    const latest = definition.latestVersion === null ? null : await this.dataSource.getRepository(ProcessVersion).findOne({
      select: { bpmnXml: true }, where: { processId: definition.id, version: definition.latestVersion },
    });
    return { ...toSummary(definition), bpmnXml: definition.bpmnXml, hasUndeployedChanges: latest?.bpmnXml !== definition.bpmnXml, createdAt: definition.createdAt };
  }

  private versionDto(row: ProcessVersion, deployedByName: string | null): ProcessVersionDto {
    return {
      id: row.id, processId: row.processId, version: row.version, bpmnProcessId: row.bpmnProcessId, bpmnXml: row.bpmnXml,
      deployedBy: row.deployedBy, deployedByName, deployedAt: row.deployedAt,
    };
  }

}

function toSummary(definition: ProcessDefinition): ProcessSummaryDto {
  return {
    id: definition.id, appId: definition.appId, name: definition.name, bpmnProcessId: definition.bpmnProcessId,
    latestVersion: definition.latestVersion, startFormId: definition.startFormId, updatedAt: definition.updatedAt,
  };
}

function invalid(problems: ModelProblem[]): ProcessesException {
  const count = problems.length;
  return new ProcessesException(422, 'process_invalid', `The process cannot be deployed: ${count} problem${count === 1 ? '' : 's'} to fix`,
    problems.map((problem) => ({ path: problem.elementId ?? '', message: problem.message, code: problem.code })));
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
