import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  addWorkingDays,
  businessTimeBetween,
  isWorkingTime,
  nextWorkingStart,
} from './business-time';
import { defaultBusinessCalendar } from './defaults';
import { type BusinessCalendar, type BusinessCalendarInput, businessCalendarSchema } from './schema';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** "2026-06-05 20:00" read as Japan time. */
const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);

const nineToSix = [{ start: '09:00', end: '18:00' }];
const weekdaysOnly = {
  mon: nineToSix,
  tue: nineToSix,
  wed: nineToSix,
  thu: nineToSix,
  fri: nineToSix,
  sat: [],
  sun: [],
};

function calendar(overrides: Partial<BusinessCalendarInput> = {}): BusinessCalendar {
  return businessCalendarSchema.parse({
    timeZone: 'Asia/Tokyo',
    workingHours: weekdaysOnly,
    nationalHolidays: 'jp',
    ...overrides,
  });
}

describe('adding business time on the default Japanese calendar', () => {
  const cal = defaultBusinessCalendar;

  it('counts 24 business hours from Monday 09:00 for a Friday-evening handoff, landing Wednesday 15:00', () => {
    expect(addBusinessTime(cal, jst('2026-06-05 20:00'), 24 * HOUR)).toBe(jst('2026-06-10 15:00'));
  });

  it('stays within the same day when the hours fit', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 10:00'), 2 * HOUR)).toBe(jst('2026-06-08 12:00'));
  });

  it('may land exactly at the end of the working day', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 17:00'), HOUR)).toBe(jst('2026-06-08 18:00'));
  });

  it('carries the remainder past the end of the day into the next morning', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 17:30'), HOUR)).toBe(jst('2026-06-09 09:30'));
  });

  it('starts counting at opening time for a handoff before opening', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 07:00'), HOUR)).toBe(jst('2026-06-08 10:00'));
  });

  it('skips the weekend for a handoff on Saturday', () => {
    expect(addBusinessTime(cal, jst('2026-06-06 11:00'), HOUR)).toBe(jst('2026-06-08 10:00'));
  });

  it('skips 勤労感謝の日 (Monday 2026-11-23)', () => {
    expect(addBusinessTime(cal, jst('2026-11-20 17:00'), 2 * HOUR)).toBe(jst('2026-11-24 10:00'));
  });

  it('skips Golden Week 2027: 昭和の日 on Thursday and 5/3–5/5', () => {
    expect(addBusinessTime(cal, jst('2027-04-28 17:00'), 2 * HOUR)).toBe(jst('2027-04-30 10:00'));
    expect(addBusinessTime(cal, jst('2027-04-30 17:00'), 2 * HOUR)).toBe(jst('2027-05-06 10:00'));
  });

  it('skips 年末年始 from 12/29 to 1/3, resuming Monday 2027-01-04', () => {
    expect(addBusinessTime(cal, jst('2026-12-28 17:00'), 2 * HOUR)).toBe(jst('2027-01-04 10:00'));
  });

  it('returns the start unchanged when no time is added', () => {
    expect(addBusinessTime(cal, jst('2026-06-06 11:00'), 0)).toBe(jst('2026-06-06 11:00'));
  });

  it('rejects a negative duration', () => {
    expect(() => addBusinessTime(cal, jst('2026-06-08 10:00'), -1)).toThrow(RangeError);
  });
});

describe('national holidays', () => {
  it('closes 2027-01-01 (元日) with jp holidays even without a year-end break', () => {
    const cal = calendar();
    expect(isWorkingTime(cal, jst('2027-01-01 10:00'))).toBe(false);
    expect(isWorkingTime(cal, jst('2026-12-31 10:00'))).toBe(true);
  });

  it('keeps 2027-01-01 open when national holidays are off', () => {
    expect(isWorkingTime(calendar({ nationalHolidays: 'none' }), jst('2027-01-01 10:00'))).toBe(true);
  });

  it('closes a Monday holiday but not the Tuesday after it', () => {
    const cal = calendar();
    expect(isWorkingTime(cal, jst('2026-11-23 10:00'))).toBe(false);
    expect(isWorkingTime(cal, jst('2026-11-24 10:00'))).toBe(true);
  });
});

