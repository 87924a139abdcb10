import { describe, expect, it } from 'vitest';
import { defaultBusinessCalendar as calendar } from '../calendar/defaults';
import { defaultSlaPolicy as policy } from './defaults';
import { contactAnswers, isOverdue, slaStateAt } from './state';
import { slaStatus } from './status';

const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
const tier = policy.tiers.find((t) => t.id === 'hot')!;
const handoffAt = jst('2026-06-10 10:00');

describe('when due turns overdue (docs/kpis.md: "due time before now")', () => {
  it('is not overdue at the due instant, and overdue one millisecond after it', () => {
    const dueAt = jst('2026-06-10 11:00');
    expect(isOverdue(dueAt, dueAt - 1)).toBe(false);
    expect(isOverdue(dueAt, dueAt)).toBe(false);
    expect(isOverdue(dueAt, dueAt + 1)).toBe(true);
  });

  it('moves a ticking chip to overdue only after the due instant', () => {
    const sla = { state: 'running' as const, dueAt: 1_000, dueSoonAt: 800 };
    expect(slaStateAt(sla, 799)).toBe('running');
    expect(slaStateAt(sla, 800)).toBe('due_soon');
    expect(slaStateAt(sla, 1_000)).toBe('due_soon');
    expect(slaStateAt(sla, 1_001)).toBe('overdue');
  });

  it('keeps a closed or deadline-less SLA as evaluated, whatever the time', () => {
    expect(slaStateAt({ state: 'met', dueAt: 1_000, dueSoonAt: 800 }, 5_000)).toBe('met');
    expect(slaStateAt({ state: 'missed', dueAt: 1_000, dueSoonAt: 800 }, 0)).toBe('missed');
    expect(slaStateAt({ state: 'running', dueAt: null, dueSoonAt: null }, 5_000)).toBe('running');
  });

  it('ticks to the same state the evaluation gives, on both sides of due and due soon', () => {
    const at = (now: number) => slaStatus({ calendar, policy, tier, handoffAt, firstContactAt: null, now });
    const evaluated = at(handoffAt);
    const times = { state: evaluated.state, dueAt: evaluated.dueAt!, dueSoonAt: evaluated.dueSoonAt! };
    for (const now of [
      times.dueSoonAt - 1,
      times.dueSoonAt,
      times.dueAt - 1,
      times.dueAt,
      times.dueAt + 1,
      times.dueAt + 3_600_000,
    ]) {
      expect(slaStateAt(times, now)).toBe(at(now).state);
    }
  });
});

describe('contactAnswers', () => {
  const handoffAt = Date.parse('2026-12-01T10:00:00+09:00');
  it('counts a contact at or after the handoff, never one from an earlier cycle or without a time', () => {
    expect(contactAnswers(handoffAt, handoffAt)).toBe(true);
    expect(contactAnswers(handoffAt + 60_000, handoffAt)).toBe(true);
    expect(contactAnswers(handoffAt - 1, handoffAt)).toBe(false);
    expect(contactAnswers(null, handoffAt)).toBe(false);
    expect(contactAnswers(undefined, handoffAt)).toBe(false);
    expect(contactAnswers(Number.NaN, handoffAt)).toBe(false);
  });
});
