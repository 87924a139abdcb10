import Dexie, { type EntityTable } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { HOLD_MS, heldWritesFirst, holdWrite, writeHeld } from './held-write';

interface Row {
  key: string;
  n: number;
}

/** A database with the middleware, as BatonDb has it, and a second connection to it without. */
function databases() {
  const name = `held-${Math.random()}`;
  const withHold = new Dexie(name) as Dexie & { a: EntityTable<Row, 'key'>; b: EntityTable<Row, 'key'> };
  withHold.version(1).stores({ a: '&key', b: '&key' });
  withHold.use(heldWritesFirst);
  // What another reader sees: nothing here releases a held write.
  const plain = new Dexie(name) as Dexie & { a: EntityTable<Row, 'key'> };
  plain.version(1).stores({ a: '&key', b: '&key' });
  return { withHold, plain };
}

describe('a held write', () => {
  afterEach(() => writeHeld());

  it('is not written at once, and is written unasked once HOLD_MS have passed', async () => {
    const { withHold, plain } = databases();
    await withHold.open();
    const started = Date.now();
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 1 }));
    expect(await plain.a.get('k')).toBeUndefined();
    await expect.poll(() => plain.a.get('k'), { timeout: HOLD_MS * 3 }).toEqual({ key: 'k', n: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 5);
  });

  it('is written before the next transaction on one of its stores, which sees it', async () => {
    const { withHold } = databases();
    await withHold.open();
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 1 }));
    expect(await withHold.a.get('k')).toEqual({ key: 'k', n: 1 });
  });

  it('is written before an explicit transaction that reads and rewrites its rows, not lost under it', async () => {
    const { withHold } = databases();
    await withHold.open();
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 1 }));
    await withHold.transaction('rw', withHold.a, async () => {
      const row = await withHold.a.get('k');
      await withHold.a.put({ key: 'k', n: (row?.n ?? 0) + 1 });
    });
    expect(await withHold.a.get('k')).toEqual({ key: 'k', n: 2 });
  });

  it('stays held while other stores are used, or the same store of another database', async () => {
    const { withHold, plain } = databases();
    const another = databases().withHold;
    await withHold.open();
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 1 }));
    await withHold.b.put({ key: 'other', n: 0 });
    await another.a.put({ key: 'k', n: 9 });
    expect(await plain.a.get('k')).toBeUndefined();
  });

  it('is written, in order, when another is held after it', async () => {
    const { withHold, plain } = databases();
    await withHold.open();
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 1 }));
    holdWrite(withHold.name, ['a'], () => void withHold.a.put({ key: 'k', n: 2 }));
    await expect.poll(() => plain.a.get('k')).toEqual({ key: 'k', n: 1 });
    expect(await withHold.a.get('k')).toEqual({ key: 'k', n: 2 });
  });
});
