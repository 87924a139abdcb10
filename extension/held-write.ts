import Dexie, { type DBCore, type Middleware } from 'dexie';

/**
 * A write the worker holds back for a moment: a page's lead cache refreshed while the page that asked is
 * still rendering. A 200-row list's write (200 leads, ~210 KB) ran on the machine's other core during
 * the CRM's own render of those rows, and the chips wait for that render: with Baton the render took
 * 10-16 ms longer than without, 7-9 ms with the write held (2 cores, medians of 7 paired rounds, twice).
 *
 * Held, not hidden from reads: the middleware below starts the held write before any other transaction
 * on one of its stores is created, and IndexedDB runs overlapping transactions in the order they were
 * created, so every later read (the next sighting's read-modify-write included) sees it. The write must
 * therefore create its transaction when called: a single-table Dexie write does; an explicit
 * `db.transaction()` creates it a microtask later, after the transaction that released it.
 *
 * Only a list's write that queues no event is held (see `see` in background/answer.ts). A worker that
 * dies within HOLD_MS (the browser closing: an idle worker lives 30 s after its last event) loses a cache
 * refresh that the lead's next sighting writes again. A request on those stores within HOLD_MS waits for
 * the held write, as it waited before for a write that had not committed yet.
 */
export const HOLD_MS = 1000;

interface Held {
  /** The database's name: another database's stores of the same names do not release it. */
  database: string;
  stores: readonly string[];
  write: () => void;
  timer: ReturnType<typeof setTimeout>;
}

let held: Held | undefined;

/**
 * Holds `write` (which starts a transaction on `stores` of `database`) for HOLD_MS, or until one of
 * `stores` is next used.
 */
export function holdWrite(database: string, stores: readonly string[], write: () => void): void {
  writeHeld();
  held = { database, stores, write, timer: setTimeout(writeHeld, HOLD_MS) };
}

/** Starts the held write now, if there is one. */
export function writeHeld(): void {
  const release = held;
  if (!release) return;
  held = undefined;
  clearTimeout(release.timer);
  // In no transaction's zone, whichever code released it: the held write is a transaction of its own.
  // (Nothing in the worker runs a liveQuery, whose zone this would not leave.) A write that throws at
  // once must not fail the unrelated transaction that released it.
  try {
    Dexie.ignoreTransaction(release.write);
  } catch (error) {
    console.warn('Baton: a held write could not start', error);
  }
}

/** Installed on the database: a held write goes first whenever its stores are about to be used. */
export const heldWritesFirst: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'held-writes-first',
  create: (down) => ({
    ...down,
    transaction(stores, mode, options) {
      if (held?.database === down.schema.name && held.stores.some((store) => stores.includes(store)))
        writeHeld();
      return down.transaction(stores, mode, options);
    },
  }),
};
