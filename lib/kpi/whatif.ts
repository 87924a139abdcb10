/**
 * The threshold review: "had the threshold been T, what would last quarter have looked like?" answered by
 * replaying the recorded handoffs. A lead handed over by a behaviour trigger or by hand stays handed over
 * at every threshold; a lead handed over by score is an MQL at T when its score reaches T. The curve stops
 * at the lowest score ever handed over: below it nothing was handed over by score, so nothing is known of
 * how those leads would have converted, and the review never suggests a threshold there.
 */
import { periodBounds } from '../calendar/zone';
import type { RuleSet } from '../rules/schema';
import { decodeExplanation, type ExplanationLine } from './explanation';
import type {
  HandoffReason,
  LeadFacts,
  ThresholdPoint,
  Verdict,
  WhatIfQuery,
  WhatIfRefusal,
  WhatIfReport,
} from './types';

/** What the what-if needs of one handoff: its score, how it was handed over, and what sales said. */
export interface ReplayLead {
  score: number | null;
  fit: number | null;
  engagement: number | null;
  reason: HandoffReason | null;
  verdict: Verdict | null;
  handoffAt: number;
  /** The recorded explanation; null when none was recorded or it could not be read. */
  explanation: ExplanationLine[] | null;
  rulesVersion: number | null;
}

/**
 * What the what-if itself reads of a handoff: a ReplayLead without its explanation, which only a scorer
 * reads (the endpoint's scorer reads the stored text, ./rescore-text.ts, without decoding it into lines).
 */
export type ReplayRow = Omit<ReplayLead, 'explanation'>;

/** A replayed score; fit and engagement are null when unknown (they then never block a minimum). */
export interface ReplayScore {
  total: number;
  fit: number | null;
  engagement: number | null;
}

/** How to score a lead in the replay: a plain total, or a total with its parts (as rescoreForDraft gives). */
export type ScoreOf<L extends ReplayRow = ReplayLead> = (lead: L) => number | ReplayScore | null;

export interface WhatIfOptions<L extends ReplayRow = ReplayLead> {
  /** Echoed in the report. */
  query: WhatIfQuery;
  /** The threshold to evaluate (the proposed one). */
  threshold: number;
  /** The active rule set's threshold. */
  currentThreshold: number;
  /** The conversion target band, as shares. */
  target: { min: number; max: number };
  /** Length of the replayed period in weeks (positive; anything else is read as one week). */
  weeks: number;
  capacityPerWeek?: number;
  minFit?: number;
  minEngagement?: number;
  /** Default: the recorded score, fit and engagement. */
  scoreOf?: ScoreOf<L>;
  /**
   * Handoffs of the period already counted, not among `leads`: what the replay would have tallied of
   * leads not handed over by score, which stay as they happened at every threshold. Only with the
   * recorded scores (no scoreOf): a draft's scorer must see every lead. The endpoint counts them in SQL.
   */
  counted?: CountedHandoffs;
}

/** Handoffs not by score, counted: all (duplicates too), MQLs, with a verdict on quality, SQLs, unscored. */
export interface CountedHandoffs {
  handoffs: number;
  mqls: number;
  withVerdict: number;
  accepted: number;
  unscored: number;
}

/** The chart needs no more; current, proposed and suggested are computed exactly whatever the sampling. */
const MAX_CURVE_POINTS = 200;
/** Rates are divisions; a band edge given as 0.3 must accept 3/10 however the division rounds. */
const RATE_EPSILON = 1e-9;

// ---------------------------------------------------------------------------------------------------
// Rows → replay leads

/**
 * The handoffs of a period, ready to replay: rows whose handoff fell on a local date in [from, to) of
 * the zone (ISO dates, `to` exclusive). Rows whose handoff is not yet known are left out.
 */
