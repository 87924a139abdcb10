import { isoInZone } from './calendar/zone';
import type { LeadEvaluation } from './evaluate';
import type { FeedbackVerdict } from './events';
import type { Lang, LocalizedText } from './i18n';
import type { LeadKey, LeadSnapshot, Stage } from './lead';
import type { RuleSet } from './rules/schema';
import type { LadderMoment } from './sla/escalation';
import { contactAnswers, type SlaState } from './sla/state';
import { textTable } from './text-table';

/*
 * What the worker tells a page about one lead: everything the overlay, the popup and the queue show,
 * with the SLA as absolute times so that a countdown can tick (and change state) without asking again.
 * No zod here on purpose: the content script imports this module and must stay small (docs/decisions/
 * 0003); a LeadView is made by the worker, never read from a page, so there is no boundary to validate.
 */

/** One scored activity: when (ISO with the team's offset), which rule it counted for, and its points. */
export interface EngagementMoment {
  at: string;
  label: LocalizedText;
  /** The activity's own title as the CRM showed it (page text: render as text only). */
  title?: string;
  /** The rule's points per activity, before decay. */
  points: number;
}

export interface LeadView extends LeadKey {
  url?: string;
  company?: string;
  name?: string;
  score: number;
  fit: number;
  engagement: number;
  grade: 'A' | 'B' | 'C' | 'D';
  stage: Stage;
  handoff: {
    at: number;
    reason: 'trigger' | 'score' | 'crm_field';
    /** The trigger's label, or the threshold reached, in words. */
    label: LocalizedText;
  } | null;
  /** Every rule that contributed, with its points after caps and decay; they add up to the score. */
  why: { label: LocalizedText; points: number; kind: 'fit' | 'engagement' }[];
  /** The exclusion rule that keeps the lead from any handoff (a competitor, a student); absent: none. */
  excludedBy?: LocalizedText;
  sla: {
    state: SlaState;
    /** The SLA tier's id, to find the tier by identity; `tier` is its label, for display only. */
    tierId: string | null;
    tier: LocalizedText | null;
    dueAt: number | null;
    /** The due time as ISO 8601 with the business calendar's offset, for data-sla-due. */
    dueIso: string | null;
    dueSoonAt: number | null;
    contactedAt: number | null;
    /**
     * The escalation ladder's moments for this handoff as evaluation planned them (empty once contacted),
     * so alerts do not plan them again. null when nothing here planned them: a handoff only the team
     * recorded. Absent from views stored before views carried it (read as null).
     */
    ladder: LadderMoment[] | null;
  };
  rulesVersion: string;
  /** The lead's owner as the CRM names them. */
  owner?: string;
  /** The agreed first-contact methods in words, for the next step. */
  contactBy?: LocalizedText;
  /** The latest scored activities, newest first (made by lib/engagement.ts). */
  moments?: EngagementMoment[];
  /**
   * Only part of the lead is known: its record page was never read in this browser, so the score is
   * what a list row's columns (or the team's handoff) give and the grade and stage may be unknown.
   * Pages say "partial" or "not read yet" rather than show a guess as a fact: unknown is not zero.
   */
  partial?: true;
}

const stageLabels: Record<Stage, LocalizedText> = textTable({
  ja: {
    new: '新規',
    mql: 'MQL',
    contacted: 'コンタクト済み',
    sql: 'SQL',
    disqualified: '却下済み',
    recycled: 'ナーチャリングへ戻し済み',
    converted: '商談化',
    won: '受注',
    lost: '失注',
  },
  en: {
    new: 'New',
    mql: 'MQL',
    contacted: 'Contacted',
    sql: 'SQL',
    disqualified: 'Disqualified',
    recycled: 'Back to nurture',
    converted: 'Converted',
    won: 'Won',
    lost: 'Lost',
  },
});

const slaStateLabels: Record<SlaState, LocalizedText> = textTable({
  ja: {
    none: 'SLA なし',
    running: '対応期限内',
    due_soon: '期限間近',
    overdue: '期限超過',
    met: '期限内に対応済み',
    missed: '期限後に対応',
  },
  en: {
    none: 'No SLA',
    running: 'On time',
    due_soon: 'Due soon',
    overdue: 'Overdue',
    met: 'Met',
    missed: 'Missed',
  },
});

