import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTenantOnlyIndexes, dropTenantOnlyIndexes } from './tenant-only-indexes.js';

/**
 * The engine's busiest tables kept an index on tenantId alone that no query uses: their composite indexes start
 * with tenantId (process_instance, user_task) or their rows are read by instance (element_instance). Each cost
 * about 50 bytes and a write per row.
 */
const TABLES = ['process_instance', 'element_instance', 'user_task'];

export class TrimTenantIndexes1764320000000 implements MigrationInterface {
  name = 'TrimTenantIndexes1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropTenantOnlyIndexes(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await createTenantOnlyIndexes(queryRunner, TABLES);
  }
}
