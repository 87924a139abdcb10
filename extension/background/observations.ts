import { type LeadEvaluation, recordedHandoffReason } from '../../lib/evaluate';
import { type Actor, type ContactMethod, recordedScore } from '../../lib/events';
import type { LeadSnapshot } from '../../lib/lead';
import { oneLine } from '../../lib/plain-text';
import type { StoredLead } from '../db';

/**
 * The events a fresh evaluation of a page adds to what this browser already reported: a handoff it
 * had not seen, a stage the lead moved to, a first contact found in the CRM's history. `reported` on the
 * stored lead makes this idempotent: the same page rendered a hundred times yields each event once.
 */
export function observe(
  snapshot: LeadSnapshot,
  evaluation: LeadEvaluation,
  before: StoredLead | undefined,
  context: {
    now: number;
    actor: Actor;
    rulesVersion: number;
    newKey: () => string;
    /** Only a list row was read: its score is partial, so the team is not told one (unknown is not zero). */
    partial?: boolean;
  },
): { events: unknown[]; reported: NonNullable<StoredLead['reported']> } {
  const reported = { ...before?.reported };
  const events: unknown[] = [];
  const lead = { crm: snapshot.crm, object: snapshot.object, recordId: snapshot.recordId };
  const base = (occurredAt: number) => ({
    idempotencyKey: context.newKey(),
    occurredAt: new Date(occurredAt).toISOString(),
    lead,
    rulesVersion: context.rulesVersion,
    actor: context.actor,
  });
  const { handoff, sla } = evaluation;
  if (handoff && reported.handoffAt !== handoff.at && sla.dueAt !== undefined) {
    reported.handoffAt = handoff.at;
    // The version that made the lead an MQL: marketing judges each version by its handoffs' feedback.
    reported.rulesVersion = context.rulesVersion;
    events.push({
      type: 'handoff_observed',
      ...base(handoff.at),
      handoffAt: new Date(handoff.at).toISOString(),
      dueAt: new Date(sla.dueAt).toISOString(),
      reason: recordedHandoffReason(handoff.reason),
      ...(handoff.triggerId ? { triggerId: handoff.triggerId } : {}),
      ...(context.partial ? {} : recordedScore(evaluation)),
      ...(oneLine(snapshot.fields.owner, 200) ? { owner: oneLine(snapshot.fields.owner, 200) } : {}),
      ...(oneLine(snapshot.fields.company, 200) ? { company: oneLine(snapshot.fields.company, 200) } : {}),
    });
  }
  const previous = reported.stage ?? before?.view?.stage;
  if (previous !== undefined && previous !== evaluation.stage) {
    events.push({ type: 'stage_change', ...base(context.now), from: previous, to: evaluation.stage });
  }
  reported.stage = evaluation.stage;
  if (
    evaluation.firstContactSource === 'activity' &&
    evaluation.firstContactAt !== null &&
    reported.firstContactAt !== evaluation.firstContactAt
  ) {
    reported.firstContactAt = evaluation.firstContactAt;
    const activity = snapshot.activities.find((a) => Date.parse(a.at) === evaluation.firstContactAt);
    events.push({
      type: 'first_contact',
      ...base(evaluation.firstContactAt),
      method: contactMethodOf(activity?.type),
      source: 'crm_activity',
    });
  }
  return { events, reported };
}

export function contactMethodOf(activityType: string | undefined): ContactMethod {
  if (activityType === 'call') return 'phone';
  if (activityType === 'email_sent') return 'email';
  if (activityType === 'meeting') return 'meeting';
  return 'other';
}
