import { describe, expect, it } from 'vitest';
import { defaultBusinessCalendar as cal } from '../calendar/defaults';
import type { BusinessCalendar } from '../calendar/schema';
import { defaultSlaPolicy } from './defaults';
import { type SlaPolicy, type SlaTier, slaPolicySchema } from './schema';
import { chooseTier, dueAt, slaStatus } from './status';

const HOUR = 3_600_000;
const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);

const tierById = (policy: SlaPolicy, id: string) => policy.tiers.find((t) => t.id === id)!;
// The worked examples below use 24 business hours (the default score tier is 1 business day since
// issue 16; defaults.test.ts pins that), so the clock's arithmetic stays spelled out hour by hour.
const scoreMql: SlaTier = {
  ...tierById(defaultSlaPolicy, 'score_mql'),
  duration: { amount: 24, unit: 'hours', clock: 'business' },
};

const gradedPolicy = slaPolicySchema.parse({
  tiers: [
    ...defaultSlaPolicy.tiers,
    {
      id: 'a_grade',
      label: { ja: 'A ランク', en: 'Grade A' },
      match: { fitGrades: ['A'] },
      duration: { amount: 2, unit: 'hours', clock: 'business' },
    },
  ],
  dueSoon: { share: 0.75 },
});

describe('choosing the SLA tier', () => {
  it('gives demo requests and pricing views the 1-hour hot tier', () => {
    expect(chooseTier(defaultSlaPolicy, { triggerId: 'demo_request' }).id).toBe('hot');
    expect(chooseTier(defaultSlaPolicy, { triggerId: 'pricing_view' }).id).toBe('hot');
  });

  it('gives document requests their own tier', () => {
    expect(chooseTier(defaultSlaPolicy, { triggerId: 'document_request' }).id).toBe('document_request');
  });

  it('falls back to the default tier for an unknown or missing trigger', () => {
    expect(chooseTier(defaultSlaPolicy, { triggerId: 'webinar' }).id).toBe('score_mql');
    expect(chooseTier(defaultSlaPolicy, { triggerId: null }).id).toBe('score_mql');
    expect(chooseTier(defaultSlaPolicy, {}).id).toBe('score_mql');
  });

  it('matches a tier by fit grade when no trigger tier applies', () => {
    expect(chooseTier(gradedPolicy, { fitGrade: 'A' }).id).toBe('a_grade');
    expect(chooseTier(gradedPolicy, { fitGrade: 'B' }).id).toBe('score_mql');
  });

  it('prefers a trigger match over a grade match', () => {
    expect(chooseTier(gradedPolicy, { triggerId: 'document_request', fitGrade: 'A' }).id).toBe(
      'document_request',
    );
    expect(chooseTier(gradedPolicy, { triggerId: 'webinar', fitGrade: 'A' }).id).toBe('a_grade');
  });
});

describe('the due time of a handoff', () => {
  it('is one business hour later for a hot lead in working hours', () => {
    expect(dueAt(cal, tierById(defaultSlaPolicy, 'hot'), jst('2026-06-08 10:00'))).toBe(
      jst('2026-06-08 11:00'),
    );
  });

  it('carries over the weekend for a late-Friday document request', () => {
    expect(dueAt(cal, tierById(defaultSlaPolicy, 'document_request'), jst('2026-06-05 17:00'))).toBe(
      jst('2026-06-08 12:00'),
    );
  });

  it('counts elapsed time on a calendar-clock tier, weekends included', () => {
    const tier: SlaTier = { ...scoreMql, duration: { amount: 24, unit: 'hours', clock: 'calendar' } };
    expect(dueAt(cal, tier, jst('2026-06-05 20:00'))).toBe(jst('2026-06-06 20:00'));
  });

  it('counts working days on a business-days tier', () => {
    const tier: SlaTier = { ...scoreMql, duration: { amount: 2, unit: 'days', clock: 'business' } };
    expect(dueAt(cal, tier, jst('2026-06-05 14:00'))).toBe(jst('2026-06-09 14:00'));
  });
});

