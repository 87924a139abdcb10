import Dexie from 'dexie';

/**
 * Test support: the extension's database as a browser on an older release has it on disk, for the
 * upgrade tests. The schema each release shipped, oldest first (6 keeps 5's indexes: it renamed alert
 * rows, see extension/db.ts).
 */
const SHIPPED_SCHEMAS: Record<string, string>[] = [
  { leads: '&key, lastSeenAt' },
  { rules: '&slot' },
  {
    outbox: '&idempotencyKey, [state+createdAt], leadKey',
    syncChannels: '&channel',
    teamState: '&key, fetchedAt',
  },
  { reminders: '&kind' },
  { alerts: '&id, leadKey' },
  { alerts: '&id, leadKey' },
  { readHealth: '&key, day, updatedAt', pageMaps: '&slot' },
  { rules: '&slot' },
];

/** A database of its own, as a browser still on release `release` has it on disk. */
export function shippedDb(release: number): Dexie {
  const db = new Dexie(`db-upgrade-${Math.random()}`);
  for (const [i, stores] of SHIPPED_SCHEMAS.slice(0, release).entries()) db.version(i + 1).stores(stores);
  return db;
}
