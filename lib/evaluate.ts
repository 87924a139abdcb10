/**
 * The one function the background worker, the extension pages and the server call to know where a lead
 * stands: scores and why, stage, handoff, first contact and the SLA clock. Pure and deterministic: the
 * same rule set, snapshot and options give the same answer in every browser.
 */
import type { HandoffObservedEvent } from './events';
import type { LocalizedText } from './i18n';
import { type LeadSnapshot, leadKeyString, type Stage } from './lead';
import { type DateContext, parseDisplayDate } from './normalize';
import type { RuleSet } from './rules/schema';
import { type CompiledRules, compileRules } from './scoring/compile';
import {
  type Contribution,
  engagementAt,
  exclusionOf,
  firstQualified,
  firstTrigger,
  fitGradeOf,
  icpMatchOf,
  type PackedList,
  type PreparedLead,
  prepareLead,
  type Scores,
  scoreFit,
  stageFromStatus,
  triggerAt,
  triggerOf,
} from './scoring/score';
import { type EscalationPlan, escalationPlan, type LadderMoment } from './sla/escalation';
import type { FitGrade } from './sla/schema';
import { chooseTier, type SlaStatus, slaStatusOf } from './sla/status';

export interface EvaluateOptions {
  /** Evaluation time, epoch ms. */
  now: number;
  /** A rep marked the lead contacted at this time (for contact the CRM does not log as an activity). */
  markedContactedAt?: number | null;
  /**
   * When the lead was recycled, if the caller saw the status change. Otherwise the last first-contact
   * activity after the earlier handoff stands in for it (sales recycles after its last touch).
   */
  recycledAt?: number | null;
  /** BCP 47 locale the CRM page shows dates in; en-GB reads "03/04/2026" as 3 April. */
  locale?: string;
}

export interface Handoff {
  at: number;
  /** crm_field: the mapped MQL date; trigger/score: reconstructed from the activity history. */
  reason: 'crm_field' | 'trigger' | 'score';
  /** The trigger behind the handoff; chooses the SLA tier. */
  triggerId?: string;
}

/**
 * The reason a handoff_observed event records (lib/events.ts, and so the KPIs' HandoffReason) for the
 * evaluator's: the evaluator says how it found the handoff, the event says who decided it. A CRM's MQL
 * date was set by someone, so it is a manual handoff. Stored events keep their words; this is the one
 * translation between the two vocabularies.
 */
export function recordedHandoffReason(reason: Handoff['reason']): HandoffObservedEvent['reason'] {
  return reason === 'score' ? 'threshold' : reason === 'trigger' ? 'trigger' : 'manual';
}

export interface LeadEvaluation {
  /** leadKeyString of the snapshot. */
  key: string;
  rulesVersion: RuleSet['version'];
  evaluatedAt: number;
  scores: Scores;
  fitGrade: FitGrade;
  icpMatch: boolean;
  /** The exclusion rule that keeps this lead from being handed over (a competitor, a student), if any. */
  exclusion: { id: string; label: LocalizedText } | null;
  stage: Stage;
  /** crm_status: the CRM's status (mapped by the rules) set the stage; computed: Baton's evaluation did. */
  stageSource: 'crm_status' | 'computed';
  /** Every rule that contributed, fit rules first; per kind, the points sum exactly to the score. */
  explanation: Contribution[];
  /** The trigger that fired for the current handoff (or since the recycle cool-down), if any. */
  trigger: { id: string; label: LocalizedText; at: number } | null;
  handoff: Handoff | null;
  firstContactAt: number | null;
  /** activity: the first call/email/meeting after handoff; mark: a rep's mark; status: a CRM status at contacted or beyond. */
  firstContactSource: 'activity' | 'mark' | 'status' | null;
  sla: SlaStatus;
  /**
   * The next ladder step to fire (one alarm for the worker), the steps already fired, and every step's
   * moment (for alerts); empty once contacted.
   */
  escalation: { next: EscalationPlan['next']; reached: string[]; steps: LadderMoment[] };
}

/** The CRM's MQL date may be written a little after the trigger that caused it (sync from the MA tool). */
const CRM_SYNC_LAG_MS = 60 * 60 * 1000;

/**
 * Statuses after which sales must have touched the lead: a CRM status counts as contact here, in the
 * endpoint's SLA watch and in its list of open handoffs alike.
 */
export const CONTACTED_OR_BEYOND: ReadonlySet<string> = new Set<Stage>([
  'contacted',
  'sql',
  'disqualified',
  'recycled',
  'converted',
  'won',
  'lost',
]);

