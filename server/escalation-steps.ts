/**
 * What an escalation step is: one ladder step (stepId, kind) of one lead's handoff. The endpoint stores
 * each step once under this identity, never under the idempotency key a client chose: every browser that
 * notices a step, and the endpoint's own SLA watch, name the same step alike, and no event of another
 * kind stored first under a browser's derived key can stand in for it (issue 17: a rep could store a
 * harmless event under the manager step's key, and the step then never reached Slack).
 */
import { createHash } from 'node:crypto';
import type { EscalationKind, EscalationStepEvent } from '../lib/events';
import { leadKeyString } from '../lib/lead';

export interface EscalationStepIdentity {
  /** leadKeyString() of the lead. */
  leadKey: string;
  /** The handoff (epoch ms) whose SLA the step escalates; null when the sender did not say. */
  handoffAt: number | null;
  /** The missed due time (epoch ms): tells the cycle apart when the handoff is not known. */
  dueAt: number;
  stepId: string;
  kind: EscalationKind;
}

/**
 * The storage key of a step, in the same space as idempotency keys but never a UUID, so no client key can
 * collide with it. A step of another kind, another handoff or another lead is another key.
 */
export function escalationStepKey(step: EscalationStepIdentity): string {
  const cycle = step.handoffAt !== null ? `handoff:${step.handoffAt}` : `due:${step.dueAt}`;
  const what = JSON.stringify([step.leadKey, cycle, step.stepId, step.kind]);
  return `escalation_step:${createHash('sha256').update(what).digest('hex')}`;
}

/** The identity of a step a client reported. */
export function escalationStepOf(event: EscalationStepEvent): EscalationStepIdentity {
  return {
    leadKey: leadKeyString(event.lead),
    handoffAt: event.handoffAt === undefined ? null : Date.parse(event.handoffAt),
    dueAt: Date.parse(event.dueAt),
    stepId: event.stepId,
    kind: event.kind,
  };
}
