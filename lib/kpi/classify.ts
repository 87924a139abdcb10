/**
 * How the KPI report classifies one lead's row: its verdict code (what the verdict says about lead
 * quality), its contact state and its speed-to-lead band. One home, so the report's counts and the list
 * of leads behind each count (./leads.ts) can never disagree.
 */

import type { ReasonAbout } from '../rules/schema';
import { isOverdue } from '../sla/state';
import type { LeadFacts, SpeedBand } from './types';

/**
 * A row's kind: its verdict (none, SQL, reject, recycle, not about quality, duplicate), contact state
 * (untouched, overdue, contacted late, contacted within SLA), opportunity and won, packed into 0..95. A
 * group counts rows per kind, one increment per row and group; the measures are sums over kinds afterwards.
 */
export const KINDS = 96;
export const NO_VERDICT = 0;
export const SQL = 1;
export const REJECT = 2;
export const RECYCLE = 3;
export const NOT_ABOUT_QUALITY = 4;
export const DUPLICATE = 5;

export const SPEED_BANDS: readonly SpeedBand[] = [
  'within_5_minutes',
  'within_1_hour',
  'within_sla',
  'later',
  'never',
];
const MINUTE_MS = 60_000;

/** The speed-to-lead band of a handoff (calendar time, first matching band). */
export function speedBand(handoffAt: number, contactAt: number | null, dueAt: number | null): number {
  if (contactAt === null) return 4;
  const waited = contactAt - handoffAt;
  if (waited <= 5 * MINUTE_MS) return 0;
  if (waited <= 60 * MINUTE_MS) return 1;
  if (dueAt !== null && contactAt <= dueAt) return 2;
  return 3;
}

/** The verdict code of a row: what the verdict says about lead quality; an opportunity means SQL. */
export function verdictCodeOf(row: LeadFacts, about: ReadonlyMap<string, ReasonAbout>): number {
  if (row.opportunityAt !== null) return SQL;
  switch (row.verdict) {
    case null:
      return NO_VERDICT;
    case 'accept_sql':
      return SQL;
    case 'wrong_owner':
      return NOT_ABOUT_QUALITY;
    case 'duplicate':
      return DUPLICATE;
    case 'reject':
    case 'recycle': {
      const reason = row.reasonCode === null ? undefined : about.get(row.reasonCode);
      if (reason === 'duplicate') return DUPLICATE;
      if (reason === 'not_lead_quality') return NOT_ABOUT_QUALITY;
      return row.verdict === 'reject' ? REJECT : RECYCLE;
    }
  }
}
export const UNTOUCHED = 0;
export const OVERDUE = 1;
export const CONTACTED_LATE = 2;
export const CONTACTED_WITHIN_SLA = 3;

/**
 * The contact state of a row: contacted within the SLA or late, or not contacted and overdue at `now`
 * (no closing verdict: wrong_owner does not close a lead, it waits for its right owner), or untouched.
 */
export function contactStateOf(row: LeadFacts, verdictCode: number, now: number): number {
  const contactAt = row.firstContactAt;
  const dueAt = row.dueAt;
  if (contactAt !== null) return dueAt !== null && contactAt <= dueAt ? CONTACTED_WITHIN_SLA : CONTACTED_LATE;
  const closed = verdictCode !== NO_VERDICT && row.verdict !== 'wrong_owner';
  return !closed && dueAt !== null && isOverdue(dueAt, now) ? OVERDUE : UNTOUCHED;
}
