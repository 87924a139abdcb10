import pg from 'pg';
import { type Database, preparedName, type Sql, type SqlValue, StorageUnavailableError } from './db';
import { binaryRow } from './pg-copy';

export interface PostgresOptions {
  url: string;
  schema: string;
  poolSize: number;
  /** Server-side cap per statement, so a stuck query frees its connection. */
  statementTimeoutMs: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
/** BIGINT columns hold epoch milliseconds and sequence numbers, all far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** SQL is written with `?`; PostgreSQL wants $1, $2... (none of our SQL has a literal question mark). */
const converted = new Map<string, string>();
function toPg(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (converted.size > 1000) converted.clear();
    converted.set(sql, out);
  }
  return out;
}

// Connection refused/reset, admin shutdown, too many connections, statement timeout, serialization trouble.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '53300',
  '57014',
]);

function translate(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : '';
  if (
    (code && UNAVAILABLE_CODES.has(code)) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  ) {
    return new StorageUnavailableError('PostgreSQL is unavailable', { cause: error });
  }
  return error;
}

function sqlOn(client: pg.Pool | pg.PoolClient): Sql {
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      const name = preparedName(sql);
      return await client.query(
        name ? { name, text: toPg(sql), values: params as unknown[] } : toPg(sql),
        name ? undefined : (params as unknown[]),
      );
    } catch (error) {
      throw translate(error);
    }
  };
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rowCount ?? 0,
    rows: async (sql: string, params: readonly SqlValue[] = []) => {
      try {
        const result = await client.query<unknown[]>({
          text: toPg(sql),
          values: params as unknown[],
          rowMode: 'array',
        });
        return result.rows;
      } catch (error) {
        throw translate(error);
      }
    },
    binaryRow: async <T>(
      sql: string,
      params: readonly number[],
      read: (fields: readonly (Buffer | null)[]) => T,
    ) => {
      // A pool lends a client for the one COPY; a reader of snapshotReads is one already.
      let lent: pg.PoolClient | undefined;
      try {
        if (client instanceof pg.Pool) lent = await client.connect();
        return await binaryRow(lent ?? (client as pg.PoolClient), sql, params, read);
      } catch (error) {
        throw translate(error);
      } finally {
        lent?.release();
      }
    },
  };
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    options: `-c search_path=${options.schema}`,
    types,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  } catch (error) {
    // Two instances starting together race on IF NOT EXISTS; the loser sees the schema's catalog row.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') {
      await pool.end();
      throw translate(error);
    }
  }
  const direct = sqlOn(pool);
  return {
    dialect: 'postgres',
    ...direct,
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(sqlOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw translate(error);
      } finally {
        client.release(broken);
      }
    },
    async snapshotReads(parallel, fn) {
      // Only take extra connections the pool has to spare right now; otherwise read on one.
      const spare = pool.idleCount + (options.poolSize - pool.totalCount);
      const count = Math.max(1, Math.min(parallel, spare));
      const clients: pg.PoolClient[] = [];
      try {
        for (let i = 0; i < count; i++) clients.push(await pool.connect());
      } catch (error) {
        for (const client of clients) client.release();
        throw translate(error);
      }
      let broken = false;
      try {
        const [first, ...others] = clients;
        await first!.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await first!.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
        const snapshot = rows[0]!.snapshot;
        // An exported snapshot's name is hex digits and dashes; it cannot be a bind parameter.
        if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`Unexpected snapshot name ${snapshot}`);
        for (const client of others) {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
        }
        const result = await fn(clients.map((client) => sqlOn(client)));
        for (const client of clients) await client.query('COMMIT');
        return result;
      } catch (error) {
        for (const client of clients) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
        }
        throw translate(error);
      } finally {
        for (const client of clients) client.release(broken);
      }
    },
    async exec(script) {
      try {
        await pool.query(script);
      } catch (error) {
        throw translate(error);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
