import Dexie, { type EntityTable } from 'dexie';
import type { LeadSnapshot } from '../lib/lead';
import type { LeadView } from '../lib/lead-view';

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
  /** The last evaluation shown for this lead, so lists and the popup render without recomputing. */
  view?: LeadView;
  /** A rep's explicit "contacted" mark (epoch ms): stops the SLA clock when the CRM page does not show it. */
  markedContactedAt?: number | null;
  /**
   * When this browser first saw the CRM status say "contacted or beyond" with no dated activity to
   * show when: kept so the SLA verdict does not drift with every evaluation.
   */
  statusContactSeenAt?: number | null;
}

/**
 * A rule set this browser holds: the one in force ('active'). Stored as received and validated again
 * on every load: stored data is a boundary too (an older release may have written it).
 */
export interface StoredRules {
  slot: 'active';
  rules: unknown;
  source: 'default' | 'endpoint' | 'import';
  /** The endpoint's ETag, for If-None-Match. */
  etag?: string;
  receivedAt: number;
}

export class BatonDb extends Dexie {
  leads!: EntityTable<StoredLead, 'key'>;
  rules!: EntityTable<StoredRules, 'slot'>;

  constructor(name = 'baton') {
    super(name);
    this.version(1).stores({
      leads: '&key, lastSeenAt',
    });
    this.version(2).stores({
      rules: '&slot',
    });
  }
}

let opened: BatonDb | undefined;

/** The worker may be killed at any moment; the handle is a cache, the data lives in IndexedDB. */
export function db(): BatonDb {
  opened ??= new BatonDb();
  return opened;
}
