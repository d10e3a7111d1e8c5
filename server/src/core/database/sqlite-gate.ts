import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  /** The caller's async context (who is acting, the request's IP): the work runs in it, not in the drain loop's. */
  context: AsyncResource;
  /**
   * One statement from outside any transaction: it runs in the group without a savepoint of its own,
   * since SQLite undoes a failing statement by itself and leaves the rest of the transaction as it was.
   */
  statement: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /** At most this many transactions share one commit. */
  maxTransactions: number;
  /** No transaction joins a commit that has been open this long (ms); it waits for the next one. */
  maxOpenMs: number;
}

const DEFAULT_GROUP: GroupCommit = { maxTransactions: 64, maxOpenMs: 5 };

/** Prepared statements kept per connection for the direct path (the engine's and notifications' few dozen texts). */
const MAX_DIRECT_STATEMENTS = 500;

/**
 * Plain statements straight on the better-sqlite3 connection, for callers that built their SQL themselves
 * (RowStatements): no TypeORM query runner in between (its broadcaster and bookkeeping cost several awaits
 * per statement, more than a small statement itself). Only where the gate would let the statement run at
 * once; elsewhere it answers `queued` and the caller goes through TypeORM and the gate's queue.
 */
export interface SqliteDirect {
  /** Rows for a read; `{ affected }` for a write. */
  run(sql: string, params: unknown[]): Record<string, unknown>[] | { records: never[]; affected: number } | typeof QUEUED;
}

/** The answer of `SqliteDirect.run` when the statement has to wait for its turn. */
export const QUEUED = Symbol('queued');

const direct = new WeakMap<DataSource, SqliteDirect>();

