/**
 * Working time on a business calendar. Everything walks day by day over cached per-day working windows
 * (epoch-ms ranges), never minute by minute, and never reads the clock. Windows are half-open
 * [start, end): 18:00 itself is not working time, but a deadline may land exactly on it.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { type BusinessCalendar, minutesOfDay, WEEKDAYS, type WorkingInterval } from './schema';
import { DAY_MS, minutesToMs, type ZoneClock, zoneClock } from './zone';

/**
 * How far any search looks ahead before giving up: a calendar with no working time in three years (all
 * days closed by holidays) yields null instead of looping forever.
 */
export const MAX_SEARCH_DAYS = 3 * 366;

interface CompiledCalendar {
  zone: ZoneClock;
  /** Flat [start0, end0, start1, end1, …] of a local day's working windows. */
  windows(day: number): readonly number[];
  /** Working ms in a local day. */
  total(day: number): number;
  /** Working ms in the local days from (inclusive) to to (exclusive). */
  totalOfDays(from: number, to: number): number;
}

// A long-lived worker touches a bounded range of days; the cap only guards against pathological inputs.
const MAX_CACHED_DAYS = 50_000;

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

// The package's map is keyed by "YYYY-MM-DD" and covers 1970–2050; outside that range no national
// holidays are known, so those days count as ordinary weekdays.
const jpHolidays: Readonly<Record<string, unknown>> = holidayJp.holidays;

// The calendar compiled last: a batch evaluates every lead against one calendar, several calls each, and
// this comparison is cheaper than the WeakMap's hash lookup.
let lastCalendar: BusinessCalendar | null = null;
let lastCompiled: CompiledCalendar | null = null;

function compile(cal: BusinessCalendar): CompiledCalendar {
  if (cal === lastCalendar) return lastCompiled!;
  const known = compiled.get(cal) ?? build(cal);
  lastCalendar = cal;
  lastCompiled = known;
  return known;
}

function build(cal: BusinessCalendar): CompiledCalendar {
  const zone = zoneClock(cal.timeZone);
  const extraByDate = new Map(cal.extraWorkingDays.map((extra) => [extra.date, extra]));
  const firstOpenWeekday =
    WEEKDAYS.map((day) => cal.workingHours[day]).find((hours) => hours.length > 0) ?? [];

  function hoursOn(isoDate: string, weekday: (typeof WEEKDAYS)[number]): readonly WorkingInterval[] {
    const extra = extraByDate.get(isoDate);
    const usual = cal.workingHours[weekday];
    if (extra) return extra.hours ?? (usual.length > 0 ? usual : firstOpenWeekday);
    if (cal.nationalHolidays === 'jp' && Object.hasOwn(jpHolidays, isoDate)) return [];
    for (const holiday of cal.companyHolidays) {
      if (isoDate >= holiday.from && isoDate <= (holiday.to ?? holiday.from)) return [];
    }
    const monthDay = isoDate.slice(5);
    for (const holiday of cal.yearlyHolidays) {
      const from = holiday.from;
      const to = holiday.to ?? from;
      const inside = from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to;
      if (inside) return [];
    }
    return usual;
  }

  const windowsByDay = new Map<number, number[]>();
  const totalByDay = new Map<number, number>();

  function windows(day: number): readonly number[] {
    let flat = windowsByDay.get(day);
    if (flat) return flat;
    if (windowsByDay.size >= MAX_CACHED_DAYS) {
      windowsByDay.clear();
      totalByDay.clear();
    }
    const date = new Date(day * DAY_MS);
    const isoDate = date.toISOString().slice(0, 10);
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    flat = [];
    let total = 0;
    let previousEnd = zone.dayStart(day);
    const dayEnd = zone.dayStart(day + 1);
    for (const interval of hoursOn(isoDate, weekday)) {
      // Clamping keeps windows ordered, disjoint and inside their day even when a DST switch folds two
      // wall times together or a zone skips the whole day (Samoa, 2011-12-30).
      const start = Math.max(previousEnd, zone.wallToInstant(day, minutesToMs(minutesOfDay(interval.start))));
      const end = Math.min(dayEnd, zone.wallToInstant(day, minutesToMs(minutesOfDay(interval.end))));
      if (end <= start) continue;
      flat.push(start, end);
      total += end - start;
      previousEnd = end;
    }
    windowsByDay.set(day, flat);
    totalByDay.set(day, total);
    return flat;
  }

  function total(day: number): number {
    const known = totalByDay.get(day);
    if (known !== undefined) return known;
    windows(day);
    return totalByDay.get(day)!;
  }

  // Running sums of working ms per day, grown lazily in both directions from the first day asked, so a
  // span of months (a lead overdue since spring) costs two lookups instead of a walk over every day.
  let base: number | null = null;
  const forward = [0];
  const backward = [0];
  function cumulative(day: number): number {
    base ??= day;
    if (Math.max(forward.length, backward.length) >= MAX_CACHED_DAYS) {
      base = day;
      forward.length = 1;
      backward.length = 1;
    }
    if (day >= base) {
      for (let i = forward.length; i <= day - base; i++) forward.push(forward[i - 1]! + total(base + i - 1));
      return forward[day - base]!;
    }
    for (let i = backward.length; i <= base - day; i++) backward.push(backward[i - 1]! - total(base - i));
    return backward[base - day]!;
  }

  function totalOfDays(from: number, to: number): number {
    return to > from ? cumulative(to) - cumulative(from) : 0;
  }

  const found = { zone, windows, total, totalOfDays };
  compiled.set(cal, found);
  return found;
}

