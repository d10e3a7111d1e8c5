import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { sqliteConnection } from './sqlite-gate.js';

/** At most one checkpoint per this many ms, so that a page written again and again is copied once per round. */
const ROUND_MS = 100;
/**
 * The connection's own checkpoint starts only when the WAL holds this many pages (16 MB): a net for when the
 * thread lags or is gone, and what lets the WAL start over from its beginning under constant writing.
 */
const FALLBACK_PAGES = 4000;

/**
 * Runs in the thread: a second connection to the same file that copies committed pages from the WAL into
 * the database (a PASSIVE checkpoint: it never waits for or blocks the writer). CommonJS, since it is evaluated.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    process.exit(0);
  }
  let error = null;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (caught) {
    error = String(caught && caught.message || caught);
  }
  setTimeout(() => parentPort.postMessage(error), workerData.roundMs);
});
`;

/**
 * SQLite in WAL mode appends every commit to the WAL; a checkpoint copies those pages into the database file
 * and syncs it. By default the committing connection does that itself every 1,000 pages, inside a COMMIT, on
 * the one thread that also serves every request: measured here, a quarter of the engine's SQLite time and a
 * stall on fsync every few commits. This moves it to a worker thread with a connection of its own, nudged
 * after commits; the server's connection checkpoints only as a fallback (FALLBACK_PAGES).
 */
export class SqliteCheckpointer {
  private readonly logger = new Logger('SqliteCheckpointer');
  private readonly worker: Worker;
  /** A round is running or waiting out ROUND_MS. */
  private busy = false;
  /** A commit came during the round: another one follows it. */
  private pending = false;
  private failed = false;
  private closing: Promise<void> | undefined;

  private constructor(path: string) {
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: { path, module: createRequire(import.meta.url).resolve('better-sqlite3'), roundMs: ROUND_MS },
    });
    this.worker.unref();
    this.worker.on('message', (error: string | null) => {
      if (error) this.logger.warn(`Checkpoint failed (the connection's own checkpoint goes on): ${error}`);
      this.busy = false;
      // Commits made during the round wrote pages it may not have seen.
      if (this.pending) this.nudge();
    });
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', () => this.stop());
  }

  /** Starts the thread for a SQLite data source on a file, and lets the server's connection checkpoint only as a fallback. */
  static start(dataSource: DataSource): SqliteCheckpointer | undefined {
    const options = dataSource.options;
    if (options.type !== 'better-sqlite3' || !options.database || options.database === ':memory:') return undefined;
    sqliteConnection(dataSource).pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
    return new SqliteCheckpointer(options.database);
  }

  /** After a commit: a round of copying starts now, or after the one under way. */
  nudge(): void {
    if (this.failed) return;
    this.pending = this.busy;
    if (this.busy) return;
    this.busy = true;
    this.worker.postMessage('checkpoint');
  }

  /** Closes the thread's connection (before the server's own, which then checkpoints what is left and removes the WAL). */
  close(): Promise<void> {
    this.closing ??= this.failed ? Promise.resolve() : new Promise<void>((resolve) => {
      this.failed = true;
      this.worker.once('exit', () => resolve());
      // Kept alive until the thread is gone: nothing else may be left to wait for.
      this.worker.ref();
      this.worker.postMessage('close');
    });
    return this.closing;
  }

  private stop(error?: Error): void {
    if (error) this.logger.warn(`The checkpoint thread stopped (the connection's own checkpoint takes over): ${error.message}`);
    this.failed = true;
  }
}
