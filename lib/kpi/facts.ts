/**
 * Folds recorded events into one LeadFacts row per lead. The endpoint calls foldEvent inside its ingest
 * transaction with the row it read, so the rules below must give the same row whatever order events arrive
 * in and whichever browsers reported them: several browsers report the same handoff under different
 * idempotency keys, queues flush late, and an offline laptop may deliver last week's contact after today's
 * handoff.
 *
 * - handoff_observed: a later handoffAt starts a new cycle and drops what happened before it; the same
 *   handoffAt is the same handoff, its reports merged field by field; an earlier one is ignored.
 * - contacts, conversions, outcomes and escalations count when at or after handoffAt (or while no handoff
 *   is known yet); their instants are kept in `timeline` so a later cycle can still find its own.
 * - feedback: the latest verdict by occurredAt.
 * - CRM statuses (stage_change events, from a page, by intake or imported): a status meaning SQL,
 *   opportunity, won or lost (statusMeaning, lib/crm/mapping.ts) counts from when it was first seen. Baton's
 *   feedback and the CRM's SQL are kept apart and the later one is the verdict (a tie goes to the feedback,
 *   which says why); an opportunity or a win implies SQL in the report either way.
 */

import { businessTimeBetween } from '../calendar/business-time';
import type { BusinessCalendar } from '../calendar/schema';
import { statusMeaning } from '../crm/mapping';
import type { BatonEvent, FeedbackEvent, HandoffObservedEvent } from '../events';
import type { CrmId } from '../lead';
import { leadKeyString } from '../lead-key';
import { encodeExplanation } from './explanation';
import type { GradeOrUnknown, LeadFacts, LeadTimeline, OutcomeRow, RecordedFeedback, Verdict } from './types';

/** The timeline's lists of instants. */
type InstantList = 'contacts' | 'opportunities' | 'won' | 'lost' | 'escalations' | 'sql';

const LIST_OF_MEANING = {
  sql: 'sql',
  opportunity: 'opportunities',
  won: 'won',
  lost: 'lost',
} as const satisfies Record<string, InstantList>;

/**
 * Bound on each timeline list. A real lead has one contact per cycle from one or two browsers; the bound
 * only keeps a flood of bogus events from growing a row without limit.
 */
export const TIMELINE_MAX_ENTRIES = 32;

export function emptyFacts(
  leadKey: string,
  crm: CrmId,
  handoffAt: number | null = null,
  /** A report's rows never read the timeline and may share one; a fold gets its own. */
  timeline: LeadTimeline = { contacts: [], opportunities: [], won: [], lost: [], escalations: [] },
): LeadFacts {
  return {
    leadKey,
    crm,
    handoffAt,
    dueAt: null,
    reason: null,
    triggerId: null,
    score: null,
    fit: null,
    engagement: null,
    fitGrade: 'unknown',
    rulesVersion: null,
    owner: '',
    explanation: null,
    firstContactAt: null,
    firstContactBusinessMs: null,
    verdict: null,
    verdictAt: null,
    reasonCode: null,
    opportunityAt: null,
    wonAt: null,
    lostAt: null,
    escalations: 0,
    timeline,
  };
}

/**
 * A fresh copy to change: spelled out field by field because object spreads take V8's slow generic path,
 * and the endpoint folds every event of a busy team through here.
 */
function copyOf(f: LeadFacts): LeadFacts {
  return {
    leadKey: f.leadKey,
    crm: f.crm,
    handoffAt: f.handoffAt,
    dueAt: f.dueAt,
    reason: f.reason,
    triggerId: f.triggerId,
    score: f.score,
    fit: f.fit,
    engagement: f.engagement,
    fitGrade: f.fitGrade,
    rulesVersion: f.rulesVersion,
    owner: f.owner,
    explanation: f.explanation,
    firstContactAt: f.firstContactAt,
    firstContactBusinessMs: f.firstContactBusinessMs,
    verdict: f.verdict,
    verdictAt: f.verdictAt,
    reasonCode: f.reasonCode,
    opportunityAt: f.opportunityAt,
    wonAt: f.wonAt,
    lostAt: f.lostAt,
    escalations: f.escalations,
    timeline: f.timeline,
  };
}

