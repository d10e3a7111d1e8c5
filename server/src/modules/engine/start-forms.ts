import { Injectable, type OnModuleInit } from '@nestjs/common';
import { updateRows } from '../../core/database/entity-writes.js';
import { ProcessesService } from '../processes/processes.service.js';
import { FormRecord } from '../records/record.entity.js';
import { RecordsService } from '../records/records.service.js';
import { EngineService } from './engine.service.js';

/**
 * A process may name a start form: each submission of that form starts an instance in the same
 * transaction, with the answers as variables plus `initiator` (the submitter, null when anonymous)
 * and `recordId`; the record keeps the instance id.
 */
@Injectable()
export class StartForms implements OnModuleInit {
  constructor(private readonly records: RecordsService, private readonly processes: ProcessesService, private readonly engine: EngineService) {}

  onModuleInit(): void {
    this.records.onSubmitted(async (manager, record) => {
      const definitions = await this.processes.startedByForm(manager, record.tenantId, record.formId);
      const deployed = definitions.filter((definition) => definition.latestVersion !== null);
      if (deployed.length === 0) return;
      const started: (() => Promise<void>)[] = [];
      for (const definition of deployed) {
        const { instance, afterCommit } = await this.engine.startInTransaction(manager, {
          tenantId: record.tenantId, processId: definition.id, startedBy: record.submittedBy, recordId: record.id,
          variables: { initiator: record.submittedBy, recordId: record.id, ...record.data },
        });
        started.push(afterCommit);
        // A record links to one instance: the first process it started.
        if (!record.processInstanceId) {
          record.processInstanceId = instance.id;
          await updateRows(manager, FormRecord, { id: record.id }, { processInstanceId: instance.id });
        }
      }
      return async () => {
        for (const send of started) await send();
      };
    });
  }
}
