import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** Column types for migrations, per database, matching the shapes in columns.ts. */
export function columnTypes(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  const timestamp = postgres ? 'timestamptz' : 'datetime';
  return {
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
    ref: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable }),
    text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    string: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
    int: (name: string, def = 0): TableColumnOptions => ({ name, type: 'integer', default: def }),
    bool: (name: string, def: boolean): TableColumnOptions => ({ name, type: 'boolean', default: postgres ? String(def) : def ? 1 : 0 }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({ name, type: timestamp, isNullable: nullable }),
    json: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  };
}
