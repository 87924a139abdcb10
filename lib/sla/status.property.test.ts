import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBusinessCalendar as cal } from '../calendar/defaults';
import { defaultEscalationLadder, defaultSlaPolicy } from './defaults';
import { escalationPlan } from './escalation';
import { dueAt, slaStatus } from './status';

const instant = fc.integer({
  min: Date.parse('2025-12-01T00:00:00Z'),
  max: Date.parse('2027-06-01T00:00:00Z'),
});
const tier = fc.constantFrom(...defaultSlaPolicy.tiers);
const contact = fc.option(instant, { nil: null });

describe('SLA clock properties on the default calendar and policy', () => {
  it('never puts the due time before the handoff, and due soon lies between them', () => {
    fc.assert(
      fc.property(tier, instant, (t, handoffAt) => {
        const s = slaStatus({
          calendar: cal,
          policy: defaultSlaPolicy,
          tier: t,
          handoffAt,
          firstContactAt: null,
          now: handoffAt,
        });
        return s.dueAt! >= handoffAt && s.dueSoonAt! >= handoffAt && s.dueSoonAt! <= s.dueAt!;
      }),
    );
  });

  it('agrees with its own due time on every state', () => {
    fc.assert(
      fc.property(tier, instant, instant, contact, (t, handoffAt, now, firstContactAt) => {
        const s = slaStatus({
          calendar: cal,
          policy: defaultSlaPolicy,
          tier: t,
          handoffAt,
          firstContactAt,
          now,
        });
        const due = dueAt(cal, t, handoffAt)!;
        expect(s.dueAt).toBe(due);
        if (firstContactAt !== null) expect(s.state).toBe(firstContactAt <= due ? 'met' : 'missed');
        else if (now > due) expect(s.state).toBe('overdue');
        else expect(s.state).toBe(now >= s.dueSoonAt! ? 'due_soon' : 'running');
        if (s.remaining) expect(s.remaining.businessMs).toBeGreaterThanOrEqual(0);
        if (s.overdue) expect(s.overdue.calendarMs).toBeGreaterThan(0);
      }),
    );
  });

  it('offers as next alarm the earliest step not yet reached, always after now', () => {
    fc.assert(
      fc.property(tier, instant, instant, contact, (t, handoffAt, now, firstContactAt) => {
        const plan = escalationPlan({
          calendar: cal,
          ladder: defaultEscalationLadder,
          tier: t,
          handoffAt,
          firstContactAt,
          now,
        });
        const times = plan.steps.map((s) => s.at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        if (firstContactAt !== null) {
          expect(plan.next).toBeNull();
          for (const s of plan.steps) if (s.reached) expect(s.at).toBeLessThan(firstContactAt);
          return;
        }
        const unreached = plan.steps.filter((s) => !s.reached);
        expect(plan.next?.at ?? null).toBe(unreached[0]?.at ?? null);
        if (plan.next) expect(plan.next.at).toBeGreaterThan(now);
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tier, instant, instant, contact, (t, handoffAt, now, firstContactAt) => {
        const input = { calendar: cal, policy: defaultSlaPolicy, tier: t, handoffAt, firstContactAt, now };
        expect(slaStatus(input)).toEqual(slaStatus({ ...input, calendar: structuredClone(cal) }));
      }),
      { numRuns: 50 },
    );
  });
});
