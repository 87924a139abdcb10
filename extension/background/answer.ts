import Dexie from 'dexie';
import type { Browser } from 'wxt/browser';
import { utcOffsetMinutes } from '../../lib/calendar/zone';
import { adapterFor } from '../../lib/crm';
import type { PageRead } from '../../lib/crm/health';
import type { CrmPageMap } from '../../lib/crm/page-map';
import { withEngagement } from '../../lib/engagement';
import { evaluateLead } from '../../lib/evaluate';
import { type Actor, contactMethodSchema } from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import {
  type CrmId,
  type LeadKey,
  type LeadSnapshot,
  leadKeyString,
  leadSnapshotSchema,
} from '../../lib/lead';
import { type LeadView, toLeadView } from '../../lib/lead-view';
import {
  type AnswerHandlers,
  type Answers,
  answerOf,
  type FeedbackForm,
  type Reply,
  type Request,
  requestSchema,
  type SeenLead,
} from '../../lib/messaging';
import type { PreviewLead } from '../../lib/preview';
import { formatPath } from '../../lib/problems';
import { effectiveFieldMappings, validateRuleSet } from '../../lib/rules';
import type { RuleSet } from '../../lib/rules/schema';
import { db, type StoredLead } from '../db';
import { endpointConfig, repNameSetting } from '../endpoint';
import { holdWrite } from '../held-write';
import { alertDeps, checkAlerts } from './alerts';
import { testConnection } from './connection-test';
import { contactMethodOf, observe } from './observations';
import { EventRefused, record, recordEach } from './outbox';
import { pageMapFor } from './page-map-sync';
import { queue, queueItem, viewWithTeam } from './queue';
import { countPageRead, readHealthRows } from './read-health';
import { rulesInForce, rulesInForceWithSource } from './rules-store';
import { storedRows } from './stored-rows';
import { markPagesStale, refreshBadge, refreshTeam, runSync, syncState } from './sync-service';

type Sender = Browser.runtime.MessageSender;

/**
 * The worker's answer to every message. The sender is checked (our own extension only) and the
 * message validated before anything is read from it: page-derived data is never trusted.
 */
/** Requests only extension pages (popup, options, the in-page feedback frame) may make, never a content script. */
const PAGE_ONLY: ReadonlySet<Request['type']> = new Set([
  'feedback.submit',
  'sync.now',
  'endpoint.test',
  'rules.import',
  'rules.inForce',
  'leads.sample',
]);

export async function answer(
  message: unknown,
  sender: Sender,
  ownId: string,
  now: number,
  ownOrigin = `chrome-extension://${ownId}/`,
): Promise<Reply<unknown>> {
  if (sender.id !== ownId) {
    return { ok: false, error: { ja: '送信元が不明です', en: 'Unknown sender' } };
  }
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) {
    return { ok: false, error: { ja: 'メッセージの形式が正しくありません', en: 'Malformed message' } };
  }
  const request = parsed.data;
  if (
    (request.type === 'lead.seen' || request.type === 'leads.listed' || request.type === 'page.read') &&
    !sender.tab
  ) {
    return {
      ok: false,
      error: { ja: 'CRMページからのみ送信できます', en: 'Only CRM pages may report leads' },
    };
  }
  if (PAGE_ONLY.has(request.type) && !sender.url?.startsWith(ownOrigin)) {
    return {
      ok: false,
      error: { ja: '拡張機能の画面からのみ送信できます', en: 'Only Baton’s own pages may ask this' },
    };
  }
  try {
    return { ok: true, value: await answerOf(handlers, request, now) };
  } catch (error) {
    if (error instanceof EventRefused) return { ok: false, error: error.reason };
    throw error;
  }
}

/**
 * One answer per request type, each typed by the request it takes and the answer it owes
 * (lib/messaging.ts `Answers`): answering `lead.seen` with anything but a LeadView does not compile.
 */