export function evaluateLead(rules: RuleSet, snapshot: LeadSnapshot, opts: EvaluateOptions): LeadEvaluation {
  const { now } = opts;
  const compiled = compileRules(rules);
  const lead = prepareLead(compiled, snapshot, now);

  const explanation: Contribution[] = [];
  const fit = scoreFit(compiled, lead, explanation);
  const icpMatch = icpMatchOf(compiled, lead);
  const engagement = engagementAt(compiled, lead.events, now, explanation);
  const scores = { fit, engagement, total: fit + engagement };
  const fitGrade = fitGradeOf(compiled, fit);

  const facts = inHand;
  facts.compiled = compiled;
  facts.lead = lead;
  facts.fit = fit;
  facts.icpMatch = icpMatch;
  facts.mqlAt = dateField(lead, 'mqlAt', rules, opts);
  facts.createdAt = dateField(lead, 'createdAt', rules, opts);
  const statusStage = stageFromStatus(compiled, snapshot.crm, lead.fields.raw('status'));
  decideHandoff(facts, statusStage, opts);
  const { handoff, requalified } = facts;

  const hit = firstTrigger(
    compiled,
    lead,
    icpMatch,
    requalified ? facts.searchFrom : Number.NEGATIVE_INFINITY,
  );
  const hitTrigger = hit < 0 ? null : triggerOf(compiled, lead, hit);
  const trigger = hitTrigger && { id: hitTrigger.id, label: hitTrigger.label, at: triggerAt(lead, hit) };

  firstContact(facts, statusStage, opts);
  const { contactAt, contactSource } = facts;
  const exclusion = exclusionOf(compiled, lead);
  const stage = stageOf(
    statusStage,
    handoff !== null || (exclusion === null && qualifiesAt(rules, scores, icpMatch)),
    handoff !== null && contactAt !== null,
    requalified,
  );

  // The SLA clock and escalation ladder of the current handoff.
  let sla: SlaStatus;
  let escalation: LeadEvaluation['escalation'];
  if (handoff === null) {
    sla = { state: 'none' };
    escalation = { next: null, reached: [], steps: [] };
  } else {
    const tier = chooseTier(rules.sla, { triggerId: handoff.triggerId ?? null, fitGrade });
    const calendar = rules.calendar;
    sla = slaStatusOf(calendar, rules.sla, tier, handoff.at, contactAt, now);
    if (contactAt === null) {
      const plan = escalationPlan({
        calendar,
        ladder: rules.escalation,
        tier,
        handoffAt: handoff.at,
        dueAt: sla.dueAt ?? null,
        firstContactAt: null,
        now,
      });
      const reached: string[] = [];
      const steps: LadderMoment[] = [];
      for (const step of plan.steps) {
        if (step.reached) reached.push(step.stepId);
        steps.push({ stepId: step.stepId, kind: step.kind, at: step.at });
      }
      escalation = { next: plan.next, reached, steps };
    } else {
      escalation = { next: null, reached: [], steps: [] };
    }
  }

  return {
    key: leadKeyString(snapshot),
    rulesVersion: rules.version,
    evaluatedAt: now,
    scores,
    fitGrade,
    icpMatch,
    exclusion,
    stage,
    stageSource: statusStage !== undefined && stage === statusStage ? 'crm_status' : 'computed',
    explanation,
    trigger,
    handoff,
    firstContactAt: contactAt,
    firstContactSource: contactSource,
    sla,
    escalation,
  };
}

/**
 * What evaluateLead works out about the lead in hand before it writes the answer: the facts the handoff
 * depends on, the handoff decided, the first contact. One object reused from lead to lead, as the
 * prepared lead is (evaluateLead is synchronous, and the answer takes values out of it, never the object):
 * a facts object, a decision and a contact per lead were ~5% of what a batch allocated.
 */
interface LeadFacts {
  compiled: CompiledRules;
  lead: PreparedLead;
  fit: number;
  icpMatch: boolean;
  mqlAt: number | null;
  createdAt: number | null;
  /** Set by decideHandoff. */
  handoff: Handoff | null;
  /** The lead was recycled and qualified again after the cool-down, from searchFrom on. */
  requalified: boolean;
  searchFrom: number;
  /** Set by firstContact. */
  contactAt: number | null;
  contactSource: LeadEvaluation['firstContactSource'];
}

const inHand: LeadFacts = {
  compiled: undefined as unknown as CompiledRules,
  lead: undefined as unknown as PreparedLead,
  fit: 0,
  icpMatch: false,
  mqlAt: null,
  createdAt: null,
  handoff: null,
  requalified: false,
  searchFrom: Number.NEGATIVE_INFINITY,
  contactAt: null,
  contactSource: null,
};

/** A date field as an instant, ignoring values that cannot be read or lie after now. */
function dateField(lead: PreparedLead, field: string, rules: RuleSet, opts: EvaluateOptions): number | null {
  const raw = lead.fields.raw(field);
  if (raw === undefined) return null;
  // Built only for a lead that has the field: most have neither date.
  const dates: DateContext = { timeZone: rules.calendar.timeZone, now: opts.now };
  if (opts.locale) dates.locale = opts.locale;
  const at = parseDisplayDate(raw, dates);
  return at !== null && at <= opts.now ? at : null;
}

