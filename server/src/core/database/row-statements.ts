import { createHash } from 'node:crypto';
import { type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, QueryFailedError, type QueryRunner, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { QUEUED, type SqliteDirect, sqliteDirect } from './sqlite-gate.js';

/** The key of the PostgreSQL data source's `extra` options that turns named prepared statements off when false. */
export const PREPARED_STATEMENTS = 'opsflowPreparedStatements';

/** The part of a pg client RowStatements uses. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

const statementNames = new Map<string, string>();

/**
 * Batches (RowStatements.batch) take a text per mix of writes; the first this many mixes are prepared on each
 * connection, later ones are sent unnamed, so that a rare mix does not stay in every server connection's memory.
 */
const MAX_PREPARED_BATCHES = 256;
const preparedBatches = new Set<string>();

/** A prepared statement's name: the same for the same text, on every connection and in every process. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `opsflow_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 10_000) statementNames.set(sql, name);
  }
  return name;
}

type Column<T> = Extract<keyof T, string>;

/** A write built but not yet run (see RowStatements.batch); PostgreSQL placeholders numbered from $1. */
export interface Write {
  sql: string;
  params: unknown[];
}

/**
 * Plain SQL for one entity's hot paths, built once from its TypeORM metadata. TypeORM's query
 * builder costs a few hundred microseconds per statement (it re-parses property names with regular
 * expressions every time), which dominates the engine's short transactions; these statements are
 * prepared once per text and bind values converted exactly as TypeORM would (dates, JSON, booleans).
 */
export class RowStatements<T extends ObjectLiteral> {
  private readonly columns: ColumnMetadata[];
  private readonly byProperty: Map<string, ColumnMetadata>;
  private readonly table: string;
  private readonly postgres: boolean;
  private readonly prepared: boolean;
  private readonly sqlite: SqliteDirect | undefined;
  private readonly insertCache = new Map<number, string>();

  constructor(private readonly dataSource: DataSource, target: EntityTarget<T>) {
    const metadata = dataSource.getMetadata(target);
    this.columns = metadata.columns;
    this.byProperty = new Map(metadata.columns.map((column) => [column.propertyName, column]));
    this.table = this.quote(metadata.tableName);
    this.postgres = dataSource.options.type === 'postgres';
    const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra;
    this.prepared = this.postgres && extra?.[PREPARED_STATEMENTS] !== false;
    this.sqlite = sqliteDirect(dataSource);
  }

  /** Inserts rows in one statement; `ignoreDuplicates` skips rows whose key exists. */
  async insert(manager: EntityManager, rows: T[], options: { ignoreDuplicates?: boolean } = {}): Promise<void> {
    const write = this.insertWrite(rows, options);
    if (write) await this.run(manager, write.sql, write.params, false);
  }

  /** The insert of `rows` as a write for `batch`; undefined for no rows. */
  insertWrite(rows: T[], options: { ignoreDuplicates?: boolean } = {}): Write | undefined {
    if (rows.length === 0) return undefined;
    const cacheKey = rows.length * (options.ignoreDuplicates ? -1 : 1);
    let sql = this.insertCache.get(cacheKey);
    if (!sql) {
      const names = this.columns.map((column) => this.quote(column.databaseName)).join(', ');
      let n = 0;
      const tuples = rows.map(() => `(${this.columns.map(() => this.placeholder(++n)).join(', ')})`).join(', ');
      const ignore = options.ignoreDuplicates;
      sql = `INSERT${ignore && !this.postgres ? ' OR IGNORE' : ''} INTO ${this.table} (${names}) VALUES ${tuples}${ignore && this.postgres ? ' ON CONFLICT DO NOTHING' : ''}`;
      if (rows.length <= 16) this.insertCache.set(cacheKey, sql);
    }
    const params: unknown[] = [];
    for (const row of rows) for (const column of this.columns) params.push(this.persist(column, row[column.propertyName]));
    return { sql, params };
  }

  /** Rows matching `where` (SQL over quoted column names, `?` placeholders), hydrated like TypeORM entities. */
  async select(manager: EntityManager, where: string, params: unknown[]): Promise<T[]> {
    return this.selectColumns(manager, this.columns, where, params) as Promise<T[]>;
  }

  /** Only some columns (a large text column a caller does not need stays in the database). */
  async pick<K extends Column<T>>(manager: EntityManager, properties: K[], where: string, params: unknown[]): Promise<Pick<T, K>[]> {
    return this.selectColumns(manager, properties.map((property) => this.column(property)), where, params) as Promise<Pick<T, K>[]>;
  }

  private async selectColumns(manager: EntityManager, columns: ColumnMetadata[], where: string, params: unknown[]): Promise<Partial<T>[]> {
    const names = columns.map((column) => this.quote(column.databaseName)).join(', ');
    const raw = (await this.run(manager, `SELECT ${names} FROM ${this.table} WHERE ${this.numbered(where)}`, params.map((value) => this.scalar(value)), false)) as Record<string, unknown>[];
    return raw.map((row) => {
      const entity: Record<string, unknown> = {};
      for (const column of columns) entity[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
      return entity as Partial<T>;
    });
  }

  /** Sets `changes` on the rows matching `where`; answers how many rows changed. */
  async update(manager: EntityManager, changes: Partial<T>, where: string, params: unknown[]): Promise<number> {
    const write = this.updateWrite(changes, where, params);
    return this.affected(await this.run(manager, write.sql, write.params, true));
  }

  /** The update as a write for `batch`. */
  updateWrite(changes: Partial<T>, where: string, params: unknown[]): Write {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const sets = entries.map(([property], index) => `${this.quote(this.column(property).databaseName)} = ${this.placeholder(index + 1)}`);
    const values = entries.map(([property, value]) => this.persist(this.column(property), value));
    const sql = `UPDATE ${this.table} SET ${sets.join(', ')} WHERE ${this.numbered(where, entries.length)}`;
    return { sql, params: [...values, ...params.map((value) => this.scalar(value))] };
  }

  /** Deletes the rows matching `where`; answers how many. */
  async delete(manager: EntityManager, where: string, params: unknown[]): Promise<number> {
    const write = this.deleteWrite(where, params);
    return this.affected(await this.run(manager, write.sql, write.params, true));
  }

  /** The delete as a write for `batch`. */
  deleteWrite(where: string, params: unknown[]): Write {
    return { sql: `DELETE FROM ${this.table} WHERE ${this.numbered(where)}`, params: params.map((value) => this.scalar(value)) };
  }

  /**
   * Runs writes (of any tables) in order and answers how many rows each changed. On PostgreSQL they go as one
   * statement of data-modifying CTEs: one round trip instead of one per write, which is most of what a small
   * write costs there (client and server each wake once per round trip). They then run on one snapshot and
   * cannot see each other's rows: the caller batches only writes that touch different rows.
   */
  async batch(manager: EntityManager, writes: readonly Write[]): Promise<number[]> {
    if (!this.postgres || writes.length <= 1) {
      const counts: number[] = [];
      for (const write of writes) counts.push(this.affected(await this.run(manager, write.sql, write.params, true)));
      return counts;
    }
    let offset = 0;
    const params: unknown[] = [];
    const parts = writes.map((write, i) => {
      const sql = write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
      offset += write.params.length;
      params.push(...write.params);
      return `w${i} AS (${sql} RETURNING 1)`;
    });
    const counts = writes.map((_, i) => `(SELECT count(*) FROM w${i})::int AS "c${i}"`);
    const sql = `WITH ${parts.join(', ')} SELECT ${counts.join(', ')}`;
    if (preparedBatches.size < MAX_PREPARED_BATCHES) preparedBatches.add(sql);
    const [row] = (await this.run(manager, sql, params, false, preparedBatches.has(sql))) as Record<string, number>[];
    return writes.map((_, i) => Number(row[`c${i}`]));
  }

  /** `"column" IN (?, ?, ...)` for a list of values. */
  in(property: Column<T>, count: number): string {
    return `${this.name(property)} IN (${Array.from({ length: count }, () => '?').join(', ')})`;
  }

  /** The quoted column name of a property, for `where` clauses. */
  name(property: Column<T>): string {
    return this.quote(this.column(property).databaseName);
  }

  /**
   * SQLite: straight on the connection when the gate lets the statement run now (inside the caller's own
   * transaction, or a read between transactions), else through TypeORM and the gate's queue.
   * Elsewhere: on the manager's transaction when it has one, else on a connection of its own (as DataSource.query does).
   * A transaction's runner is used even when released (its connection died): the statement then fails and the
   * whole command fails, instead of the rest of the transaction committing alone on another connection.
   */
  private async run(manager: EntityManager, sql: string, params: unknown[], structured: boolean, named = true): Promise<unknown> {
    if (this.sqlite) {
      const result = this.sqlite.run(sql, params);
      if (result !== QUEUED) return result;
    }
    const own = manager.queryRunner;
    const runner = own ?? this.dataSource.createQueryRunner();
    try {
      if (this.prepared && named) return await this.runPrepared(runner, sql, params, structured);
      return await (structured ? runner.query(sql, params, true) : runner.query(sql, params));
    } finally {
      if (!own) await runner.release();
    }
  }

  /**
   * PostgreSQL: as a named prepared statement on the runner's pg client, parsed and planned once per connection
   * (measured here: 45% less backend CPU for a transaction of small inserts and reads than unnamed statements,
   * which TypeORM sends). Results as TypeORM's runner gives them.
   */
  private async runPrepared(runner: QueryRunner, sql: string, params: unknown[], structured: boolean): Promise<unknown> {
    if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    const client = (await runner.connect()) as PgClient;
    let raw: Awaited<ReturnType<PgClient['query']>>;
    try {
      raw = await client.query({ name: statementName(sql), text: sql, values: params });
    } catch (error) {
      throw new QueryFailedError(sql, params, error as Error);
    }
    return structured ? { records: raw.rows, affected: raw.rowCount ?? 0 } : raw.rows;
  }

  private column(property: string): ColumnMetadata {
    const column = this.byProperty.get(property);
    if (!column) throw new Error(`${this.table} has no column for ${property}`);
    return column;
  }

  private persist(column: ColumnMetadata, value: unknown): unknown {
    if (value === undefined || value === null) return null;
    const prepared: unknown = this.dataSource.driver.preparePersistentValue(value, column);
    return typeof prepared === 'boolean' && !this.postgres ? (prepared ? 1 : 0) : prepared;
  }

  /** Values in `where` clauses: dates as the column stores them. */
  private scalar(value: unknown): unknown {
    if (value instanceof Date && !this.postgres) return this.dataSource.driver.preparePersistentValue(value, { type: Date } as ColumnMetadata);
    return value;
  }

  private placeholder(n: number): string {
    return this.postgres ? `$${n}` : '?';
  }

  /** Numbers the `?` placeholders of a where clause for PostgreSQL, after `offset` earlier ones. */
  private numbered(where: string, offset = 0): string {
    if (!this.postgres) return where;
    let n = offset;
    return where.replace(/\?/g, () => `$${++n}`);
  }

  private quote(name: string): string {
    return `"${name}"`;
  }

  private affected(result: unknown): number {
    return typeof result === 'object' && result !== null && 'affected' in result ? Number((result as { affected?: number }).affected ?? 0) : 0;
  }
}