const handlers: AnswerHandlers<number> = {
  'lead.seen': async (request, now) => {
    if (request.read) void countAlong(request.read, now);
    // Answered before the sighting's write commits (see `see`).
    const [view] = await see([request.snapshot], now, 'record');
    return view!;
  },
  'leads.listed': async (request, now) => {
    if (request.read) void countAlong(request.read, now);
    // Answered before the sighting's write commits (see `see`).
    const views = await see(request.snapshots, now, 'list');
    // One team-state request per list, after the answer: the page re-renders if it brings news.
    void refreshTeam(request.snapshots).catch((e: unknown) => console.warn('Baton: team state', e));
    return views;
  },
  'page.config': async (request, now) => {
    const rules = await rulesInForce();
    return {
      // The rule set's mappings add to (and take precedence over) the built-in ones.
      mapping: effectiveFieldMappings(rules)[request.crm] ?? {},
      utcOffsetMinutes: utcOffsetMinutes(now, rules.calendar.timeZone),
      ...(await pageMapOf(request.crm)),
    };
  },
  'leads.recent': async (request) => {
    const rows = await db().leads.orderBy('lastSeenAt').reverse().limit(request.limit).toArray();
    return rows.map(toSeenLead);
  },
  'lead.contacted': (request, now) => markContacted(request.lead, request.idempotencyKey, now),
  'feedback.form': (request) => feedbackForm(request.lead),
  'feedback.submit': (request, now) => submitFeedback(request, now),
  'queue.list': async (_, now) => queue(db(), now, (await rulesInForceWithSource()).rules.calendar.timeZone),
  'tab.lead': async (request) => {
    const url = new URL(request.url);
    const key = adapterFor(url)?.recordKey(url);
    return key
      ? queueItem(db(), leadKeyString(key), (await rulesInForceWithSource()).rules.calendar.timeZone)
      : null;
  },
  'sync.state': () => syncState(),
  'sync.now': async () => {
    await runSync({ force: true });
    return syncState();
  },
  'endpoint.test': async (request) => {
    // A locked (policy) endpoint is tested with the policy's token, which pages never see.
    const config = await endpointConfig();
    const managed = config?.source === 'managed';
    return testConnection(managed ? config.url : request.url, managed ? config.token : request.token);
  },
  'page.read': async (request, now) => {
    await countPageRead(db(), request.read, now);
    return { counted: true };
  },
  'read.health': () => readHealthRows(db()),
  'rules.import': (request, now) => importRules(request.rules, now),
  'rules.inForce': async () => {
    const { rules, source } = await rulesInForceWithSource();
    return { rules, source };
  },
  'leads.sample': async (request) => {
    const stored = await db().leads.orderBy('lastSeenAt').reverse().limit(request.limit).toArray();
    const leads: PreviewLead[] = [];
    for (const lead of stored) {
      // Stored data is a boundary too: an older release may have written it.
      const snapshot = leadSnapshotSchema.safeParse(lead.snapshot);
      if (!snapshot.success) continue;
      leads.push({
        snapshot: snapshot.data,
        markedContactedAt: lead.markedContactedAt ?? lead.statusContactSeenAt ?? null,
      });
    }
    return leads;
  },
};

/**
 * A rules file imported on the options page takes effect at once if it validates, and is refused
 * whole (with every problem) if not. An endpoint's rule set, when one is configured, replaces it at
 * the next pull: the team's agreed set wins over a local file.
 */
async function importRules(rules: unknown, now: number): Promise<Answers['rules.import']> {
  const checked = validateRuleSet(rules);
  if (!checked.ok) {
    return {
      ok: false,
      problems: checked.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
    };
  }
  await db().rules.put({ slot: 'active', rules, source: 'import', receivedAt: now });
  return { ok: true, versionId: checked.value.version.id, versionNumber: checked.value.version.number };
}

function refusal(reason: LocalizedText): EventRefused {
  return new EventRefused(reason);
}

/**
 * The rep, as events name them: the name given on the options page, else the lead's owner in the CRM.
 * Synchronous on purpose: awaiting extension storage inside a Dexie transaction commits it early.
 */
function actor(repName: string, owner: string | undefined): Actor {
  const name = repName.trim() || owner?.trim() || 'Baton';
  return { name: name.slice(0, 200) };
}

/**
 * "Contacted" in one click: stops the SLA clock at `now` unless the page already shows a contact, and
 * queues a first_contact event, both in one transaction, before the overlay says so.
 */
