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
  sortByTime(steps);

  let pending: PlannedStep | undefined;
  if (firstContactAt === null) {
    for (const step of steps) {
      if (!step.reached) {
        pending = step;
        break;
      }
    }
  }
  return { steps, next: pending ? { stepId: pending.stepId, kind: pending.kind, at: pending.at } : null };
}

/**
 * Ascending by time, stable, in place. A ladder has a handful of steps, and Array.prototype.sort with a
 * comparator allocated ~0.9 KB of sort state per call: 3% of what scoring a batch allocated, from the
 * overdue leads alone.
 */
function sortByTime(steps: PlannedStep[]): void {
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i]!;
    let j = i - 1;
    while (j >= 0 && steps[j]!.at > step.at) {
      steps[j + 1] = steps[j]!;
      j--;
    }
    steps[j + 1] = step;
  }
}
