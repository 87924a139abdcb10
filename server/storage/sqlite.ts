import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Database, type Sql, type SqlValue, StorageUnavailableError } from './db';

/** fdatasync of a file descriptor on libuv's thread pool, so the event loop keeps serving meanwhile. */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasync: SyncFile = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Rows written (SQLite's total_changes()) between two checkpoints (`checkpoint` in openSqlite): with the
 * load benchmark's events, a WAL of ~1,500 pages (6 MB), about 10 checkpoints a second at 5,000 events/s.
 * Paced p99 at 5,000 events/s (`BENCH_ONLY=events BENCH_BACKEND=sqlite npx tsx server/bench/load.ts`):
 * 750 rows 19, 46, 21 ms; 1,000 rows 17-31 (median of 9 runs, 25); 1,500 rows 25, 26; 2,500 rows 29-34;
 * 5,000 rows 35-38. A bigger copy stalls the loop longer; a smaller one syncs the database file more
 * often, and each of those syncs slows the WAL syncs every answer waits for. SQLite's own checkpoints
 * (every 10,000 pages, as before) gave 75-92 ms in the same session.
 */
export const CHECKPOINT_AFTER_CHANGES = 1_000;

export interface SqliteOptions {
  /** Rows written between two checkpoints (CHECKPOINT_AFTER_CHANGES). */
  checkpointAfterChanges?: number;
  /** Where a skipped or failed checkpoint is told (the endpoint's log). */
  log?: (level: 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
}

/** Connections that must outlive their store (see walOnlyCopy in openSqlite). */
const KEPT_OPEN: unknown[] = [];

/**
 * SQLite through better-sqlite3: calls are synchronous, so the async surface only exists to match the
 * PostgreSQL backend. WAL with synchronous=FULL: a commit that returned survives a crash or power loss.
 * Group commits (below) get the same guarantee another way: SQLite skips their fsync (NORMAL) and the WAL
 * is fdatasync'ed off the event loop before anyone hears "done" (`syncFile` only for tests).
 */
export function openSqlite(
  file: string,
  syncFile: SyncFile = fdatasync,
  {
    checkpointAfterChanges = CHECKPOINT_AFTER_CHANGES,
    log = (level, msg, fields) => console.error(`Baton (${level}): ${msg}`, fields),
  }: SqliteOptions = {},
): Database {
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
  // Checkpoints are this module's (`checkpoint` below), never SQLite's own inside a COMMIT: those synced
  // the WAL and then the database file on the event loop, 27-49 ms a stall, twice a second at 5k events/s.
  if (walMode) db.pragma('wal_autocheckpoint = 0');
  db.pragma('journal_size_limit = 67108864');

  // The WAL outlives every commit while this connection is open (SQLite deletes it only when the last
  // connection closes), so it is opened once, at the first sync. SQLite syncs the directory the first
  // time it syncs a new WAL (its entry must survive too); so does this, once, whoever asks first.
  let wal: number | undefined;
  let walOpened: Promise<number> | undefined;
  const openWal = () =>
    (walOpened ??= (async () => {
      // Read-write: Windows' FlushFileBuffers (its fdatasync) refuses a read-only handle.
      const fd = fs.openSync(`${file}-wal`, 'r+');
      try {
        // Windows cannot open a directory to sync it (nor needs to).
        if (process.platform !== 'win32') {
          const dir = fs.openSync(path.dirname(file), 'r');
          try {
            await syncFile(dir);
          } finally {
            fs.closeSync(dir);
          }
        }
      } catch (error) {
        fs.closeSync(fd);
        walOpened = undefined;
        throw error;
      }
      wal = fd;
      return fd;
    })());
  /**
   * Syncs the WAL. A failure refuses the store from then on, whoever asked: Linux reports a lost write
   * once per open file, so the caller that hears of it may not be the one whose frames were lost.
   */
  const syncWal = async () => {
    try {
      await syncFile(await openWal());
    } catch (error) {
      broken ??= new StorageUnavailableError(
        `SQLite: syncing the write-ahead log failed (${String(error)}); restart the endpoint`,
        { cause: error },
      );
      throw broken;
    }
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
  /**
   * Takes the connection: the wait and the claim run in one microtask, so of two waiters woken together
   * only the first takes it (waiting in a function of its own, then claiming, let both through: a read
   * or a script could then run inside a group's open transaction). Returns the release.
   */
  const take = async (): Promise<() => void> => {
    while (open) await open;
    let resolve!: () => void;
    open = new Promise<void>((done) => {
      resolve = done;
    });
    return () => {
      open = null;
      resolve();
    };
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
   * an answer still means "on disk". Checkpoints sync the database file the same way (`checkpoint`).
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

  const flushSoon = () => {
    if (queue.length > 0 && !scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const flush = async () => {
    scheduled = false;
    const release = await take();
    const group = queue;
    queue = [];
    // Queued while the failing sync was pending: refused like every call after it.
    if (group.length === 0 || broken) {
      release();
      for (const item of group) item.reject(broken);
      return;
    }
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
        // A failure refuses the group's callers (a 503) as every later call (syncWal).
        await syncWal();
      }
    } catch (error) {
      // Nobody is told a group is stored unless its COMMIT and its sync both succeeded.
      if (db.inTransaction) prepare('ROLLBACK').run();
      db.pragma('synchronous = FULL');
      for (const item of group) item.reject(error);
      return;
    } finally {
      release();
      flushSoon();
    }
    for (const { item, ok, value } of settled) (ok ? item.resolve : item.reject)(value);
    checkpointIfDue();
  };

  /**
   * A checkpoint copies the WAL's pages into the database file. The first write after a complete one
   * starts the WAL again from its beginning, overwriting pages that then exist only in the database file,
   * so those must be on disk first. SQLite's own checkpoint, run inside the COMMIT that filled the WAL,
   * made sure by syncing the WAL and then the database file: two fsyncs on the event loop, 27-49 ms, twice
   * a second at 5,000 events/s, and the paced p99 was 65-92 ms. Here:
   *   - every group's WAL is synced already, so the copy runs with synchronous=OFF (no sync): 2-5 ms.
   *     Only when another connection (another process: the `token` command, a second instance) has
   *     committed since the last copy is the WAL synced first, on the thread pool, as SQLite would;
   *   - the database file is fdatasync'ed on the thread pool, twice: first while groups go on committing
   *     (the bulk, 10-25 ms), then, with the connection held, after copying what they wrote meanwhile
   *     (a few hundred pages, 3-10 ms). Only then may a write start the WAL again;
   *   - meanwhile a read transaction on a second connection, begun before each copy, keeps every writer
   *     from starting the WAL again, other processes' included: SQLite never restarts a WAL that a reader
   *     uses (and a reader that began on a WAL already copied whole leaves nothing to copy).
   * What stays on the event loop: the copies, and the WAL header's sync when a COMMIT starts the WAL
   * again (synchronous=NORMAL keeps it), one small sync per checkpoint.
   * A crash before a sync loses nothing: the WAL, never started again, still holds every page, and
   * recovery reads it. A failed sync of the database file leaves copied pages in doubt that SQLite counts
   * as copied: the store is refused from then on (as after a failed WAL sync), the guard keeps its read
   * transaction and close() closes nothing, so that no connection starts the WAL again or deletes it on
   * closing; the next start recovers from it.
   */
  const rowsWritten = (() => {
    const statement = db.prepare('SELECT total_changes()').pluck();
    return () => statement.get() as number;
  })();
  let rowsAtCheckpoint = 0;
  let checkpointing: Promise<void> | null = null;
  let closing = false;
  /** Pages copied into the database file and not yet synced there. */
  let unsynced = false;
  /**
   * Set when a checkpoint stopped between a copy and its sync (the sync failed): the WAL is the only
   * sure copy of those pages. Both connections are then kept open to the end of the process, in
   * KEPT_OPEN: better-sqlite3 closes a connection it collects, and the last close deletes the WAL.
   */
  let walOnlyCopy = false;
  let guard: BetterSqlite3.Database | undefined;
  let databaseFd: number | undefined;
  // Changes when another connection commits (SQLite's data_version); this connection's commits leave it.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  // Unknown at first: a process that crashed between its COMMIT and its WAL sync may have left frames
  // only in the page cache, so the first copy syncs the WAL.
  let versionSynced: unknown;

  const report = (level: 'warn' | 'error', msg: string, error: unknown) => {
    try {
      log(level, msg, { error: String(error) });
    } catch {
      // A log that fails must not turn a checkpoint into an unhandled rejection.
    }
  };
  const checkpointIfDue = () => {
    if (
      walMode &&
      !broken &&
      !closing &&
      checkpointing === null &&
      rowsWritten() - rowsAtCheckpoint >= checkpointAfterChanges
    ) {
      checkpointing = checkpoint().finally(() => {
        checkpointing = null;
      });
    }
  };
  const endGuard = () => {
    if (walOnlyCopy || unsynced || !guard?.inTransaction) return;
    try {
      guard.prepare('COMMIT').run();
    } catch {
      // A guard stuck in its transaction would keep the WAL from ever starting again: its connection
      // goes (ending the transaction), and the next checkpoint opens another.
      guard.close();
      guard = undefined;
    }
  };
  /**
   * Copies the WAL into the database file, unsynced, as far as a new read transaction of the guard sees
   * (it stays open). With `hold`, the connection is taken before the guard's transaction begins, so the
   * copy reaches the WAL's end and the next write can start it again; it stays taken, and its release
   * is returned.
   */
  const copyWal = async (hold: boolean): Promise<(() => void) | undefined> => {
    let release = hold ? await take() : undefined;
    try {
      // A busy guard fails at once rather than stalling the loop: the checkpoint is then skipped.
      guard ??= new BetterSqlite3(file, { timeout: 0 });
      guard.prepare('BEGIN').run();
      // Reading is what takes the read lock; BEGIN alone takes none.
      guard.prepare('SELECT count(*) FROM sqlite_schema').get();
      const version = dataVersion.get();
      if (version !== versionSynced) {
        await syncWal();
        versionSynced = version;
      }
      release ??= await take();
      // A WAL sync that failed meanwhile (a group's) leaves frames in doubt: none is copied.
      refuseIfBroken();
      db.pragma('synchronous = OFF');
      unsynced = true;
      db.pragma('wal_checkpoint(PASSIVE)');
      db.pragma('synchronous = FULL');
    } catch (error) {
      release?.();
      throw error;
    }
    if (hold) return release;
    release();
    return undefined;
  };
  const syncDatabase = async (fd: number): Promise<void> => {
    await syncFile(fd);
    unsynced = false;
  };
  const checkpoint = async (): Promise<void> => {
    rowsAtCheckpoint = rowsWritten();
    // The group's answers go out first: this runs after their microtasks.
    await new Promise((resolve) => setImmediate(resolve));
    let held: (() => void) | undefined;
    try {
      // Opened before anything is copied: failing here leaves nothing copied and unsynced.
      databaseFd ??= fs.openSync(file, 'r+');
      await copyWal(false);
      await syncDatabase(databaseFd);
      endGuard();
      held = await copyWal(true);
      await syncDatabase(databaseFd);
      endGuard();
    } catch (error) {
      if (unsynced) {
        walOnlyCopy = true;
        KEPT_OPEN.push(db, guard);
        broken = new StorageUnavailableError(
          `SQLite: a checkpoint could not sync the database file (${String(error)}); restart the endpoint`,
          { cause: error },
        );
        report('error', 'SQLite checkpoint failed: the store is refused until a restart', error);
      } else {
        // Nothing copied is unsynced: the WAL is whole, and the next checkpoint copies it.
        if (!broken) report('warn', 'SQLite checkpoint skipped', error);
        endGuard();
      }
    } finally {
      held?.();
      flushSoon();
    }
  };

  /**
   * Outside a transaction, a call waits for the group commit in progress, then checks again: a call that
   * waited on a sync that then failed must not read (or write over) rows that were never made durable.
   * The wait, the check and the statement run in one microtask, so no group can begin in between.
   */
  const afterGroupCommit = async <T>(statement: () => Promise<T>): Promise<T> => {
    while (open) await open;
    refuseIfBroken();
    return statement();
  };

  return {
    dialect: 'sqlite',
    all(sql, params) {
      return afterGroupCommit(() => direct.all(sql, params));
    },
    get(sql, params) {
      return afterGroupCommit(() => direct.get(sql, params));
    },
    async run(sql, params) {
      const changes = await afterGroupCommit(() => direct.run(sql, params));
      // Writes outside a group (tokens, settings, refused intake) fill the WAL too.
      checkpointIfDue();
      return changes;
    },
    rows(sql, params) {
      return afterGroupCommit(() => direct.rows(sql, params));
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
      const release = await take();
      try {
        db.exec(script);
      } finally {
        release();
      }
    },
    async close() {
      closing = true;
      await checkpointing;
      const release = await take();
      // Whatever waits or comes after is refused rather than left waiting.
      broken ??= new StorageUnavailableError('SQLite: the store is closed');
      try {
        // See walOnlyCopy: closing the last connection would delete the WAL, the pages' only sure copy.
        if (walOnlyCopy) return;
        guard?.close();
        db.close();
        // After the connections: closing any descriptor of the file drops this process's locks on it.
        if (wal !== undefined) fs.closeSync(wal);
        if (databaseFd !== undefined) fs.closeSync(databaseFd);
      } finally {
        release();
        flushSoon();
      }
    },
  };
}
