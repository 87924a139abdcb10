import { describe, expect, it } from 'vitest';
import type { EscalationStepEvent } from '../lib/events';
import { escalationStepKey, escalationStepOf } from './escalation-steps';
import { escalation, lead } from './test/fixtures';

const step = {
  leadKey: 'salesforce:Lead:00Q5g00000AbCdEFGH',
  handoffAt: Date.parse('2026-11-25T09:55:00+09:00'),
  dueAt: Date.parse('2026-11-26T09:55:00+09:00'),
  stepId: 'manager-24h',
  kind: 'manager' as const,
};

describe('escalationStepKey', () => {
  it('is one key for one step, whichever browser (or the endpoint) names it', () => {
    const who = lead('00Q5g00000AbCdEFGH');
    const a = escalation({ lead: who, handoffAt: '2026-11-25T09:55:00+09:00', rulesVersion: 3 });
    const b = escalation({
      lead: who,
      handoffAt: '2026-11-25T00:55:00Z',
      rulesVersion: 4,
      actor: { name: 'x' },
    });
    const keyOf = (e: unknown) => escalationStepKey(escalationStepOf(e as EscalationStepEvent));
    expect(keyOf(a)).toBe(keyOf(b));
    expect(keyOf(a)).toBe(escalationStepKey(step));
  });

  it('differs by lead, handoff, step id and kind, and never looks like a client’s UUID', () => {
    const keys = new Set([
      escalationStepKey(step),
      escalationStepKey({ ...step, leadKey: 'salesforce:Lead:00Q5g00000AbCdEFGX' }),
      escalationStepKey({ ...step, handoffAt: step.handoffAt + 1 }),
      escalationStepKey({ ...step, stepId: 'manager-48h' }),
      escalationStepKey({ ...step, kind: 'reminder' }),
      escalationStepKey({ ...step, handoffAt: null }),
    ]);
    expect(keys.size).toBe(6);
    for (const key of keys) expect(key).toMatch(/^escalation_step:[0-9a-f]{64}$/);
  });

  it('tells the cycle by the due time when the sender gave no handoff', () => {
    const a = escalationStepKey({ ...step, handoffAt: null });
    expect(escalationStepKey({ ...step, handoffAt: null, dueAt: step.dueAt })).toBe(a);
    expect(escalationStepKey({ ...step, handoffAt: null, dueAt: step.dueAt + 60_000 })).not.toBe(a);
    // With the handoff known, the due time (which another rules version may compute otherwise) does not count.
    expect(escalationStepKey({ ...step, dueAt: 0 })).toBe(escalationStepKey(step));
  });
});
