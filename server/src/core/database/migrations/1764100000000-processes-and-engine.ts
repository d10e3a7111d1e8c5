import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** Process definitions and versions; the engine's runtime rows (instances, waiting elements, tasks, timers, messages, outbox, incidents, history). */
export class ProcessesAndEngine1764100000000 implements MigrationInterface {
  name = 'ProcessesAndEngine1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const int = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
    await queryRunner.createTable(new Table({
      name: 'process_definition',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('appId', false), t.string('name', 200), t.text('bpmnXml'), t.string('bpmnProcessId', 200, true),
        t.ref('startFormId'), int('latestVersion', true), t.ref('createdBy'), t.timestamp('createdAt'), t.timestamp('updatedAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['appId'] }),
        new TableIndex({ columnNames: ['tenantId', 'bpmnProcessId'] }), new TableIndex({ columnNames: ['tenantId', 'startFormId'] }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'process_version',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('processId', false), int('version'), t.string('bpmnProcessId', 200), t.string('name', 200),
        t.text('bpmnXml'), t.ref('deployedBy'), t.timestamp('deployedAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['processId', 'version'], isUnique: true }),
        new TableIndex({ columnNames: ['tenantId', 'bpmnProcessId', 'version'] }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'process_instance',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('processId', false), t.ref('processVersionId', false), int('version'), t.string('bpmnProcessId', 200),
        t.string('status', 16), t.json('variables'), t.string('businessKey', 200, true), t.ref('startedBy'), t.ref('recordId'),
        t.ref('parentInstanceId'), t.ref('parentElementInstanceId'), int('rev'), int('seq'), t.timestamp('createdAt'), t.timestamp('endedAt', true),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'processId', 'status'] }),
        new TableIndex({ columnNames: ['tenantId', 'startedBy', 'createdAt'] }),
        new TableIndex({ columnNames: ['parentElementInstanceId'], isUnique: true }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'element_instance',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('instanceId', false), t.ref('parentId', false), t.string('elementId', 200), t.string('kind', 16),
        t.string('state', 16), t.json('variables', true), t.json('data', true), t.timestamp('startedAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['instanceId'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'user_task',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('instanceId', false), t.ref('elementInstanceId', false), t.string('elementId', 200), t.string('name', 200),
        t.ref('processId', false), t.ref('assignee'), t.json('candidateUsers'), t.json('candidateGroups'), t.string('status', 16), t.ref('formId'),
        t.timestamp('dueAt', true), t.timestamp('followUpAt', true), t.timestamp('createdAt'), t.timestamp('endedAt', true), t.ref('completedBy'),
        t.string('outcome', 32, true), t.text('comment', true),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'assignee', 'status', 'createdAt'] }),
        new TableIndex({ columnNames: ['tenantId', 'status', 'createdAt'] }), new TableIndex({ columnNames: ['instanceId'] }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'engine_timer',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('instanceId'), t.ref('elementInstanceId'), t.string('elementId', 200), t.ref('processVersionId', false),
        t.timestamp('dueAt'), t.timestamp('firedAt', true), t.json('repeat', true), t.timestamp('createdAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['firedAt', 'dueAt'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'message_subscription',
      columns: [
        t.id(), t.ref('tenantId', false), t.string('name', 200), t.string('correlationKey', 200, true), t.ref('instanceId'), t.ref('elementInstanceId'),
        t.string('elementId', 200), t.ref('processVersionId', false), t.timestamp('createdAt'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'name', 'correlationKey'] }),
        new TableIndex({ columnNames: ['instanceId'] }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'engine_outbox',
      columns: [
        { name: 'id', type: 'varchar', length: '200', isPrimary: true }, t.ref('tenantId', false), t.string('queue', 32), t.string('name', 100),
        t.json('payload'), t.timestamp('runAt'), int('attempts'), int('backoffMs'), t.timestamp('createdAt'),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['createdAt'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'incident',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('instanceId', false), t.ref('elementInstanceId', false), t.string('elementId', 200), t.string('kind', 32),
        t.text('message'), t.string('status', 16), t.timestamp('createdAt'), t.timestamp('resolvedAt', true), t.ref('resolvedBy'),
      ],
      indices: [
        new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'status', 'createdAt'] }),
        new TableIndex({ columnNames: ['instanceId'] }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'instance_history',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('instanceId', false), int('seq'), t.string('elementId', 200), t.string('elementType', 40),
        t.string('name', 200, true), t.string('status', 16), t.timestamp('startedAt'), t.timestamp('endedAt'), t.ref('actor'),
        t.string('outcome', 32, true), t.text('comment', true),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['instanceId', 'seq'] })],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['instance_history', 'incident', 'engine_outbox', 'message_subscription', 'engine_timer', 'user_task', 'element_instance', 'process_instance', 'process_version', 'process_definition']) {
      await queryRunner.dropTable(name);
    }
  }
}