export function replayLeadsFrom(
  rows: readonly LeadFacts[],
  period: { from: string; to: string; zone: string },
): ReplayLead[] {
  const [start, end] = periodBounds(period, period.zone);
  const leads: ReplayLead[] = [];
  for (const row of rows) {
    if (row.handoffAt === null || row.handoffAt < start || row.handoffAt >= end) continue;
    leads.push({
      score: row.score,
      fit: row.fit,
      engagement: row.engagement,
      reason: row.reason,
      verdict: row.verdict,
      handoffAt: row.handoffAt,
      explanation: decodeExplanation(row.explanation),
      rulesVersion: row.rulesVersion,
    });
  }
  return leads;
}

// ---------------------------------------------------------------------------------------------------
// Draft re-weighing

type Rule = { points: number; cap?: number };

/** A rule set's fit and engagement rules by id (a repeated id: the last one, as Map construction keeps). */
export interface RulesById {
  fit: Map<string, Rule>;
  engagement: Map<string, Rule>;
}

export function rulesById(rules: Pick<RuleSet, 'fitRules' | 'engagementRules'>): RulesById {
  return {
    fit: new Map(rules.fitRules.map((r) => [r.id, r])),
    engagement: new Map(rules.engagementRules.map((r) => [r.id, r])),
  };
}

/**
 * The lead's score had the draft rule set been in force, approximately: each recorded explanation line
 * is scaled by the draft's points for the same rule over the recorded rule set's points, so the caps and
 * decay already applied scale along. A rule the draft removed counts 0; without the recorded rule set
 * (an unknown version) a line counts as recorded while its rule still exists in the draft. Engagement
 * per rule is then bounded by the draft rule's cap, and each rule rounded to whole points as the scorer
 * does.
 *
 * It is an approximation, by design: the lead's fields and activities never leave the browser, so
 *  - a rule the draft adds (or a changed condition, decay or activity match) cannot be evaluated: it
 *    counts nothing, or as the recorded rule did;
 *  - a cap the draft raises cannot release points the recorded cap already cut off;
 *  - a rule that moved between fit and engagement counts 0.
 * Null when the lead has no recorded explanation.
 */
export function rescoreForDraft(
  lead: ReplayLead,
  recorded: RuleSet | undefined,
  draft: RuleSet,
): ReplayScore | null {
  if (lead.explanation === null) return null;
  return rescoreWith(lead.explanation, recorded && rulesById(recorded), rulesById(draft));
}

function repeatsEarlier(lines: readonly ExplanationLine[], i: number): boolean {
  const { ruleId, kind } = lines[i]!;
  for (let j = 0; j < i; j++) if (lines[j]!.ruleId === ruleId && lines[j]!.kind === kind) return true;
  return false;
}

function rescoreWith(
  lines: readonly ExplanationLine[],
  recorded: RulesById | undefined,
  draft: RulesById,
): ReplayScore {
  let fit = 0;
  let engagement = 0;
  for (let i = 0; i < lines.length; i++) {
    const { ruleId, kind } = lines[i]!;
    // The scorer writes one line per rule, but a merged or hand-edited explanation may repeat a rule:
    // its lines are summed before capping and rounding. A quadratic scan over a few dozen lines at most
    // allocates nothing, which matters over 100,000 leads.
    if (repeatsEarlier(lines, i)) continue;
    const draftRule = draft[kind].get(ruleId);
    if (!draftRule) continue;
    const recordedRule = recorded?.[kind].get(ruleId);
    let sum = 0;
    for (let j = i; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.ruleId !== ruleId || line.kind !== kind) continue;
      sum += recordedRule ? (line.points * draftRule.points) / recordedRule.points : line.points;
    }
    if (kind === 'fit') {
      fit += Math.round(sum);
    } else {
      const cap = draftRule.cap;
      engagement += Math.round(cap === undefined ? sum : Math.max(-cap, Math.min(cap, sum)));
    }
  }
  return { total: fit + engagement, fit, engagement };
}

/**
 * A scoreOf for whatIf that replays every lead under the draft, each against the rule set version that
 * scored it (recordedFor returns undefined for a version no longer known).
 */
