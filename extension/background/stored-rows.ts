import type { EntityTable, IDType } from 'dexie';

/**
 * Below this many keys, plain `bulkGet`: a record page's sighting asks for one key, where a key-range read
 * first would only add a request. (Measured at 200 keys, not at the threshold itself.)
 */
const FEW_KEYS = 8;

/**
 * How many stored keys the key-range read brings per key asked, at most. The range between a list's first
 * and last key also holds leads the list does not show (a Salesforce list's ids can span most of what
 * this browser has stored); beyond this many, the rest of the list is read by key, as before.
 */
const RANGE_KEYS_PER_KEY = 4;

/**
 * The rows stored under `keys`, in their order (undefined where none is stored), reading only the rows
 * the table holds. Dexie's `bulkGet` is one IndexedDB `get` per key, each a round trip to the browser
 * process: for a 200-row list of leads this browser had not seen, a sighting's 600 gets (leads and team
 * state, and team state again in the refresh after the answer) were the largest frame of the worker's
 * profile, and they ran on the machine's other core while the CRM was still rendering the rows (issue 18).
 * The stored keys in the list's key range come in one request; only the ones stored are then read.
 *
 * Not one transaction: a row added between the two reads is read as absent. `see` (answer.ts) already
 * meets that for any write after its read; the team-state refresh asks the endpoint about such a lead
 * once more than it needed to.
 */
export async function storedRows<T extends { key: string }>(
  table: EntityTable<T, 'key'>,
  keys: readonly IDType<T, 'key'>[],
): Promise<(T | undefined)[]> {
  // No keys, no read: an empty bulkGet still opens a transaction (on leads, one that releases a held write).
  if (keys.length === 0) return [];
  if (keys.length < FEW_KEYS) return table.bulkGet([...keys]);
  // IndexedDB orders string keys by UTF-16 code units, as Array.prototype.sort and `>` do.
  const sorted = [...keys].sort();
  const limit = RANGE_KEYS_PER_KEY * keys.length;
  const inRange = await table
    .where(':id')
    .between(sorted[0]!, sorted.at(-1)!, true, true)
    .limit(limit)
    .primaryKeys();
  const held = new Set(inRange);
  // A range cut short at the limit says nothing of the keys after its last one: those are read by key.
  const unknownAfter = inRange.length < limit ? undefined : inRange.at(-1);
  const present = keys.filter((key) => held.has(key) || (unknownAfter !== undefined && key > unknownAfter));
  if (present.length === 0) return keys.map(() => undefined);
  const rows = await table.bulkGet(present);
  const byKey = new Map(present.map((key, i) => [key, rows[i]]));
  return keys.map((key) => byKey.get(key));
}
