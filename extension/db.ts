import Dexie, { type EntityTable } from 'dexie';
import type { LeadSnapshot } from '../lib/lead';

/**
 * The extension's one IndexedDB database. Only the background worker and extension pages open it
 * (IndexedDB lives in the extension's origin); content scripts ask the worker by message.
 * A shipped `version(n)` is never edited: a change is a new version with its upgrade.
 */
export interface StoredLead {
  /** leadKeyString(): "crm:object:recordId". */
  key: string;
  snapshot: LeadSnapshot;
  firstSeenAt: number;
  lastSeenAt: number;
  timesSeen: number;
}

export class BatonDb extends Dexie {
  leads!: EntityTable<StoredLead, 'key'>;

  constructor(name = 'baton') {
    super(name);
    this.version(1).stores({
      leads: '&key, lastSeenAt',
    });
  }
}

let opened: BatonDb | undefined;

/** The worker may be killed at any moment; the handle is a cache, the data lives in IndexedDB. */
export function db(): BatonDb {
  opened ??= new BatonDb();
  return opened;
}
