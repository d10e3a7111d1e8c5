import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** 催办 keeps the last reminder on the task; history names the person a task went to (转办, 加签); in-app notifications. */
export class ApprovalActions1764200000000 implements MigrationInterface {
  name = 'ApprovalActions1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('user_task', new TableColumn(t.timestamp('lastUrgedAt', true)));
    await queryRunner.addColumn('instance_history', new TableColumn(t.ref('target')));
    await queryRunner.createTable(new Table({
      name: 'notification',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('userId', false), t.string('kind', 32), t.string('title', 300), t.text('body', true),
        t.string('link', 500, true), t.ref('instanceId'), t.ref('taskId'), t.ref('actorId'), t.timestamp('readAt', true), t.timestamp('createdAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['userId', 'readAt', 'createdAt'] })],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification');
    await queryRunner.dropColumn('instance_history', 'target');
    await queryRunner.dropColumn('user_task', 'lastUrgedAt');
  }
}
