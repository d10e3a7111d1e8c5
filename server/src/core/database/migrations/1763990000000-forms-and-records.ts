import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** Apps, forms with immutable published versions, and records (JSONB data on PostgreSQL). */
export class FormsAndRecords1763990000000 implements MigrationInterface {
  name = 'FormsAndRecords1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(new Table({
      name: 'app',
      columns: [t.id(), t.ref('tenantId', false), t.string('name', 200), t.string('description', 2000), t.string('icon', 80), t.ref('createdBy'), t.timestamp('createdAt'), t.timestamp('updatedAt')],
      indices: [new TableIndex({ columnNames: ['tenantId'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'form',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('appId', false), t.string('name', 200), t.json('draftSchema'), t.json('draftUischema'),
        t.json('draftSettings'), { name: 'publishedVersion', type: 'integer', isNullable: true }, t.string('publicToken', 64, true),
        t.ref('createdBy'), t.timestamp('createdAt'), t.timestamp('updatedAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['appId'] }),
        new TableIndex({ columnNames: ['publicToken'], isUnique: true }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'form_version',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('formId', false), { name: 'version', type: 'integer' }, t.json('schema'), t.json('uischema'),
        t.json('settings'), t.ref('publishedBy'), t.timestamp('publishedAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['formId', 'version'], isUnique: true })],
    }));
    await queryRunner.createTable(new Table({
      name: 'record',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('formId', false), { name: 'formVersion', type: 'integer' },
        { name: 'data', type: postgres ? 'jsonb' : 'text' }, t.text('searchText'), t.ref('submittedBy'), t.ref('processInstanceId'),
        t.timestamp('createdAt'), t.timestamp('updatedAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }),
        new TableIndex({ columnNames: ['tenantId', 'formId', 'createdAt'] }),
        new TableIndex({ columnNames: ['tenantId', 'submittedBy'] }),
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['record', 'form_version', 'form', 'app']) await queryRunner.dropTable(name);
  }
}
