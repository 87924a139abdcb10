import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { openDatabase } from '../server';
import { describeBackends, TEST_ENV } from '../test/harness';
import { CopyOut, firstRowOfBinaryCopy } from './pg-copy';

/** A binary COPY stream written out by hand from the format PostgreSQL documents for COPY BINARY. */
function copyStream(rows: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const int = (bytes: 2 | 4, n: number) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 2) b.writeInt16BE(n);
    else b.writeInt32BE(n);
    return b;
  };
  parts.push(int(4, 0), int(4, extension.length), extension);
  for (const row of rows) {
    parts.push(int(2, row.length));
    for (const field of row) parts.push(...(field === null ? [int(4, -1)] : [int(4, field.length), field]));
  }
  parts.push(int(2, -1));
  return Buffer.concat(parts);
}

describe('firstRowOfBinaryCopy', () => {
  it('gives the first row, bytes as sent and NULL as null, past a header extension', () => {
    const bytes = Buffer.from([0, 1, 254, 255]);
    const text = Buffer.from('佐藤 花子', 'utf8');
    const stream = copyStream([[bytes, null, text], [Buffer.from('second row')]], Buffer.from('ext'));
    const row = firstRowOfBinaryCopy(stream);
    if (!Array.isArray(row)) throw new Error(`no row: ${row}`);
    expect(row).toHaveLength(3);
    expect(row[0]!.equals(bytes)).toBe(true);
    expect(row[1]).toBeNull();
    expect(row[2]!.toString('utf8')).toBe('佐藤 花子');
  });

  it('gives undefined for a stream without rows and refuses what is not a binary COPY stream', () => {
    expect(firstRowOfBinaryCopy(copyStream([]))).toBeUndefined();
    expect(() => firstRowOfBinaryCopy(Buffer.from('id\tname\n1\tfoo\n'))).toThrow(/not a binary COPY stream/);
  });

  it('says when the bytes end before the row does, wherever they end', () => {
    const stream = copyStream([[Buffer.alloc(100, 7), null, Buffer.from('x')]]);
    // The row ends 2 bytes before the stream (the trailer): every shorter cut is incomplete.
    for (let end = 0; end < stream.length - 2; end++) {
      expect(firstRowOfBinaryCopy(stream.subarray(0, end))).toBe('incomplete');
    }
    expect(firstRowOfBinaryCopy(stream.subarray(0, stream.length - 2))).toHaveLength(3);
  });
});

describe('CopyOut', () => {
  it('reads a row that comes in pieces, from its own copy of each piece', async () => {
    const stream = copyStream([[Buffer.from('佐藤 花子', 'utf8'), null, Buffer.alloc(300, 9)]]);
    const copy = new CopyOut('COPY (SELECT 1) TO STDOUT (FORMAT binary)', (fields) =>
      fields.map((f) => (f === null ? null : f.toString('hex'))),
    );
    // One receive buffer, reused for every piece as node-postgres reuses its own.
    const received = Buffer.alloc(stream.length);
    for (let at = 0; at < stream.length; at += 7) {
      const piece = stream.subarray(at, Math.min(at + 7, stream.length));
      piece.copy(received);
      copy.handleCopyData({ chunk: received.subarray(0, piece.length) });
      received.fill(0);
    }
    copy.handleCommandComplete();
    copy.handleReadyForQuery();
    expect(await copy.done).toEqual([
      Buffer.from('佐藤 花子', 'utf8').toString('hex'),
      null,
      Buffer.alloc(300, 9).toString('hex'),
    ]);
  });

  it('rejects with what the server or the read said', async () => {
    const failing = new CopyOut('', () => 1);
    failing.handleError(new Error('relation "x" does not exist'));
    await expect(failing.done).rejects.toThrow(/does not exist/);
    const refusing = new CopyOut('', () => {
      throw new Error('refused by read');
    });
    refusing.handleCopyData({ chunk: copyStream([[Buffer.from('x')]]) });
    refusing.handleReadyForQuery();
    await expect(refusing.done).rejects.toThrow(/refused by read/);
  });
});

describeBackends('binaryRow', (backend) => {
  if (backend.name === 'sqlite') {
    it('is PostgreSQL only: SQLite readers read text', async () => {
      const db = await openDatabase(loadConfig({ ...TEST_ENV, ...backend.freshDatabase() }));
      try {
        await db.snapshotReads(2, async (readers) => {
          for (const reader of readers) expect(reader.binaryRow).toBeUndefined();
        });
      } finally {
        await db.close();
      }
    });
    return;
  }

  it('reads every byte value and UTF-8 text as stored, from the pool and from snapshot readers', async () => {
    const db = await openDatabase(loadConfig({ ...TEST_ENV, ...backend.freshDatabase() }));
    try {
      // Every byte value 0-255, then Japanese text and a NULL; ? placeholders filled with integers.
      const sql =
        "SELECT (SELECT string_agg(set_byte('\\x00'::bytea, 0, b), '') FROM generate_series(0, 255) AS b), '佐藤 花子' || CAST(? AS text), NULL::text, CAST(? AS BIGINT) * 2";
      const expected = Buffer.from(Array.from({ length: 256 }, (_, b) => b));
      // Read as binaryRow's contract says: nothing of the fields kept, only what is taken out of them.
      const read = (fields: readonly (Buffer | null)[]) => ({
        allBytes: fields[0]!.equals(expected),
        text: fields[1]!.toString('utf8'),
        none: fields[2],
        // int8 in binary: 8 bytes big-endian.
        doubled: fields[3]!.readBigInt64BE(),
      });
      const expectedRow = {
        allBytes: true,
        text: '佐藤 花子-7',
        none: null,
        doubled: 2n * 1_764_000_000_000n,
      };
      expect(await db.binaryRow!(sql, [-7, 1_764_000_000_000], read)).toEqual(expectedRow);
      await db.snapshotReads(2, async (readers) => {
        for (const reader of readers) {
          expect(await reader.binaryRow!(sql, [-7, 1_764_000_000_000], read)).toEqual(expectedRow);
        }
      });
    } finally {
      await db.close();
    }
  });

  it('refuses parameters that are not safe integers, and a failed read leaves the connection usable', async () => {
    const db = await openDatabase(loadConfig({ ...TEST_ENV, ...backend.freshDatabase() }));
    try {
      const int = (fields: readonly (Buffer | null)[]) => fields[0]!.readInt32BE();
      await expect(db.binaryRow!('SELECT ?', [0.5], int)).rejects.toThrow(/safe integer/);
      await expect(db.binaryRow!('SELECT ?', [], int)).rejects.toThrow(/safe integer/);
      await expect(db.binaryRow!('SELECT 1', [1], int)).rejects.toThrow(/placeholders/);
      await db.snapshotReads(1, async ([reader]) => {
        await expect(reader!.binaryRow!('SELECT 1 / 0', [], int)).rejects.toThrow(/division by zero/);
      });
      // A read that throws rejects the call, and the connection still answers.
      const refuse = () => {
        throw new Error('refused by read');
      };
      await expect(db.binaryRow!('SELECT 1', [], refuse)).rejects.toThrow(/refused by read/);
      expect(await db.binaryRow!('SELECT CAST(? AS int)', [41], int)).toBe(41);
      expect(await db.binaryRow!('SELECT 1 WHERE false', [], int)).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
