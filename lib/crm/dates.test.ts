import { describe, expect, it } from 'vitest';
import { activityAt, withYear, yearIn } from './dates';

const JST = { utcOffsetMinutes: 540 };

describe('activityAt', () => {
  it.each([
    ['2024/03/14 10:32', '2024-03-14T10:32:00+09:00'],
    ['2024-03-14', '2024-03-14T00:00:00+09:00'],
    ['2024年3月14日 14:05', '2024-03-14T14:05:00+09:00'],
    ['2024年3月14日 午後2:05', '2024-03-14T14:05:00+09:00'],
    ['3/14/2024 2:30 PM', '2024-03-14T14:30:00+09:00'],
    ['Mar 14, 2024 at 10:32 AM', '2024-03-14T10:32:00+09:00'],
    ['March 14, 2024 12:05 AM', '2024-03-14T00:05:00+09:00'],
    ['14 Mar 2024 09:00', '2024-03-14T09:00:00+09:00'],
  ])('reads "%s" in Japan time as %s', (text, iso) => {
    expect(activityAt(text, JST)).toBe(iso);
  });

  it('reads "03/04/2026" month first, as the one display-date parser does without a locale', () => {
    expect(activityAt('03/04/2026', JST)).toBe('2026-03-04T00:00:00+09:00');
  });

  it('keeps an ISO timestamp that already has an offset', () => {
    expect(activityAt('2024-03-14T01:32:00Z', JST)).toBe('2024-03-14T01:32:00Z');
  });

  it('uses the offset it is given, UTC by default', () => {
    expect(activityAt('2024/03/14 10:32', {})).toBe('2024-03-14T10:32:00Z');
    expect(activityAt('2024/03/14 10:32', { utcOffsetMinutes: -300 })).toBe('2024-03-14T10:32:00-05:00');
  });

  it('takes a missing year from the group header', () => {
    expect(activityAt('3月14日', JST, 2023)).toBe('2023-03-14T00:00:00+09:00');
    expect(activityAt('Mar 14 at 10:32 AM', JST, 2024)).toBe('2024-03-14T10:32:00+09:00');
  });

  it('without a header, places a yearless date within six months of now', () => {
    const now = Date.parse('2024-01-10T00:00:00+09:00');
    expect(activityAt('Dec 28', { ...JST, now })).toBe('2023-12-28T00:00:00+09:00');
    expect(activityAt('Jan 20', { ...JST, now })).toBe('2024-01-20T00:00:00+09:00');
  });

  it('resolves Today and 昨日 against now in the display time zone', () => {
    // 2024-03-18 00:30 in Japan is still 2024-03-17 in UTC.
    const now = Date.parse('2024-03-17T15:30:00Z');
    expect(activityAt('Today 9:00 AM', { ...JST, now })).toBe('2024-03-18T09:00:00+09:00');
    expect(activityAt('昨日 18:20', { ...JST, now })).toBe('2024-03-17T18:20:00+09:00');
  });

  it('gives up rather than guess', () => {
    expect(activityAt('Today 9:00 AM', JST)).toBeNull();
    expect(activityAt('3月14日', JST)).toBeNull();
    expect(activityAt('2024/02/30', JST)).toBeNull();
    expect(activityAt('13:99', JST)).toBeNull();
    expect(activityAt('Upcoming & Overdue', JST)).toBeNull();
  });
});

describe('group header years', () => {
  it('finds the year in a header in either language', () => {
    expect(yearIn('March • 2024')).toBe(2024);
    expect(yearIn('2024年3月')).toBe(2024);
    expect(yearIn('Upcoming & Overdue')).toBeUndefined();
  });

  it('adds the header year to a yearless list date and leaves other values alone', () => {
    expect(withYear('3月14日', 2024)).toBe('2024-03-14');
    expect(withYear('Mar 2 10:05 AM', 2024)).toBe('2024-03-02 10:05');
    expect(withYear('2023/12/28', 2024)).toBe('2023/12/28');
    expect(withYear('Acme', 2024)).toBe('Acme');
    expect(withYear('3月14日', undefined)).toBe('3月14日');
  });
});
