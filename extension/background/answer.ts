import type { Browser } from 'wxt/browser';
import { evaluateLead } from '../../lib/evaluate';
import { type LeadSnapshot, leadKeyString } from '../../lib/lead';
import { type LeadView, toLeadView, utcOffsetMinutes } from '../../lib/lead-view';
import { type Answers, type Reply, type Request, requestSchema, type SeenLead } from '../../lib/messaging';
import { effectiveFieldMappings } from '../../lib/rules';
import type { RuleSet } from '../../lib/rules/schema';
import { db, type StoredLead } from '../db';
import { rulesInForce } from './rules-store';

type Sender = Browser.runtime.MessageSender;

/**
 * The worker's answer to every message. The sender is checked (our own extension only) and the
 * message validated before anything is read from it: page-derived data is never trusted.
 */
export async function answer(
  message: unknown,
  sender: Sender,
  ownId: string,
  now: number,
): Promise<Reply<unknown>> {
  if (sender.id !== ownId) {
    return { ok: false, error: { ja: '送信元が不明です', en: 'Unknown sender' } };
  }
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) {
    return { ok: false, error: { ja: 'メッセージの形式が正しくありません', en: 'Malformed message' } };
  }
  const request = parsed.data;
  if ((request.type === 'lead.seen' || request.type === 'leads.listed') && !sender.tab) {
    return {
      ok: false,
      error: { ja: 'CRMページからのみ送信できます', en: 'Only CRM pages may report leads' },
    };
  }
  return { ok: true, value: await handle(request, now) };
}

async function handle(request: Request, now: number): Promise<Answers[Request['type']]> {
  switch (request.type) {
    case 'lead.seen': {
      const [view] = await see([request.snapshot], now);
      return view!;
    }
    case 'leads.listed':
      return see(request.snapshots, now);
    case 'page.config': {
      const rules = await rulesInForce();
      return {
        // The rule set's mappings add to (and take precedence over) the built-in ones.
        mapping: effectiveFieldMappings(rules)[request.crm] ?? {},
        utcOffsetMinutes: utcOffsetMinutes(now, rules.calendar.timeZone),
      };
    }
    case 'leads.recent': {
      const rows = await db().leads.orderBy('lastSeenAt').reverse().limit(request.limit).toArray();
      return rows.map(toSeenLead);
    }
  }
}

/**
 * Evaluates what a page showed and remembers it, all leads of a list in one transaction. A list row
 * shows a few fields and no activity history: what this browser read on the record page earlier
 * (activities, fields the list lacks) is kept, so a chip agrees with the record's panel.
 */
async function see(snapshots: LeadSnapshot[], now: number): Promise<LeadView[]> {
  const rules = await rulesInForce();
  const before = await db().leads.bulkGet(snapshots.map(leadKeyString));
  const stored = snapshots.map((snapshot, i) => remember(rules, snapshot, before[i], now));
  // The page gets its answer without waiting for the write: this is a cache of what pages showed, and
  // the next visit rebuilds any entry a dying worker failed to store. (Events go through the outbox.)
  void db()
    .leads.bulkPut(stored)
    .catch((error: unknown) => console.warn('Baton: could not cache leads', error));
  return stored.map((s) => s.view!);
}

function remember(
  rules: RuleSet,
  incoming: LeadSnapshot,
  before: StoredLead | undefined,
  now: number,
): StoredLead {
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
  return {
    key: leadKeyString(snapshot),
    snapshot,
    firstSeenAt: before?.firstSeenAt ?? now,
    lastSeenAt: now,
    timesSeen: (before?.timesSeen ?? 0) + 1,
    view: toLeadView(rules, snapshot, evaluation),
    markedContactedAt,
    statusContactSeenAt,
  };
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
