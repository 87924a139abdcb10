/**
 * The escalation ladder of one handoff: when each step fires and which is next, so a worker can set a
 * single alarm instead of polling.
 */
import type { BusinessCalendar } from '../calendar/schema';
import { addDuration, atShare } from './duration';
import type { EscalationLadder, EscalationStep, SlaTier } from './schema';
import { dueAt as computeDueAt } from './status';

export interface PlannedStep {
  stepId: string;
  kind: EscalationStep['kind'];
  at: number;
  /** The step has fired: its time has come and no first contact happened before it. */
  reached: boolean;
}

/** A step's moment without its progress: what a lead view carries so alerts need not plan again. */
export type LadderMoment = Omit<PlannedStep, 'reached'>;

export interface EscalationPlan {
  /** In firing order; a step whose time cannot be computed (no working time ahead) is left out. */
  steps: PlannedStep[];
  /** The earliest unreached step, or null when contacted, not handed off, or all steps fired. */
  next: { stepId: string; kind: EscalationStep['kind']; at: number } | null;
}

export interface EscalationPlanInput {
  calendar: BusinessCalendar;
  ladder: EscalationLadder;
  tier: SlaTier;
  handoffAt: number | null;
  /** The handoff's due time if already computed; derived from the tier when omitted. */
  dueAt?: number | null;
  firstContactAt: number | null;
  now: number;
}

export function escalationPlan(input: EscalationPlanInput): EscalationPlan {
  const { calendar, ladder, tier, handoffAt, firstContactAt, now } = input;
  if (handoffAt === null) return { steps: [], next: null };
  const due = input.dueAt ?? computeDueAt(calendar, tier, handoffAt);
  if (due === null) return { steps: [], next: null };

  const steps: PlannedStep[] = [];
  for (const step of ladder.steps) {
    const at =
      'share' in step.when
        ? atShare(calendar, tier.duration.clock, handoffAt, due, step.when.share)
        : addDuration(calendar, due, step.when.afterDue);
    if (at === null) continue;
    // Contact at the very instant a step is due stops it, matching "met = contacted at or before due".
    const stoppedByContact = firstContactAt !== null && firstContactAt <= at;
    steps.push({ stepId: step.id, kind: step.kind, at, reached: at <= now && !stoppedByContact });
  }
  steps.sort((a, b) => a.at - b.at);

  const pending = firstContactAt === null ? steps.find((s) => !s.reached) : undefined;
  return { steps, next: pending ? { stepId: pending.stepId, kind: pending.kind, at: pending.at } : null };
}
