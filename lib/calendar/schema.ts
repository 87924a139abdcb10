/**
 * The business calendar the SLA clock runs on: a time zone, working hours per weekday, holidays and
 * exceptional working days.
 *
 * Message convention (read by whoever turns zod issues into Problems): every check here passes
 * `{ error: bilingual(ja, en) }` from ../i18n, so an issue's message is `${en}␞${ja}` (U+241E between the
 * halves). `splitBilingual(issue.message)` yields the LocalizedText; a message without the separator
 * (zod's own defaults) is used for both languages. lib/sla/schema.ts follows the same convention.
 */
import { z } from 'zod';
import { bilingual, localizedTextSchema } from '../i18n';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes since local midnight for "HH:MM" ("24:00" = 1440, allowed as an interval end only). */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

const clockTimeSchema = z
  .string({ error: bilingual('時刻を "HH:MM" で入力してください', 'Enter a time as "HH:MM"') })
  .regex(
    /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/,
    bilingual(
      '時刻は "09:00" のような 00:00〜24:00 の形式です',
      'A time looks like "09:00" (00:00 to 24:00)',
    ),
  );

const workingIntervalSchema = z
  .object({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((i) => minutesOfDay(i.start) < minutesOfDay(i.end), {
    error: bilingual('終了時刻は開始時刻より後にしてください', 'The end time must be after the start time'),
    path: ['end'],
  });
export type WorkingInterval = z.infer<typeof workingIntervalSchema>;

/** A day's hours: several intervals allow a lunch break; they must be in order and must not overlap. */
const dayHoursSchema = z
  .array(workingIntervalSchema, {
    error: bilingual(
      '勤務時間の一覧を指定してください（休業日は空の一覧）',
      'Give a list of hours (empty = closed)',
    ),
  })
  .superRefine((intervals, ctx) => {
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1]!;
      const current = intervals[i]!;
      if (minutesOfDay(current.start) < minutesOfDay(previous.end)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'start'],
          message: bilingual(
            '勤務時間帯は時刻順に、重ならないように並べてください',
            'Working intervals must be in time order and must not overlap',
          ),
        });
      }
    }
  });

const workingHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHoursSchema])) as Record<Weekday, typeof dayHoursSchema>,
  {
    error: bilingual(
      '曜日ごとの勤務時間（mon〜sun）を指定してください',
      'Give working hours for each weekday (mon..sun)',
    ),
  },
);

const isoDateSchema = z.iso.date({
  error: bilingual(
    '日付は "2026-12-29" の形式で、実在する日にしてください',
    'Enter a real date as "2026-12-29"',
  ),
});

const monthDaySchema = z
  .string({ error: bilingual('月日を "12-29" の形式で入力してください', 'Enter a month and day as "12-29"') })
  .regex(
    /^(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/,
    bilingual('月日は "12-29" の形式です', 'A month and day looks like "12-29"'),
  )
  // 2024 is a leap year, so 02-29 passes while 02-30 and 04-31 do not.
  .refine((md) => isRealDate(`2024-${md}`), {
    error: bilingual('存在しない月日です', 'No such month and day'),
  });

function isRealDate(isoDate: string): boolean {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A closed range of dates (one day when `to` is omitted), e.g. a company's summer shutdown. */
const companyHolidaySchema = z
  .object({ from: isoDateSchema, to: isoDateSchema.optional(), name: localizedTextSchema })
  .refine((h) => h.to === undefined || h.to >= h.from, {
    error: bilingual('終了日は開始日以降にしてください', 'The end date must not be before the start date'),
    path: ['to'],
  });

/**
 * A holiday on the same month-days every year. When `to` is earlier than `from` the range wraps over the
 * new year: { from: '12-29', to: '01-03' } is 年末年始.
 */
const yearlyHolidaySchema = z.object({
  from: monthDaySchema,
  to: monthDaySchema.optional(),
  name: localizedTextSchema,
});

/**
 * A date that is worked even if it falls on a weekend or holiday (e.g. a Saturday event). Without `hours`
 * it uses that weekday's hours, or, when that weekday is normally closed, the first open weekday's hours
 * (mon first).
 */
const extraWorkingDaySchema = z.object({
  date: isoDateSchema,
  hours: dayHoursSchema
    .refine((hours) => hours.length > 0, {
      error: bilingual(
        '勤務時間を1つ以上指定するか、省略してください',
        'Give at least one interval, or omit hours',
      ),
    })
    .optional(),
  name: localizedTextSchema.optional(),
});

export const businessCalendarSchema = z
  .object({
    timeZone: z
      .string({ error: bilingual('タイムゾーンを指定してください', 'Give a time zone') })
      .refine(isTimeZone, {
        error: bilingual(
          'IANA タイムゾーン名（例: "Asia/Tokyo"）を指定してください',
          'Give an IANA time zone name such as "Asia/Tokyo"',
        ),
      }),
    workingHours: workingHoursSchema,
    nationalHolidays: z.enum(['jp', 'none'], {
      error: bilingual(
        '祝日は "jp"（日本の祝日）か "none" です',
        'National holidays are "jp" (Japan) or "none"',
      ),
    }),
    companyHolidays: z.array(companyHolidaySchema).default([]),
    yearlyHolidays: z.array(yearlyHolidaySchema).default([]),
    extraWorkingDays: z.array(extraWorkingDaySchema).default([]),
  })
  .refine((cal) => WEEKDAYS.some((day) => cal.workingHours[day].length > 0), {
    error: bilingual(
      '少なくとも1つの曜日に勤務時間を設定してください（SLA の期限が決まりません）',
      'Give working hours on at least one weekday, or no SLA deadline can be computed',
    ),
    path: ['workingHours'],
  });

export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;
/** What a rule-set author writes: the holiday lists may be omitted. */
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;