async function markContacted(key: LeadKey, idempotencyKey: string, now: number): Promise<LeadView> {
  const { rules, eventVersion } = await rulesInForceWithSource();
  const repName = await repNameSetting.getValue();
  const database = db();
  const view = await database.transaction(
    'rw',
    database.leads,
    database.outbox,
    database.teamState,
    async () => {
      const stored = await database.leads.get(leadKeyString(key));
      if (!stored?.view) {
        throw refusal({ ja: 'このリードはまだ読み込まれていません', en: 'This lead has not been read yet' });
      }
      const team = (await database.teamState.get(stored.key))?.state;
      const shown = viewWithTeam(stored.view, team, stored.reported, rules.calendar.timeZone);
      if (shown.sla.contactedAt !== null) return shown;
      // The rule set's first agreed first-contact method (checklist item 8) stands for a one-click mark.
      const method = contactMethodOf(rules.firstContactMethods[0]);
      await record(
        database,
        [
          {
            type: 'first_contact',
            idempotencyKey,
            occurredAt: new Date(now).toISOString(),
            lead: { crm: key.crm, object: key.object, recordId: key.recordId },
            rulesVersion: stored.reported?.rulesVersion ?? eventVersion,
            actor: actor(repName, stored?.snapshot.fields.owner),
            method,
            source: 'manual',
          },
        ],
        now,
      );
      // 'list': a click reads no page, so the lead stays as read (or as partial) as it was.
      const updated = remember(rules, stored.snapshot, { ...stored, markedContactedAt: now }, now, 'list');
      // A click is not a visit: keep the visit count and times as they were.
      const next = { ...updated.stored, timesSeen: stored.timesSeen, lastSeenAt: stored.lastSeenAt };
      next.reported = { ...next.reported, firstContactAt: now };
      await database.leads.put(next);
      return viewWithTeam(next.view!, team, next.reported, rules.calendar.timeZone);
    },
  );
  // The rep may have clicked in the popup: the open CRM tab's panel must stop counting down too.
  void markPagesStale().catch(() => {});
  void refreshBadge().catch(() => {});
  void checkAlerts(alertDeps()).catch(() => {});
  return view;
}

async function feedbackForm(key: LeadKey): Promise<FeedbackForm> {
  const { rules, eventVersion } = await rulesInForceWithSource();
  const k = leadKeyString(key);
  const [item, stored, sent, endpoint] = await Promise.all([
    queueItem(db(), k, rules.calendar.timeZone),
    db().leads.get(k),
    db().outbox.where('leadKey').equals(k).toArray(),
    endpointConfig(),
  ]);
  return {
    syncConfigured: endpoint !== null,
    lead: item,
    reasons: rules.feedbackReasons,
    bantMinConfirmed: rules.sqlBant.minConfirmed,
    contactMethods: contactMethodSchema.options,
    rulesVersion: stored?.reported?.rulesVersion ?? eventVersion,
    sent: sent
      .filter((e) => e.event.type === 'feedback')
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((e) => ({
        verdict: (e.event as { verdict: FeedbackForm['sent'][number]['verdict'] }).verdict,
        at: e.createdAt,
        state: e.state,
      })),
  };
}

async function submitFeedback(
  request: Extract<Request, { type: 'feedback.submit' }>,
  now: number,
): Promise<{ savedAt: number }> {
  const { rules, eventVersion } = await rulesInForceWithSource();
  const { lead, idempotencyKey, type: _type, ...feedback } = request;
  if (feedback.reasonCode) {
    const reason = rules.feedbackReasons.find((r) => r.code === feedback.reasonCode);
    const verdict = feedback.verdict;
    if (!reason || !(verdict === 'reject' || verdict === 'recycle') || !reason.appliesTo.includes(verdict)) {
      throw refusal({
        ja: `理由コード "${feedback.reasonCode}" はこの判定には使えません（ルールの理由一覧にありません）`,
        en: `Reason code "${feedback.reasonCode}" is not one the rule set offers for this verdict`,
      });
    }
  }
  const repName = await repNameSetting.getValue();
  const database = db();
  await database.transaction('rw', database.leads, database.outbox, async () => {
    const stored = await database.leads.get(leadKeyString(lead));
    await record(
      database,
      [
        {
          type: 'feedback',
          idempotencyKey,
          occurredAt: new Date(now).toISOString(),
          lead: { crm: lead.crm, object: lead.object, recordId: lead.recordId },
          rulesVersion: stored?.reported?.rulesVersion ?? eventVersion,
          actor: actor(repName, stored?.snapshot.fields.owner),
          ...feedback,
          ...(feedback.comment?.trim() ? { comment: feedback.comment.trim() } : { comment: undefined }),
        },
      ],
      now,
    );
    if (stored) {
      const reported = { ...stored.reported, feedbackAt: now, verdict: feedback.verdict };
      await database.leads.put({ ...stored, reported });
    }
  });
  void markPagesStale().catch(() => {});
  void refreshBadge().catch(() => {});
  void runSync().catch(() => {});
  return { savedAt: now };
}

/**
 * Health counts that came with a lead: a failure to store them never costs the rep the overlay. (Counts
 * that fail the message schema refuse the message whole, like any malformed message.)
 */
function countAlong(read: PageRead, now: number): Promise<void> {
  return countPageRead(db(), read, now).catch((error: unknown) =>
    console.warn('Baton: could not count a page read', error),
  );
}

