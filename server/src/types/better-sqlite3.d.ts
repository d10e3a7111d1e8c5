/** The part of better-sqlite3 (which ships no types) that Opsflow touches besides TypeORM. */
declare module 'better-sqlite3' {
  export interface Statement {
    /** Whether the statement returns rows (a read). */
    readonly reader: boolean;
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  }
  class Database {
    constructor(file: string, options?: { readonly?: boolean });
    readonly inTransaction: boolean;
    prepare(sql: string): Statement;
    pragma(sql: string, options?: { simple?: boolean }): unknown;
    close(): void;
  }
  export default Database;
}
