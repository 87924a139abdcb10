/**
 * A query's one row as raw bytes, from PostgreSQL's COPY … TO STDOUT in binary format. node-postgres
 * reads every result value as UTF-8 text, so a read of megabytes of binary records had to travel as
 * base64: PostgreSQL spent ~20 ms of a KPI half-period encoding it, Node as much again turning the text
 * into a string and the string back into bytes, and the collector the string. COPY's CopyData messages
 * reach the query as bytes.
 */
import type pg from 'pg';

/** PGCOPY\n\377\r\n\0: the signature every binary COPY stream starts with. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The fields of the first row of a binary COPY stream, each a view of its bytes (null for SQL NULL);
 * undefined when the stream holds no row, "incomplete" when the bytes end before the row does. Throws on
 * anything that is not a binary COPY stream.
 */
export function firstRowOfBinaryCopy(stream: Buffer): (Buffer | null)[] | undefined | 'incomplete' {
  if (stream.length < SIGNATURE.length) return 'incomplete';
  if (!stream.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
  // After the signature: flags (int32), then a header extension of the given length to skip.
  let at = SIGNATURE.length + 4;
  if (at + 4 > stream.length) return 'incomplete';
  at += 4 + stream.readInt32BE(at);
  if (at + 2 > stream.length) return 'incomplete';
  const fieldCount = stream.readInt16BE(at);
  at += 2;
  // -1: the trailer, no row at all.
  if (fieldCount < 0) return undefined;
  const fields: (Buffer | null)[] = [];
  for (let i = 0; i < fieldCount; i++) {
    if (at + 4 > stream.length) return 'incomplete';
    const length = stream.readInt32BE(at);
    at += 4;
    if (length < 0) {
      fields.push(null);
      continue;
    }
    if (at + length > stream.length) return 'incomplete';
    fields.push(stream.subarray(at, at + length));
    at += length;
  }
  return fields;
}

/**
 * A node-postgres "submittable" running `COPY (query) TO STDOUT (FORMAT binary)`. node-postgres calls the
 * handle* methods as the server's messages arrive; on an error it calls handleError and forgets the
 * query (no handleReadyForQuery follows). PostgreSQL sends a row as one CopyData message, here with the
 * header before it: the row is read from that message where it lies, by `read`, before node-postgres
 * reuses its receive buffer. A row split over messages (not what PostgreSQL does) is read from a copy.
 */
export class CopyOut<T> {
  private pending: Buffer | undefined;
  private outcome: { value: T | undefined } | { error: Error } | undefined;
  private settle: { resolve: (value: T | undefined) => void; reject: (error: Error) => void } | undefined;
  readonly done = new Promise<T | undefined>((resolve, reject) => {
    this.settle = { resolve, reject };
  });

  constructor(
    private readonly text: string,
    private readonly read: (fields: readonly (Buffer | null)[]) => T,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.outcome) return;
    const bytes = this.pending ? Buffer.concat([this.pending, message.chunk]) : message.chunk;
    try {
      const fields = firstRowOfBinaryCopy(bytes);
      if (fields === 'incomplete') {
        // A copy: the chunk is a view of node-postgres' receive buffer, which it reuses.
        this.pending = this.pending ? bytes : Buffer.from(bytes);
        return;
      }
      this.pending = undefined;
      this.outcome = { value: fields === undefined ? undefined : this.read(fields) };
    } catch (error) {
      this.outcome = { error: error as Error };
    }
  }

  handleCommandComplete(): void {}

  handleEmptyQuery(): void {}

  handleReadyForQuery(): void {
    const outcome = this.outcome ?? { value: undefined };
    if ('error' in outcome) this.settle?.reject(outcome.error);
    else this.settle?.resolve(outcome.value);
  }

  handleError(error: Error): void {
    this.settle?.reject(error);
  }
}

/**
 * `read` of the first row `select` returns (undefined when none), its fields as bytes: bytea as stored,
 * text in the client encoding (node-postgres sets UTF-8). The fields are views of a buffer node-postgres
 * reuses afterwards: `read` must keep none of them (decode text, copy bytes it keeps). COPY takes no
 * bind parameters, so `?` placeholders are filled with the params written out as SQL numbers, which
 * therefore must be safe integers.
 */
export async function binaryRow<T>(
  client: pg.PoolClient,
  select: string,
  params: readonly number[],
  read: (fields: readonly (Buffer | null)[]) => T,
): Promise<T | undefined> {
  let n = 0;
  const text = select.replace(/\?/g, () => {
    const value = params[n++];
    if (value === undefined || !Number.isSafeInteger(value)) {
      throw new TypeError(`binaryRow: parameter ${n} is not a safe integer`);
    }
    return String(value);
  });
  if (n !== params.length)
    throw new TypeError(`binaryRow: ${params.length} parameters for ${n} placeholders`);
  const copy = new CopyOut(`COPY (${text}) TO STDOUT (FORMAT binary)`, read);
  // client.query returns the submittable itself; its own promise says when it is done.
  client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}
