import type { EntityTable, IDType } from 'dexie';

/**
 * Below this many keys `bulkGet` alone is as cheap: one key range read is a request of its own.
 */
const FEW_KEYS = 8;

/**
 * The rows stored under `keys`, in their order (undefined where none is stored), reading only the rows
 * the table holds. Dexie's `bulkGet` is one IndexedDB `get` per key, and each is a round trip to the
 * browser process: for a 200-row list of leads this browser had not seen, the worker's 400 gets (leads
 * and team state) were the largest part of its answer, and it ran on the machine's other core while the
 * CRM was still rendering the rows (issue 18). The keys in the list's key range come in one request;
 * only the ones stored are then read.
 *
 * Not one transaction: a row added between the two reads is read as absent, which every caller already
 * meets when another request writes the lead after its read (see `see` in answer.ts).
 */
export async function storedRows<T extends { key: string }>(
  table: EntityTable<T, 'key'>,
  keys: readonly IDType<T, 'key'>[],
): Promise<(T | undefined)[]> {
  if (keys.length < FEW_KEYS) return table.bulkGet([...keys]);
  // IndexedDB orders string keys by UTF-16 code units, as Array.prototype.sort does.
  const sorted = [...keys].sort();
  const held = new Set(
    await table.where(':id').between(sorted[0]!, sorted.at(-1)!, true, true).primaryKeys(),
  );
  const present = keys.filter((key) => held.has(key));
  if (present.length === 0) return keys.map(() => undefined);
  const rows = await table.bulkGet(present);
  const byKey = new Map(present.map((key, i) => [key, rows[i]]));
  return keys.map((key) => byKey.get(key));
}
