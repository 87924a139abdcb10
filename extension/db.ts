import Dexie, { type EntityTable } from 'dexie';
import { alertId } from '../lib/alerts';
import type { ReadHealth } from '../lib/crm/health';
import type { PageMap } from '../lib/crm/page-map';
import type { BatonEvent, EventType, FeedbackVerdict, LeadTeamState, Role } from '../lib/events';
import type { LocalizedText } from '../lib/i18n';
import type { LeadSnapshot, Stage } from '../lib/lead';
import type { LeadView } from '../lib/lead-view';
import { upgradeRuleSet } from '../lib/rules/upgrade';
import { markLead, marksOnWrite, markTeamState } from './awaiting-contact';
import { heldWritesFirst } from './held-write';

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
  /**
   * When this browser last read the lead's record page (epoch ms); absent: only list rows were read,
   * and the view is partial.
   */
  recordReadAt?: number;
  /** The last evaluation shown for this lead, so lists and the popup render without recomputing. */
  view?: LeadView;
  /** A rep's explicit "contacted" mark (epoch ms): stops the SLA clock when the CRM page does not show it. */
  markedContactedAt?: number | null;
  /**
   * When this browser first saw the CRM status say "contacted or beyond" with no dated activity to
   * show when: kept so the SLA verdict does not drift with every evaluation.
   */
  statusContactSeenAt?: number | null;
  /**
   * What this browser already put in the outbox about the lead, so a re-render never records the same
   * handoff or stage change twice (added in version 3; absent on older rows).
   */
  reported?: {
    handoffAt?: number;
    stage?: Stage;
    firstContactAt?: number;
    /** The rules version in force when the handoff was first seen (0: the built-in default). */
    rulesVersion?: number;
    /** When this browser last recorded feedback on the lead. */
    feedbackAt?: number;
    /** That feedback's verdict (absent on rows from before it was kept). */
    verdict?: FeedbackVerdict;
  };
  /**
   * 1 when `awaitsFirstContact(view)` holds or the view lacks what it reads, else absent: indexed, set on
   * every write (extension/awaiting-contact.ts).
   */
  awaitingContact?: 1;
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
  /**
   * When the endpoint activated this version (epoch ms; signing it off is a review). Added in version 4;
   * absent on older rows and on imported sets, where `receivedAt` stands in.
   */
  activatedAt?: number;
}

/**
 * One event waiting for (or kept after) the endpoint. Written before the UI says "saved"; the
 * idempotency key is made once, here, and sent unchanged on every retry, so the endpoint stores it once.
 */
export interface OutboxEntry {
  idempotencyKey: string;
  type: EventType;
  /** leadKeyString of event.lead. */
  leadKey: string;
  event: BatonEvent;
  createdAt: number;
  /** pending: to send; sent: the endpoint gave a receipt; refused: a permanent 4xx, kept for the rep to see. */
  state: 'pending' | 'sent' | 'refused';
  attempts: number;
  sentAt?: number;
  seq?: number;
  refusal?: { status: number; reason: LocalizedText; at: number };
}

/**
 * When to talk to the endpoint next and how the last attempt went, per channel. Absolute times in
 * IndexedDB, never in module state: MV3 stops the worker at any moment and a backoff must survive it.
 */
export interface SyncChannel {
  /** 'me' (version 4): who the token is, from GET /v1/me. */
  channel: 'events' | 'rules' | 'team' | 'me';
  /** Consecutive failures; the backoff doubles with each. */
  failures: number;
  nextAttemptAt: number;
  lastSuccessAt: number | null;
  lastError: { reason: LocalizedText; at: number } | null;
  /** rules only: the last rule set the endpoint published that failed validation, and why. */
  refused?: {
    version: number | null;
    at: number;
    problems: { path: string; message: LocalizedText }[];
  } | null;
  /** me only: the token's holder, or null when no endpoint is set or it cannot say. */
  me?: { role: Role; name: string; tokenId: string } | null;
  /** me only: SHA-256 of the token last asked about (never the token), to notice a changed token. */
  askedWith?: string;
}

/**
 * A reminder shown as a desktop notification, remembered so a restarted worker never shows the same one
 * twice. `shownFor` names what was due (e.g. "meeting:2026-12-25|threshold:2026-12-01").
 */
export interface StoredReminder {
  kind: 'review';
  shownFor: string;
  shownAt: number;
}

/**
 * One alert of a lead (lib/alerts.ts alertId, e.g. "hubspot:contact:42@1781485200000:overdue"): whether
 * its desktop notification was shown and whether its escalation event went to the outbox, so a restarted
 * worker never repeats either. `url` is the CRM page a click on the notification opens.
 */
export interface StoredAlert {
  id: string;
  leadKey: string;
  /** The handoff and the alert's moment (epoch ms), for pruning; added in version 6, absent before. */
  handoffAt?: number;
  at?: number;
  url?: string;
  toldAt?: number;
  recordedAt?: number;
}

/** The team's latest events for a lead, as the endpoint answered for a list or record this browser showed. */
export interface StoredTeamState {
  key: string;
  state: LeadTeamState;
  fetchedAt: number;
  /** 1 when the team recorded a handoff, else absent: indexed, set on every write (extension/awaiting-contact.ts). */
  handedOver?: 1;
}

/**
 * How this browser read CRM pages, one row per UTC day, CRM and page kind (lib/crm/health.ts): counts
 * only. `sentAt` is when the endpoint last took the row (totals are sent, so a repeat never double counts).
 */
export interface StoredReadHealth extends ReadHealth {
  key: string;
  updatedAt: number;
  sentAt?: number;
}

