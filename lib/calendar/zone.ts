/**
 * Local days of an IANA time zone as epoch-ms ranges, computed once per day and cached, so the SLA maths
 * never asks Intl for an offset in its inner loops. A "day" is an integer: the local date's days since
 * 1970-01-01, so `new Date(day * DAY_MS)` read in UTC is that local date.
 */

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Earlier than any zone's midnight: the largest UTC offset is +14h. */
const PROBE_LEAD_MS = 15 * 3_600_000;

interface DayInfo {
  /** First instant of the local day. */
  start: number;
  /** The zone's UTC offset all day, or null when the offset changes during the day (DST switch). */
  fixedOffset: number | null;
  /** Offsets just before and just after the day, for converting wall-clock times on switch days. */
  offsetBefore: number;
  offsetAfter: number;
}

export interface ZoneClock {
  /** The local day that contains instant t. */
  dayOf(t: number): number;
  dayStart(day: number): number;
  /**
   * The instant of a local wall-clock time (ms since local midnight). A time skipped by a DST switch maps
   * forward by the gap (02:30 → 03:30); a repeated time maps to its first occurrence, like Temporal's
   * "compatible" disambiguation.
   */
  wallToInstant(day: number, msOfDay: number): number;
  /** ms since local midnight, as a wall clock shows it. */
  wallTimeOfDay(t: number): number;
}

// Enough for decades of days in a handful of zones; cleared wholesale rather than tracked per entry
// because a refill costs two Intl calls per day.
const MAX_CACHED_DAYS = 50_000;

const clocks = new Map<string, ZoneClock>();

/** The day number (as ZoneClock counts days) of a calendar date "YYYY-MM-DD"; RangeError for 2026-02-31. */
export function dayOfIsoDate(iso: string, name = 'date'): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== iso) {
    throw new RangeError(`${name} must be a date such as "2026-11-01", got "${iso}"`);
  }
  return ms / DAY_MS;
}

export const isoDateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The date instant t falls on in the zone, "YYYY-MM-DD" (not the UTC date, a day early in Tokyo before 09:00). */
export function isoDateIn(timeZone: string, t: number): string {
  return isoDateOfDay(zoneClock(timeZone).dayOf(t));
}

/** [start, end) in epoch ms of the local dates [from, to) in the zone: a KPI period, `to` exclusive. */
export function periodBounds(period: { from: string; to: string }, timeZone: string): [number, number] {
  const clock = zoneClock(timeZone);
  return [clock.dayStart(dayOfIsoDate(period.from, 'from')), clock.dayStart(dayOfIsoDate(period.to, 'to'))];
}

export function zoneClock(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = createZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function createZoneClock(timeZone: string): ZoneClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });

  /** Local wall clock minus UTC at instant t, in ms. */
  function offsetAt(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(whole))) parts[part.type] = part.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const wall = Date.UTC(
      year,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    return wall + Number(parts.second) * 1000 - whole;
  }

  const probes = new Map<number, number>();
  function probe(day: number): number {
    let offset = probes.get(day);
    if (offset === undefined) {
      if (probes.size >= MAX_CACHED_DAYS) probes.clear();
      offset = offsetAt(day * DAY_MS - PROBE_LEAD_MS);
      probes.set(day, offset);
    }
    return offset;
  }

  const days = new Map<number, DayInfo>();
  let recentOffset = offsetAt(0);

  function toInstant(local: number, info: Pick<DayInfo, 'offsetBefore' | 'offsetAfter'>): number {
    const { offsetBefore, offsetAfter } = info;
    if (offsetBefore === offsetAfter) return local - offsetBefore;
    const early = local - offsetBefore;
    const late = local - offsetAfter;
    const earlyValid = offsetAt(early) === offsetBefore;
    const lateValid = offsetAt(late) === offsetAfter;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // Skipped by the switch: shift forward by the gap, i.e. read the time with the earlier offset.
    return local - Math.min(offsetBefore, offsetAfter);
  }

  function info(day: number): DayInfo {
    let found = days.get(day);
    if (found) return found;
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    const midnight = day * DAY_MS;
    // Offsets range from -12h to +14h, so a day's instants lie between these two probes; equal offsets
    // mean no switch in between (no zone switches twice within three days). Probes three days apart are
    // shared by neighbouring days, so a scan over consecutive days costs one Intl call per day.
    const offsetBefore = probe(day);
    const offsetAfter = probe(day + 3);
    recentOffset = offsetAfter;
    const bracket = { offsetBefore, offsetAfter };
    found = {
      start: toInstant(midnight, bracket),
      fixedOffset: offsetBefore === offsetAfter ? offsetBefore : null,
      offsetBefore,
      offsetAfter,
    };
    days.set(day, found);
    return found;
  }

  function dayStart(day: number): number {
    return info(day).start;
  }

  function dayOf(t: number): number {
    let day = Math.floor((t + recentOffset) / DAY_MS);
    // At most a step or two: the guess is off only by an offset difference.
    while (t < dayStart(day)) day--;
    while (t >= dayStart(day + 1)) day++;
    return day;
  }

  function wallToInstant(day: number, msOfDay: number): number {
    if (msOfDay >= DAY_MS) return dayStart(day + Math.floor(msOfDay / DAY_MS)) + (msOfDay % DAY_MS);
    return toInstant(day * DAY_MS + msOfDay, info(day));
  }

  function wallTimeOfDay(t: number): number {
    const day = dayOf(t);
    const { fixedOffset } = info(day);
    const local = t + (fixedOffset ?? offsetAt(t));
    return local - day * DAY_MS;
  }

  return { dayOf, dayStart, wallToInstant, wallTimeOfDay };
}

export const minutesToMs = (minutes: number) => minutes * MINUTE_MS;

/** Minutes east of UTC of `timeZone` at instant `t` (Asia/Tokyo: 540). */
export function utcOffsetMinutes(t: number, timeZone: string): number {
  const clock = zoneClock(timeZone);
  const whole = t - (((t % 1000) + 1000) % 1000);
  return Math.round((clock.dayOf(whole) * DAY_MS + clock.wallTimeOfDay(whole) - whole) / MINUTE_MS);
}

/**
 * ISO 8601 of instant t as a wall clock `offsetMinutes` east of UTC shows it, to the second:
 * "2026-11-25T11:00:00+09:00". `utc` is how an offset of zero is written.
 */
export function isoAtOffset(t: number, offsetMinutes: number, utc: 'Z' | '+00:00' = '+00:00'): string {
  const local = new Date(t + offsetMinutes * MINUTE_MS).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}${utc}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** ISO 8601 with the zone's offset at that instant: "2026-11-25T11:00:00+09:00". */
export function isoInZone(t: number, timeZone: string): string {
  return isoAtOffset(t, utcOffsetMinutes(t, timeZone));
}
