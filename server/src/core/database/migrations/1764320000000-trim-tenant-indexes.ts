import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The engine's busiest tables kept an index on tenantId alone that no query uses: their composite indexes start
 * with tenantId (process_instance, user_task) or their rows are read by instance (element_instance). Each cost
 * about 50 bytes and a write per row.
 */
const TABLES = ['process_instance', 'element_instance', 'user_task'];

export class TrimTenantIndexes1764320000000 implements MigrationInterface {
  name = 'TrimTenantIndexes1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of TABLES) {
      const table = await queryRunner.getTable(name);
      const index = table?.indices.find((candidate) => candidate.columnNames.length === 1 && candidate.columnNames[0] === 'tenantId');
      if (table && index) await queryRunner.dropIndex(table, index);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of TABLES) await queryRunner.createIndex(name, new TableIndex({ columnNames: ['tenantId'] }));
  }
}
