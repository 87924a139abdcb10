import { describe, expect, it } from 'vitest';
import { dueClock, formatDuration, momentClock, slaCountdown } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('formatting a countdown', () => {
  it('shows hours and minutes', () => {
    expect(formatDuration(2 * HOUR + 15 * MINUTE, 'ja')).toBe('2時間15分');
    expect(formatDuration(2 * HOUR + 15 * MINUTE, 'en')).toBe('2h 15m');
  });

  it('drops a zero part', () => {
    expect(formatDuration(2 * HOUR, 'en')).toBe('2h');
    expect(formatDuration(45 * MINUTE, 'ja')).toBe('45分');
  });

  it('switches to days and hours from 24 hours on', () => {
    expect(formatDuration(27 * HOUR + 40 * MINUTE, 'ja')).toBe('1日3時間');
    expect(formatDuration(48 * HOUR, 'en')).toBe('2d');
  });

  it('rounds down to the minute and says less than a minute below it', () => {
    expect(formatDuration(MINUTE + 59_999, 'en')).toBe('1m');
    expect(formatDuration(59_999, 'ja')).toBe('1分未満');
    expect(formatDuration(0, 'en')).toBe('<1m');
  });

  it('ignores the sign, leaving "late" or "left" to the caller', () => {
    expect(formatDuration(-90 * MINUTE, 'en')).toBe('1h 30m');
  });
});

describe('the countdown beside an SLA state', () => {
  const due = Date.parse('2026-12-04T15:00:00+09:00');
  const sla = { dueAt: due, contactedAt: null };

  it('says the time left, with seconds under an hour, in the order each language says it', () => {
    expect(slaCountdown(sla, 'running', due - (19 * MINUTE + 58_000), 'en')).toBe('19m 58s left');
    expect(slaCountdown(sla, 'due_soon', due - (19 * MINUTE + 58_000), 'ja')).toBe('あと 19分58秒');
    expect(slaCountdown(sla, 'running', due - (2 * HOUR + 15 * MINUTE), 'en')).toBe('2h 15m left');
  });

  it('says how late while overdue, and how late a missed deadline was answered', () => {
    expect(slaCountdown(sla, 'overdue', due + 90_000, 'en')).toBe('1m 30s late');
    expect(slaCountdown(sla, 'overdue', due + 29 * HOUR, 'ja')).toBe('1日5時間遅れ');
    expect(slaCountdown({ dueAt: due, contactedAt: due + 3 * HOUR }, 'missed', due + 9 * HOUR, 'en')).toBe(
      '3h late',
    );
    expect(slaCountdown(sla, 'met', due, 'en')).toBe('');
    expect(slaCountdown({ dueAt: null, contactedAt: null }, 'none', due, 'ja')).toBe('');
  });
});

describe('the deadline as a clock time', () => {
  it('gives the time alone on the same day in the calendar’s zone', () => {
    const now = Date.parse('2026-12-04T09:10:00+09:00');
    expect(dueClock('2026-12-04T15:00:00+09:00', now, 'ja')).toBe('15:00 まで');
    expect(dueClock('2026-12-04T15:00:00.000+09:00', now, 'en')).toBe('by 15:00');
  });

  it('adds the date and weekday on another day, judged in the calendar’s zone not UTC', () => {
    // 23:30 UTC on 3 Dec is already 4 Dec in Tokyo: a 4 Dec deadline is "today" there.
    expect(dueClock('2026-12-04T10:00:00+09:00', Date.parse('2026-12-03T23:30:00Z'), 'en')).toBe('by 10:00');
    const friday = Date.parse('2026-12-04T17:30:00+09:00');
    expect(dueClock('2026-12-07T17:30:00+09:00', friday, 'ja')).toBe('12月7日(月) 17:30 まで');
    expect(dueClock('2026-12-07T17:30:00+09:00', friday, 'en')).toBe('by Mon 7 Dec 17:30');
  });

  it('says nothing for a missing or unreadable time', () => {
    expect(dueClock(null, 0, 'en')).toBe('');
    expect(dueClock('tomorrow', 0, 'ja')).toBe('');
  });
});

describe('a past moment, short', () => {
  it('reads the clock in the offset the time carries, month first in Japanese, day and month name in English', () => {
    expect(momentClock('2026-12-03T14:05:00+09:00', 'ja')).toBe('12/3 14:05');
    expect(momentClock('2026-12-03T14:05:00+09:00', 'en')).toBe('3 Dec 14:05');
    expect(momentClock('2026-01-09T23:59:30.500Z', 'en')).toBe('9 Jan 23:59');
    expect(momentClock('not a time', 'en')).toBe('');
  });
});
