/**
 * What a draft rule set would do to real leads before anyone signs it: each lead scored with the active
 * rules and with the draft, side by side. Marketing sees who becomes or stops being an MQL, how the MQL
 * count moves, whose first-contact deadline shifts and, per lead, which rules now count differently.
 */
import { evaluateLead, type LeadEvaluation } from './evaluate';
import type { LocalizedText } from './i18n';
import type { LeadSnapshot, Stage } from './lead';
import type { RuleSet } from './rules/schema';
import { keepActivityColumns } from './scoring/columns';
import type { FitGrade } from './sla/schema';

export interface PreviewLead {
  snapshot: LeadSnapshot;
  /** A rep's "contacted" mark, as the browser keeps it; it stops the SLA clock under either rule set. */
  markedContactedAt?: number | null;
}

/** One lead under one rule set. */
export interface LeadOutcome {
  score: number;
  fit: number;
  engagement: number;
  grade: FitGrade;
  stage: Stage;
  /** Handed over to sales (by score, trigger or the CRM's MQL date). */
  mql: boolean;
  handoffAt: number | null;
  dueAt: number | null;
}

/** One rule's points under each rule set; null where it did not count. */
export interface ExplanationChange {
  ruleId: string;
  kind: 'fit' | 'engagement';
  label: LocalizedText;
  before: number | null;
  after: number | null;
}

export interface PreviewRow {
  key: string;
  /** Company, else name, else the record id: as the CRM page showed it (text, never markup). */
  label: string;
  crm: LeadSnapshot['crm'];
  before: LeadOutcome;
  after: LeadOutcome;
  change: 'became_mql' | 'stopped_mql' | 'unchanged';
  /** Draft due time minus active due time, when both exist and differ. */
  dueShiftMs: number | null;
  explanation: ExplanationChange[];
}

export interface RulesPreview {
  /** Leads whose outcome changes first (new MQLs, lost MQLs, moved deadlines, score changes), then the rest. */
  rows: PreviewRow[];
  mqlBefore: number;
  mqlAfter: number;
  became: number;
  stopped: number;
  dueChanged: number;
}

function outcome(e: LeadEvaluation): LeadOutcome {
  return {
    score: e.scores.total,
    fit: e.scores.fit,
    engagement: e.scores.engagement,
    grade: e.fitGrade,
    stage: e.stage,
    mql: e.handoff !== null,
    handoffAt: e.handoff?.at ?? null,
    dueAt: e.sla.dueAt ?? null,
  };
}

function explanationChanges(a: LeadEvaluation, b: LeadEvaluation): ExplanationChange[] {
  const rows = new Map<string, ExplanationChange>();
  for (const c of a.explanation) {
    rows.set(`${c.kind}:${c.ruleId}`, {
      ruleId: c.ruleId,
      kind: c.kind,
      label: c.label,
      before: c.points,
      after: null,
    });
  }
  for (const c of b.explanation) {
    const key = `${c.kind}:${c.ruleId}`;
    const row = rows.get(key);
    if (row) rows.set(key, { ...row, label: c.label, after: c.points });
    else rows.set(key, { ruleId: c.ruleId, kind: c.kind, label: c.label, before: null, after: c.points });
  }
  return [...rows.values()].filter((r) => r.before !== r.after);
}

function labelOf(snapshot: LeadSnapshot): string {
  return snapshot.fields.company || snapshot.fields.name || snapshot.recordId;
}

/**
 * The leads a what-if will score on every edit of the draft, ready for it: their activity columns built
 * once (lib/scoring/columns.ts), so that each scoring pass reads numbers instead of re-parsing every
 * activity. Returns the same leads, unchanged.
 */
export function keepForPreview<T extends readonly PreviewLead[]>(leads: T): T {
  keepActivityColumns(leads.map((lead) => lead.snapshot));
  return leads;
}

/** Scores every lead with both rule sets at `now` (epoch ms). */
export function previewRules(
  active: RuleSet,
  draft: RuleSet,
  leads: readonly PreviewLead[],
  now: number,
): RulesPreview {
  const rows: PreviewRow[] = leads.map(({ snapshot, markedContactedAt }) => {
    const opts = { now, markedContactedAt: markedContactedAt ?? null };
    const a = evaluateLead(active, snapshot, opts);
    const b = evaluateLead(draft, snapshot, opts);
    const before = outcome(a);
    const after = outcome(b);
    const dueShiftMs =
      before.dueAt !== null && after.dueAt !== null && before.dueAt !== after.dueAt
        ? after.dueAt - before.dueAt
        : null;
    return {
      key: a.key,
      label: labelOf(snapshot),
      crm: snapshot.crm,
      before,
      after,
      change: before.mql === after.mql ? 'unchanged' : after.mql ? 'became_mql' : 'stopped_mql',
      dueShiftMs,
      explanation: explanationChanges(a, b),
    };
  });
  const weight = (r: PreviewRow) =>
    r.change !== 'unchanged' ? 3 : r.dueShiftMs !== null ? 2 : r.before.score !== r.after.score ? 1 : 0;
  rows.sort((x, y) => weight(y) - weight(x) || x.label.localeCompare(y.label));
  return {
    rows,
    mqlBefore: rows.filter((r) => r.before.mql).length,
    mqlAfter: rows.filter((r) => r.after.mql).length,
    became: rows.filter((r) => r.change === 'became_mql').length,
    stopped: rows.filter((r) => r.change === 'stopped_mql').length,
    dueChanged: rows.filter((r) => r.dueShiftMs !== null).length,
  };
}
