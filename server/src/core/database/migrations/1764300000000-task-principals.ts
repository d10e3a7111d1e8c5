import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** 抄送 on user tasks, and one row per candidate or copied person/group so the inbox queries by index. */
export class TaskPrincipals1764300000000 implements MigrationInterface {
  name = 'TaskPrincipals1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('user_task', new TableColumn({ ...t.json('ccUsers'), default: "'[]'" }));
    await queryRunner.addColumn('user_task', new TableColumn({ ...t.json('ccGroups'), default: "'[]'" }));
    await queryRunner.createTable(new Table({
      name: 'task_principal',
      columns: [
        { ...t.ref('taskId', false), isPrimary: true }, { ...t.string('kind', 16), isPrimary: true },
        { ...t.string('principal', 240), isPrimary: true }, t.ref('tenantId', false),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId', 'kind', 'principal', 'taskId'] })],
    }));
    // the candidates of tasks created before this table existed
    const tasks: { id: string; tenantId: string; candidateUsers: string; candidateGroups: string }[] =
      await queryRunner.query('SELECT "id", "tenantId", "candidateUsers", "candidateGroups" FROM "user_task"');
    for (const task of tasks) {
      const principals = [
        ...(JSON.parse(task.candidateUsers || '[]') as string[]).map((id) => `u:${id}`),
        ...(JSON.parse(task.candidateGroups || '[]') as string[]).map((id) => `g:${id}`),
      ];
      for (const principal of new Set(principals)) {
        await queryRunner.query('INSERT INTO "task_principal" ("taskId", "kind", "principal", "tenantId") VALUES ($1, $2, $3, $4)'
          .replace(/\$\d/g, (m) => (queryRunner.connection.options.type === 'postgres' ? m : '?')), [task.id, 'candidate', principal, task.tenantId]);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('task_principal');
    await queryRunner.dropColumn('user_task', 'ccGroups');
    await queryRunner.dropColumn('user_task', 'ccUsers');
  }
}
