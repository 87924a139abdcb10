import { describe, expect, it } from 'vitest';
import { defaultBusinessCalendar } from '../calendar/defaults';
import { durationText } from '../rules/describe';
import { defaultSlaPolicy } from './defaults';
import { chooseTier, dueAt } from './status';

const jst = (local: string) => Date.parse(`${local}+09:00`);
const scoreMql = chooseTier(defaultSlaPolicy, { triggerId: null, fitGrade: 'B' });
const hot = chooseTier(defaultSlaPolicy, { triggerId: 'demo_request', fitGrade: 'B' });
const due = (tier: typeof scoreMql, local: string) => dueAt(defaultBusinessCalendar, tier, jst(local));

describe('the default SLA', () => {
  it('gives a score MQL one business day: the same time on the next working day', () => {
    // Tuesday 2026-11-24 10:30 → Wednesday 10:30.
    expect(due(scoreMql, '2026-11-24T10:30:00')).toBe(jst('2026-11-25T10:30:00'));
    // Friday 2026-11-27 16:00 → Monday 2026-11-30 16:00.
    expect(due(scoreMql, '2026-11-27T16:00:00')).toBe(jst('2026-11-30T16:00:00'));
  });

  it('skips Golden Week: Friday 1 May 2026 15:00 is due Thursday 7 May 15:00', () => {
    // 2–3 May weekend, 4 May みどりの日, 5 May こどもの日, 6 May 振替休日 (憲法記念日 fell on a Sunday).
    expect(due(scoreMql, '2026-05-01T15:00:00')).toBe(jst('2026-05-07T15:00:00'));
    // After hours on that Friday the clock starts at 09:00 on the next working day, 7 May: due 8 May 09:00.
    expect(due(scoreMql, '2026-05-01T20:00:00')).toBe(jst('2026-05-08T09:00:00'));
  });

  it('skips the year-end holidays: Monday 28 December 2026 15:00 is due Monday 4 January 2027 15:00', () => {
    // 年末年始 12/29–1/3 closed; 4 January 2027 is a Monday and no holiday.
    expect(due(scoreMql, '2026-12-28T15:00:00')).toBe(jst('2027-01-04T15:00:00'));
  });

  it('keeps hot triggers at one business hour', () => {
    expect(hot.duration).toEqual({ amount: 1, unit: 'hours', clock: 'business' });
    // Friday 1 May 2026 17:30: half an hour that day, half an hour on 7 May.
    expect(due(hot, '2026-05-01T17:30:00')).toBe(jst('2026-05-07T09:30:00'));
  });

  it('says the score MQL deadline in words for the printed SLA', () => {
    expect(durationText(scoreMql.duration)).toEqual({
      ja: '1営業日（翌営業日の同じ時刻まで）',
      en: '1 business day (by the same time on the next working day)',
    });
  });
});
