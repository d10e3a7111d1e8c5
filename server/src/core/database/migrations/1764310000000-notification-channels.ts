import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** Notifications by e-mail too: each person's choice per kind and channel, and the mail outbox. */
export class NotificationChannels1764310000000 implements MigrationInterface {
  name = 'NotificationChannels1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'notification_preference',
      columns: [
        { ...t.ref('userId', false), isPrimary: true }, { ...t.string('kind', 32), isPrimary: true }, t.ref('tenantId', false),
        t.bool('inApp', true), t.bool('email', false),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'mail_message',
      columns: [
        t.id(), t.ref('tenantId', false), t.ref('userId', false), t.string('to', 320), t.string('subject', 300), t.text('text'), t.text('html'),
        t.string('kind', 32), t.string('status', 16), t.text('error', true), t.timestamp('createdAt'), t.timestamp('sentAt', true),
      ],
      indices: [new TableIndex({ columnNames: ['tenantId', 'createdAt'] }), new TableIndex({ columnNames: ['status', 'createdAt'] })],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mail_message');
    await queryRunner.dropTable('notification_preference');
  }
}
