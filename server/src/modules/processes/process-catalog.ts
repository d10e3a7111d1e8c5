import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { RowStatements } from '../../core/database/row-statements.js';
import { compileProcess } from '../engine/model/model-builder.js';
import type { ProcessModel } from '../engine/model/process-model.js';
import { ProcessDefinition, ProcessVersion } from './process.entity.js';
import { ProcessesException } from './processes.exception.js';

export interface DeployedVersion {
  id: string;
  tenantId: string;
  processId: string;
  version: number;
  bpmnProcessId: string;
  name: string;
  model: ProcessModel;
}

const CACHE_SIZE = 500;

/**
 * Deployed versions, compiled once and kept: versions never change, so the parsed BPMN and every
 * FEEL expression in it are shared by all instances of a version (least recently used dropped first).
 */
@Injectable()
export class ProcessCatalog {
  private readonly cache = new Map<string, Promise<DeployedVersion>>();
  private readonly versionIds = new Map<string, string>();
  private definitionRows: RowStatements<ProcessDefinition> | undefined;
  private versionRows: RowStatements<ProcessVersion> | undefined;

  private definitions(manager: EntityManager): RowStatements<ProcessDefinition> {
    this.definitionRows ??= new RowStatements(manager.connection, ProcessDefinition);
    return this.definitionRows;
  }

  private versions(manager: EntityManager): RowStatements<ProcessVersion> {
    this.versionRows ??= new RowStatements(manager.connection, ProcessVersion);
    return this.versionRows;
  }

  async versionById(manager: EntityManager, tenantId: string, versionId: string): Promise<DeployedVersion> {
    const cached = this.cache.get(versionId);
    if (cached) {
      this.cache.delete(versionId);
      this.cache.set(versionId, cached);
      const version = await cached;
      if (version.tenantId !== tenantId) throw AppError.notFound('The process version');
      return version;
    }
    const row = await manager.findOneBy(ProcessVersion, { id: versionId, tenantId });
    if (!row) throw AppError.notFound('The process version');
    return this.remember(row);
  }

  /** The version a new instance starts on: the named one, or the latest. */
  async versionToStart(manager: EntityManager, tenantId: string, processId: string, version?: number): Promise<DeployedVersion> {
    // Two plain lookups on every start: TypeORM's query builder would cost more than the start itself.
    const [definition] = await this.definitions(manager).pick(manager, ['id', 'latestVersion'], '"id" = ? AND "tenantId" = ?', [processId, tenantId]);
    if (!definition) throw AppError.notFound('The process');
    if (definition.latestVersion === null) throw new ProcessesException(409, 'process_not_deployed', 'Deploy the process before starting it');
    const wanted = version ?? definition.latestVersion;
    const key = `${processId}:${wanted}`;
    let versionId = this.versionIds.get(key);
    if (!versionId) {
      const [row] = await this.versions(manager).pick(manager, ['id'], '"processId" = ? AND "tenantId" = ? AND "version" = ?', [processId, tenantId, wanted]);
      if (!row) throw new ProcessesException(404, 'version_not_found', `The process has no version ${wanted}`);
      versionId = row.id;
      // (process, number) → version never changes once deployed.
      if (this.versionIds.size > CACHE_SIZE * 4) this.versionIds.clear();
      this.versionIds.set(key, versionId);
    }
    return this.versionById(manager, tenantId, versionId);
  }

  /** The latest deployed version with this BPMN process id (call activities name processes so). */
  async latestByBpmnProcessId(manager: EntityManager, tenantId: string, bpmnProcessId: string): Promise<DeployedVersion | null> {
    const definition = await manager.findOne(ProcessDefinition, { where: { tenantId, bpmnProcessId }, order: { updatedAt: 'DESC' } });
    if (!definition?.latestVersion) return null;
    const row = await manager.findOneBy(ProcessVersion, { processId: definition.id, tenantId, version: definition.latestVersion });
    return row ? this.versionById(manager, tenantId, row.id) : null;
  }

  async isLatest(manager: EntityManager, version: DeployedVersion): Promise<boolean> {
    const definition = await manager.findOneBy(ProcessDefinition, { id: version.processId, tenantId: version.tenantId });
    return definition?.latestVersion === version.version;
  }

  private remember(row: ProcessVersion): Promise<DeployedVersion> {
    const compiled = compileProcess(row.bpmnXml).then((result) => {
      if (!result.model) throw new Error(`Deployed version ${row.id} no longer compiles: ${result.problems.map((p) => p.message).join('; ')}`);
      return {
        id: row.id, tenantId: row.tenantId, processId: row.processId, version: row.version, bpmnProcessId: row.bpmnProcessId, name: row.name, model: result.model,
      };
    });
    compiled.catch(() => this.cache.delete(row.id));
    this.cache.set(row.id, compiled);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return compiled;
  }
}
