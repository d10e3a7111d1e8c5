import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableIndex } from 'typeorm';
import { columnTypes } from '../migration-types.js';

/** Tenants, people, sign-in, keys, the org chart, the audit log and the inline job store. */
export class Initial1763900000000 implements MigrationInterface {
  name = 'Initial1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const table = async (name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) => {
      await queryRunner.createTable(new Table({ name, columns, indices }));
    };

    await table('tenant', [t.id(), t.string('name', 200), t.string('slug', 80), t.timestamp('createdAt')], [
      new TableIndex({ columnNames: ['slug'], isUnique: true }),
    ]);

    await table('user', [
      t.id(), t.ref('tenantId', false), t.string('email', 254), t.string('name', 200), t.text('passwordHash', true),
      t.json('roles'), t.ref('departmentId'), t.ref('managerId'), t.bool('active', true), t.bool('platformAdmin', false),
      { ...t.string('locale', 10), default: "'en'" }, t.string('inviteTokenHash', 64, true), t.timestamp('inviteExpiresAt', true),
      t.timestamp('lastLoginAt', true), t.timestamp('createdAt'), t.timestamp('updatedAt'),
    ], [
      new TableIndex({ columnNames: ['tenantId'] }),
      new TableIndex({ columnNames: ['email'] }),
      new TableIndex({ columnNames: ['tenantId', 'email'], isUnique: true }),
      new TableIndex({ columnNames: ['tenantId', 'name'] }),
      new TableIndex({ columnNames: ['inviteTokenHash'] }),
      new TableIndex({ columnNames: ['tenantId', 'managerId'] }),
      new TableIndex({ columnNames: ['tenantId', 'departmentId'] }),
    ]);

    await table('session', [
      t.id(), t.ref('tenantId', false), t.ref('userId', false), t.timestamp('expiresAt'), t.timestamp('revokedAt', true),
      t.string('ip', 64, true), t.string('userAgent', 400, true), t.timestamp('createdAt'),
    ], [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['userId'] })]);

    await table('api_key', [
      t.id(), t.ref('tenantId', false), t.string('name', 200), t.string('prefix', 16), t.string('secretHash', 64),
      t.json('scopes'), t.ref('createdBy'), t.timestamp('createdAt'), t.timestamp('expiresAt', true),
      t.timestamp('lastUsedAt', true), t.timestamp('revokedAt', true),
    ], [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['secretHash'], isUnique: true })]);

    await table('department', [
      t.id(), t.ref('tenantId', false), t.string('name', 200), t.ref('parentId'), t.ref('headId'), t.timestamp('createdAt'),
    ], [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'parentId'] })]);

    await table('user_group', [
      t.id(), t.ref('tenantId', false), t.string('name', 200), { ...t.string('description', 1000), default: "''" }, t.timestamp('createdAt'),
    ], [new TableIndex({ columnNames: ['tenantId'] })]);

    await table('group_member', [
      { ...t.ref('groupId', false), isPrimary: true }, { ...t.ref('userId', false), isPrimary: true }, t.ref('tenantId', false),
    ], [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['userId'] })]);

    await table('audit_event', [
      t.id(), t.ref('tenantId', false), t.ref('actorId'), t.string('actorKind', 16), t.string('action', 64),
      t.string('targetType', 64), t.ref('targetId'), t.json('data'), t.string('ip', 64, true), t.timestamp('createdAt'),
    ], [new TableIndex({ columnNames: ['tenantId'] }), new TableIndex({ columnNames: ['tenantId', 'createdAt'] })]);

    await table('job', [
      { ...t.string('id', 200), isPrimary: true }, t.string('queue', 32), t.string('name', 100), t.ref('tenantId', false),
      t.json('payload'), t.string('status', 16), t.int('attempts', 0), t.int('maxAttempts', 1), t.int('backoffMs', 1000),
      t.timestamp('runAt'), t.timestamp('lockedUntil', true), t.text('lastError', true), t.timestamp('createdAt'),
    ], [new TableIndex({ columnNames: ['status', 'runAt'] }), new TableIndex({ columnNames: ['tenantId'] })]);

    await table('job_done', [
      { ...t.string('id', 200), isPrimary: true }, t.string('queue', 32), t.ref('tenantId', false), t.timestamp('doneAt'),
    ], [new TableIndex({ columnNames: ['tenantId'] })]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['job_done', 'job', 'audit_event', 'group_member', 'user_group', 'department', 'api_key', 'session', 'user', 'tenant']) {
      await queryRunner.dropTable(name);
    }
  }
}
