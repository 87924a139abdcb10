import { isoAtOffset } from '../calendar/zone';
import { displayDateParts, parseDisplayDate, validDay } from '../normalize';
import type { ExtractOptions } from './types';

/**
 * The adapters' side of display dates: a timeline date as the ISO 8601 an Activity carries, and the year
 * a group header ("2024年3月") gives the yearless dates below it. Reading the date itself is
 * lib/normalize.ts `parseDisplayDate`, the one parser evaluation uses too.
 */

// What lib/lead.ts accepts for Activity.at: a timestamp the page already gives this way is kept as written.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const YEAR = /\b(19\d{2}|20\d{2})\b|(19\d{2}|20\d{2})年/;

/**
 * An activity's time as ISO 8601 with the offset the page displays in (UTC, written Z, by default), or
 * null when the text is not a date we can place in time. A date without a time is local midnight; a
 * yearless one takes `year` (its group header's) or, failing that, the year that puts it closest to now.
 */
export function activityAt(text: string, options: ExtractOptions, year?: number): string | null {
  const trimmed = text.trim();
  if (ISO.test(trimmed)) return trimmed;
  const offset = options.utcOffsetMinutes ?? 0;
  const at = parseDisplayDate(trimmed, {
    utcOffsetMinutes: offset,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(year !== undefined ? { year } : {}),
  });
  return at === null ? null : isoAtOffset(at, offset, 'Z');
}

/** The year a group header or a date shows, if any. */
export function yearIn(text: string): number | undefined {
  const match = YEAR.exec(text);
  const year = match?.[1] ?? match?.[2];
  return year ? Number(year) : undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A list cell's date with the year its group header gave: "3月14日" under "2024年3月" becomes
 * "2024-03-14" (with " HH:mm" when a time was shown). Anything else is returned unchanged, so values
 * stay as displayed unless the year would otherwise be lost.
 */
export function withYear(text: string, year: number | undefined): string {
  if (year === undefined || yearIn(text) !== undefined) return text;
  const date = displayDateParts(text);
  if (!date || date.year !== null || !validDay(year, date.month, date.day)) return text;
  const day = `${pad(year, 4)}-${pad(date.month)}-${pad(date.day)}`;
  return date.time ? `${day} ${pad(date.time.hour)}:${pad(date.time.minute)}` : day;
}
