import { describe, expect, it } from 'vitest';
import { splitBilingual } from '../i18n';
import { defaultBusinessCalendar } from './defaults';
import { businessCalendarSchema } from './schema';

const hours = [{ start: '09:00', end: '18:00' }];
const valid = {
  timeZone: 'Asia/Tokyo',
  workingHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
  nationalHolidays: 'jp',
};

/** The first problem's path and English/Japanese message for an input with one change. */
function problem(input: unknown) {
  const result = businessCalendarSchema.safeParse(input);
  if (result.success) throw new Error('expected the calendar to be rejected');
  const issue = result.error.issues[0]!;
  return { path: issue.path, message: splitBilingual(issue.message) };
}

describe('businessCalendarSchema', () => {
  it('accepts the default calendar as it is', () => {
    expect(businessCalendarSchema.parse(defaultBusinessCalendar)).toEqual(defaultBusinessCalendar);
  });

  it('fills empty holiday lists when they are omitted', () => {
    const cal = businessCalendarSchema.parse(valid);
    expect(cal.companyHolidays).toEqual([]);
    expect(cal.yearlyHolidays).toEqual([]);
    expect(cal.extraWorkingDays).toEqual([]);
  });

  it('rejects a time zone that does not exist, in both languages', () => {
    const { path, message } = problem({ ...valid, timeZone: 'Asia/Osaka' });
    expect(path).toEqual(['timeZone']);
    expect(message.en).toContain('IANA');
    expect(message.ja).toContain('タイムゾーン');
  });

  it('rejects an interval that ends before it starts', () => {
    const bad = {
      ...valid,
      workingHours: { ...valid.workingHours, mon: [{ start: '18:00', end: '09:00' }] },
    };
    expect(problem(bad).path).toEqual(['workingHours', 'mon', 0, 'end']);
  });

  it('rejects overlapping intervals and accepts a lunch break', () => {
    const overlap = [
      { start: '09:00', end: '13:00' },
      { start: '12:00', end: '18:00' },
    ];
    const lunch = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ];
    expect(problem({ ...valid, workingHours: { ...valid.workingHours, tue: overlap } }).path).toEqual([
      'workingHours',
      'tue',
      1,
      'start',
    ]);
    expect(
      businessCalendarSchema.safeParse({ ...valid, workingHours: { ...valid.workingHours, tue: lunch } })
        .success,
    ).toBe(true);
  });

  it('rejects a malformed time', () => {
    const bad = { ...valid, workingHours: { ...valid.workingHours, wed: [{ start: '9:00', end: '18:00' }] } };
    expect(problem(bad).message.ja).toContain('09:00');
  });

  it('rejects a week with no working hours at all', () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const { path, message } = problem({ ...valid, workingHours: closed });
    expect(path).toEqual(['workingHours']);
    expect(message.en).toContain('at least one weekday');
  });

  it('rejects a company holiday range that ends before it starts', () => {
    const bad = {
      ...valid,
      companyHolidays: [{ from: '2026-08-14', to: '2026-08-12', name: { ja: '夏', en: 'Summer' } }],
    };
    expect(problem(bad).path).toEqual(['companyHolidays', 0, 'to']);
  });

  it('rejects a date that does not exist', () => {
    const bad = { ...valid, extraWorkingDays: [{ date: '2026-02-30' }] };
    expect(problem(bad).path).toEqual(['extraWorkingDays', 0, 'date']);
  });

  it('accepts 02-29 as a yearly holiday but not 02-30', () => {
    const yearly = (from: string) => ({
      ...valid,
      yearlyHolidays: [{ from, name: { ja: '休', en: 'Off' } }],
    });
    expect(businessCalendarSchema.safeParse(yearly('02-29')).success).toBe(true);
    expect(problem(yearly('02-30')).path).toEqual(['yearlyHolidays', 0, 'from']);
  });

  it('rejects an extra working day with an empty list of hours', () => {
    const bad = { ...valid, extraWorkingDays: [{ date: '2026-06-06', hours: [] }] };
    expect(problem(bad).path).toEqual(['extraWorkingDays', 0, 'hours']);
  });

  it('rejects unknown national holiday sets', () => {
    expect(problem({ ...valid, nationalHolidays: 'us' }).path).toEqual(['nationalHolidays']);
  });
});