/**
 * How long after a sighting the alert plan is made again. Making it reads the leads that can be alerted
 * (queue.ts alertableQueue) and plans each: when it read every stored lead, with 1,800 leads stored a
 * 200-row list's check ran on the other core while the page was still rendering the rows. Within this
 * window a burst of sightings (a list, a rep paging through records) shares one check. A worker stopped
 * before it fires loses nothing: the alarm's check, the next sighting's or the next start's makes the same
 * plan from IndexedDB.
 */
const ALERT_CHECK_DELAY_MS = 1000;

// Only the pending check's handle: nothing that must outlive the worker.
let alertCheck: ReturnType<typeof setTimeout> | undefined;

function checkAlertsAfterSightings(): void {
  if (alertCheck !== undefined) return;
  alertCheck = setTimeout(() => {
    alertCheck = undefined;
    void checkAlerts(alertDeps()).catch(() => {});
  }, ALERT_CHECK_DELAY_MS);
}

/**
 * Evaluates what a page showed and remembers it, all leads of a list in one transaction. A list row
 * shows a few fields and no activity history: what this browser read on the record page earlier
 * (activities, fields the list lacks) is kept, so a chip agrees with the record's panel. `from`: a record
 * page (the whole lead) or a list's rows (only the columns the list shows).
 *
 * The page gets its views before the write commits: the views do not depend on it, and a 200-row list's
 * write transaction took 19-31 ms of the worker that the page's chips waited for. The write's IndexedDB
 * transaction exists before any later transaction on those stores (at once, or for a held write, when
 * the next one is created), so any later request that reads them waits for it (IndexedDB runs
 * overlapping transactions in the order they were created). A failed write is logged: the page keeps
 * its view, and the next sighting writes the lead again.
 */
async function see(shown: LeadSnapshot[], now: number, from: 'record' | 'list'): Promise<LeadView[]> {
  const database = db();
  // A lead a list shows twice is one lead: read, reported and answered once (the page keys chips by lead).
  const snapshots = [...new Map(shown.map((s) => [leadKeyString(s), s])).values()];
  const keys = snapshots.map(leadKeyString);
  // All at once: each is a round trip to the browser process, and the page waits for the answer.
  const [{ rules, eventVersion }, before, team, repName] = await Promise.all([
    rulesInForceWithSource(),
    storedRows(database.leads, keys),
    storedRows(database.teamState, keys),
    repNameSetting.getValue(),
  ]);
  /** What this sighting makes of a lead's stored row: the row to store and the events it implies. */
  const sighting = (snapshot: LeadSnapshot, stored: StoredLead | undefined) => {
    const result = remember(rules, snapshot, stored, now, from);
    const seen = observe(snapshot, result.evaluation, stored, {
      now,
      rulesVersion: eventVersion,
      actor: actor(repName, snapshot.fields.owner),
      newKey: () => crypto.randomUUID(),
      partial: result.stored.view?.partial === true,
    });
    return { stored: { ...result.stored, reported: seen.reported }, events: seen.events };
  };
  const results = snapshots.map((snapshot, i) => sighting(snapshot, before[i]));
  const views = results.map((r, i) =>
    viewWithTeam(r.stored.view!, team[i]?.state, r.stored.reported, rules.calendar.timeZone),
  );
  // The lead cache and the events it implies commit together: a handoff is queued exactly when its
  // lead row says it was reported. Events that fail the schema (a page with odd data) are skipped
  // rather than losing the lead's view.
  //
  // Never over a row another request wrote since this sighting read it (a second tab's sighting of the
  // same lead, "contacted", feedback): written over, the second tab's handoff was queued twice and a
  // "contacted" was lost. Written at once, the sighting is made again from the row as it is now, in the
  // writing transaction; a held one (it queues nothing) leaves that row as it is, and the lead's next
  // sighting starts from it.
  const events = results.flatMap((r) => r.events);
  const failed = (error: unknown) => console.warn('Baton: storing a sighting failed', error);
  const unchanged = (row: StoredLead | undefined, i: number) => sameRow(row, before[i]);
  // A list's write that only refreshes the lead cache waits until the page has drawn its chips
  // (extension/held-write.ts, decision 0006), by single-table writes, whose transactions exist the
  // moment they are released. Written at once: events, and a record page's sighting. A first date that a
  // later sighting could not give again (a contact known only from the CRM status is dated when first
  // seen) always comes with an event: the handoff, or the stage it moved to.
  if (from === 'list' && events.length === 0) {
    holdWrite(database.name, ['leads'], () => {
      const known = new Map<string, number>();
      const fresh: StoredLead[] = [];
      results.forEach((r, i) => {
        if (before[i]) known.set(keys[i]!, i);
        else fresh.push(r.stored);
      });
      const refreshed =
        known.size === 0
          ? Promise.resolve()
          : database.leads
              .where(':id')
              .anyOf([...known.keys()])
              .modify((row, ref) => {
                const i = known.get(row.key)!;
                if (!unchanged(row, i)) return false;
                ref.value = results[i]!.stored;
              });
      // A lead first seen by another request meanwhile keeps that request's row.
      const added = fresh.length === 0 ? Promise.resolve() : database.leads.bulkAdd(fresh).catch(keptNewer);
      void Promise.all([refreshed, added]).then(checkAlertsAfterSightings, failed);
    });
    return views;
  }
  void database
    .transaction('rw', database.leads, database.outbox, async () => {
      const current = await database.leads.bulkGet(keys);
      const written = results.map((r, i) =>
        unchanged(current[i], i) ? r : sighting(snapshots[i]!, current[i]),
      );
      await database.leads.bulkPut(written.map((r) => r.stored));
      const refused = await recordEach(
        database,
        written.flatMap((r) => r.events),
        now,
      );
      for (const refusal of refused)
        console.warn('Baton: an observed event did not validate', refusal.reason.en);
    })
    .then(checkAlertsAfterSightings, failed);
  return views;
}

