import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;

/**
 * TypeORM runs every SQLite statement through one shared connection. Two requests that each open a
 * transaction and await in between would interleave on it: the second becomes a savepoint inside
 * the first, and a rollback of one silently undoes the other. The gate runs SQLite transactions
 * one at a time and holds every statement from outside the running transaction until it ends
 * (SQLite has a single writer anyway; transactions here last milliseconds).
 */
export function installSqliteGate(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const owner = new AsyncLocalStorage<symbol>();
  let active: symbol | undefined;
  let tail: Promise<void> = Promise.resolve();
  let idle: Promise<void> = Promise.resolve();

  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<typeof query>) => {
    while (active && owner.getStore() !== active) await idle;
    return query(...args);
  }) as typeof runner.query;

  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as <T>(work: Work<T>) => Promise<T>;
  manager.transaction = (<T>(isolationOrWork: string | Work<T>, maybeWork?: Work<T>): Promise<T> => {
    const work = (typeof isolationOrWork === 'function' ? isolationOrWork : maybeWork)!;
    // A transaction opened inside the running one is a savepoint of it, as TypeORM intends.
    if (active && owner.getStore() === active) return transaction(work);
    const turn = tail.then(async () => {
      const token = Symbol('sqlite-transaction');
      let release!: () => void;
      idle = new Promise((resolve) => (release = resolve));
      active = token;
      try {
        return await owner.run(token, () => transaction(work));
      } finally {
        active = undefined;
        release();
      }
    });
    tail = turn.then(() => undefined, () => undefined);
    return turn;
  }) as typeof manager.transaction;
}