describe('company holidays', () => {
  it('closes every day of a date range, inclusive', () => {
    const cal = calendar({
      companyHolidays: [
        { from: '2026-08-12', to: '2026-08-14', name: { ja: '夏季休暇', en: 'Summer break' } },
      ],
    });
    // 8/11 is 山の日, 8/12–8/14 the company break, so Monday 8/10 17:00 + 2h resumes Monday 8/17.
    expect(addBusinessTime(cal, jst('2026-08-10 17:00'), 2 * HOUR)).toBe(jst('2026-08-17 10:00'));
    expect(isWorkingTime(cal, jst('2026-08-14 17:59'))).toBe(false);
  });

  it('closes a single day when the range has no end', () => {
    const cal = calendar({
      companyHolidays: [{ from: '2026-06-09', name: { ja: '創立記念日', en: 'Founding day' } }],
    });
    expect(isWorkingTime(cal, jst('2026-06-09 10:00'))).toBe(false);
    expect(isWorkingTime(cal, jst('2026-06-10 10:00'))).toBe(true);
  });

  it('closes a yearly range that wraps over the new year in every year', () => {
    const cal = calendar({
      nationalHolidays: 'none',
      yearlyHolidays: [{ from: '12-30', to: '01-02', name: { ja: '年末年始', en: 'Year end' } }],
    });
    for (const date of ['2027-12-30', '2027-12-31', '2028-01-03']) {
      const open = date === '2028-01-03';
      expect(isWorkingTime(cal, jst(`${date} 10:00`))).toBe(open);
    }
    expect(isWorkingTime(cal, jst('2026-12-29 10:00'))).toBe(true);
  });
});

describe('extra working days', () => {
  it('opens a Saturday with the first open weekday’s hours when none are given', () => {
    const cal = calendar({ extraWorkingDays: [{ date: '2026-06-06' }] });
    expect(addBusinessTime(cal, jst('2026-06-05 17:00'), 2 * HOUR)).toBe(jst('2026-06-06 10:00'));
    expect(isWorkingTime(cal, jst('2026-06-06 17:59'))).toBe(true);
  });

  it('uses the given hours on an extra working day', () => {
    const cal = calendar({
      extraWorkingDays: [{ date: '2026-06-06', hours: [{ start: '10:00', end: '15:00' }] }],
    });
    expect(addBusinessTime(cal, jst('2026-06-05 17:00'), 2 * HOUR)).toBe(jst('2026-06-06 11:00'));
    expect(isWorkingTime(cal, jst('2026-06-06 15:00'))).toBe(false);
  });

  it('overrides a national holiday with that weekday’s hours', () => {
    const cal = calendar({ extraWorkingDays: [{ date: '2026-11-23' }] });
    expect(isWorkingTime(cal, jst('2026-11-23 09:00'))).toBe(true);
    expect(isWorkingTime(cal, jst('2026-11-23 08:59'))).toBe(false);
  });
});

describe('a lunch break', () => {
  const lunch = [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ];
  const cal = calendar({ workingHours: { ...weekdaysOnly, mon: lunch } });

  it('does not count the break', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 11:30'), HOUR)).toBe(jst('2026-06-08 13:30'));
    expect(businessTimeBetween(cal, jst('2026-06-08 09:00'), jst('2026-06-08 18:00'))).toBe(8 * HOUR);
  });

  it('may land exactly at the start of the break', () => {
    expect(addBusinessTime(cal, jst('2026-06-08 11:00'), HOUR)).toBe(jst('2026-06-08 12:00'));
  });

  it('treats the break as outside working time and resumes after it', () => {
    expect(isWorkingTime(cal, jst('2026-06-08 12:30'))).toBe(false);
    expect(nextWorkingStart(cal, jst('2026-06-08 12:30'))).toBe(jst('2026-06-08 13:00'));
    expect(addBusinessTime(cal, jst('2026-06-08 12:30'), 30 * MINUTE)).toBe(jst('2026-06-08 13:30'));
  });
});