/** The same stored row (or none, both times): rows read back from IndexedDB keep their key order. */
function sameRow(a: StoredLead | undefined, b: StoredLead | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

/** bulkAdd's refusal of rows whose key another request added first: those rows are newer, and kept. */
function keptNewer(error: unknown): void {
  if (error instanceof Dexie.BulkError && error.failures.every((f) => f.name === 'ConstraintError')) return;
  throw error;
}

function remember(
  rules: RuleSet,
  incoming: LeadSnapshot,
  before: StoredLead | undefined,
  now: number,
  from: 'record' | 'list',
): { stored: StoredLead; evaluation: ReturnType<typeof evaluateLead> } {
  const snapshot: LeadSnapshot =
    before && incoming.activities.length === 0
      ? {
          ...incoming,
          url: before.snapshot.url ?? incoming.url,
          fields: { ...before.snapshot.fields, ...incoming.fields },
          activities: before.snapshot.activities,
        }
      : incoming;
  const markedContactedAt = before?.markedContactedAt ?? null;
  const statusSeen = before?.statusContactSeenAt ?? null;
  const evaluation = evaluateLead(rules, snapshot, {
    now,
    markedContactedAt: markedContactedAt ?? statusSeen,
  });
  // A contact known only from the CRM status is dated at the first evaluation that saw it.
  const statusContactSeenAt =
    statusSeen ?? (evaluation.firstContactSource === 'status' ? evaluation.firstContactAt : null);
  // Rows stored before recordReadAt was kept have a whole view (never marked partial): such a lead
  // counts as read, so nothing a rep already saw turns into "not read yet".
  const legacyRead = before?.view && !before.view.partial ? before.firstSeenAt : undefined;
  const recordReadAt = from === 'record' ? now : (before?.recordReadAt ?? legacyRead);
  const view = withEngagement(toLeadView(rules, snapshot, evaluation), rules, snapshot, now);
  const stored: StoredLead = {
    key: leadKeyString(snapshot),
    snapshot,
    firstSeenAt: before?.firstSeenAt ?? now,
    lastSeenAt: now,
    timesSeen: (before?.timesSeen ?? 0) + 1,
    view: recordReadAt === undefined ? { ...view, partial: true } : view,
    ...(recordReadAt === undefined ? {} : { recordReadAt }),
    markedContactedAt,
    statusContactSeenAt,
    ...(before?.reported ? { reported: before.reported } : {}),
  };
  return { stored, evaluation };
}

function toSeenLead(stored: StoredLead): SeenLead {
  const { crm, object, recordId, fields, url } = stored.snapshot;
  return {
    crm,
    object,
    recordId,
    company: fields.company,
    name: fields.name,
    url,
    firstSeenAt: stored.firstSeenAt,
    lastSeenAt: stored.lastSeenAt,
    timesSeen: stored.timesSeen,
  };
}

/** The page map's part of a page config: absent when none is published for the CRM. */
async function pageMapOf(crm: CrmId): Promise<{ pageMap?: CrmPageMap }> {
  const pageMap = await pageMapFor(db(), crm);
  return pageMap ? { pageMap } : {};
}
