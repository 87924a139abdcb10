/**
 * The leads behind a count of the dashboard: "Overdue now 210" opens to those 210 leads. Classified by
 * the same functions as the report (./classify.ts), so the list always holds as many leads as the count
 * shows (docs/kpis.md defines each count).
 */
import type { LocalizedText } from '../i18n';
import type { RuleSet } from '../rules/schema';
import { LEADS_BEHIND_MAX } from './api';
import { CONTACTED_LATE, contactStateOf, DUPLICATE, OVERDUE, SQL, verdictCodeOf } from './classify';
import { FUNNEL_LABELS, reasonLabelOf, VERDICT_LABELS } from './labels';
import type { LeadBehind, LeadFacts, LeadFigure } from './types';

export const FIGURE_LABELS: Record<LeadFigure, LocalizedText> = {
  ...FUNNEL_LABELS,
  overdue: { ja: '現在の期限超過', en: 'Overdue now' },
};

export interface LeadsBehind {
  total: number;
  /** At most LEADS_BEHIND_MAX, most urgent first; url is null (the endpoint fills it in). */
  leads: LeadBehind[];
}

/**
 * The period's leads that `figure` counts: rows whose handoff falls in [start, end) (epoch ms), judged
 * at `now` by the rule set's reasons. Overdue leads come longest overdue first; the others newest
 * handoff first.
 */
export function leadsBehind(
  rows: Iterable<LeadFacts>,
  figure: LeadFigure,
  ctx: { start: number; end: number; now: number; rules: Pick<RuleSet, 'feedbackReasons'> },
): LeadsBehind {
  const about = new Map(ctx.rules.feedbackReasons.map((r) => [r.code, r.about ?? 'lead_quality']));
  const labels = new Map(ctx.rules.feedbackReasons.map((r) => [r.code, r.label]));
  const counted: LeadFacts[] = [];
  for (const row of rows) {
    const handoffAt = row.handoffAt;
    if (handoffAt === null || handoffAt < ctx.start || handoffAt >= ctx.end) continue;
    const verdictCode = verdictCodeOf(row, about);
    // A duplicate is not an MQL: no count of the dashboard holds it.
    if (verdictCode === DUPLICATE) continue;
    if (countedBy(figure, row, verdictCode, ctx.now)) counted.push(row);
  }
  counted.sort(
    figure === 'overdue'
      ? (a, b) => a.dueAt! - b.dueAt! || compareKeys(a, b)
      : (a, b) => b.handoffAt! - a.handoffAt! || compareKeys(a, b),
  );
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    total: counted.length,
    leads: counted.slice(0, LEADS_BEHIND_MAX).map((row) => ({
      leadKey: row.leadKey,
      crm: row.crm,
      owner: row.owner,
      score: row.score,
      handoffAt: new Date(row.handoffAt!).toISOString(),
      dueAt: iso(row.dueAt),
      firstContactAt: iso(row.firstContactAt),
      verdict: row.verdict,
      reasonLabel: reasonOf(row, labels),
      url: null,
    })),
  };
}

function countedBy(figure: LeadFigure, row: LeadFacts, verdictCode: number, now: number): boolean {
  switch (figure) {
    case 'mql':
      return true;
    case 'contacted':
      return contactStateOf(row, verdictCode, now) >= CONTACTED_LATE;
    case 'overdue':
      return contactStateOf(row, verdictCode, now) === OVERDUE;
    case 'sql':
      return verdictCode === SQL;
    case 'opportunity':
      return row.opportunityAt !== null;
    case 'won':
      return row.wonAt !== null;
  }
}

function reasonOf(row: LeadFacts, labels: ReadonlyMap<string, LocalizedText>): LocalizedText | null {
  if (row.verdict === 'wrong_owner' || row.verdict === 'duplicate') return VERDICT_LABELS[row.verdict];
  if ((row.verdict === 'reject' || row.verdict === 'recycle') && row.reasonCode !== null) {
    return reasonLabelOf(row.reasonCode, labels);
  }
  return null;
}

const compareKeys = (a: LeadFacts, b: LeadFacts) =>
  a.leadKey < b.leadKey ? -1 : a.leadKey > b.leadKey ? 1 : 0;
