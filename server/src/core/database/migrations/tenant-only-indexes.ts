import { type QueryRunner, TableIndex } from 'typeorm';

/** Drops each table's index on tenantId alone, where it has one (the trim migrations share this). */
export async function dropTenantOnlyIndexes(queryRunner: QueryRunner, tables: readonly string[]): Promise<void> {
  for (const name of tables) {
    const table = await queryRunner.getTable(name);
    const index = table?.indices.find((candidate) => candidate.columnNames.length === 1 && candidate.columnNames[0] === 'tenantId');
    if (table && index) await queryRunner.dropIndex(table, index);
  }
}

/** Puts the index on tenantId alone back (the trim migrations' `down`). */
export async function createTenantOnlyIndexes(queryRunner: QueryRunner, tables: readonly string[]): Promise<void> {
  for (const name of tables) await queryRunner.createIndex(name, new TableIndex({ columnNames: ['tenantId'] }));
}