/** The first handoff at or after `from`: the CRM's MQL date if it falls there, else the first qualifying moment. */
function handoffSince(facts: LeadFacts, from: number): Handoff | null {
  const { compiled, lead, fit, icpMatch, mqlAt } = facts;
  if (mqlAt !== null && mqlAt >= from) {
    const hit = firstTrigger(compiled, lead, icpMatch, Number.NEGATIVE_INFINITY);
    return hit >= 0 && triggerAt(lead, hit) <= mqlAt + CRM_SYNC_LAG_MS
      ? { at: mqlAt, reason: 'crm_field', triggerId: triggerOf(compiled, lead, hit).id }
      : { at: mqlAt, reason: 'crm_field' };
  }
  // A qualification is a fresh object of the handoff's very shape ({ at, reason, triggerId? }, ids never
  // empty): taken as it is rather than copied.
  return firstQualified(compiled, lead, fit, icpMatch, from, facts.createdAt);
}

/** Sets facts.handoff, requalified and searchFrom. */
function decideHandoff(facts: LeadFacts, statusStage: Stage | undefined, opts: EvaluateOptions): void {
  const handoff = handoffSince(facts, Number.NEGATIVE_INFINITY);
  facts.handoff = handoff;
  facts.requalified = false;
  facts.searchFrom = Number.NEGATIVE_INFINITY;
  if (statusStage === 'recycled' && handoff !== null) {
    const recycledAt = opts.recycledAt ?? lastAtOrAfter(facts.lead.outbound, handoff.at) ?? handoff.at;
    const searchFrom = recycledAt + facts.compiled.recycleCoolDownMs;
    facts.searchFrom = searchFrom;
    const again = searchFrom <= opts.now ? handoffSince(facts, searchFrom) : null;
    // A new MQL needs a new qualifying activity after the cool-down, not the old score lingering on.
    if (again !== null && again.at > handoff.at) {
      facts.handoff = again;
      facts.requalified = true;
    }
  } else if (handoff === null && statusStage === 'mql' && facts.createdAt !== null) {
    // The CRM says MQL but records no MQL date and the history shows no qualifying moment: the lead was
    // created as an MQL (typical of leads pushed in by an MA tool).
    facts.handoff = { at: facts.createdAt, reason: 'crm_field' };
  }
}

/** Sets facts.contactAt and contactSource, after decideHandoff. */
function firstContact(facts: LeadFacts, statusStage: Stage | undefined, opts: EvaluateOptions): void {
  const { handoff } = facts;
  const mark = opts.markedContactedAt ?? null;
  const byActivity = handoff === null ? null : firstAtOrAfter(facts.lead.outbound, handoff.at);
  let at: number | null = null;
  let source: LeadEvaluation['firstContactSource'] = null;
  if (byActivity !== null && (mark === null || byActivity <= mark)) {
    at = byActivity;
    source = 'activity';
  } else if (mark !== null) {
    at = mark;
    source = 'mark';
  } else if (
    handoff !== null &&
    statusStage !== undefined &&
    CONTACTED_OR_BEYOND.has(statusStage) &&
    !facts.requalified
  ) {
    // The CRM says sales has been in touch but no activity shows when: no later than now. The worker
    // keeps the first time it saw this and passes it back as markedContactedAt.
    at = Math.max(opts.now, handoff.at);
    source = 'status';
  }
  facts.contactAt = at;
  facts.contactSource = source;
}

/**
 * A mapped CRM status overrides the computed stage, except "new" (the CRM has not judged yet) and "mql"
 * (Baton may already see contact). A recycled lead stays recycled until it qualifies again after the
 * cool-down.
 */
function stageOf(
  statusStage: Stage | undefined,
  qualified: boolean,
  contacted: boolean,
  requalified: boolean,
): Stage {
  const computed: Stage = qualified ? (contacted ? 'contacted' : 'mql') : 'new';
  if (statusStage === undefined || statusStage === 'new') return computed;
  if (statusStage === 'mql') return contacted ? 'contacted' : 'mql';
  if (statusStage === 'recycled') return requalified ? computed : 'recycled';
  return statusStage;
}

function qualifiesAt(rules: RuleSet, scores: Scores, icpMatch: boolean): boolean {
  const { total, minFit, minEngagement } = rules.threshold;
  if (rules.requireIcpMatch && !icpMatch) return false;
  if (minFit !== undefined && scores.fit < minFit) return false;
  if (minEngagement !== undefined && scores.engagement < minEngagement) return false;
  return scores.total >= total;
}

/** The first time in an ascending list at or after t. */
function firstAtOrAfter(times: PackedList, t: number): number | null {
  for (let k = 0; k < times.length; k++) if (times.values[k]! >= t) return times.values[k]!;
  return null;
}

function lastAtOrAfter(times: PackedList, t: number): number | null {
  if (times.length === 0) return null;
  const last = times.values[times.length - 1]!;
  return last >= t ? last : null;
}
