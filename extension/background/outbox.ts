import { type BatonEvent, eventSchema } from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import { leadKeyString } from '../../lib/lead';
import { formatPath } from '../../lib/problems';
import { problemsFrom } from '../../lib/rules/validate';
import type { BatonDb, OutboxEntry } from '../db';

/** An event the worker refused to record: the UI shows the reason, nothing reached the outbox. */
export class EventRefused extends Error {
  constructor(readonly reason: LocalizedText) {
    super(reason.en);
  }
}

/**
 * Puts events in the outbox, checked with the same schema the endpoint applies, so an event that
 * could never be accepted is refused now, in the rep's face, rather than later in a retry loop.
 * Joins the caller's Dexie transaction when there is one (a lead update and its event commit together).
 * A key already in the outbox is a retry of the same submission (the page resent after a worker
 * restart): it is answered as saved and not stored twice.
 */
export async function record(database: BatonDb, events: unknown[], now: number): Promise<OutboxEntry[]> {
  const { valid, refused } = checked(events);
  if (refused[0]) throw refused[0];
  return store(database, valid, now);
}

/**
 * Like record, for events the worker derived itself (a list of leads seen at once): each event that
 * fails the schema is left out and its refusal returned, the rest are stored together. One read and one
 * write for the whole list, where recording them one by one cost two round trips to IndexedDB each.
 */
export async function recordEach(database: BatonDb, events: unknown[], now: number): Promise<EventRefused[]> {
  const { valid, refused } = checked(events);
  if (valid.length > 0) await store(database, valid, now);
  return refused;
}

function checked(events: unknown[]): { valid: BatonEvent[]; refused: EventRefused[] } {
  const valid: BatonEvent[] = [];
  const refused: EventRefused[] = [];
  for (const event of events) {
    const parsed = eventSchema.safeParse(event);
    if (parsed.success) valid.push(parsed.data);
    else refused.push(refusedFor(parsed.error));
  }
  return { valid, refused };
}

function refusedFor(error: Parameters<typeof problemsFrom>[0]): EventRefused {
  const problems = problemsFrom(error);
  return new EventRefused({
    ja: problems.map((p) => `${formatPath(p.path)}: ${p.message.ja}`).join(' / '),
    en: problems.map((p) => `${formatPath(p.path)}: ${p.message.en}`).join(' / '),
  });
}

async function store(database: BatonDb, events: BatonEvent[], now: number): Promise<OutboxEntry[]> {
  const entries = events.map((event) => toEntry(event, now));
  const known = await database.outbox.bulkGet(entries.map((e) => e.idempotencyKey));
  // Within one call too: the same key twice is one submission, the first one, as one by one it was.
  const fresh = new Map<string, OutboxEntry>();
  entries.forEach((entry, i) => {
    if (known[i] === undefined && !fresh.has(entry.idempotencyKey)) fresh.set(entry.idempotencyKey, entry);
  });
  if (fresh.size > 0) await database.outbox.bulkAdd([...fresh.values()]);
  return entries.map((entry, i) => known[i] ?? fresh.get(entry.idempotencyKey) ?? entry);
}

function toEntry(event: BatonEvent, now: number): OutboxEntry {
  return {
    idempotencyKey: event.idempotencyKey,
    type: event.type,
    leadKey: leadKeyString(event.lead),
    event,
    createdAt: now,
    state: 'pending',
    attempts: 0,
  };
}

/** Oldest first, at most `limit`: the order the rep recorded them in. */
export function pendingEvents(database: BatonDb, limit: number): Promise<OutboxEntry[]> {
  return database.outbox
    .where('[state+createdAt]')
    .between(['pending', -Infinity], ['pending', Infinity])
    .limit(limit)
    .toArray();
}

export async function outboxCounts(database: BatonDb): Promise<{ waiting: number; refused: OutboxEntry[] }> {
  const [waiting, refused] = await Promise.all([
    database.outbox.where('[state+createdAt]').between(['pending', -Infinity], ['pending', Infinity]).count(),
    database.outbox
      .where('[state+createdAt]')
      .between(['refused', -Infinity], ['refused', Infinity])
      .reverse()
      .limit(20)
      .toArray(),
  ]);
  return { waiting, refused };
}

/** Sent events are kept a week for the rep's own history, then dropped; refused ones are never dropped. */
export const SENT_KEPT_MS = 7 * 24 * 3_600_000;

export async function pruneSent(database: BatonDb, now: number): Promise<number> {
  return database.outbox
    .where('[state+createdAt]')
    .between(['sent', -Infinity], ['sent', now - SENT_KEPT_MS])
    .delete();
}