/** The row after one more event; `facts` is not modified (the same object comes back when nothing changed). */
export function foldEvent(
  facts: LeadFacts | undefined,
  event: BatonEvent,
  calendar: BusinessCalendar,
): LeadFacts {
  const row = rowFor(facts, leadKeyString(event.lead), event.lead.crm);
  switch (event.type) {
    case 'handoff_observed':
      return foldHandoff(row, event, calendar);
    case 'first_contact':
      return withInstant(row, 'contacts', Date.parse(event.occurredAt), calendar);
    case 'feedback':
      return foldFeedback(row, event, calendar);
    case 'stage_change': {
      // Only outcomes matter to the KPIs; other stages are the CRM's bookkeeping.
      const meaning = statusMeaning(event.to);
      return meaning === null
        ? row
        : withInstant(row, LIST_OF_MEANING[meaning], Date.parse(event.occurredAt), calendar);
    }
    case 'escalation_step':
      return withInstant(row, 'escalations', Date.parse(event.occurredAt), calendar);
  }
}

/** The row after one imported outcome (a CSV row); won implies an opportunity at the latest when won. */
export function foldOutcome(
  facts: LeadFacts | undefined,
  row: OutcomeRow,
  calendar: BusinessCalendar,
): LeadFacts {
  const current = rowFor(facts, row.leadKey, row.crm);
  switch (row.outcome) {
    case 'mql':
      // A handoff from before Baton: its time is known, its score, due time and owner are not (unknown
      // is not zero), and a handoff Baton itself saw at that time keeps what it knew.
      if (current.handoffAt === row.at) return current;
      return foldHandoffAt(current, row.at, HISTORIC_HANDOFF, calendar);
    case 'rejected':
      // Sales' verdict in the CRM's history: the same rules as feedback given in Baton.
      return withVerdict(current, 'reject', row.at, null, calendar);
    default:
      return withInstant(current, LIST_OF_MEANING[row.outcome], row.at, calendar);
  }
}

