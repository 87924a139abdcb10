/**
 * The one SQL surface both backends offer. Queries are written once with `?` placeholders in SQL that
 * SQLite and PostgreSQL both accept; the few dialect differences are named in `Dialect` helpers.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | null;

const named = new Map<string, string>();
/**
 * Marks SQL whose text never varies: PostgreSQL parses and plans it once per connection (a named
 * prepared statement) instead of at every call. SQLite caches every statement anyway.
 */
export function prepared(sql: string): string {
  if (!named.has(sql)) named.set(sql, `baton_${named.size + 1}`);
  return sql;
}
/** The statement name `prepared` gave this SQL, if any. */
export function preparedName(sql: string): string | undefined {
  return named.get(sql);
}

export interface Sql {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Rows as arrays in the select list's order: for reads of hundreds of thousands of rows, where building
   * an object per row (and hashing its column names) is most of the cost.
   */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  /**
   * PostgreSQL only (pg-copy.ts): `read` of the first row a read returns, each field's raw bytes (null for
   * NULL), for reads of megabytes of binary records that a text result would turn into a string first.
   * The fields are views of a buffer reused afterwards: `read` keeps none of them. The params are written
   * into the SQL, so they must be safe integers.
   */
  binaryRow?<T>(
    sql: string,
    params: readonly number[],
    read: (fields: readonly (Buffer | null)[]) => T,
  ): Promise<T | undefined>;
}

export interface Database extends Sql {
  readonly dialect: Dialect;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws. On SQLite the write
   * lock is taken at the start (BEGIN IMMEDIATE), so a check and the write that depends on it cannot be
   * split by another writer; on PostgreSQL rows that decide a write are locked with `forUpdate`.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs fn with up to `parallel` readers that all see one and the same snapshot of the database, so a
   * large read split across them is as consistent as one query. SQLite gives one reader (its reads are
   * in-process and a split gains nothing); PostgreSQL gives several connections sharing an exported
   * snapshot, or one when the pool has no spare connection (waiting for one while holding another could
   * starve the pool).
   */
  snapshotReads<T>(parallel: number, fn: (readers: Sql[]) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** Row lock for a read that decides a write: PostgreSQL needs it, SQLite's BEGIN IMMEDIATE already serialises. */
export function forUpdate(dialect: Dialect, skipLocked = false): string {
  if (dialect === 'sqlite') return '';
  return skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

/** "?, ?, ?" for n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** "(?, ?), (?, ?)" for a multi-row VALUES list. */
export function valueRows(count: number, width: number): string {
  const one = `(${placeholders(width)})`;
  return Array.from({ length: count }, () => one).join(', ');
}

/** A database that could not be reached or was busy past its timeout: the client should retry (503). */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}
