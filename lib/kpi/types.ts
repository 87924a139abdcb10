/**
 * The shapes the KPI and threshold-review code share: the endpoint folds recorded events into one
 * LeadFacts row per lead as they arrive (so a dashboard over a million events reads a few hundred thousand
 * small rows, not a million JSON bodies), computes a KpiReport from the rows of a period, and replays the
 * rows' scores for the what-if. Everything here is plain data: JSON in the API, the same in tests.
 */

import type { StatusMeaning } from '../crm/mapping';
import type { LocalizedText } from '../i18n';
import type { CrmId } from '../lead';

export type HandoffReason = 'threshold' | 'trigger' | 'manual';
export type Verdict = 'accept_sql' | 'reject' | 'recycle' | 'wrong_owner' | 'duplicate';
export type GradeOrUnknown = 'A' | 'B' | 'C' | 'D' | 'unknown';

/**
 * What is known about one lead's current handoff cycle, from every event any browser sent for it.
 * Instants are epoch ms. A row may exist before its handoff is known (a contact arrived first):
 * handoffAt is null then, and the row is not counted until the handoff arrives.
 */
export interface LeadFacts {
  /** leadKeyString: "salesforce:Lead:00Q…". */
  leadKey: string;
  crm: CrmId;
  handoffAt: number | null;
  dueAt: number | null;
  reason: HandoffReason | null;
  triggerId: string | null;
  score: number | null;
  fit: number | null;
  engagement: number | null;
  fitGrade: GradeOrUnknown;
  /** The rule set version that made the lead an MQL (0: the extension's built-in default). */
  rulesVersion: number | null;
  /** As the CRM names the owning rep; "" when unknown. */
  owner: string;
  /** The score's explanation at handoff, encoded by ./explanation.ts ("f:icp_industry:20|e:webinar:5"), or null. */
  explanation: string | null;
  /** The earliest contact at or after the handoff. */
  firstContactAt: number | null;
  /** Working ms from handoff to first contact in the rule set's calendar, computed when both are known. */
  firstContactBusinessMs: number | null;
  /**
   * Sales' verdict: the latest feedback by occurredAt, or accept_sql when the CRM's status came to mean SQL
   * later than that feedback (lib/kpi/facts.ts).
   */
  verdict: Verdict | null;
  verdictAt: number | null;
  reasonCode: string | null;
  /** Converted to an opportunity (CRM stage "converted" or an imported outcome). */
  opportunityAt: number | null;
  wonAt: number | null;
  lostAt: number | null;
  /** Escalation events recorded for this cycle. */
  escalations: number;
  /**
   * The instants behind firstContactAt, opportunityAt, wonAt, lostAt and escalations: every one at or after
   * handoffAt (all of them while no handoff is known), ascending. A handoff that arrives late may start a
   * later cycle, and the earliest contact of that cycle may have arrived before it behind an earlier one;
   * keeping the instants lets foldEvent pick it, so the row is the same whatever order events arrive in.
   * Only foldEvent reads it; a store keeps it as JSON.
   */
  timeline: LeadTimeline;
}

/** See LeadFacts.timeline. Each list has at most TIMELINE_MAX_ENTRIES (lib/kpi/facts.ts). */
export interface LeadTimeline {
  contacts: number[];
  /** CRM stage "converted" and imported "opportunity" outcomes (a won outcome counts through `won`). */
  opportunities: number[];
  won: number[];
  lost: number[];
  /** One entry per escalation event (not deduplicated: each was stored once by its idempotency key). */
  escalations: number[];
  /** CRM stage changes to a status meaning SQL; absent in rows folded before CRM statuses counted. */
  sql?: number[];
  /** The latest feedback from Baton, kept apart from the CRM's SQL so either can win later; absent: none yet. */
  feedback?: RecordedFeedback | null;
}

/** A verdict given in Baton's feedback form. */
export interface RecordedFeedback {
  verdict: Verdict;
  at: number;
  reasonCode: string | null;
}

/** One outcome row of an imported CSV (for teams whose CRM pages Baton never sees converted). */
export interface OutcomeRow {
  leadKey: string;
  crm: CrmId;
  /**
   * What the CRM's history says happened to the lead: handed over as an MQL or rejected by sales (history
   * from before Baton), or a CRM status meaning SQL, opportunity, won or lost (lib/kpi/facts.ts).
   */
  outcome: 'mql' | 'rejected' | StatusMeaning;
  at: number;
}

