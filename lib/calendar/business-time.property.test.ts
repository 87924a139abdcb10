import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingStart } from './business-time';
import { defaultBusinessCalendar } from './defaults';
import { type BusinessCalendar, businessCalendarSchema } from './schema';

const HOUR = 3_600_000;
const lunch = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '17:30' },
];
const calendars: Record<string, BusinessCalendar> = {
  'Tokyo, Mon–Fri 09:00–18:00 with holidays': defaultBusinessCalendar,
  'Tokyo with lunch breaks, a company break and an extra Saturday': businessCalendarSchema.parse({
    timeZone: 'Asia/Tokyo',
    workingHours: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch, sat: [], sun: [] },
    nationalHolidays: 'jp',
    companyHolidays: [{ from: '2026-08-12', to: '2026-08-14', name: { ja: '夏季休暇', en: 'Summer break' } }],
    extraWorkingDays: [{ date: '2026-06-06', hours: [{ start: '10:00', end: '15:00' }] }],
  }),
  'New York, every day 01:00–03:00 and 09:00–17:00 across DST switches': businessCalendarSchema.parse({
    timeZone: 'America/New_York',
    workingHours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
        d,
        [
          { start: '01:00', end: '03:00' },
          { start: '09:00', end: '17:00' },
        ],
      ]),
    ),
    nationalHolidays: 'none',
  }),
};

// 2025-10 to 2027-06: covers both DST switches of two years, Golden Week and two year ends.
const instant = fc.integer({
  min: Date.parse('2025-10-01T00:00:00Z'),
  max: Date.parse('2027-06-01T00:00:00Z'),
});
const duration = fc.integer({ min: 1, max: 120 * HOUR });

/** Inside a working window, or exactly at the end of one. */
const landsInWorkingHours = (cal: BusinessCalendar, t: number) =>
  isWorkingTime(cal, t) || isWorkingTime(cal, t - 1);

describe.each(Object.entries(calendars))('business time on %s', (_name, cal) => {
  it('never puts a due time before its handoff', () => {
    fc.assert(fc.property(instant, duration, (start, ms) => addBusinessTime(cal, start, ms)! >= start));
  });

  it('never lands outside working hours', () => {
    fc.assert(
      fc.property(instant, duration, (start, ms) =>
        landsInWorkingHours(cal, addBusinessTime(cal, start, ms)!),
      ),
    );
  });

  it('is monotonic in the duration', () => {
    fc.assert(
      fc.property(instant, duration, duration, (start, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        return addBusinessTime(cal, start, short)! <= addBusinessTime(cal, start, long)!;
      }),
    );
  });

  it('is monotonic in the start', () => {
    fc.assert(
      fc.property(instant, instant, duration, (a, b, ms) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        return addBusinessTime(cal, early, ms)! <= addBusinessTime(cal, late, ms)!;
      }),
    );
  });

  it('measures back exactly the business time it added', () => {
    fc.assert(
      fc.property(
        instant,
        duration,
        (start, ms) => businessTimeBetween(cal, start, addBusinessTime(cal, start, ms)!) === ms,
      ),
    );
  });

  it('adds up business time over consecutive spans', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        return (
          businessTimeBetween(cal, x, y) + businessTimeBetween(cal, y, z) === businessTimeBetween(cal, x, z)
        );
      }),
    );
  });

  it('finds a next working start that is working time with no working time before it', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const next = nextWorkingStart(cal, t)!;
        return next >= t && isWorkingTime(cal, next) && businessTimeBetween(cal, t, next) === 0;
      }),
    );
  });

  it('gives the same answers from a fresh copy of the calendar (no cache leaks between objects)', () => {
    fc.assert(
      fc.property(instant, duration, (start, ms) => {
        const copy = structuredClone(cal);
        expect(addBusinessTime(copy, start, ms)).toBe(addBusinessTime(cal, start, ms));
      }),
      { numRuns: 30 },
    );
  });
});

describe('landing on the earliest instant', () => {
  // Whole half-hours from whole half-hours make deadlines fall exactly on closing times and lunch starts.
  const halfHour = 30 * 60_000;
  const alignedInstant = instant.map((t) => t - (t % halfHour));
  const alignedDuration = fc.integer({ min: 1, max: 200 }).map((n) => n * halfHour);

  it.each(Object.entries(calendars))('stops at the first moment the time is used up on %s', (_name, cal) => {
    fc.assert(
      fc.property(alignedInstant, alignedDuration, (start, ms) => {
        const due = addBusinessTime(cal, start, ms)!;
        return businessTimeBetween(cal, start, due - 1) === ms - 1;
      }),
    );
  });
});
