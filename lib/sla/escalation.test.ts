import { describe, expect, it } from 'vitest';
import { defaultBusinessCalendar as cal } from '../calendar/defaults';
import { defaultEscalationLadder, defaultSlaPolicy } from './defaults';
import { escalationPlan } from './escalation';
import type { EscalationLadder } from './schema';

const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
// 24 business hours, as the worked examples below count (the default tier is 1 business day, see defaults.test.ts).
const tier = {
  ...defaultSlaPolicy.tiers.find((t) => t.match.default)!,
  duration: { amount: 24, unit: 'hours' as const, clock: 'business' as const },
};

// Handoff Monday 10:00 on the 24-business-hour tier: due Wednesday 16:00.
const handoffAt = jst('2026-06-08 10:00');
const reminderAt = jst('2026-06-10 10:00'); // 75% elapsed
const ownerAt = jst('2026-06-10 16:00'); // at breach
const managerAt = jst('2026-06-11 11:00'); // 4 business hours after: 2h Wednesday, 2h Thursday
const marketingAt = jst('2026-06-15 13:00'); // 24 business hours after: 2 + 9 + 9 Wed–Fri, 4 Monday

const plan = (
  now: number,
  firstContactAt: number | null = null,
  ladder: EscalationLadder = defaultEscalationLadder,
) => escalationPlan({ calendar: cal, ladder, tier, handoffAt, firstContactAt, now });

const reachedIds = (p: ReturnType<typeof plan>) => p.steps.filter((s) => s.reached).map((s) => s.stepId);

describe('the escalation plan of a handoff', () => {
  it('times every step of the default ladder on the business clock', () => {
    expect(plan(handoffAt).steps.map((s) => [s.stepId, s.kind, s.at])).toEqual([
      ['reminder', 'reminder', reminderAt],
      ['owner', 'owner', ownerAt],
      ['manager', 'manager', managerAt],
      ['marketing', 'marketing', marketingAt],
    ]);
  });

  it('has nothing reached before the reminder, and the reminder next', () => {
    const p = plan(reminderAt - 1);
    expect(reachedIds(p)).toEqual([]);
    expect(p.next).toEqual({ stepId: 'reminder', kind: 'reminder', at: reminderAt });
  });

  it('reaches the reminder at 75% and then waits for the owner step', () => {
    const p = plan(reminderAt);
    expect(reachedIds(p)).toEqual(['reminder']);
    expect(p.next?.stepId).toBe('owner');
  });

  it('tells the owner at breach', () => {
    expect(reachedIds(plan(ownerAt))).toEqual(['reminder', 'owner']);
    expect(plan(ownerAt).next).toEqual({ stepId: 'manager', kind: 'manager', at: managerAt });
  });

  it('escalates to the manager 4 business hours after breach', () => {
    expect(reachedIds(plan(managerAt - 1))).toEqual(['reminder', 'owner']);
    expect(reachedIds(plan(managerAt))).toEqual(['reminder', 'owner', 'manager']);
    expect(plan(managerAt).next?.stepId).toBe('marketing');
  });

  it('flags marketing 24 business hours after breach, after which nothing is next', () => {
    const p = plan(marketingAt);
    expect(reachedIds(p)).toEqual(['reminder', 'owner', 'manager', 'marketing']);
    expect(p.next).toBeNull();
  });

  it('escalates no further once the lead is contacted, keeping steps already fired', () => {
    const p = plan(jst('2026-06-20 10:00'), jst('2026-06-10 12:00'));
    expect(reachedIds(p)).toEqual(['reminder']);
    expect(p.next).toBeNull();
  });

  it('does not tell the owner when contact comes at the due instant', () => {
    expect(reachedIds(plan(jst('2026-06-20 10:00'), ownerAt))).toEqual(['reminder']);
  });

  it('has no steps without a handoff', () => {
    expect(
      escalationPlan({
        calendar: cal,
        ladder: defaultEscalationLadder,
        tier,
        handoffAt: null,
        firstContactAt: null,
        now: 0,
      }),
    ).toEqual({ steps: [], next: null });
  });

  it('uses a due time passed in instead of deriving it', () => {
    const dueAt = jst('2026-06-09 10:00');
    const p = escalationPlan({
      calendar: cal,
      ladder: defaultEscalationLadder,
      tier,
      handoffAt,
      dueAt,
      firstContactAt: null,
      now: handoffAt,
    });
    expect(p.steps.find((s) => s.stepId === 'owner')?.at).toBe(dueAt);
  });

  it('lists steps in firing order even when the ladder is written out of order, on their own clocks', () => {
    const ladder: EscalationLadder = {
      steps: [
        {
          id: 'late',
          kind: 'marketing',
          label: { ja: '翌日', en: 'Next day' },
          when: { afterDue: { amount: 1, unit: 'days', clock: 'calendar' } },
        },
        { id: 'half', kind: 'reminder', label: { ja: '半分', en: 'Halfway' }, when: { share: 0.5 } },
      ],
    };
    const p = plan(handoffAt, null, ladder);
    // Half of 24 business hours from Monday 10:00: 8h Monday, 4h Tuesday → Tuesday 13:00.
    expect(p.steps.map((s) => [s.stepId, s.at])).toEqual([
      ['half', jst('2026-06-09 13:00')],
      ['late', jst('2026-06-11 16:00')],
    ]);
    expect(p.next?.stepId).toBe('half');
  });
});
