/**
 * Dates as CRM pages display them ("2024/03/14 10:32", "Mar 14, 2024 at 10:32 AM", "3月14日 午後2:05",
 * "Today 9:00"), turned into ISO 8601 with an offset. The page shows local time without a zone, so the
 * offset comes from the caller; a year missing from the date comes from a group header ("2024年3月")
 * or, failing that, from `now`. lib/normalize.ts has no date parser yet; this one is small on purpose.
 */

export interface DateContext {
  /** Minutes east of UTC of the zone the page displays (Japan: 540). */
  utcOffsetMinutes?: number;
  /** Epoch ms, for "Today"/"昨日" and for guessing a missing year. */
  now?: number;
  /** The year a group header gave ("March • 2024" above "Mar 14"). */
  year?: number;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const YMD = /(\d{4})\s*[/\-.年]\s*(\d{1,2})\s*[/\-.月]\s*(\d{1,2})\s*日?/;
const MDY = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/;
const MD_JA = /(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const MON_D_Y = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s*(\\d{4}))?`, 'i');
const D_MON_Y = new RegExp(`\\b(\\d{1,2})\\s+${MONTH}(?:,?\\s*(\\d{4}))?`, 'i');
const TIME = /(午前|午後)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?(?![a-z])/i;
const RELATIVE: readonly [RegExp, number][] = [
  [/\b(today)\b|今日|本日/i, 0],
  [/\b(yesterday)\b|昨日/i, -1],
  [/\b(tomorrow)\b|明日/i, 1],
];
const YEAR = /\b(19\d{2}|20\d{2})\b|(19\d{2}|20\d{2})年/;

interface Ymd {
  y?: number;
  m: number;
  d: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function localParts(epochMs: number, offsetMinutes: number): { y: number; m: number; d: number } {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

function findDate(text: string, ctx: DateContext): Ymd | null {
  let match = YMD.exec(text);
  if (match) return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  match = MDY.exec(text);
  if (match) return { y: Number(match[3]), m: Number(match[1]), d: Number(match[2]) };
  match = MD_JA.exec(text);
  if (match) return { m: Number(match[1]), d: Number(match[2]) };
  match = MON_D_Y.exec(text);
  if (match)
    return {
      m: MONTHS[match[1]!.toLowerCase()]!,
      d: Number(match[2]),
      y: match[3] ? Number(match[3]) : undefined,
    };
  match = D_MON_Y.exec(text);
  if (match)
    return {
      m: MONTHS[match[2]!.toLowerCase()]!,
      d: Number(match[1]),
      y: match[3] ? Number(match[3]) : undefined,
    };
  for (const [pattern, days] of RELATIVE) {
    if (pattern.test(text) && ctx.now !== undefined) {
      return localParts(ctx.now + days * 86_400_000, ctx.utcOffsetMinutes ?? 0);
    }
  }
  return null;
}

function findTime(text: string): { h: number; min: number; s: number } | null {
  const match = TIME.exec(text);
  if (!match) return null;
  let h = Number(match[2]);
  const min = Number(match[3]);
  const s = match[4] ? Number(match[4]) : 0;
  const pm = match[1] === '午後' || match[5]?.toLowerCase() === 'p';
  const am = match[1] === '午前' || match[5]?.toLowerCase() === 'a';
  if ((pm || am) && (h < 1 || h > 12)) return null;
  if (pm && h < 12) h += 12;
  if (am && h === 12) h = 0;
  if (h > 23 || min > 59 || s > 59) return null;
  return { h, min, s };
}

/** The year a group header or a date shows, if any. */
export function yearIn(text: string): number | undefined {
  const match = YEAR.exec(text);
  const year = match?.[1] ?? match?.[2];
  return year ? Number(year) : undefined;
}

function resolveYear(date: Ymd, ctx: DateContext): number | undefined {
  if (date.y !== undefined) return date.y;
  if (ctx.year !== undefined) return ctx.year;
  if (ctx.now === undefined) return undefined;
  // Timelines show yearless dates near today, past and upcoming: take the year that puts the date
  // within six months of now.
  const today = localParts(ctx.now, ctx.utcOffsetMinutes ?? 0);
  const days = (date.m - today.m) * 31 + (date.d - today.d);
  if (days > 6 * 31) return today.y - 1;
  if (days < -6 * 31) return today.y + 1;
  return today.y;
}

/**
 * ISO 8601 with offset for a displayed date, or null when it is not a date we can place in time.
 * A date without a time is taken as local midnight.
 */
export function parseDisplayDate(text: string, ctx: DateContext = {}): string | null {
  const trimmed = text.trim();
  if (ISO.test(trimmed)) return trimmed;
  const date = findDate(trimmed, ctx);
  if (!date) return null;
  const y = resolveYear(date, ctx);
  if (y === undefined || date.m < 1 || date.m > 12 || date.d < 1 || date.d > daysIn(y, date.m)) return null;
  const time = findTime(trimmed) ?? { h: 0, min: 0, s: 0 };
  return `${pad(y, 4)}-${pad(date.m)}-${pad(date.d)}T${pad(time.h)}:${pad(time.min)}:${pad(time.s)}${offsetText(
    ctx.utcOffsetMinutes ?? 0,
  )}`;
}

/**
 * A list cell's date with the year its group header gave: "3月14日" under "2024年3月" becomes
 * "2024-03-14" (with " HH:mm" when a time was shown). Anything else is returned unchanged, so values
 * stay as displayed unless the year would otherwise be lost.
 */
export function withYear(text: string, year: number | undefined): string {
  if (year === undefined || yearIn(text) !== undefined) return text;
  const date = findDate(text, {});
  if (
    !date ||
    date.y !== undefined ||
    date.m < 1 ||
    date.m > 12 ||
    date.d < 1 ||
    date.d > daysIn(year, date.m)
  ) {
    return text;
  }
  const time = findTime(text);
  const day = `${pad(year, 4)}-${pad(date.m)}-${pad(date.d)}`;
  return time ? `${day} ${pad(time.h)}:${pad(time.min)}` : day;
}
