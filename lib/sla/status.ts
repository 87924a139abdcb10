/**
 * The SLA clock of one handoff: which tier applies, when first contact is due, and where the lead stands
 * now. Pure: `now` is always passed in.
 */
import { businessTimeBetween } from '../calendar/business-time';
import type { BusinessCalendar } from '../calendar/schema';
import { addDuration, advance, atShare, type Clock, elapsed, unitMs } from './duration';
import type { FitGrade, SlaPolicy, SlaTier } from './schema';
import { isOverdue, type SlaState } from './state';

export interface HandoffFacts {
  /** The trigger that caused the handoff (e.g. 'demo_request'), if any. */
  triggerId?: string | null;
  fitGrade?: FitGrade | null;
}

/** The tier for a handoff: a tier listing its trigger wins over one listing its fit grade, which wins over the default. */
export function chooseTier(policy: SlaPolicy, facts: HandoffFacts): SlaTier {
  const { triggerId, fitGrade } = facts;
  const { tiers } = policy;
  // Loops rather than find() with arrow functions: this runs once per lead, and each arrow is a closure.
  if (triggerId) for (const tier of tiers) if (tier.match.triggerIds.includes(triggerId)) return tier;
  if (fitGrade) for (const tier of tiers) if (tier.match.fitGrades.includes(fitGrade)) return tier;
  // The schema guarantees exactly one default tier; the first tier is a safe fallback for unchecked input.
  for (const tier of tiers) if (tier.match.default) return tier;
  return tiers[0]!;
}

/** When first contact is due; null when the calendar has no working time within the search horizon. */
export function dueAt(cal: BusinessCalendar, tier: SlaTier, handoffAt: number): number | null {
  return addDuration(cal, handoffAt, tier.duration);
}

/** When a running SLA turns due_soon: the earlier of the policy's share and before points, never before handoff. */
export function dueSoonAt(
  cal: BusinessCalendar,
  policy: SlaPolicy,
  tier: SlaTier,
  handoffAt: number,
  due: number,
): number {
  const clock = tier.duration.clock;
  let at = due;
  const { share, before } = policy.dueSoon;
  if (share !== undefined) at = Math.min(at, atShare(cal, clock, handoffAt, due, share) ?? due);
  if (before !== undefined) {
    const total = elapsed(cal, clock, handoffAt, due);
    const beforeMs = before.amount * unitMs(before.unit);
    at = Math.min(at, advance(cal, clock, handoffAt, Math.max(0, total - beforeMs)) ?? due);
  }
  return Math.max(handoffAt, at);
}

/** A span measured on both clocks, so the overlay can show whichever the tier uses. */
export interface SlaSpan {
  businessMs: number;
  calendarMs: number;
}

export interface SlaStatus {
  state: SlaState;
  tierId?: string;
  clock?: Clock;
  handoffAt?: number;
  dueAt?: number;
  dueSoonAt?: number;
  /** Time left until due (running, due_soon). */
  remaining?: SlaSpan;
  /** How late: now − due while overdue, contact − due when missed. */
  overdue?: SlaSpan;
  contactedAt?: number;
}

export interface SlaStatusInput {
  calendar: BusinessCalendar;
  policy: SlaPolicy;
  tier: SlaTier;
  handoffAt: number | null;
  firstContactAt: number | null;
  now: number;
}

function span(cal: BusinessCalendar, from: number, to: number): SlaSpan {
  return { businessMs: businessTimeBetween(cal, from, to), calendarMs: to - from };
}

/**
 * Where a handoff stands. met: first contact at or before due; missed: after it. Without contact it is
 * running, then due_soon (from dueSoonAt up to and including the due instant), then overdue.
 */
export function slaStatus(input: SlaStatusInput): SlaStatus {
  const { calendar, policy, tier, handoffAt, firstContactAt, now } = input;
  return slaStatusOf(calendar, policy, tier, handoffAt, firstContactAt, now);
}

/** slaStatus with its input as arguments, for evaluateLead: no input object per lead. */
export function slaStatusOf(
  calendar: BusinessCalendar,
  policy: SlaPolicy,
  tier: SlaTier,
  handoffAt: number | null,
  firstContactAt: number | null,
  now: number,
): SlaStatus {
  if (handoffAt === null) return { state: 'none' };
  const tierId = tier.id;
  const clock = tier.duration.clock;
  // Object literals spelled out rather than spread from a shared base: spreads take a slow generic copy,
  // and this runs once per lead when thousands are evaluated.
  const due = dueAt(calendar, tier, handoffAt);
  if (due === null) {
    // No working time ahead: there is no deadline to meet or miss.
    return firstContactAt === null
      ? { state: 'running', tierId, clock, handoffAt }
      : { state: 'met', tierId, clock, handoffAt, contactedAt: firstContactAt };
  }
  if (firstContactAt !== null) {
    return firstContactAt <= due
      ? { state: 'met', tierId, clock, handoffAt, dueAt: due, contactedAt: firstContactAt }
      : {
          state: 'missed',
          tierId,
          clock,
          handoffAt,
          dueAt: due,
          contactedAt: firstContactAt,
          overdue: span(calendar, due, firstContactAt),
        };
  }
  if (isOverdue(due, now)) {
    return { state: 'overdue', tierId, clock, handoffAt, dueAt: due, overdue: span(calendar, due, now) };
  }
  const soon = dueSoonAt(calendar, policy, tier, handoffAt, due);
  return {
    state: now >= soon ? 'due_soon' : 'running',
    tierId,
    clock,
    handoffAt,
    dueAt: due,
    dueSoonAt: soon,
    remaining: span(calendar, Math.max(now, handoffAt), due),
  };
}