export function stageLabel(stage: Stage, lang: Lang): string {
  return stageLabels[stage][lang];
}

export function slaStateLabel(state: SlaState, lang: Lang): string {
  return slaStateLabels[state][lang];
}

/** The SLA of a lead without a handoff: no clock, no tier, nothing planned. */
export const NO_SLA: LeadView['sla'] = {
  state: 'none',
  tierId: null,
  tier: null,
  dueAt: null,
  dueIso: null,
  dueSoonAt: null,
  contactedAt: null,
  ladder: null,
};

/** What the pages show of an evaluation; labels resolved from the rule set that produced it. */
export function toLeadView(rules: RuleSet, snapshot: LeadSnapshot, evaluation: LeadEvaluation): LeadView {
  const { handoff, sla, scores } = evaluation;
  const tier = sla.tierId ? rules.sla.tiers.find((t) => t.id === sla.tierId) : undefined;
  return {
    crm: snapshot.crm,
    object: snapshot.object,
    recordId: snapshot.recordId,
    ...(snapshot.url ? { url: snapshot.url } : {}),
    ...(snapshot.fields.company ? { company: snapshot.fields.company } : {}),
    ...(snapshot.fields.name ? { name: snapshot.fields.name } : {}),
    ...(snapshot.fields.owner ? { owner: snapshot.fields.owner } : {}),
    score: scores.total,
    fit: scores.fit,
    engagement: scores.engagement,
    grade: evaluation.fitGrade,
    stage: evaluation.stage,
    handoff: handoff
      ? { at: handoff.at, reason: handoff.reason, label: handoffLabel(rules, evaluation) }
      : null,
    why: evaluation.explanation.map((c) => ({ label: c.label, points: c.points, kind: c.kind })),
    ...(evaluation.exclusion ? { excludedBy: evaluation.exclusion.label } : {}),
    sla: {
      state: sla.state,
      tierId: sla.tierId ?? null,
      tier: tier?.label ?? null,
      dueAt: sla.dueAt ?? null,
      dueIso: sla.dueAt === undefined ? null : isoInZone(sla.dueAt, rules.calendar.timeZone),
      dueSoonAt: sla.dueSoonAt ?? null,
      contactedAt: sla.contactedAt ?? null,
      ladder: evaluation.escalation.steps,
    },
    rulesVersion: rules.version.id,
  };
}

function handoffLabel(rules: RuleSet, evaluation: LeadEvaluation): LocalizedText {
  const { handoff, trigger } = evaluation;
  if (handoff?.reason === 'trigger') {
    const label = trigger?.label ?? rules.triggers.find((t) => t.id === handoff.triggerId)?.label;
    if (label) return { ja: `行動トリガー: ${label.ja}`, en: `Trigger: ${label.en}` };
  }
  if (handoff?.reason === 'crm_field') return { ja: 'CRMのMQL日付', en: 'MQL date in the CRM' };
  return {
    ja: `スコアが閾値 ${rules.threshold.total} に到達`,
    en: `Score reached the threshold of ${rules.threshold.total}`,
  };
}

/**
 * What the team recorded about a lead, for views of leads this browser never opened (a list row shows
 * no activity history) and for contacts a teammate made. Plain fields, no zod: see the note above.
 */
export interface TeamFacts {
  handoff: {
    handoffAt: string;
    dueAt: string;
    /** As the browser or the intake that recorded the handoff scored the whole lead. */
    score?: number | null;
    fit?: number | null;
    engagement?: number | null;
    fitGrade?: LeadView['grade'] | null;
  } | null;
  firstContact: { occurredAt: string } | null;
  feedback: { occurredAt: string } | null;
}

/**
 * A view completed with the team's facts: the team's handoff when this browser saw none, and the
 * team's first contact when this browser knows of none. What this browser read itself wins.
 */