/** The page map in force (the last valid one the endpoint published) and its ETag. */
export interface StoredPageMap {
  slot: 'active';
  map: PageMap;
  etag?: string;
  receivedAt: number;
}

export class BatonDb extends Dexie {
  leads!: EntityTable<StoredLead, 'key'>;
  rules!: EntityTable<StoredRules, 'slot'>;
  outbox!: EntityTable<OutboxEntry, 'idempotencyKey'>;
  syncChannels!: EntityTable<SyncChannel, 'channel'>;
  teamState!: EntityTable<StoredTeamState, 'key'>;
  reminders!: EntityTable<StoredReminder, 'kind'>;
  alerts!: EntityTable<StoredAlert, 'id'>;
  readHealth!: EntityTable<StoredReadHealth, 'key'>;
  pageMaps!: EntityTable<StoredPageMap, 'slot'>;

  constructor(name = 'baton') {
    super(name);
    this.use(heldWritesFirst);
    this.use(marksOnWrite);
    this.version(1).stores({
      leads: '&key, lastSeenAt',
    });
    this.version(2).stores({
      rules: '&slot',
    });
    this.version(3).stores({
      outbox: '&idempotencyKey, [state+createdAt], leadKey',
      syncChannels: '&channel',
      teamState: '&key, fetchedAt',
    });
    // Review reminders. Also new, unindexed: StoredRules.activatedAt and the 'me' sync channel's `me`.
    this.version(4).stores({
      reminders: '&kind',
    });
    // Lead alerts told and escalations recorded (issue 7).
    this.version(5).stores({
      alerts: '&id, leadKey',
    });
    // Alert ids name the handoff too (a lead handed over again is alerted again): the rows version 5
    // wrote are renamed to the handoff their lead has now, so an upgrade repeats no notification.
    this.version(6)
      .stores({ alerts: '&id, leadKey' })
      .upgrade(async (tx) => {
        const alerts = tx.table<StoredAlert, string>('alerts');
        const rows = (await alerts.toArray()).filter((r) => r.handoffAt === undefined);
        if (rows.length === 0) return;
        const keys = [...new Set(rows.map((r) => r.leadKey))];
        const [leads, team] = await Promise.all([
          tx.table<StoredLead, string>('leads').bulkGet(keys),
          tx.table<StoredTeamState, string>('teamState').bulkGet(keys),
        ]);
        const handoffs = new Map<string, number>();
        keys.forEach((key, i) => {
          const teamHandoff = team[i]?.state.handoff;
          const at =
            leads[i]?.view?.handoff?.at ?? (teamHandoff ? Date.parse(teamHandoff.handoffAt) : Number.NaN);
          if (Number.isFinite(at)) handoffs.set(key, at);
        });
        const renamed: { from: string; row: StoredAlert }[] = [];
        for (const row of rows) {
          const handoffAt = handoffs.get(row.leadKey);
          const prefix = `${row.leadKey}:`;
          // A row whose lead has no handoff now stays as it was: no alert can match it, pruning ends it.
          if (handoffAt === undefined || !row.id.startsWith(prefix)) continue;
          const id = alertId(row.leadKey, handoffAt, row.id.slice(prefix.length));
          renamed.push({ from: row.id, row: { ...row, id, handoffAt } });
        }
        await alerts.bulkDelete(renamed.map((r) => r.from));
        await alerts.bulkPut(renamed.map((r) => r.row));
      });
    // Read health counts per day, CRM and page kind, and the page map in force (issue 15).
    this.version(7).stores({
      readHealth: '&key, day, updatedAt',
      pageMaps: '&slot',
    });
    // Triggers lost their fit floor to explicit exclusion rules (lib/rules/upgrade.ts): the stored rule
    // set is rewritten once, so what the popup and console read is the format they validate. It is still
    // validated on every load; a set that fails stays as it was and never takes effect.
    this.version(8)
      .stores({ rules: '&slot' })
      .upgrade(async (tx) => {
        const rules = tx.table<StoredRules, string>('rules');
        const stored = await rules.get('active');
        if (stored === undefined) return;
        const upgraded = upgradeRuleSet(stored.rules);
        if (upgraded !== stored.rules) await rules.put({ ...stored, rules: upgraded });
      });
    // The alert check and the badge read only the leads that can be alerted (extension/awaiting-contact.ts):
    // every row written from now on is marked as it is written; the rows already stored are marked here.
    this.version(9)
      .stores({
        leads: '&key, lastSeenAt, awaitingContact',
        teamState: '&key, fetchedAt, handedOver',
      })
      .upgrade(async (tx) => {
        const leads = tx.table<StoredLead, string>('leads');
        const team = tx.table<StoredTeamState, string>('teamState');
        const [leadRows, teamRows] = await Promise.all([leads.toArray(), team.toArray()]);
        // Only rows whose mark changes are written again: most stored leads wait for nothing. Reads, then
        // writes: with a modify() per table, the second table's writes were lost under fake-indexeddb
        // whenever the first modify wrote nothing (not investigated further; not tried in Chromium).
        await Promise.all([
          leads.bulkPut(leadRows.map(markLead).filter((row, i) => row !== leadRows[i])),
          team.bulkPut(teamRows.map(markTeamState).filter((row, i) => row !== teamRows[i])),
        ]);
      });
  }
}

let opened: BatonDb | undefined;

/** The worker may be killed at any moment; the handle is a cache, the data lives in IndexedDB. */
export function db(): BatonDb {
  opened ??= new BatonDb();
  return opened;
}
