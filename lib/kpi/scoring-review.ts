/**
 * Scoring review from outcomes: for each fit and behaviour rule, how often it fired among the period's
 * MQLs, among its SQLs and among its wins, its lift, and a suggested change of points with what applying
 * it would have done at the current threshold. Possible because every handoff keeps its explanation
 * (which rule gave how many points). docs/kpis.md defines each figure.
 *
 * - Population: the period's MQLs (duplicates left out) with a recorded explanation. SQL and won as in the
 *   KPI report: accepted as SQL in Baton or the CRM, or an opportunity; won.
 * - Lift = (share of SQLs where the rule fired) ÷ (share of MQLs where it fired); 1 means the rule says
 *   nothing about conversion, above 1 it marks leads that convert better than the average MQL.
 * - Suggested points: positive rules × lift, negative rules ÷ lift, to the nearest 5 (never 0), only for
 *   a rule that fired on at least MIN_FIRED MQLs when the period has at least MIN_SQLS SQLs, and only when
 *   that differs from today's points. A starting point for the review meeting, not a fitted model.
 * - What-if: the period's MQLs re-scored with the suggested points (the rule's explanation lines scaled by
 *   suggested ÷ current); a lead handed over by score stays an MQL when its new score reaches the current
 *   threshold, trigger and manual handoffs stay. Leads below the threshold were never recorded, so raising
 *   points can add no MQL here: the what-if shows what a change would cut, never what it would add.
 */
import type { LocalizedText } from '../i18n';
import type { ReasonAbout, RuleSet } from '../rules/schema';
import { DUPLICATE, SQL, verdictCodeOf } from './classify';
import { decodeExplanation, type ExplanationLine } from './explanation';
import type { LeadFacts } from './types';

export const MIN_FIRED = 10;
export const MIN_SQLS = 5;

export interface RuleWhatIf {
  points: number;
  mqls: number;
  sqls: number;
  sqlRate: number | null;
}

export interface ScoringReviewRow {
  ruleId: string;
  kind: 'fit' | 'engagement';
  label: LocalizedText;
  /** Today's points in the active rule set. */
  points: number;
  /** MQLs, SQLs and wins where the rule fired. */
  firedMqls: number;
  firedSqls: number;
  firedWon: number;
  shareOfMqls: number | null;
  shareOfSqls: number | null;
  shareOfWon: number | null;
  /** shareOfSqls ÷ shareOfMqls; null when either is unknown or the rule never fired. */
  lift: number | null;
  suggestedPoints: number | null;
  /** Applying the suggestion, against today at the same threshold; null without a suggestion. */
  whatIf: { current: RuleWhatIf; suggested: RuleWhatIf } | null;
}

export interface ScoringReview {
  /** MQLs of the period with an explanation, and their SQLs and wins. */
  mqls: number;
  sqls: number;
  won: number;
  /** MQLs of the period without a recorded explanation (not reviewed). */
  unexplained: number;
  threshold: number;
  rows: ScoringReviewRow[];
}

