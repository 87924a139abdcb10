import { addPageRead, healthDay, healthKey, type PageRead, type ReadHealth } from '../../lib/crm/health';
import type { BatonDb, StoredReadHealth } from '../db';
import { endpointFetch } from '../endpoint';
import type { SyncDeps } from './sync';

/** Days of counts this browser keeps (the endpoint keeps the long history). */
const KEEP_DAYS = 90;

/** Adds one page's reading to today's bucket, in one transaction (two tabs may report at once). */
export async function countPageRead(database: BatonDb, read: PageRead, now: number): Promise<void> {
  const day = healthDay(now);
  const key = healthKey({ day, crm: read.crm, pageKind: read.pageKind });
  await database.transaction('rw', database.readHealth, async () => {
    const before = await database.readHealth.get(key);
    const next = addPageRead(before, read, day);
    await database.readHealth.put({
      ...next,
      key,
      updatedAt: now,
      ...(before?.sentAt ? { sentAt: before.sentAt } : {}),
    });
    const oldest = healthDay(now - KEEP_DAYS * 86_400_000);
    await database.readHealth.where('day').below(oldest).delete();
  });
}

/** This browser's counts, newest day first. */
export async function readHealthRows(database: BatonDb): Promise<ReadHealth[]> {
  const rows = await database.readHealth.orderBy('day').reverse().toArray();
  return rows.map(strip);
}

/** Buckets changed since the endpoint last took them. */
export async function unsentReadHealth(database: BatonDb): Promise<StoredReadHealth[]> {
  return (await database.readHealth.toArray()).filter(
    (r) => r.sentAt === undefined || r.sentAt < r.updatedAt,
  );
}

export async function markReadHealthSent(
  database: BatonDb,
  rows: StoredReadHealth[],
  at: number,
): Promise<void> {
  await database.transaction('rw', database.readHealth, async () => {
    const current = await database.readHealth.bulkGet(rows.map((r) => r.key));
    const sent = rows.filter((r, i) => current[i]?.updatedAt === r.updatedAt);
    await database.readHealth.bulkUpdate(sent.map((r) => ({ key: r.key, changes: { sentAt: at } })));
  });
}

function strip({
  key: _key,
  updatedAt: _updatedAt,
  sentAt: _sentAt,
  ...health
}: StoredReadHealth): ReadHealth {
  return health;
}

/**
 * Sends the buckets that changed since the endpoint last took them, with the events' sync run. Totals,
 * not increments: a report whose answer was lost is sent again and replaces, never adds. A failure
 * leaves the buckets unsent for the next run.
 */
export async function sendReadHealth(deps: SyncDeps, reporter: () => Promise<string>): Promise<number> {
  const config = await deps.config();
  if (!config || !(await deps.canReach(config.url))) return 0;
  const rows = await unsentReadHealth(deps.database);
  if (rows.length === 0) return 0;
  const id = await reporter();
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    await endpointFetch(
      config,
      '/v1/read-health',
      { method: 'POST', body: JSON.stringify({ reporter: id, counts: batch.map(strip) }) },
      deps.transport,
    );
    await markReadHealthSent(deps.database, batch, await deps.now());
  }
  return rows.length;
}
