import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** Uploaded files (their bytes live in the file storage, not in the database). */
export class StoredFiles1764000000000 implements MigrationInterface {
  name = 'StoredFiles1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'stored_file',
      columns: [
        t.id(), t.ref('tenantId', false), t.string('name', 255), { name: 'size', type: 'integer' }, t.string('contentType', 127),
        t.string('sha256', 64), t.string('storageKey', 120), t.ref('uploadedBy'), t.ref('formId'), t.ref('recordId'), t.timestamp('createdAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['recordId'] })],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stored_file');
  }
}