interface Lead {
  lines: ExplanationLine[];
  score: number | null;
  byScore: boolean;
  sql: boolean;
  won: boolean;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Positive rules × lift, negative ÷ lift, to the nearest 5 and never 0; null when it changes nothing. */
export function suggestPoints(points: number, lift: number): number | null {
  if (!(lift > 0) || !Number.isFinite(lift)) return null;
  const raw = points > 0 ? points * lift : points / lift;
  let rounded = Math.round(raw / 5) * 5;
  if (rounded === 0) rounded = points > 0 ? 5 : -5;
  rounded = Math.max(-1000, Math.min(1000, rounded));
  return rounded === points ? null : rounded;
}

/** The scoring review of rows already limited to a period (the endpoint reads them by handoffAt). */
export function scoringReview(rows: Iterable<LeadFacts>, rules: RuleSet): ScoringReview {
  const leads: Lead[] = [];
  let unexplained = 0;
  // What each reason says about lead quality, read as the KPI report reads verdicts (report.ts).
  const about = new Map<string, ReasonAbout>(
    rules.feedbackReasons.map((r) => [r.code, r.about ?? 'lead_quality']),
  );
  for (const row of rows) {
    if (row.handoffAt === null) continue;
    const verdict = verdictCodeOf(row, about);
    if (verdict === DUPLICATE) continue;
    const lines = decodeExplanation(row.explanation);
    if (lines === null) {
      unexplained++;
      continue;
    }
    leads.push({
      lines,
      score: row.score,
      byScore: row.reason === 'threshold',
      sql: verdict === SQL,
      won: row.wonAt !== null,
    });
  }
  const sqls = leads.filter((l) => l.sql).length;
  const won = leads.filter((l) => l.won).length;
  const threshold = rules.threshold.total;
  const ruleList = [
    ...rules.fitRules.map((r) => ({ id: r.id, kind: 'fit' as const, label: r.label, points: r.points })),
    ...rules.engagementRules.map((r) => ({
      id: r.id,
      kind: 'engagement' as const,
      label: r.label,
      points: r.points,
    })),
  ];
  const reviewRows = ruleList.map((rule): ScoringReviewRow => {
    const fired = leads.filter((l) => l.lines.some((x) => x.ruleId === rule.id && x.kind === rule.kind));
    const firedSqls = fired.filter((l) => l.sql).length;
    const firedWon = fired.filter((l) => l.won).length;
    const shareOfMqls = share(fired.length, leads.length);
    const shareOfSqls = share(firedSqls, sqls);
    const lift =
      shareOfMqls === null || shareOfSqls === null || shareOfMqls === 0 ? null : shareOfSqls / shareOfMqls;
    const enough = fired.length >= MIN_FIRED && sqls >= MIN_SQLS;
    const suggestedPoints = enough && lift !== null ? suggestPoints(rule.points, lift) : null;
    return {
      ruleId: rule.id,
      kind: rule.kind,
      label: rule.label,
      points: rule.points,
      firedMqls: fired.length,
      firedSqls,
      firedWon,
      shareOfMqls,
      shareOfSqls,
      shareOfWon: share(firedWon, won),
      lift,
      suggestedPoints,
      whatIf:
        suggestedPoints === null
          ? null
          : {
              current: replay(leads, rule, rule.points, threshold),
              suggested: replay(leads, rule, suggestedPoints, threshold),
            },
    };
  });
  return { mqls: leads.length, sqls, won, unexplained, threshold, rows: reviewRows };
}

function replay(
  leads: readonly Lead[],
  rule: { id: string; kind: 'fit' | 'engagement'; points: number },
  points: number,
  threshold: number,
): RuleWhatIf {
  let mqls = 0;
  let sqls = 0;
  for (const lead of leads) {
    let kept = true;
    if (lead.byScore && lead.score !== null) {
      let score = lead.score;
      for (const line of lead.lines) {
        if (line.ruleId === rule.id && line.kind === rule.kind) {
          score += line.points * (points / rule.points) - line.points;
        }
      }
      kept = score >= threshold;
    }
    if (!kept) continue;
    mqls++;
    if (lead.sql) sqls++;
  }
  return { points, mqls, sqls, sqlRate: share(sqls, mqls) };
}

/**
 * The rule set with one rule's points changed: the draft a suggestion becomes. A behaviour rule's cap
 * scales with its points, or a cap reached today would swallow the change.
 */
export function withPoints(
  rules: RuleSet,
  kind: 'fit' | 'engagement',
  ruleId: string,
  points: number,
): RuleSet {
  if (kind === 'fit') {
    return { ...rules, fitRules: rules.fitRules.map((r) => (r.id === ruleId ? { ...r, points } : r)) };
  }
  return {
    ...rules,
    engagementRules: rules.engagementRules.map((r) => {
      if (r.id !== ruleId) return r;
      if (r.cap === undefined) return { ...r, points };
      const cap = Math.min(10_000, Math.max(1, Math.round(r.cap * Math.abs(points / r.points))));
      return { ...r, points, cap };
    }),
  };
}