export function withTeamFacts(view: LeadView, team: TeamFacts, timeZone?: string): LeadView {
  const scored = view.partial ? withTeamScore(view, team) : view;
  if (scored !== view) return withTeamFacts(scored, team, timeZone);
  let { handoff, sla } = view;
  if (!handoff && team.handoff) {
    const at = Date.parse(team.handoff.handoffAt);
    const dueAt = Date.parse(team.handoff.dueAt);
    handoff = {
      at,
      reason: 'crm_field',
      label: { ja: 'チームが記録した引き渡し', en: 'Handoff recorded by the team' },
    };
    sla = {
      state: 'running',
      tierId: null,
      tier: null,
      dueAt,
      // In the business calendar's zone, as every other due time: the endpoint sends UTC.
      dueIso: timeZone ? isoInZone(dueAt, timeZone) : team.handoff.dueAt,
      dueSoonAt: null,
      contactedAt: null,
      ladder: null,
    };
  }
  if (handoff && sla.contactedAt === null && team.firstContact && sla.dueAt !== null) {
    const contactedAt = Date.parse(team.firstContact.occurredAt);
    // A colleague's contact from an earlier cycle (before the lead was handed over again) does not
    // answer this handoff.
    if (contactAnswers(contactedAt, handoff.at)) {
      sla = { ...sla, contactedAt, state: contactedAt <= sla.dueAt ? 'met' : 'missed' };
    }
  }
  return handoff === view.handoff && sla === view.sla ? view : { ...view, handoff, sla };
}

/**
 * A partial view (a list row, or only the team's word) takes the score of the team's handoff, which a
 * browser that read the record page, or the intake that read the MA's payload, computed from the whole
 * lead. Without one, the view stays partial.
 */
function withTeamScore(view: LeadView, team: TeamFacts): LeadView {
  const h = team.handoff;
  if (!h || typeof h.score !== 'number' || !h.fitGrade) return view;
  const { partial: _partial, ...known } = view;
  return {
    ...known,
    score: h.score,
    fit: h.fit ?? 0,
    engagement: h.engagement ?? 0,
    grade: h.fitGrade,
    // The list's lines would not add up to the team's score: the record page has the breakdown.
    why: [],
  };
}

/** The stage a rep's verdict on lead quality puts the lead in; other verdicts (wrong owner, duplicate) leave it. */
const STAGE_OF_VERDICT: Partial<Record<FeedbackVerdict, Stage>> = {
  accept_sql: 'sql',
  reject: 'disqualified',
  recycle: 'recycled',
};

/**
 * Whether a view's SLA may still wait for a first contact. It waits if either its state is open (not
 * none, met or missed: what the badge reads) or it has a handoff and a due time with no contact at or
 * after the handoff (what the alert planner reads; a contact from an earlier cycle answers nothing, as in
 * withTeamFacts). A view whose state and contact disagree therefore waits. Only such a lead, or one whose
 * team state has a handoff, can be alerted, escalated or counted overdue.
 */
export function awaitsFirstContact(view: LeadView): boolean {
  const { handoff, sla } = view;
  const openByState = sla.state !== 'none' && sla.state !== 'met' && sla.state !== 'missed';
  const answered = handoff !== null && contactAnswers(sla.contactedAt, handoff.at);
  return openByState || (handoff !== null && sla.dueAt !== null && !answered);
}

/** Whether the rep still owes a lead anything: rejected or sent back to nurturing, it leaves "my queue". */
export function awaitsRep(stage: Stage | null): boolean {
  return stage !== 'disqualified' && stage !== 'recycled';
}

/** Stages a verdict can move a lead out of: the CRM has not yet said anything more definite. */
const BEFORE_VERDICT: ReadonlySet<Stage> = new Set(['new', 'mql', 'contacted']);

/**
 * A view with the rep's own verdict applied: sent feedback says at once what the CRM may say only after the
 * rep edits the record there. A verdict answers the handoff it was given for; an earlier cycle's does not
 * count, and a CRM stage past "contacted" (the CRM's own word) stands.
 */
export function withVerdict(
  view: LeadView,
  verdict: { verdict: FeedbackVerdict; at: number } | null,
): LeadView {
  if (!verdict || !view.handoff || verdict.at < view.handoff.at) return view;
  const stage = STAGE_OF_VERDICT[verdict.verdict];
  return stage && BEFORE_VERDICT.has(view.stage) ? { ...view, stage } : view;
}