describe('the SLA state of a handoff', () => {
  // Monday 10:00 + 24 business hours: 8h Monday, 9h Tuesday, 7h Wednesday → Wednesday 16:00.
  // 75% (18h) is reached Wednesday 10:00.
  const handoffAt = jst('2026-06-08 10:00');
  const due = jst('2026-06-10 16:00');
  const status = (now: number, firstContactAt: number | null = null, policy: SlaPolicy = defaultSlaPolicy) =>
    slaStatus({ calendar: cal, policy, tier: scoreMql, handoffAt, firstContactAt, now });

  it('is none without a handoff', () => {
    expect(
      slaStatus({
        calendar: cal,
        policy: defaultSlaPolicy,
        tier: scoreMql,
        handoffAt: null,
        firstContactAt: null,
        now: due,
      }),
    ).toEqual({ state: 'none' });
  });

  it('is running with the time left on both clocks', () => {
    const now = jst('2026-06-09 12:00');
    expect(status(now)).toEqual({
      state: 'running',
      tierId: 'score_mql',
      clock: 'business',
      handoffAt,
      dueAt: due,
      dueSoonAt: jst('2026-06-10 10:00'),
      remaining: { businessMs: 13 * HOUR, calendarMs: due - now },
    });
  });

  it('turns due_soon exactly when 75% of the business time has elapsed', () => {
    expect(status(jst('2026-06-10 10:00') - 1).state).toBe('running');
    expect(status(jst('2026-06-10 10:00')).state).toBe('due_soon');
  });

  it('is still due_soon, with nothing left, at the due instant itself', () => {
    const s = status(due);
    expect(s.state).toBe('due_soon');
    expect(s.remaining).toEqual({ businessMs: 0, calendarMs: 0 });
  });

  it('is overdue one millisecond after due, counting lateness in business time', () => {
    expect(status(due + 1).state).toBe('overdue');
    const now = jst('2026-06-11 10:00');
    expect(status(now)).toMatchObject({
      state: 'overdue',
      overdue: { businessMs: 3 * HOUR, calendarMs: now - due },
    });
  });

  it('is met when first contact comes at or before due, whatever the time now', () => {
    expect(status(jst('2026-06-20 10:00'), due)).toMatchObject({
      state: 'met',
      contactedAt: due,
      dueAt: due,
    });
    expect(status(jst('2026-06-09 10:00'), jst('2026-06-08 11:00')).state).toBe('met');
  });

  it('is missed when first contact comes after due, with how late it was', () => {
    const contact = jst('2026-06-11 10:00');
    expect(status(jst('2026-06-20 10:00'), contact)).toMatchObject({
      state: 'missed',
      contactedAt: contact,
      overdue: { businessMs: 3 * HOUR, calendarMs: contact - due },
    });
  });

  it('counts the whole SLA as remaining when now is before the handoff', () => {
    expect(status(handoffAt - HOUR).remaining?.businessMs).toBe(24 * HOUR);
  });

  it('turns due_soon a fixed business time before due with a before rule', () => {
    const policy: SlaPolicy = { ...defaultSlaPolicy, dueSoon: { before: { amount: 2, unit: 'hours' } } };
    expect(status(jst('2026-06-09 12:00'), null, policy).dueSoonAt).toBe(jst('2026-06-10 14:00'));
    expect(status(jst('2026-06-10 13:59'), null, policy).state).toBe('running');
    expect(status(jst('2026-06-10 14:00'), null, policy).state).toBe('due_soon');
  });

  it('takes the earlier point when both share and before are set', () => {
    const shareFirst: SlaPolicy = {
      ...defaultSlaPolicy,
      dueSoon: { share: 0.75, before: { amount: 30, unit: 'minutes' } },
    };
    const beforeFirst: SlaPolicy = {
      ...defaultSlaPolicy,
      dueSoon: { share: 0.9, before: { amount: 8, unit: 'hours' } },
    };
    expect(status(handoffAt, null, shareFirst).dueSoonAt).toBe(jst('2026-06-10 10:00'));
    // 8 business hours before Wednesday 16:00 is Tuesday 17:00.
    expect(status(handoffAt, null, beforeFirst).dueSoonAt).toBe(jst('2026-06-09 17:00'));
  });

  it('never starts due_soon before the handoff when before exceeds the SLA', () => {
    const policy: SlaPolicy = { ...defaultSlaPolicy, dueSoon: { before: { amount: 100, unit: 'hours' } } };
    expect(status(handoffAt, null, policy)).toMatchObject({ state: 'due_soon', dueSoonAt: handoffAt });
  });

  it('places due_soon on elapsed time for a calendar-clock tier', () => {
    const tier: SlaTier = { ...scoreMql, duration: { amount: 24, unit: 'hours', clock: 'calendar' } };
    const s = slaStatus({
      calendar: cal,
      policy: defaultSlaPolicy,
      tier,
      handoffAt,
      firstContactAt: null,
      now: handoffAt,
    });
    expect(s).toMatchObject({
      state: 'running',
      clock: 'calendar',
      dueAt: handoffAt + 24 * HOUR,
      dueSoonAt: handoffAt + 18 * HOUR,
    });
  });

  it('keeps running without a due time on a calendar that has no working time', () => {
    const closed: BusinessCalendar = {
      ...cal,
      workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    };
    const s = slaStatus({
      calendar: closed,
      policy: defaultSlaPolicy,
      tier: scoreMql,
      handoffAt,
      firstContactAt: null,
      now: due,
    });
    expect(s).toEqual({ state: 'running', tierId: 'score_mql', clock: 'business', handoffAt });
  });
});
