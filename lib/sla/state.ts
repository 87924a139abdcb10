/**
 * Where a handoff's SLA stands, and the one rule for when "due" turns "overdue". Kept apart from
 * status.ts (which plans the deadline on the business calendar) so the content script can tick a chip's
 * state without importing the calendar maths.
 */

export type SlaState = 'none' | 'running' | 'due_soon' | 'overdue' | 'met' | 'missed';

/**
 * Whether a lead not yet contacted is overdue at `now`: only after the due time, never at it (docs/kpis.md,
 * "overdue now": due time before now; a contact at the due instant is still within the SLA). The overlay,
 * the queue, alerts and the KPI report all judge it here.
 */
export function isOverdue(dueAt: number, now: number): boolean {
  return now > dueAt;
}

/**
 * Whether a first contact at `contactedAt` answers a handoff at `handoffAt`: only one at or after it. A
 * contact from an earlier cycle (before the lead was handed over again) answers nothing, as the evaluator
 * counts only activity at or after the handoff; nor does a missing or unreadable time. The team's facts,
 * the alert planner and the alert check's marks all judge it here.
 */
export function contactAnswers(contactedAt: number | null | undefined, handoffAt: number): boolean {
  return contactedAt !== null && contactedAt !== undefined && contactedAt >= handoffAt;
}

/** The absolute times of an SLA as the worker computed them (lib/lead-view.ts LeadView['sla']). */
export interface SlaTimes {
  state: SlaState;
  dueAt: number | null;
  dueSoonAt: number | null;
}

/**
 * The SLA state at `now`, from the absolute times the worker computed: lets one shared timer move a
 * chip from running to due_soon to overdue without a round trip. Agrees with status.ts `slaStatus` at
 * every instant.
 */
export function slaStateAt(sla: SlaTimes, now: number): SlaState {
  if (sla.state === 'none' || sla.state === 'met' || sla.state === 'missed') return sla.state;
  if (sla.dueAt === null) return sla.state;
  if (isOverdue(sla.dueAt, now)) return 'overdue';
  if (sla.dueSoonAt !== null && now >= sla.dueSoonAt) return 'due_soon';
  return 'running';
}