/** What the dashboard asks for: handoffs in [from, to) (ISO dates, in the rule set's time zone). */
export interface KpiQuery {
  from: string;
  to: string;
  /** Score bands of this many points (default 10). */
  bandWidth?: number;
}

/**
 * The measures of a set of handoffs; every breakdown row carries the same. Rates are shares (0–1) or null
 * when nothing to divide by. docs/kpis.md defines each one with its formula; lib/kpi/definitions.ts names
 * each rate's numerator and denominator for the dashboard.
 */
export interface KpiMeasures {
  /** Handoffs in the period, duplicates left out. */
  mqls: number;
  /** Handoffs sales flagged as duplicates (verdict duplicate, or a reason about duplicates): not MQLs. */
  duplicates: number;
  /** MQLs with a verdict on lead quality (SQL, or rejected/recycled for a lead-quality reason). */
  withVerdict: number;
  /** MQLs whose verdict is not about lead quality (wrong owner, or a reason marked not_lead_quality). */
  notAboutQuality: number;
  /** SQLs: accepted in Baton, a CRM status meaning SQL, or an opportunity (which sales must have accepted). */
  acceptedSql: number;
  rejected: number;
  recycled: number;
  /** acceptedSql / withVerdict: what drift judges. */
  sqlRateOfVerdicts: number | null;
  /** MQL→SQL: acceptedSql / mqls. */
  sqlRateOfMqls: number | null;
  contacted: number;
  contactedWithinSla: number;
  contactRate: number | null;
  contactWithinSlaRate: number | null;
  /** Time to first contact of contacted MQLs, ms; null when none was contacted. */
  timeToContact: {
    businessMedianMs: number | null;
    businessP90Ms: number | null;
    calendarMedianMs: number | null;
    calendarP90Ms: number | null;
  };
  /** Not contacted, past due at the report's `now`, and not closed by a verdict. */
  overdueNow: number;
  opportunities: number;
  won: number;
  /** 商談化率, SQL→opportunity: opportunities / acceptedSql. */
  opportunityRate: number | null;
  /** 受注率, opportunity→won: won / opportunities. */
  winRate: number | null;
  /** The whole funnel: opportunities / mqls. */
  mqlToOpportunityRate: number | null;
  /** The whole funnel: won / mqls. */
  mqlToWonRate: number | null;
}

export type BreakdownDimension = 'rulesVersion' | 'owner' | 'crm' | 'reason' | 'fitGrade' | 'scoreBand';

export interface BreakdownRow {
  /** The group's key: "3", "田中 太郎", "salesforce", "threshold", "A", "60-69"; "" = unknown. */
  key: string;
  label: LocalizedText;
  measures: KpiMeasures;
}

export type Drift =
  | { state: 'not_enough_data'; verdicts: number; needed: number }
  | { state: 'within'; rate: number }
  /** Below the band: MQLs too weak, the threshold is likely too low. */
  | { state: 'below'; rate: number; message: LocalizedText }
  /** Above the band: the threshold is likely too high, opportunities are lost below it. */
  | { state: 'above'; rate: number; message: LocalizedText };

export interface WeekRow {
  /** Monday of the week, ISO date in the rule set's zone. */
  week: string;
  /** Days of this week inside the period (1–7): the period may start or end mid-week. */
  days: number;
  /** Fewer than 7 days: its counts cover part of a week, so they are not comparable with whole weeks. */
  partial: boolean;
  measures: KpiMeasures;
  drift: Drift;
}

export interface KpiReport {
  query: Required<KpiQuery>;
  /** The instant "overdue now" was judged at. */
  now: string;
  zone: string;
  /** The conversion target band of the active rule set, as shares. */
  target: { min: number; max: number };
  totals: KpiMeasures;
  drift: Drift;
  weeks: WeekRow[];
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
  /** MQL → contacted → SQL → opportunity → won, counts of the period's handoffs. */
  funnel: {
    stage: 'mql' | 'contacted' | 'sql' | 'opportunity' | 'won';
    label: LocalizedText;
    count: number;
  }[];
  /** Time to first contact in business hours, bucketed: [fromHours, toHours) with toHours null for the last. */
  timeToContactHistogram: { fromHours: number; toHours: number | null; count: number }[];
  /**
   * Verdict reasons, most frequent first, labelled from the rule set: rejection and recycle reasons, and
   * the wrong-owner and duplicate verdicts (code = the verdict). `about` says whether it judged lead quality.
   */
  reasons: {
    verdict: 'reject' | 'recycle' | 'wrong_owner' | 'duplicate';
    code: string;
    label: LocalizedText;
    count: number;
    about: 'lead_quality' | 'not_lead_quality' | 'duplicate';
  }[];
  /** MQLs by how soon sales first answered, with what became of them (speed to lead). */
  speedToLead: SpeedToLeadRow[];
}

