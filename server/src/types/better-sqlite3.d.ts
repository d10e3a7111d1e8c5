/** The part of better-sqlite3 (which ships no types) that Opsflow touches besides TypeORM. */
declare module 'better-sqlite3' {
  interface Statement {
    all(...params: unknown[]): unknown[];
  }
  class Database {
    constructor(file: string, options?: { readonly?: boolean });
    readonly inTransaction: boolean;
    prepare(sql: string): Statement;
    close(): void;
  }
  export default Database;
}
