import { describe, expect, it } from 'vitest';
import { addDays, periodFromHash, periodToHash, resolvePeriod, todayIn } from './period';

/** 25 November 2026, 23:30 in Tokyo (14:30 UTC): the 25th everywhere. */
const lateEvening = Date.parse('2026-11-25T23:30:00+09:00');
/** 26 November 2026, 00:30 in Tokyo, the 25th in UTC: "today" is the team's, not UTC's. */
const pastMidnight = Date.parse('2026-11-26T00:30:00+09:00');

describe('the dashboard period', () => {
  it('takes today in the rule set’s time zone', () => {
    expect(todayIn('Asia/Tokyo', lateEvening)).toBe('2026-11-25');
    expect(todayIn('Asia/Tokyo', pastMidnight)).toBe('2026-11-26');
    expect(todayIn('UTC', pastMidnight)).toBe('2026-11-25');
  });

  it('resolves the last weeks as whole days ending today, the end exclusive', () => {
    expect(resolvePeriod({ preset: 'last4w' }, 'Asia/Tokyo', lateEvening)).toEqual({
      from: '2026-10-29',
      to: '2026-11-26',
    });
    expect(resolvePeriod({ preset: 'last12w' }, 'Asia/Tokyo', pastMidnight)).toEqual({
      from: '2026-09-04',
      to: '2026-11-27',
    });
  });

  it('resolves this and the previous quarter, across a year boundary too', () => {
    expect(resolvePeriod({ preset: 'thisQuarter' }, 'Asia/Tokyo', lateEvening)).toEqual({
      from: '2026-10-01',
      to: '2026-11-26',
    });
    expect(resolvePeriod({ preset: 'previousQuarter' }, 'Asia/Tokyo', lateEvening)).toEqual({
      from: '2026-07-01',
      to: '2026-10-01',
    });
    const february = Date.parse('2027-02-10T12:00:00+09:00');
    expect(resolvePeriod({ preset: 'previousQuarter' }, 'Asia/Tokyo', february)).toEqual({
      from: '2026-10-01',
      to: '2027-01-01',
    });
  });

  it('sends a custom period with the day after its last day as the exclusive end', () => {
    expect(
      resolvePeriod({ preset: 'custom', from: '2026-02-01', until: '2026-02-28' }, 'Asia/Tokyo', lateEvening),
    ).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('round-trips through the URL hash and falls back to the default on anything else', () => {
    for (const period of [
      { preset: 'last4w' as const },
      { preset: 'previousQuarter' as const },
      { preset: 'custom' as const, from: '2026-08-01', until: '2026-08-31' },
    ]) {
      expect(periodFromHash(periodToHash(period))).toEqual(period);
    }
    expect(periodToHash({ preset: 'custom', from: '2026-08-01', until: '2026-08-31' })).toBe(
      '#dashboard?from=2026-08-01&until=2026-08-31',
    );
    expect(periodFromHash('#dashboard?period=lastYear')).toEqual({ preset: 'last12w' });
    expect(periodFromHash('#dashboard?from=2026-09-01&until=2026-08-01')).toEqual({ preset: 'last12w' });
    // A hand-edited hash with a day the calendar lacks falls back too, instead of breaking the tab.
    expect(periodFromHash('#dashboard?from=2026-13-01&until=2026-13-02')).toEqual({ preset: 'last12w' });
    expect(periodFromHash('#dashboard?from=2026-02-01&until=2026-02-31')).toEqual({ preset: 'last12w' });
    expect(periodFromHash('#dashboard?from=yesterday&until=2026-08-01')).toEqual({ preset: 'last12w' });
    expect(periodFromHash('#rules-icp')).toEqual({ preset: 'last12w' });
  });
});