describe('working time checks', () => {
  const cal = defaultBusinessCalendar;

  it('treats opening time as working and closing time as not', () => {
    expect(isWorkingTime(cal, jst('2026-06-08 09:00'))).toBe(true);
    expect(isWorkingTime(cal, jst('2026-06-08 18:00'))).toBe(false);
    expect(isWorkingTime(cal, jst('2026-06-08 17:59') + 59_999)).toBe(true);
  });

  it('finds the next working start after a weekend, and returns a working instant itself', () => {
    expect(nextWorkingStart(cal, jst('2026-06-06 12:00'))).toBe(jst('2026-06-08 09:00'));
    expect(nextWorkingStart(cal, jst('2026-06-08 12:00'))).toBe(jst('2026-06-08 12:00'));
    expect(nextWorkingStart(cal, jst('2026-06-08 18:00'))).toBe(jst('2026-06-09 09:00'));
  });
});

describe('business time between two instants', () => {
  const cal = defaultBusinessCalendar;

  it('counts only working hours across a weekend', () => {
    expect(businessTimeBetween(cal, jst('2026-06-05 17:00'), jst('2026-06-08 10:00'))).toBe(2 * HOUR);
  });

  it('counts a full week as five nine-hour days', () => {
    expect(businessTimeBetween(cal, jst('2026-06-08 00:00'), jst('2026-06-15 00:00'))).toBe(45 * HOUR);
  });

  it('is negative when the instants are reversed', () => {
    expect(businessTimeBetween(cal, jst('2026-06-08 12:00'), jst('2026-06-08 10:00'))).toBe(-2 * HOUR);
  });

  it('is zero across a closed night', () => {
    expect(businessTimeBetween(cal, jst('2026-06-08 18:00'), jst('2026-06-09 09:00'))).toBe(0);
  });
});

describe('daylight saving time in America/New_York', () => {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const nineToFive = [{ start: '09:00', end: '17:00' }];
  const everyDay = (hours: typeof allDay) => ({
    mon: hours,
    tue: hours,
    wed: hours,
    thu: hours,
    fri: hours,
    sat: hours,
    sun: hours,
  });
  const ny = (overrides: Partial<BusinessCalendarInput>) =>
    calendar({ timeZone: 'America/New_York', nationalHolidays: 'none', ...overrides });

  it('has a 23-hour day on 2026-03-08 and a 25-hour day on 2026-11-01', () => {
    const cal = ny({ workingHours: everyDay(allDay) });
    expect(
      businessTimeBetween(cal, Date.parse('2026-03-08T05:00:00Z'), Date.parse('2026-03-09T04:00:00Z')),
    ).toBe(23 * HOUR);
    expect(
      businessTimeBetween(cal, Date.parse('2026-11-01T04:00:00Z'), Date.parse('2026-11-02T05:00:00Z')),
    ).toBe(25 * HOUR);
  });

  it('keeps working hours on the wall clock across spring forward', () => {
    const cal = ny({ workingHours: everyDay(nineToFive) });
    // Saturday 16:00 EST + 2h: one hour Saturday, one from Sunday 09:00 EDT (13:00Z).
    expect(addBusinessTime(cal, Date.parse('2026-03-07T21:00:00Z'), 2 * HOUR)).toBe(
      Date.parse('2026-03-08T14:00:00Z'),
    );
    expect(isWorkingTime(cal, Date.parse('2026-03-08T12:59:59Z'))).toBe(false);
  });

  it('keeps working hours on the wall clock across fall back', () => {
    const cal = ny({ workingHours: everyDay(nineToFive) });
    // Saturday 16:00 EDT + 2h: one hour Saturday, one from Sunday 09:00 EST (14:00Z).
    expect(addBusinessTime(cal, Date.parse('2026-10-31T20:00:00Z'), 2 * HOUR)).toBe(
      Date.parse('2026-11-01T15:00:00Z'),
    );
    expect(isWorkingTime(cal, Date.parse('2026-11-01T13:59:59Z'))).toBe(false);
  });

  it('moves a start time skipped by spring forward to after the gap', () => {
    const cal = ny({ workingHours: everyDay([{ start: '02:30', end: '04:00' }]) });
    // 02:30 does not exist on 2026-03-08; it reads as 03:30 EDT, leaving 30 minutes.
    expect(
      businessTimeBetween(cal, Date.parse('2026-03-08T05:00:00Z'), Date.parse('2026-03-09T05:00:00Z')),
    ).toBe(30 * MINUTE);
  });

  it('counts the repeated hour of fall back once more', () => {
    const cal = ny({ workingHours: everyDay([{ start: '01:00', end: '03:00' }]) });
    // 01:00 EDT (05:00Z) to 03:00 EST (08:00Z) spans three real hours.
    expect(
      businessTimeBetween(cal, Date.parse('2026-11-01T04:00:00Z'), Date.parse('2026-11-02T04:00:00Z')),
    ).toBe(3 * HOUR);
  });
});

