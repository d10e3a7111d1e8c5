import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRunner } from '../../core/jobs/job-runner.js';
import { defineJob, QueueName } from '../../core/jobs/job.types.js';
import { listFields } from '../forms/form-fields.js';
import { FormsService } from '../forms/forms.service.js';
import { syncRecordIndexes } from './record-query.js';

export interface SyncRecordIndexesPayload {
  tenantId: string;
  formId: string;
  version: number;
}

export const syncRecordIndexesJob = defineJob<SyncRecordIndexesPayload>(QueueName.Maintenance, 'records.sync-indexes');

/**
 * After a form version is published, builds the expression indexes its filters and sorts use
 * (and drops those of removed fields) in a job: on a large form that takes seconds.
 */
@Injectable()
export class RecordIndexesJob implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly forms: FormsService,
    private readonly jobs: JobRunner,
  ) {}

  onModuleInit(): void {
    this.jobs.register(syncRecordIndexesJob, (payload) => this.run(payload));
    this.forms.onPublished((version) =>
      this.jobs.enqueue(syncRecordIndexesJob, { tenantId: version.tenantId, formId: version.formId, version: version.version }, {
        jobId: `record-indexes:${version.formId}:${version.version}`, attempts: 3, backoffMs: 5000,
      }));
  }

  async run({ tenantId, formId, version }: SyncRecordIndexesPayload): Promise<void> {
    const form = await this.forms.formOf(tenantId, formId).catch(() => null);
    // A newer version schedules its own run; an old job has nothing left to do.
    if (!form || form.publishedVersion !== version) return;
    const published = await this.forms.versionOf(tenantId, formId, version);
    await syncRecordIndexes(this.dataSource, formId, listFields(published.schema));
  }
}