function rowFor(facts: LeadFacts | undefined, leadKey: string, crm: CrmId): LeadFacts {
  if (facts === undefined) return emptyFacts(leadKey, crm);
  if (facts.leadKey !== leadKey) {
    throw new RangeError(`An event of lead ${leadKey} was folded into the row of ${facts.leadKey}`);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------------
// Handoff

const GRADE_RANK: Record<GradeOrUnknown, number> = { unknown: 0, D: 1, C: 2, B: 3, A: 4 };

type HandoffFields = Pick<
  LeadFacts,
  | 'dueAt'
  | 'reason'
  | 'triggerId'
  | 'score'
  | 'fit'
  | 'engagement'
  | 'fitGrade'
  | 'rulesVersion'
  | 'owner'
  | 'explanation'
>;

function handoffFields(event: HandoffObservedEvent): HandoffFields {
  return {
    dueAt: Date.parse(event.dueAt),
    reason: event.reason,
    triggerId: event.triggerId ?? null,
    score: event.score ?? null,
    fit: event.fit ?? null,
    engagement: event.engagement ?? null,
    fitGrade: event.fitGrade ?? 'unknown',
    rulesVersion: event.rulesVersion,
    owner: event.owner ?? '',
    explanation: event.explanation ? encodeExplanation(event.explanation) : null,
  };
}

function greater<T extends number | string>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

/**
 * The score as one browser saw it: score, fit, engagement, grade, explanation and the rules version that
 * produced them belong together (the what-if re-weighs the explanation against that version's rules), so
 * they are never mixed from two reports.
 */
type ScoreFields = Pick<
  HandoffFields,
  'score' | 'fit' | 'engagement' | 'fitGrade' | 'rulesVersion' | 'explanation'
>;

/** Orders two reports' scores totally (newer rules, explained, higher...): the greater is kept whole. */
function compareScores(a: ScoreFields, b: ScoreFields): number {
  const keys = (f: ScoreFields) =>
    [
      f.rulesVersion ?? -1,
      f.explanation === null ? 0 : 1,
      f.score ?? Number.NEGATIVE_INFINITY,
      f.explanation ?? '',
      f.fit ?? Number.NEGATIVE_INFINITY,
      f.engagement ?? Number.NEGATIVE_INFINITY,
      GRADE_RANK[f.fitGrade],
    ] as const;
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}

/**
 * Two reports of the same handoff: a field one of them lacks is filled from the other. When both carry
 * one and disagree (a rep reassigned the lead between two browsers' views, or two browsers ran different
 * rule versions), the choice does not depend on which report arrived first: the score fields come whole
 * from the greater report by compareScores, every other field keeps the greater value.
 */
function mergeHandoff(a: HandoffFields, b: HandoffFields): HandoffFields {
  const score = compareScores(b, a) > 0 ? b : a;
  return {
    dueAt: greater(a.dueAt, b.dueAt),
    reason: greater(a.reason, b.reason),
    triggerId: greater(a.triggerId, b.triggerId),
    score: score.score,
    fit: score.fit,
    engagement: score.engagement,
    fitGrade: score.fitGrade,
    rulesVersion: score.rulesVersion,
    owner: greater(a.owner, b.owner) ?? '',
    explanation: score.explanation,
  };
}

/** What an imported history says of a handoff besides its time: nothing. */
const HISTORIC_HANDOFF: HandoffFields = {
  dueAt: null,
  reason: 'manual',
  triggerId: null,
  score: null,
  fit: null,
  engagement: null,
  fitGrade: 'unknown',
  rulesVersion: null,
  owner: '',
  explanation: null,
};

function foldHandoff(facts: LeadFacts, event: HandoffObservedEvent, calendar: BusinessCalendar): LeadFacts {
  return foldHandoffAt(facts, Date.parse(event.handoffAt), handoffFields(event), calendar);
}

function foldHandoffAt(
  facts: LeadFacts,
  handoffAt: number,
  fields: HandoffFields,
  calendar: BusinessCalendar,
): LeadFacts {
  const current = facts.handoffAt;
  if (current !== null && handoffAt < current) return facts;
  if (current === handoffAt) return withHandoff(copyOf(facts), mergeHandoff(facts, fields));
  // A new cycle: what happened before this handoff belonged to an earlier one.
  const next = withHandoff(copyOf(facts), fields);
  next.handoffAt = handoffAt;
  // Measured from the earlier handoff: derive measures it again.
  next.firstContactBusinessMs = null;
  const t = facts.timeline;
  const feedback = feedbackOf(facts);
  const timeline: LeadTimeline = {
    contacts: from(t.contacts, handoffAt),
    opportunities: from(t.opportunities, handoffAt),
    won: from(t.won, handoffAt),
    lost: from(t.lost, handoffAt),
    escalations: from(t.escalations, handoffAt),
  };
  // Empty lists are left out, so the row is the same whichever side of the handoff an SQL status arrived.
  const sql = from(t.sql ?? [], handoffAt);
  if (sql.length > 0) timeline.sql = sql;
  if (feedback !== null && feedback.at >= handoffAt) timeline.feedback = feedback;
  return derive(next, timeline, calendar);
}

function withHandoff(facts: LeadFacts, fields: HandoffFields): LeadFacts {
  facts.dueAt = fields.dueAt;
  facts.reason = fields.reason;
  facts.triggerId = fields.triggerId;
  facts.score = fields.score;
  facts.fit = fields.fit;
  facts.engagement = fields.engagement;
  facts.fitGrade = fields.fitGrade;
  facts.rulesVersion = fields.rulesVersion;
  facts.owner = fields.owner;
  facts.explanation = fields.explanation;
  return facts;
}

function from(sorted: number[], start: number): number[] {
  let i = 0;
  while (i < sorted.length && sorted[i]! < start) i++;
  return i === 0 ? sorted : sorted.slice(i);
}

// ---------------------------------------------------------------------------------------------------
// Contacts, conversions, outcomes, escalations

function withInstant(facts: LeadFacts, list: InstantList, at: number, calendar: BusinessCalendar): LeadFacts {
  if (!Number.isFinite(at)) throw new RangeError(`Not an instant: ${at}`);
  if (facts.handoffAt !== null && at < facts.handoffAt) return facts;
  const entries = facts.timeline[list] ?? [];
  let i = 0;
  while (i < entries.length && entries[i]! < at) i++;
  // Two browsers reporting the same contact (or conversion) at the same instant report one thing; each
  // escalation event is a step of its own, already deduplicated by its idempotency key.
  if (list !== 'escalations' && entries[i] === at) return facts;
  const updated = [...entries.slice(0, i), at, ...entries.slice(i)];
  // Past the bound, drop the second entry: the first is this cycle's answer and the latest are the ones a
  // later cycle could still need.
  if (updated.length > TIMELINE_MAX_ENTRIES) updated.splice(1, 1);
  const timeline = timelineCopy(facts);
  timeline[list] = updated;
  return derive(facts, timeline, calendar);
}

function timelineCopy(facts: LeadFacts): LeadTimeline {
  const t = facts.timeline;
  const copy: LeadTimeline = {
    contacts: t.contacts,
    opportunities: t.opportunities,
    won: t.won,
    lost: t.lost,
    escalations: t.escalations,
  };
  if (t.sql !== undefined) copy.sql = t.sql;
  const feedback = feedbackOf(facts);
  if (feedback !== null) copy.feedback = feedback;
  return copy;
}

/**
 * The latest feedback given in Baton. Rows folded before the CRM's SQL counted kept it only in the verdict
 * columns, which then could only have come from feedback; a row with a CRM SQL always keeps its feedback in
 * the timeline.
 */
function feedbackOf(facts: LeadFacts): RecordedFeedback | null {
  if (facts.timeline.feedback !== undefined) return facts.timeline.feedback;
  if (facts.timeline.sql !== undefined) return null;
  if (facts.verdict === null || facts.verdictAt === null) return null;
  return { verdict: facts.verdict, at: facts.verdictAt, reasonCode: facts.reasonCode };
}

function derive(facts: LeadFacts, timeline: LeadTimeline, calendar: BusinessCalendar): LeadFacts {
  const firstContactAt = timeline.contacts[0] ?? null;
  const opportunity = timeline.opportunities[0] ?? null;
  const wonAt = timeline.won[0] ?? null;
  const { handoffAt } = facts;
  let firstContactBusinessMs: number | null = null;
  if (firstContactAt !== null && handoffAt !== null) {
    firstContactBusinessMs =
      facts.firstContactAt === firstContactAt && facts.firstContactBusinessMs !== null
        ? facts.firstContactBusinessMs
        : businessTimeBetween(calendar, handoffAt, firstContactAt);
  }
  const next = copyOf(facts);
  next.firstContactAt = firstContactAt;
  next.firstContactBusinessMs = firstContactBusinessMs;
  // A won deal was an opportunity, even when the conversion itself was never seen.
  next.opportunityAt =
    opportunity === null ? wonAt : wonAt === null ? opportunity : Math.min(opportunity, wonAt);
  next.wonAt = wonAt;
  next.lostAt = timeline.lost[0] ?? null;
  next.escalations = timeline.escalations.length;
  next.timeline = timeline;
  const feedback = timeline.feedback ?? null;
  const crmSqlAt = timeline.sql?.[0] ?? null;
  if (crmSqlAt !== null && (feedback === null || crmSqlAt > feedback.at)) {
    next.verdict = 'accept_sql';
    next.verdictAt = crmSqlAt;
    next.reasonCode = null;
  } else {
    next.verdict = feedback?.verdict ?? null;
    next.verdictAt = feedback?.at ?? null;
    next.reasonCode = feedback?.reasonCode ?? null;
  }
  return next;
}

// ---------------------------------------------------------------------------------------------------
// Feedback

/**
 * Orders two different verdicts given at the same instant (two managers, one click apart within a
 * millisecond is rare but possible), so the outcome does not depend on arrival order. A replay of the
 * same feedback compares equal and leaves the row unchanged.
 */
function verdictRank(verdict: string, reasonCode: string | null): string {
  return `${verdict}\u0000${reasonCode ?? ''}`;
}

function foldFeedback(facts: LeadFacts, event: FeedbackEvent, calendar: BusinessCalendar): LeadFacts {
  return withVerdict(facts, event.verdict, Date.parse(event.occurredAt), event.reasonCode ?? null, calendar);
}

function withVerdict(
  facts: LeadFacts,
  verdict: Verdict,
  at: number,
  reasonCode: string | null,
  calendar: BusinessCalendar,
): LeadFacts {
  if (facts.handoffAt !== null && at < facts.handoffAt) return facts;
  const current = feedbackOf(facts);
  if (current !== null) {
    if (at < current.at) return facts;
    if (
      at === current.at &&
      verdictRank(verdict, reasonCode) <= verdictRank(current.verdict, current.reasonCode)
    ) {
      return facts;
    }
  }
  const timeline = timelineCopy(facts);
  timeline.feedback = { verdict, at, reasonCode };
  return derive(facts, timeline, calendar);
}