export type SpeedBand = 'within_5_minutes' | 'within_1_hour' | 'within_sla' | 'later' | 'never';

/**
 * One band of time from handoff to first contact, in calendar time (the lead waits on the clock, not on
 * business hours): at most 5 minutes, at most 1 hour, by the SLA's due time, after it, not contacted.
 */
export interface SpeedToLeadRow {
  band: SpeedBand;
  label: LocalizedText;
  mqls: number;
  sqls: number;
  won: number;
  /** sqls / mqls of the band. */
  sqlRate: number | null;
  /** won / mqls of the band. */
  winRate: number | null;
}

/** One point of the what-if curve: what the period's history would have been at this threshold. */
export interface ThresholdPoint {
  threshold: number;
  mqls: number;
  mqlsPerWeek: number;
  /** Accepted SQLs still handed over / among MQLs with a verdict. */
  sqlRate: number | null;
  sqlsKept: number;
  /** Accepted SQLs of the history that this threshold would not have handed over. */
  sqlsLost: number;
  /** mqlsPerWeek / capacity; null without a capacity. */
  load: number | null;
  withinTarget: boolean;
}

export interface WhatIfQuery extends KpiQuery {
  /** Total-score threshold to evaluate; default: the active rule set's. */
  threshold?: number;
  /** Contacts the team can make per week. */
  capacityPerWeek?: number;
  /**
   * Replay against this draft version's rule set instead: each recorded explanation line is re-weighed by
   * the draft's points for the same rule (lines of removed rules count 0), and its threshold applies.
   */
  draftVersion?: number;
}

export interface WhatIfReport {
  query: WhatIfQuery;
  target: { min: number; max: number };
  /**
   * The active rule set's threshold, and the proposed one (equal when none was proposed); null when the
   * threshold lies outside the recorded range of scores, with why in `refused`.
   */
  current: ThresholdPoint | null;
  proposed: ThresholdPoint | null;
  /** Why current or proposed was not predicted; null when it was. */
  refused: { current: WhatIfRefusal | null; proposed: WhatIfRefusal | null };
  /** Meets the target band with the most SQLs kept; null when no threshold in the evidence does. */
  suggested: ThresholdPoint | null;
  curve: ThresholdPoint[];
  /**
   * The lowest total score in the history: below it nothing was handed over by score, so nothing is known
   * of how those leads would have converted and the curve stops there.
   */
  evidenceFrom: number | null;
  /** Leads replayed, and how many had no recorded score (handed over by trigger or by hand, kept as they were). */
  replayed: number;
  unscored: number;
  weeks: number;
}

/**
 * A threshold the what-if will not predict: below the lowest score handed over by score nothing is known
 * of how those leads would have converted; above one past the highest, nothing changes any more; with no
 * score handoff at all there is nothing to replay.
 */
export interface WhatIfRefusal {
  threshold: number;
  reason: 'below_evidence' | 'above_evidence' | 'no_evidence';
  message: LocalizedText;
}

/** A count of the dashboard that can be opened to the leads behind it: the funnel's stages and overdue now. */
export type LeadFigure = 'mql' | 'contacted' | 'sql' | 'opportunity' | 'won' | 'overdue';

export interface KpiLeadsQuery extends KpiQuery {
  figure: LeadFigure;
}

/** One lead behind a count, as a list and its CSV show it. Instants are ISO strings. */
export interface LeadBehind {
  leadKey: string;
  crm: CrmId;
  /** "" when unknown. */
  owner: string;
  score: number | null;
  handoffAt: string;
  dueAt: string | null;
  firstContactAt: string | null;
  verdict: Verdict | null;
  /** The verdict's reason by its label (never a raw code); null without a reason. */
  reasonLabel: LocalizedText | null;
  /** The lead's record page in its CRM, as a browser last saw it; null when none was recorded. */
  url: string | null;
}

export interface KpiLeadsReport {
  query: { from: string; to: string; bandWidth: number; figure: LeadFigure };
  now: string;
  label: LocalizedText;
  /** How many leads the figure counts: the same number the dashboard shows. */
  total: number;
  /** The first LEADS_BEHIND_MAX of them, most urgent first (overdue: longest overdue; else newest handoff). */
  leads: LeadBehind[];
}