describe('a calendar without working time', () => {
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

  it('gives null instead of looping when no weekday is open', () => {
    const cal = { ...defaultBusinessCalendar, workingHours: closed };
    expect(addBusinessTime(cal, jst('2026-06-08 10:00'), HOUR)).toBeNull();
    expect(nextWorkingStart(cal, jst('2026-06-08 10:00'))).toBeNull();
    expect(addWorkingDays(cal, jst('2026-06-08 10:00'), 1)).toBeNull();
    expect(businessTimeBetween(cal, jst('2026-06-01 10:00'), jst('2026-07-01 10:00'))).toBe(0);
  });

  it('gives null when holidays close every day for longer than the search horizon', () => {
    const cal = calendar({
      companyHolidays: [{ from: '2026-01-01', to: '2031-12-31', name: { ja: '休業', en: 'Closed' } }],
    });
    expect(addBusinessTime(cal, jst('2026-06-08 10:00'), HOUR)).toBeNull();
  });

  it('still finds working time just inside the search horizon', () => {
    const cal = calendar({
      companyHolidays: [{ from: '2026-01-01', to: '2027-12-31', name: { ja: '休業', en: 'Closed' } }],
    });
    expect(addBusinessTime(cal, jst('2026-06-08 10:00'), HOUR)).toBe(jst('2028-01-03 10:00'));
  });
});

describe('adding working days', () => {
  const cal = defaultBusinessCalendar;

  it('lands at the same time on the next working day, skipping weekend and holiday', () => {
    expect(addWorkingDays(cal, jst('2026-06-05 11:00'), 1)).toBe(jst('2026-06-08 11:00'));
    expect(addWorkingDays(cal, jst('2026-11-20 11:00'), 1)).toBe(jst('2026-11-24 11:00'));
    expect(addWorkingDays(cal, jst('2026-06-08 11:00'), 3)).toBe(jst('2026-06-11 11:00'));
  });

  it('counts from the next opening for a start outside hours', () => {
    expect(addWorkingDays(cal, jst('2026-06-05 20:00'), 1)).toBe(jst('2026-06-09 09:00'));
  });

  it('ends at closing time when the target day closes earlier', () => {
    const short = calendar({
      extraWorkingDays: [{ date: '2026-06-06', hours: [{ start: '09:00', end: '12:00' }] }],
    });
    expect(addWorkingDays(short, jst('2026-06-05 15:00'), 1)).toBe(jst('2026-06-06 12:00'));
  });

  it('opens at the day’s first hour when the target day opens later', () => {
    const late = calendar({
      extraWorkingDays: [{ date: '2026-06-06', hours: [{ start: '13:00', end: '17:00' }] }],
    });
    expect(addWorkingDays(late, jst('2026-06-05 10:00'), 1)).toBe(jst('2026-06-06 13:00'));
  });
});

describe('a day the zone skips', () => {
  it('adds no working time for 2011-12-30 in Samoa, which went from the 29th to the 31st', () => {
    const nineToFive = [{ start: '09:00', end: '17:00' }];
    const cal = calendar({
      timeZone: 'Pacific/Apia',
      nationalHolidays: 'none',
      workingHours: {
        mon: nineToFive,
        tue: nineToFive,
        wed: nineToFive,
        thu: nineToFive,
        fri: nineToFive,
        sat: nineToFive,
        sun: nineToFive,
      },
    });
    // Thursday 29th 09:00 (-10:00) to Saturday 31st 09:00 (+14:00): only the 29th's eight hours count.
    expect(
      businessTimeBetween(cal, Date.parse('2011-12-29T19:00:00Z'), Date.parse('2011-12-30T19:00:00Z')),
    ).toBe(8 * HOUR);
  });
});
