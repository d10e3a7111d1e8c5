import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTenantOnlyIndexes, dropTenantOnlyIndexes } from './tenant-only-indexes.js';

/**
 * Tables written on every step of every instance kept an index on tenantId alone that no query uses: the history
 * is read by instance, notifications by person, the audit log through its (tenantId, createdAt) index, and the job
 * tables by id, status and time. Each such index was one more page written per row on every commit.
 */
const TABLES = ['instance_history', 'audit_event', 'notification', 'job', 'job_done', 'engine_outbox'];

export class TrimLogTenantIndexes1764340000000 implements MigrationInterface {
  name = 'TrimLogTenantIndexes1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropTenantOnlyIndexes(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await createTenantOnlyIndexes(queryRunner, TABLES);
  }
}