function assertInstant(t: number, name: string): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite epoch ms, got ${t}`);
}

/** Whether instant t falls inside the calendar's working hours. */
export function isWorkingTime(cal: BusinessCalendar, t: number): boolean {
  assertInstant(t, 't');
  const c = compile(cal);
  const w = c.windows(c.zone.dayOf(t));
  for (let k = 0; k < w.length; k += 2) {
    if (t >= w[k]! && t < w[k + 1]!) return true;
  }
  return false;
}

/** t itself when it is working time, else the start of the next working window; null if none within MAX_SEARCH_DAYS. */
export function nextWorkingStart(cal: BusinessCalendar, t: number): number | null {
  assertInstant(t, 't');
  const c = compile(cal);
  const first = c.zone.dayOf(t);
  for (let day = first; day <= first + MAX_SEARCH_DAYS; day++) {
    const w = c.windows(day);
    for (let k = 0; k < w.length; k += 2) {
      if (w[k + 1]! > t) return Math.max(w[k]!, t);
    }
  }
  return null;
}

/**
 * The earliest instant at which `ms` of working time have passed since `start`: a start outside hours
 * counts from the next working window, and the result may be exactly a window's end (18:00) but never
 * otherwise outside working hours. `ms = 0` returns `start` unchanged, so "0 after due" is the due time.
 * Null when the calendar has too little working time within MAX_SEARCH_DAYS.
 */
export function addBusinessTime(cal: BusinessCalendar, start: number, ms: number): number | null {
  assertInstant(start, 'start');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite number >= 0, got ${ms}`);
  if (ms === 0) return start;
  const c = compile(cal);
  let remaining = ms;
  const first = c.zone.dayOf(start);
  for (let day = first; day <= first + MAX_SEARCH_DAYS; day++) {
    if (day > first && c.total(day) < remaining) {
      remaining -= c.total(day);
      continue;
    }
    const w = c.windows(day);
    for (let k = 0; k < w.length; k += 2) {
      const end = w[k + 1]!;
      if (end <= start) continue;
      const from = Math.max(w[k]!, start);
      if (remaining <= end - from) return from + remaining;
      remaining -= end - from;
    }
  }
  return null;
}

/** Working ms between two instants; negative when b is before a (so a → b → a sums to zero). */
export function businessTimeBetween(cal: BusinessCalendar, a: number, b: number): number {
  assertInstant(a, 'a');
  assertInstant(b, 'b');
  if (b < a) return -businessTimeBetween(cal, b, a);
  const c = compile(cal);
  const firstDay = c.zone.dayOf(a);
  const lastDay = c.zone.dayOf(b);
  if (firstDay === lastDay) return workingWithin(c, firstDay, a, b);
  return (
    workingWithin(c, firstDay, a, b) + c.totalOfDays(firstDay + 1, lastDay) + workingWithin(c, lastDay, a, b)
  );
}

/** Working ms of a local day that fall between a and b. */
function workingWithin(c: CompiledCalendar, day: number, a: number, b: number): number {
  const w = c.windows(day);
  let sum = 0;
  for (let k = 0; k < w.length; k += 2) {
    const from = Math.max(w[k]!, a);
    const to = Math.min(w[k + 1]!, b);
    if (to > from) sum += to - from;
  }
  return sum;
}

/**
 * `days` working days after `start`: the same local wall-clock time on the nth following working day
 * ("within 3 business days"). A start outside hours counts from the next working window. When that time
 * is outside the target day's hours, the deadline is the last working moment before it (e.g. the start of
 * lunch), or the day's first window start when the day opens later. Null when no such day is found.
 */
export function addWorkingDays(cal: BusinessCalendar, start: number, days: number): number | null {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`days must be a whole number >= 0, got ${days}`);
  const from = nextWorkingStart(cal, start);
  if (from === null || days === 0) return from;
  const c = compile(cal);
  const timeOfDay = c.zone.wallTimeOfDay(from);
  let day = c.zone.dayOf(from);
  const limit = day + MAX_SEARCH_DAYS;
  for (let counted = 0; counted < days; ) {
    day++;
    if (day > limit) return null;
    if (c.total(day) > 0) counted++;
  }
  const target = c.zone.wallToInstant(day, timeOfDay);
  const w = c.windows(day);
  let best = w[0]!;
  for (let k = 0; k < w.length; k += 2) {
    if (target < w[k]!) break;
    best = Math.min(target, w[k + 1]!);
  }
  return best;
}