/** The better-sqlite3 connection TypeORM holds for a SQLite data source. */
export function sqliteConnection(dataSource: DataSource): Database {
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

/** The direct path of a data source the gate guards; undefined on PostgreSQL. */
export function sqliteDirect(dataSource: DataSource): SqliteDirect | undefined {
  return direct.get(dataSource);
}

/** Statements that only read. Anything else (WITH ..., PRAGMA, DDL) counts as a write. */
const READ = /^\s*SELECT\b/i;
/** Transaction control and connection settings: they never become part of a group. */
const CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b/i;

/**
 * TypeORM runs every SQLite statement through one shared connection. Two requests that each open a
 * transaction and await in between would interleave on it: the second becomes a savepoint inside
 * the first, and a rollback of one silently undoes the other. The gate runs SQLite transactions
 * one at a time; a statement from outside them never lands in the middle of one.
 *
 * Transactions that queue up meanwhile, or arrive within the same turn of the event loop, share one
 * commit (group commit): each runs as a savepoint of one outer transaction, so a failing one rolls
 * back only its own writes, and every caller hears of its outcome only once the outer COMMIT is done.
 * A commit writes the WAL once for all of them, which is most of what a small transaction costs
 * (≈300 µs alone, ≈30 µs in a group of 32). When SQLite itself gives up the outer transaction (a full
 * disk) or the COMMIT fails, every transaction of the group fails with that error: none of them is
 * reported as saved when it was not.
 *
 * A write from outside any transaction (a job claim, an autocommit UPDATE) queues like a transaction
 * of one statement, and runs in the group without a savepoint (a failing statement undoes only
 * itself). A read from outside runs between two transactions of a group, so a page reading its list
 * waits for one transaction, not for a whole group per statement; it may see the writes of the
 * group's finished transactions just before their COMMIT.
 */
export function installSqliteGate(dataSource: DataSource, group: GroupCommit = DEFAULT_GROUP, afterCommit: () => void = () => undefined): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const owner = new AsyncLocalStorage<symbol>();
  /** The group's outer transaction while one is open. */
  let outer: symbol | undefined;
  /** The transaction of the group that is running, or `outer` between two of them. */
  let active: symbol | undefined;
  let changed: Promise<void> = Promise.resolve();
  let signal: () => void = () => undefined;
  const setActive = (token: symbol | undefined): void => {
    active = token;
    signal();
    changed = new Promise((resolve) => (signal = resolve));
  };
  setActive(undefined);
  let readersWaiting = 0;
  const queue: Unit[] = [];
  let draining = false;

  const runner = dataSource.createQueryRunner();
  const database = sqliteConnection(dataSource);
  const query = runner.query.bind(runner);
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as <T>(work: Work<T>) => Promise<T>;
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      if (statements.size >= MAX_DIRECT_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
  // Each transaction of a group is a savepoint of the outer one, set straight on the connection.
  const savepoint = database.prepare('SAVEPOINT opsflow_unit');
  const release = database.prepare('RELEASE opsflow_unit');
  const rollbackTo = database.prepare('ROLLBACK TO opsflow_unit');
  /** The manager a transaction of the group works with: bound to the one connection, as TypeORM's transaction gives it. */
  const unitManager = runner.manager;

  runner.query = (async (...args: Parameters<typeof query>) => {
    const sql = args[0];
    const mine = active !== undefined && owner.getStore() === active;
    // Inside a running transaction, or a transaction TypeORM opened itself (migrations): as it comes.
    if (mine || (!outer && runner.isTransactionActive)) return query(...args);
    if (READ.test(sql)) {
      while (active && active !== outer) {
        readersWaiting++;
        try {
          await changed;
        } finally {
          readersWaiting--;
        }
      }
      return query(...args);
    }
    if (CONTROL.test(sql)) {
      while (active) await changed;
      return query(...args);
    }
    return enqueue(() => query(...args), true);
  }) as typeof runner.query;

  const enqueue = <T>(work: Work<T>, statement = false): Promise<T> => new Promise<T>((resolve, reject) => {
    queue.push({ work: work as Work<unknown>, context: new AsyncResource('sqlite-transaction'), statement, resolve: resolve as (value: unknown) => void, reject });
    if (!draining) void drain();
  });

  /** Runs queued transactions, as many as the group allows per commit, until the queue is empty. */
  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (queue.length) await commitGroup();
    } finally {
      draining = false;
    }
  };

  /** Reads waiting for a turn get one: every step they make is a microtask or two, so one turn of the loop does. */
  const letReadersIn = async (): Promise<void> => {
    if (readersWaiting > 0) await new Promise((resolve) => setImmediate(resolve));
  };

  const commitGroup = async (): Promise<void> => {
    const token = Symbol('sqlite-group');
    outer = token;
    setActive(token);
    const saved: Array<{ unit: Unit; value: unknown }> = [];
    try {
      await owner.run(token, () => runner.startTransaction());
      const opened = performance.now();
      for (let n = 0; n < group.maxTransactions && performance.now() - opened < group.maxOpenMs; n++) {
        // Requests already read from their sockets reach the gate within one turn of the event loop.
        if (!queue.length && n > 0) await new Promise((resolve) => setImmediate(resolve));
        else await letReadersIn();
        if (!queue.length) break;
        const unit = queue.shift()!;
        const own = Symbol('sqlite-transaction');
        setActive(own);
        try {
          const run = unit.statement ? () => unit.work(manager) : () => inSavepoint(unit.work);
          saved.push({ unit, value: await unit.context.runInAsyncScope(() => owner.run(own, run)) });
        } catch (error) {
          unit.reject(error);
        } finally {
          setActive(token);
        }
        if (!database.inTransaction) throw new Error('SQLite rolled back the transaction: nothing of it was saved');
      }
      await owner.run(token, () => runner.commitTransaction());
      afterCommit();
      for (const { unit, value } of saved) unit.resolve(value);
    } catch (error) {
      if (database.inTransaction) await owner.run(token, () => runner.rollbackTransaction()).catch(() => undefined);
      // TypeORM's bookkeeping follows the connection again, whatever step failed.
      Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
      for (const { unit } of saved) unit.reject(error);
    } finally {
      outer = undefined;
      setActive(undefined);
    }
    await letReadersIn();
  };

  /** A transaction of the group: its writes are undone alone when it fails. */
  const inSavepoint = async <T>(work: Work<T>): Promise<T> => {
    savepoint.run();
    let value: T;
    try {
      value = await work(unitManager);
    } catch (error) {
      // When SQLite gave the whole transaction up there is no savepoint left; the group fails after this unit.
      if (database.inTransaction) {
        rollbackTo.run();
        release.run();
      }
      throw error;
    }
    if (database.inTransaction) release.run();
    return value;
  };

  direct.set(dataSource, {
    run(sql, params) {
      const mine = active !== undefined && owner.getStore() === active;
      // A read from outside may run while no transaction of a group is in the middle of its work.
      if (!mine && ((active && active !== outer) || !READ.test(sql))) return QUEUED;
      const values = params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
      try {
        const statement = prepare(sql);
        return statement.reader ? (statement.all(values) as Record<string, unknown>[]) : { records: [], affected: statement.run(values).changes };
      } catch (error) {
        throw new QueryFailedError(sql, values, error as Error);
      }
    },
  });

  manager.transaction = (<T>(isolationOrWork: string | Work<T>, maybeWork?: Work<T>): Promise<T> => {
    const work = (typeof isolationOrWork === 'function' ? isolationOrWork : maybeWork)!;
    // A transaction opened inside the running one is a savepoint of it, as TypeORM intends.
    if (active && owner.getStore() === active) return transaction(work);
    return enqueue(work);
  }) as typeof manager.transaction;
}