export function draftScorer(
  draft: RuleSet,
  recordedFor: (rulesVersion: number | null) => RuleSet | undefined,
): ScoreOf {
  const draftRules = rulesById(draft);
  const recordedRules = new Map<number | null, RulesById | undefined>();
  return (lead) => {
    if (lead.explanation === null) return null;
    if (!recordedRules.has(lead.rulesVersion)) {
      const rules = recordedFor(lead.rulesVersion);
      recordedRules.set(lead.rulesVersion, rules && rulesById(rules));
    }
    return rescoreWith(lead.explanation, recordedRules.get(lead.rulesVersion), draftRules);
  };
}

// ---------------------------------------------------------------------------------------------------
// The what-if

function recordedScore(lead: ReplayRow): ReplayScore | null {
  return lead.score === null ? null : { total: lead.score, fit: lead.fit, engagement: lead.engagement };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Counts {
  mqls: number;
  withVerdict: number;
  accepted: number;
}

/**
 * The replayed history in a form that answers any threshold in O(log n): the leads kept whatever the
 * threshold as plain counts, and the scores of the leads handed over by score sorted once, separately
 * for all of them, those with a verdict and those accepted as SQL.
 */
class Replay<L extends ReplayRow = ReplayRow> {
  readonly kept: Counts = { mqls: 0, withVerdict: 0, accepted: 0 };
  readonly acceptedInHistory: number;
  readonly all: Float64Array;
  readonly withVerdict: Float64Array;
  readonly accepted: Float64Array;
  readonly evidenceFrom: number | null;
  /** The highest score handed over by score (-Infinity when none). */
  readonly highest: number;
  readonly unscored: number;

  constructor(
    leads: readonly L[],
    scoreOf: ScoreOf<L>,
    minimum: { fit?: number | undefined; engagement?: number | undefined },
    counted: CountedHandoffs | undefined,
  ) {
    const all: number[] = [];
    const withVerdict: number[] = [];
    const accepted: number[] = [];
    let acceptedInHistory = counted?.accepted ?? 0;
    let unscored = counted?.unscored ?? 0;
    if (counted) {
      this.kept.mqls = counted.mqls;
      this.kept.withVerdict = counted.withVerdict;
      this.kept.accepted = counted.accepted;
    }
    let evidenceFrom = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (const lead of leads) {
      // As in the KPI report: a duplicate is not an MQL, a wrong owner is no verdict on lead quality.
      // (Reasons marked not about quality need the reason code, which the replay does not read.)
      if (lead.verdict === 'duplicate') continue;
      const judged = lead.verdict !== null && lead.verdict !== 'wrong_owner';
      const isSql = lead.verdict === 'accept_sql';
      if (isSql) acceptedInHistory++;
      const raw = scoreOf(lead);
      const score =
        typeof raw === 'number' ? { total: raw, fit: lead.fit, engagement: lead.engagement } : raw;
      if (score === null || !Number.isFinite(score.total)) unscored++;
      if (lead.reason !== 'threshold' || score === null || !Number.isFinite(score.total)) {
        // Handed over by a trigger, by hand, for an unrecorded reason or by a score nobody can replay:
        // kept as it happened.
        this.kept.mqls++;
        if (judged) this.kept.withVerdict++;
        if (isSql) this.kept.accepted++;
        continue;
      }
      if (score.total < evidenceFrom) evidenceFrom = score.total;
      if (score.total > highest) highest = score.total;
      // An unknown part is not held against the lead: it was handed over, and nothing says it fell short.
      if (minimum.fit !== undefined && score.fit !== null && score.fit < minimum.fit) continue;
      if (
        minimum.engagement !== undefined &&
        score.engagement !== null &&
        score.engagement < minimum.engagement
      )
        continue;
      all.push(score.total);
      if (judged) withVerdict.push(score.total);
      if (isSql) accepted.push(score.total);
    }
    this.all = Float64Array.from(all).sort();
    this.withVerdict = Float64Array.from(withVerdict).sort();
    this.accepted = Float64Array.from(accepted).sort();
    this.acceptedInHistory = acceptedInHistory;
    this.unscored = unscored;
    this.evidenceFrom = Number.isFinite(evidenceFrom) ? evidenceFrom : null;
    this.highest = highest;
  }

  countsAt(threshold: number): Counts {
    const above = (sorted: Float64Array) => sorted.length - lowerBound(sorted, threshold);
    return {
      mqls: this.kept.mqls + above(this.all),
      withVerdict: this.kept.withVerdict + above(this.withVerdict),
      accepted: this.kept.accepted + above(this.accepted),
    };
  }
}

function pointOf(
  threshold: number,
  counts: Counts,
  replay: Replay,
  opts: Pick<WhatIfOptions, 'weeks' | 'capacityPerWeek' | 'target'>,
): ThresholdPoint {
  const weeks = opts.weeks > 0 ? opts.weeks : 1;
  const mqlsPerWeek = counts.mqls / weeks;
  const sqlRate = counts.withVerdict > 0 ? counts.accepted / counts.withVerdict : null;
  const capacity = opts.capacityPerWeek;
  return {
    threshold,
    mqls: counts.mqls,
    mqlsPerWeek,
    sqlRate,
    sqlsKept: counts.accepted,
    sqlsLost: replay.acceptedInHistory - counts.accepted,
    load: capacity !== undefined && capacity > 0 ? mqlsPerWeek / capacity : null,
    withinTarget:
      sqlRate !== null &&
      sqlRate >= opts.target.min - RATE_EPSILON &&
      sqlRate <= opts.target.max + RATE_EPSILON,
  };
}

/**
 * The lowest integer threshold of each stretch over which the outcome stays the same: the curve's start,
 * then one above each distinct score (rounded up, for fractional scores). Every integer threshold in
 * [start, end] gives the same point as the candidate at or below it.
 */
function candidateThresholds(sorted: Float64Array, start: number, end: number): number[] {
  const candidates = [start];
  for (let i = 0; i < sorted.length; i++) {
    const score = sorted[i]!;
    if (i + 1 < sorted.length && sorted[i + 1] === score) continue;
    const next = Math.floor(score) + 1;
    if (next > candidates[candidates.length - 1]! && next <= end) candidates.push(next);
  }
  return candidates;
}

/**
 * The threshold review over replayed leads: the proposed and current thresholds, the curve over every
 * integer threshold the evidence covers (downsampled to about 200 points for the chart, always keeping
 * current, proposed and suggested), and the suggestion.
 *
 * Suggested: among thresholds whose SQL rate lies in the target band, the one keeping the most accepted
 * SQLs, the lower threshold on a tie. With a capacity, thresholds the team can work (load ≤ 1) are
 * preferred; when none in the band can be worked the best one is suggested anyway and its load > 1 shows
 * it exceeds capacity. Null when no threshold in the evidence meets the band.
 *
 * O(n log n): scores are sorted once, and each threshold is answered by binary search over them.
 */
export function whatIf<L extends ReplayRow = ReplayLead>(
  leads: readonly L[],
  opts: WhatIfOptions<L>,
): WhatIfReport {
  if (opts.counted && opts.scoreOf) throw new TypeError('counted handoffs are for the recorded scores only');
  const replay = new Replay(
    leads,
    opts.scoreOf ?? recordedScore,
    { fit: opts.minFit, engagement: opts.minEngagement },
    opts.counted,
  );
  const at = (threshold: number) => pointOf(threshold, replay.countsAt(threshold), replay, opts);

  let suggested: ThresholdPoint | null = null;
  const curve: ThresholdPoint[] = [];
  if (replay.evidenceFrom !== null) {
    const start = Math.floor(replay.evidenceFrom);
    // Past the highest score nothing changes; one step beyond shows the history with no score handoffs.
    const end = Math.floor(replay.highest) + 1;

    let best: ThresholdPoint | null = null;
    let bestWorkable: ThresholdPoint | null = null;
    for (const threshold of candidateThresholds(replay.all, start, end)) {
      const point = at(threshold);
      if (!point.withinTarget) continue;
      if (best === null || point.sqlsKept > best.sqlsKept) best = point;
      if (
        point.load !== null &&
        point.load <= 1 &&
        (bestWorkable === null || point.sqlsKept > bestWorkable.sqlsKept)
      )
        bestWorkable = point;
    }
    suggested = bestWorkable ?? best;

    const step = Math.max(1, Math.ceil((end - start + 1) / MAX_CURVE_POINTS));
    const thresholds = new Set<number>();
    for (let t = start; t <= end; t += step) thresholds.add(t);
    thresholds.add(end);
    for (const t of [opts.currentThreshold, opts.threshold, suggested?.threshold]) {
      if (t !== undefined && Number.isInteger(t) && t >= start && t <= end) thresholds.add(t);
    }
    for (const t of [...thresholds].sort((a, b) => a - b)) curve.push(at(t));
  }

  const known = (threshold: number) => {
    const refusal = refusalOf(threshold, replay);
    return { point: refusal ? null : at(threshold), refusal };
  };
  const current = known(opts.currentThreshold);
  const proposed = known(opts.threshold);
  return {
    query: opts.query,
    target: opts.target,
    current: current.point,
    proposed: proposed.point,
    refused: { current: current.refusal, proposed: proposed.refusal },
    suggested,
    curve,
    evidenceFrom: replay.evidenceFrom,
    replayed: leads.length + (opts.counted?.handoffs ?? 0),
    unscored: replay.unscored,
    weeks: opts.weeks,
  };
}

const scoreText = (score: number) => String(Math.round(score * 10) / 10);

/**
 * Why a threshold is not predicted, or null when it lies on the curve. Below the lowest score handed
 * over by score, every lead there would count as it did at that score: the figures would be those of
 * the lowest score, stated with confidence about leads nobody recorded. Past one above the highest score
 * nothing changes. With no handoff by score, no threshold changes anything that was measured.
 */
function refusalOf(threshold: number, replay: Replay): WhatIfRefusal | null {
  if (replay.evidenceFrom === null) {
    return {
      threshold,
      reason: 'no_evidence',
      message: {
        ja: 'この期間にスコアで引き渡されたリードがないため、閾値を変えた場合は予測できません。トリガーと手動の引き渡しは閾値に左右されません',
        en: 'No lead was handed over by score in this period, so a threshold change cannot be predicted. Trigger and manual handoffs do not depend on the threshold',
      },
    };
  }
  const start = Math.floor(replay.evidenceFrom);
  const end = Math.floor(replay.highest) + 1;
  if (threshold < start) {
    const lowest = scoreText(replay.evidenceFrom);
    return {
      threshold,
      reason: 'below_evidence',
      message: {
        ja: `閾値 ${threshold} 点は記録の範囲外のため予測しません。スコアで引き渡されたリードは最低でも ${lowest} 点で、それ未満のリードがどれだけ SQL になるかの記録がありません。${start} 点以上で試してください`,
        en: `Threshold ${threshold} is outside the recorded range, so it is not predicted: the lowest score handed over by score was ${lowest}, and nothing records how leads below it would convert. Try ${start} or more`,
      },
    };
  }
  if (threshold > end) {
    const highest = scoreText(replay.highest);
    return {
      threshold,
      reason: 'above_evidence',
      message: {
        ja: `閾値 ${threshold} 点は記録の範囲外のため予測しません。スコアで引き渡されたリードは最高 ${highest} 点で、${end} 点より上では何も変わりません。${end} 点以下で試してください`,
        en: `Threshold ${threshold} is outside the recorded range, so it is not predicted: the highest score handed over by score was ${highest}, and above ${end} nothing changes. Try ${end} or less`,
      },
    };
  }
  return null;
}
