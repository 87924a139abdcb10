import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Database, type Sql, type SqlValue, StorageUnavailableError } from './db';

/** fdatasync of a file descriptor on libuv's thread pool, so the event loop keeps serving meanwhile. */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasync: SyncFile = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * SQLite through better-sqlite3: calls are synchronous, so the async surface only exists to match the
 * PostgreSQL backend. WAL with synchronous=FULL: a commit that returned survives a crash or power loss.
 * Group commits (below) get the same guarantee another way: SQLite skips their fsync (NORMAL) and the WAL
 * is fdatasync'ed off the event loop before anyone hears "done" (`syncFile` only for tests).
 */
export function openSqlite(file: string, syncFile: SyncFile = fdatasync): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  // Where WAL is impossible (some network file systems) SQLite keeps a rollback journal: group commits
  // then keep synchronous=FULL and sync in COMMIT, as before.
  const walMode = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Index pages touched by random idempotency keys stay in memory (measured: about +30% events/s).
  db.pragma('cache_size = -65536');
  // A checkpoint (WAL copied into the database file, then fsync) every ~40 MB of WAL rather than 4 MB.
  // Tried and dropped: checkpointing from a worker thread; on 2 cores its I/O made the p99 worse. Tried
  // again with passes that never hold the writer but for the last few frames (so the WAL still restarts):
  // an inline checkpoint does stall the loop 40-190 ms about once a second at 5k events/s, yet the worker's
  // database fsyncs slowed the WAL syncs every answer waits for; paired paced p99, 8 pairs at load ~3:
  // median ~240 ms against ~148 inline.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');

  // The WAL outlives every commit while this connection is open (SQLite deletes it only when the last
  // connection closes), so it is opened once, at the first group commit. SQLite syncs the directory the
  // first time it syncs a new WAL (its entry must survive too); so does this.
  let wal: number | undefined;
  const syncWal = async () => {
    if (wal === undefined) {
      // Read-write: Windows' FlushFileBuffers (its fdatasync) refuses a read-only handle.
      wal = fs.openSync(`${file}-wal`, 'r+');
      // Windows cannot open a directory to sync it (nor needs to).
      if (process.platform !== 'win32') {
        const dir = fs.openSync(path.dirname(file), 'r');
        try {
          await syncFile(dir);
        } finally {
          fs.closeSync(dir);
        }
      }
    }
    await syncFile(wal);
  };

  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      // Multi-row inserts vary with the batch size; the cache stays bounded by clearing, not evicting.
      if (statements.size > 500) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new StorageUnavailableError('SQLite database is busy', { cause: error });
      }
      throw error;
    }
  };
  const rawStatements = new Map<string, BetterSqlite3.Statement>();
  const prepareRaw = (sql: string) => {
    let stmt = rawStatements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql).raw(true);
      if (rawStatements.size > 100) rawStatements.clear();
      rawStatements.set(sql, stmt);
    }
    return stmt;
  };
  const direct: Sql = {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      wrap(() => prepare(sql).all(...params) as T[]),
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      wrap(() => prepare(sql).get(...params) as T | undefined),
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      wrap(() => prepare(sql).run(...params).changes),
    rows: async (sql: string, params: readonly SqlValue[] = []) =>
      wrap(() => prepareRaw(sql).all(...params) as unknown[][]),
  };

  // One connection: while a transaction awaits between statements, other callers must not run statements
  // on it (they would join or see the open transaction), so they wait for it to end.
  let open: Promise<void> | null = null;
  const idle = async () => {
    while (open) await open;
  };

  /**
   * Group commit. Transactions asked for in the same turn run together: one BEGIN IMMEDIATE, each inside
   * its own SAVEPOINT (atomic on its own: a failure rolls back only its part), one COMMIT.
   *
   * A COMMIT with synchronous=FULL waits for an fsync, and better-sqlite3 blocked the event loop while it
   * did: measured 16 ms a commit under intake load on a busy 2-core machine, time no request was read or
   * answered. So a group commits with synchronous=NORMAL (the WAL written, not synced) and the WAL is then
   * fdatasync'ed on the thread pool: the same write reaches the disk, the loop meanwhile reads and checks
   * the next requests, and they make the next group larger. The group holds the connection until that
   * sync has returned, so neither its callers nor any other reader here hears of it before it is on disk:
   * an answer still means "on disk". Checkpoints still sync the WAL and the database file (NORMAL does).
   */
  type Queued = {
    fn: (tx: Sql) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  };
  let queue: Queued[] = [];
  let scheduled = false;
  /**
   * Set when a WAL sync failed after its COMMIT: those rows are visible here but may never reach the disk
   * (Linux can report a lost write once, then sync "successfully"), so a retry must not be answered from
   * them. Every later call is refused; a restart reads what the disk really holds.
   */
  let broken: StorageUnavailableError | null = null;
  const refuseIfBroken = () => {
    if (broken) throw broken;
  };

  const flush = async () => {
    scheduled = false;
    await idle();
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    // Queued while the failing sync was pending: refused like every call after it.
    if (broken) {
      for (const item of group) item.reject(broken);
      return;
    }
    let release!: () => void;
    open = new Promise((resolve) => {
      release = resolve;
    });
    const settled: { item: Queued; ok: boolean; value: unknown }[] = [];
    try {
      // A pragma, not part of the transaction: it cannot change inside one.
      if (walMode) db.pragma('synchronous = NORMAL');
      wrap(() => prepare('BEGIN IMMEDIATE').run());
      for (const item of group) {
        prepare('SAVEPOINT unit').run();
        try {
          const value = await item.fn(direct);
          prepare('RELEASE unit').run();
          settled.push({ item, ok: true, value });
        } catch (error) {
          prepare('ROLLBACK TO unit').run();
          prepare('RELEASE unit').run();
          settled.push({ item, ok: false, value: error });
        }
      }
      wrap(() => prepare('COMMIT').run());
      if (walMode) {
        db.pragma('synchronous = FULL');
        try {
          await syncWal();
        } catch (error) {
          broken = new StorageUnavailableError(
            `SQLite: syncing the write-ahead log failed after a commit (${String(error)}); restart the endpoint`,
            { cause: error },
          );
          // The group's callers get the same refusal (a 503) as every later call.
          throw broken;
        }
      }
    } catch (error) {
      // Nobody is told a group is stored unless its COMMIT and its sync both succeeded.
      if (db.inTransaction) prepare('ROLLBACK').run();
      db.pragma('synchronous = FULL');
      for (const item of group) item.reject(error);
      return;
    } finally {
      open = null;
      release();
      if (queue.length > 0 && !scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }
    for (const { item, ok, value } of settled) (ok ? item.resolve : item.reject)(value);
  };

  /**
   * Outside a transaction, a call waits for the group commit in progress, then checks again: a call that
   * waited on a sync that then failed must not read (or write over) rows that were never made durable.
   */
  const afterGroupCommit = async () => {
    if (open) await idle();
    refuseIfBroken();
  };

  return {
    dialect: 'sqlite',
    async all(sql, params) {
      await afterGroupCommit();
      return direct.all(sql, params);
    },
    async get(sql, params) {
      await afterGroupCommit();
      return direct.get(sql, params);
    },
    async run(sql, params) {
      await afterGroupCommit();
      return direct.run(sql, params);
    },
    async rows(sql, params) {
      await afterGroupCommit();
      return direct.rows(sql, params);
    },
    transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (broken) return reject(broken);
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async snapshotReads(_parallel, fn) {
      // better-sqlite3 runs a statement to its end before anything else: one statement is one snapshot.
      return fn([this]);
    },
    async exec(script) {
      await idle();
      db.exec(script);
    },
    async close() {
      await idle();
      if (wal !== undefined) fs.closeSync(wal);
      db.close();
    },
  };
}
