import { describe, expect, it } from 'vitest';
import { DAY_MS, isoAtOffset, isoInZone, utcOffsetMinutes, zoneClock } from './zone';

const HOUR = 3_600_000;
const dayIndex = (isoDate: string) => Date.parse(isoDate) / DAY_MS;
const dayLength = (zone: string, isoDate: string) => {
  const clock = zoneClock(zone);
  const day = dayIndex(isoDate);
  return clock.dayStart(day + 1) - clock.dayStart(day);
};

describe('local days of a time zone', () => {
  it('starts a Tokyo day at 15:00 UTC the day before', () => {
    expect(zoneClock('Asia/Tokyo').dayStart(dayIndex('2026-06-08'))).toBe(Date.parse('2026-06-07T15:00:00Z'));
  });

  it('handles half-hour offsets (India)', () => {
    expect(zoneClock('Asia/Kolkata').wallToInstant(dayIndex('2026-06-08'), 9 * HOUR)).toBe(
      Date.parse('2026-06-08T03:30:00Z'),
    );
  });

  it('has a 23.5-hour day when Lord Howe Island moves its clocks by half an hour', () => {
    expect(dayLength('Australia/Lord_Howe', '2026-10-04')).toBe(23.5 * HOUR);
  });

  it('starts the day at 01:00 when Chile springs forward at midnight', () => {
    const clock = zoneClock('America/Santiago');
    expect(clock.dayStart(dayIndex('2026-09-06'))).toBe(Date.parse('2026-09-06T04:00:00Z'));
    expect(dayLength('America/Santiago', '2026-09-06')).toBe(23 * HOUR);
  });

  it('gives a day skipped by a zone (Samoa, 2011-12-30) no length', () => {
    expect(dayLength('Pacific/Apia', '2011-12-30')).toBe(0);
  });

  it('finds the local day of an instant on both sides of midnight', () => {
    const clock = zoneClock('America/New_York');
    expect(clock.dayOf(Date.parse('2026-11-01T03:59:59.999Z'))).toBe(dayIndex('2026-10-31'));
    expect(clock.dayOf(Date.parse('2026-11-01T04:00:00Z'))).toBe(dayIndex('2026-11-01'));
  });

  it('reads the wall-clock time of day after a DST switch', () => {
    expect(zoneClock('America/New_York').wallTimeOfDay(Date.parse('2026-03-08T14:00:00Z'))).toBe(10 * HOUR);
  });
});

describe('offsets and ISO times of a zone', () => {
  it('gives the offset in force at the instant, before and after a DST switch', () => {
    expect(utcOffsetMinutes(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-300);
    expect(utcOffsetMinutes(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(utcOffsetMinutes(Date.parse('2026-11-25T02:00:00.500Z'), 'Asia/Kolkata')).toBe(330);
  });

  it("writes an instant with the zone's offset, to the second", () => {
    expect(isoInZone(Date.parse('2026-11-25T02:00:00.750Z'), 'Asia/Tokyo')).toBe('2026-11-25T11:00:00+09:00');
    expect(isoInZone(Date.parse('2026-11-25T02:00:00Z'), 'UTC')).toBe('2026-11-25T02:00:00+00:00');
    expect(isoAtOffset(Date.parse('2026-11-25T02:00:00Z'), 0, 'Z')).toBe('2026-11-25T02:00:00Z');
    expect(isoAtOffset(Date.parse('2026-11-25T02:00:00Z'), -210)).toBe('2026-11-24T22:30:00-03:30');
  });
});
