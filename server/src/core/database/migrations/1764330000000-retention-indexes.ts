import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** What the hourly retention sweep looks rows up by, so it never scans whole tables. */
const INDEXES: [string, string][] = [['session', 'expiresAt'], ['job_done', 'doneAt'], ['notification', 'readAt']];

export class RetentionIndexes1764330000000 implements MigrationInterface {
  name = 'RetentionIndexes1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of INDEXES) await queryRunner.createIndex(table, new TableIndex({ name: `IDX_${table}_${column}`, columnNames: [column] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of INDEXES) await queryRunner.dropIndex(table, `IDX_${table}_${column}`);
  }
}
