import { addBusinessTime, addWorkingDays, businessTimeBetween } from '../calendar/business-time';
import type { BusinessCalendar } from '../calendar/schema';
import type { SlaDuration } from './schema';

export type Clock = SlaDuration['clock'];

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** ms for minutes and hours (either clock) and for calendar days. */
export function unitMs(unit: keyof typeof UNIT_MS): number {
  return UNIT_MS[unit];
}

/** The instant a duration after `from`, on its clock; null when the calendar has no working time left. */
export function addDuration(cal: BusinessCalendar, from: number, duration: SlaDuration): number | null {
  if (duration.clock === 'calendar') return from + duration.amount * UNIT_MS[duration.unit];
  if (duration.unit === 'days') return addWorkingDays(cal, from, duration.amount);
  return addBusinessTime(cal, from, Math.round(duration.amount * UNIT_MS[duration.unit]));
}

/** Time elapsed from a to b as the clock counts it. */
export function elapsed(cal: BusinessCalendar, clock: Clock, a: number, b: number): number {
  return clock === 'business' ? businessTimeBetween(cal, a, b) : b - a;
}

/** The instant at which `ms` have elapsed on the clock since `from`. */
export function advance(cal: BusinessCalendar, clock: Clock, from: number, ms: number): number | null {
  return clock === 'business' ? addBusinessTime(cal, from, Math.max(0, Math.round(ms))) : from + ms;
}

/** The instant at which `share` of the SLA (handoff → due, on the clock) has elapsed. */
export function atShare(
  cal: BusinessCalendar,
  clock: Clock,
  handoffAt: number,
  dueAt: number,
  share: number,
): number | null {
  return advance(cal, clock, handoffAt, share * elapsed(cal, clock, handoffAt, dueAt));
}
