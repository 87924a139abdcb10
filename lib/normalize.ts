import { DAY_MS, zoneClock } from './calendar/zone';

/**
 * Turns values as CRM pages display them into something rules can compare: text folded to one form,
 * head counts into ranges, display dates into instants. Pages are written by people and web forms, so
 * every parser here returns null rather than guess when the text does not fit.
 */

/** NFKC (full-width digits and letters become ASCII, half-width kana become full-width), lower case, one space. */
export function normalizeText(value: string): string {
  // Printable ASCII one space apart is its own NFKC form, and the first NFKC call of a page loads ICU's
  // tables: a content script reading "Mar 20" need not pay for it (issue 18).
  if (isAsciiWithoutRuns(value)) return value.toLowerCase().trim();
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const NORMALIZED_CACHE_LIMIT = 4096;
const normalizedCache = new Map<string, string>();

/**
 * normalizeText with a bounded memo: activity titles repeat across leads (the same forms, pages and
 * campaigns), and NFKC dominates the cost of scoring thousands of leads. Pure ASCII needs no NFKC.
 */
export function normalizeTextCached(value: string): string {
  const hit = normalizedCache.get(value);
  if (hit !== undefined) return hit;
  const out = normalizeText(value);
  if (normalizedCache.size >= NORMALIZED_CACHE_LIMIT) normalizedCache.clear();
  normalizedCache.set(value, out);
  return out;
}

function isAsciiWithoutRuns(value: string): boolean {
  let previousSpace = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || c < 0x20) return false;
    const space = c === 0x20;
    if (space && previousSpace) return false;
    previousSpace = space;
  }
  return true;
}

/** A head count as a range; `max: null` is open-ended ("1000人以上"). */
export interface CountRange {
  min: number;
  max: number | null;
  /** "約300", "300名程度", "about 300": the figure is an estimate. */
  approximate: boolean;
}

const NUMBER = String.raw`(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|千|k)?`;
const NUMBER_RE = new RegExp(NUMBER, 'g');
// Between two numbers: hyphens, dashes, tildes (NFKC turns ～ into ~, but 〜 WAVE DASH survives), "to".
const RANGE_RE = new RegExp(
  String.raw`${NUMBER}\s*(?:人|名|社員|employees?)?\s*(?:-|‐|–|—|−|~|〜|から|to)\s*${NUMBER}`,
);
const AT_LEAST_RE = /以上|or more|or above|and above|at least|\d\s*\+/;
const MORE_THAN_RE = /超|more than|over|greater than|above/;
const AT_MOST_RE = /以下|or less|or fewer|up to|at most|まで/;
const LESS_THAN_RE = /未満|less than|fewer than|under|below/;
const APPROXIMATE_RE = /約|およそ|程度|前後|ほど|くらい|ぐらい|approx|about|around|roughly|^~|^〜/;

function toNumber(digits: string, unit: string | undefined): number {
  const n = Number(digits.replaceAll(',', ''));
  const scale = unit === '万' ? 10_000 : unit === '千' || unit === 'k' ? 1000 : 1;
  return Math.round(n * scale);
}

/**
 * Head counts as CRMs and forms show them: "1,250", "１，２５０名", "1000人以上", "100-499", "10～50名",
 * "約300", "1.2万人", "51-200 employees", "500人未満". Dots are decimals, never thousands separators.
 */
export function parseCount(value: string): CountRange | null {
  const text = normalizeText(value);
  const range = RANGE_RE.exec(text);
  if (range) {
    const a = toNumber(range[1]!, range[2]);
    const b = toNumber(range[3]!, range[4]);
    return { min: Math.min(a, b), max: Math.max(a, b), approximate: APPROXIMATE_RE.test(text) };
  }
  const numbers = [...text.matchAll(NUMBER_RE)].map((m) => toNumber(m[1]!, m[2]));
  const n = numbers[0];
  if (n === undefined) return null;
  const approximate = APPROXIMATE_RE.test(text);
  const second = numbers[1];
  // "10人以上50人未満": both bounds written out.
  if (second !== undefined && (AT_LEAST_RE.test(text) || MORE_THAN_RE.test(text))) {
    const upper = AT_MOST_RE.test(text) ? second : LESS_THAN_RE.test(text) ? second - 1 : null;
    if (upper !== null && upper >= n)
      return { min: MORE_THAN_RE.test(text) ? n + 1 : n, max: upper, approximate };
  }
  if (AT_LEAST_RE.test(text)) return { min: n, max: null, approximate };
  if (MORE_THAN_RE.test(text)) return { min: n + 1, max: null, approximate };
  if (AT_MOST_RE.test(text)) return { min: 0, max: n, approximate };
  if (LESS_THAN_RE.test(text)) return { min: 0, max: Math.max(0, n - 1), approximate };
  return { min: n, max: n, approximate };
}

// ---------------------------------------------------------------------------------------------------
// Instants

const MINUTE = 60_000;

/** Two ASCII digits at i as a number, NaN if either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

// Days since 1970-01-01 of the first of each month, 1970–2099: a table lookup instead of calendar maths
// for the instants that dominate (every activity of every lead). The table is built at the 256th date, not
// at load: a CRM page's content script reads a handful of dates, and building 1,561 months in the cold
// interpreter cost it about 1.3 ms of main thread (issue 18). A per-month fill was ~4% slower to score.
const TABLE_FIRST_YEAR = 1970;
const TABLE_YEARS = 130;
const DATES_BEFORE_TABLE = 256;
let monthStarts: Float64Array | undefined;
let datesUntilTable = DATES_BEFORE_TABLE;

function monthStartTable(): Float64Array {
  const table = new Float64Array(TABLE_YEARS * 12 + 1);
  for (let k = 0; k <= TABLE_YEARS * 12; k++) {
    table[k] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(k / 12), (k % 12) + 1, 1);
  }
  return table;
}

/** Days since 1970-01-01, or NaN when the day does not exist in the month. */
function civilDays(year: number, month: number, day: number): number {
  const k = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (k >= 0 && k < TABLE_YEARS * 12) {
    if (monthStarts === undefined && --datesUntilTable <= 0) monthStarts = monthStartTable();
    const table = monthStarts;
    if (table !== undefined) {
      const start = table[k]!;
      return day <= table[k + 1]! - start ? start + day - 1 : Number.NaN;
    }
  }
  return validDay(year, month, day) ? daysFromCivil(year, month, day) : Number.NaN;
}

// The parsed instant. A double returned from a function too big to inline is boxed in a fresh heap
// number on every call (200,000 activities a batch); a store into a typed array is not.
const parsedInstant = new Float64Array(1);

/**
 * An ISO 8601 instant with offset or Z (the shape lib/lead.ts accepts for activities) as epoch ms, or
 * NaN. Hand-written because Date.parse costs a third of the whole scoring budget at 200,000 activities.
 */
export function parseInstant(iso: string): number {
  readInstant(iso);
  return parsedInstant[0]!;
}

/** parseInstant's work, small enough a wrapper to be inlined at every call: the result goes to parsedInstant. */
function readInstant(iso: string): void {
  const n = iso.length;
  // Shorter than the shortest instant ("2026-11-25T14:05Z"), or without its dash, T and colon: none. (A
  // regular expression said the same, compiled on a page's first date, "Mar 20" included; issue 18.)
  if (n < 17 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58) {
    parsedInstant[0] = Number.NaN;
    return;
  }
  const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2);
  const month = twoDigits(iso, 5);
  const day = twoDigits(iso, 8);
  const hour = twoDigits(iso, 11);
  const minute = twoDigits(iso, 14);
  let i = 16;
  let second = 0;
  let ms = 0;
  if (iso.charCodeAt(i) === 58) {
    second = twoDigits(iso, 17);
    i = 19;
    if (iso.charCodeAt(i) === 46) {
      i++;
      let digits = 0;
      while (i < n && isDigit(iso.charCodeAt(i))) {
        if (digits < 3) ms = ms * 10 + (iso.charCodeAt(i) - 48);
        digits++;
        i++;
      }
      for (; digits < 3; digits++) ms *= 10;
    }
  }
  let offset = 0;
  const sign = iso.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    const colon = iso.charCodeAt(i + 3) === 58 ? 1 : 0;
    offset = (twoDigits(iso, i + 1) * 60 + twoDigits(iso, i + 3 + colon)) * (sign === 45 ? -1 : 1);
    i += 5 + colon;
  } else if (sign === 90) {
    i++;
  } else {
    parsedInstant[0] = Number.NaN;
    return;
  }
  // NaN (a non-digit) fails every comparison below, so one test rejects it too.
  if (
    i !== n ||
    !(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && year >= 0)
  ) {
    parsedInstant[0] = Number.NaN;
    return;
  }
  parsedInstant[0] =
    ((civilDays(year, month, day) * 24 + hour) * 60 + minute - offset) * MINUTE + second * 1000 + ms;
}

/**
 * Wall-clock time in a zone → instant. A repeated wall time (DST ends) is the earlier instant, a skipped
 * one (DST starts) moves forward by the jump, like Temporal's 'compatible' (lib/calendar/zone.ts).
 */
export function zonedTimeToInstant(
  local: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  timeZone: string,
): number {
  const msOfDay = (((local.hour ?? 0) * 60 + (local.minute ?? 0)) * 60 + (local.second ?? 0)) * 1000;
  return zoneClock(timeZone).wallToInstant(daysFromCivil(local.year, local.month, local.day), msOfDay);
}

/** How to read a display date that leaves something out. */
export type DateContext = (
  | {
      /** IANA zone the page displays times in (the CRM user's zone), e.g. "Asia/Tokyo". */
      timeZone: string;
    }
  | {
      /**
       * A fixed offset instead of a zone, minutes east of UTC (Japan: 540): what CRM adapters are given,
       * since a page's dates carry no zone (lib/crm/types.ts ExtractOptions).
       */
      utcOffsetMinutes: number;
    }
) & {
  /**
   * Evaluation time: a date shown without a year ("11月25日") is placed in the year closest to it, and
   * "Today"/"昨日" are read against it. Without it such dates are not read.
   */
  now?: number;
  /** The year a group header shows above yearless dates ("March • 2024", "2024年3月"). */
  year?: number;
  /**
   * BCP 47 tag of the page's locale; en-GB, en-AU, fr... read "03/04/2026" day first, en-US and ja month
   * or year first. An unambiguous date (a part above 12) is read correctly whatever the hint.
   */
  locale?: string;
};

/** Wall-clock time as the context's zone or fixed offset shows it → instant. */
function wallToInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  context: DateContext,
): number {
  return wallTimeToInstant(
    local.year,
    local.month,
    local.day,
    local.hour,
    local.minute,
    local.second,
    context,
  );
}

function wallTimeToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  context: DateContext,
): number {
  const days = daysFromCivil(year, month, day);
  if ('timeZone' in context) {
    return zoneClock(context.timeZone).wallToInstant(days, ((hour * 60 + minute) * 60 + second) * 1000);
  }
  return ((days * 24 + hour) * 60 + minute - context.utcOffsetMinutes) * MINUTE + second * 1000;
}

/** The local day (days since 1970-01-01) instant t falls on in the context's zone or offset. */
function dayIn(context: DateContext, t: number): number {
  if ('timeZone' in context) return zoneClock(context.timeZone).dayOf(t);
  return Math.floor((t + context.utcOffsetMinutes * MINUTE) / DAY_MS);
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
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const MONTH_NAME = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?`;
const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925 };
// Abbreviations a CRM appends to a displayed time; the ambiguous ones (CST, IST) are left out on purpose.
const ZONE_ABBREVIATIONS: Record<string, number> = { jst: 540, kst: 540, utc: 0, gmt: 0 };

const SIMPLE_DATE_TIME = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const Y_M_D = /(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})/;
const JA_DATE = /(?:(令和|平成|昭和)\s*(\d{1,2}|元)|(\d{4}))\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const JA_MONTH_DAY = /(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const SLASH_DATE = /(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/;
const MONTH_DAY_YEAR = new RegExp(
  String.raw`${MONTH_NAME}\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?`,
);
const DAY_MONTH_YEAR = new RegExp(
  String.raw`(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH_NAME},?(?:\s+(\d{4}))?`,
);
const TIME =
  /(午前|午後)?\s*(\d{1,2})\s*(?:(?::|時)\s*(\d{1,2})?\s*(?:分)?(?::(\d{1,2}))?(?:\.\d+)?\s*(am|pm|a\.m\.|p\.m\.)?|\s*(am|pm|a\.m\.|p\.m\.))/;
const ZONE_SUFFIX =
  /(?:\b(jst|kst|utc|gmt)\b\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{2}):?(\d{2})\s*$)/;

// Words for a day relative to now, as activity timelines show recent dates.
const RELATIVE_DAYS: readonly [RegExp, number][] = [
  [/\btoday\b|今日|本日/, 0],
  [/\byesterday\b|昨日/, -1],
  [/\btomorrow\b|明日/, 1],
];

const DAY_FIRST_LOCALES = /^(en-(gb|au|nz|ie|in|za|sg)|fr|de|es|it|pt|nl|ru|pl|tr|id|vi)/i;

interface DateParts {
  year: number | null;
  month: number;
  day: number;
  /** Index in the text just after the date, where a time may follow. */
  end: number;
}

/*
 * Each pattern below is tried only when the text has a character it cannot match without ('年', four
 * digits in a row, a letter, '月'): a regular expression is compiled at its first use (up to 0.3 ms in a
 * fresh page), and a record page's first "Mar 20" compiled seven it could not match (issue 18). The
 * answer is the same: a pattern that needs a character fails on a text without it.
 */
function findDate(text: string, context: DateContext): DateParts | null {
  const fourDigits = hasFourDigits(text);
  const letters = hasAsciiLetter(text);
  const ja = hasKanjiYear(text) ? JA_DATE.exec(text) : null;
  if (ja) {
    const eraYear = ja[2] === '元' ? 1 : Number(ja[2]);
    const year = ja[1] ? ERAS[ja[1]]! + eraYear : Number(ja[3]);
    return { year, month: Number(ja[4]), day: Number(ja[5]), end: ja.index + ja[0].length };
  }
  const ymd = fourDigits ? Y_M_D.exec(text) : null;
  if (ymd)
    return {
      year: Number(ymd[1]),
      month: Number(ymd[2]),
      day: Number(ymd[3]),
      end: ymd.index + ymd[0].length,
    };
  const slash = fourDigits ? SLASH_DATE.exec(text) : null;
  if (slash) {
    const a = Number(slash[1]);
    const b = Number(slash[2]);
    const dayFirst = a > 12 || (b <= 12 && DAY_FIRST_LOCALES.test(context.locale ?? ''));
    return {
      year: Number(slash[3]),
      month: dayFirst ? b : a,
      day: dayFirst ? a : b,
      end: slash.index + slash[0].length,
    };
  }
  const mdy = letters ? MONTH_DAY_YEAR.exec(text) : null;
  if (mdy) {
    return {
      year: mdy[3] ? Number(mdy[3]) : null,
      month: MONTHS[mdy[1]!]!,
      day: Number(mdy[2]),
      end: mdy.index + mdy[0].length,
    };
  }
  const dmy = letters ? DAY_MONTH_YEAR.exec(text) : null;
  if (dmy) {
    return {
      year: dmy[3] ? Number(dmy[3]) : null,
      month: MONTHS[dmy[2]!]!,
      day: Number(dmy[1]),
      end: dmy.index + dmy[0].length,
    };
  }
  const md = hasKanjiMonth(text) ? JA_MONTH_DAY.exec(text) : null;
  if (md) return { year: null, month: Number(md[1]), day: Number(md[2]), end: md.index + md[0].length };
  if (context.now === undefined) return null;
  for (const [pattern, days] of RELATIVE_DAYS) {
    const relative = pattern.exec(text);
    if (!relative) continue;
    const date = new Date((dayIn(context, context.now) + days) * DAY_MS);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      end: relative.index + relative[0].length,
    };
  }
  return null;
}

/** undefined when no time is shown, null when the time shown is impossible ("25:00"). */
function findTime(rest: string): { hour: number; minute: number; second: number } | null | undefined {
  if (!hasTimeMark(rest)) return undefined; // see findDate
  const m = TIME.exec(rest);
  if (!m) return undefined;
  let hour = Number(m[2]);
  const minute = m[3] ? Number(m[3]) : 0;
  const second = m[4] ? Number(m[4]) : 0;
  const meridiem = m[5] ?? m[6];
  const pm = m[1] === '午後' || meridiem?.startsWith('p');
  const am = m[1] === '午前' || meridiem?.startsWith('a');
  if ((pm || am) && (hour < 1 || hour > 12)) return null;
  if (pm && hour < 12) hour += 12;
  if (am && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second };
}

function explicitOffset(rest: string): number | null {
  if (!hasZoneMark(rest)) return null; // see findDate
  const m = ZONE_SUFFIX.exec(rest);
  if (!m) return null;
  if (m[1]) {
    const base = ZONE_ABBREVIATIONS[m[1]]!;
    if (!m[2]) return base;
    const delta = Number(m[3]) * 60 + Number(m[4] ?? 0);
    return base + (m[2] === '-' ? -delta : delta);
  }
  const delta = Number(m[6]) * 60 + Number(m[7]);
  return m[5] === '-' ? -delta : delta;
}

/** Whether the date exists: 2026-02-30 does not. */
export function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1);
  return day <= daysInMonth - daysFromCivil(year, month, 1);
}

/** A display date's parts as shown: the year is null when the text leaves it out. */
export interface DisplayDateParts {
  year: number | null;
  month: number;
  day: number;
  /** Undefined when no time is shown. */
  time: { hour: number; minute: number; second: number } | undefined;
  /** Minutes east of UTC when the text names a zone (JST, UTC, GMT+9, +09:00), else null. */
  offset: number | null;
}

// readSimpleDate's answer: year, month, day, hour, minute, second (0:00:00 when no time is shown).
const simpleParts = new Int32Array(6);

const isDateSeparator = (c: number) => c === 47 || c === 45;

const hasKanjiYear = (text: string) => text.includes('年');
const hasKanjiMonth = (text: string) => text.includes('月');
const MERIDIEMS = ['am', 'pm', 'a.m.', 'p.m.'];
const ZONE_NAMES = ['jst', 'kst', 'utc', 'gmt'];
/** A digit or a meridiem, one of which TIME needs. */
const hasTimeMark = (text: string) => hasDigit(text) || MERIDIEMS.some((meridiem) => text.includes(meridiem));
/** A sign or a zone's name, one of which ZONE_SUFFIX needs. */
const hasZoneMark = (text: string) =>
  text.includes('+') || text.includes('-') || ZONE_NAMES.some((zone) => text.includes(zone));

/**
 * Each date pattern with what it cannot match without: readDate tries a pattern only on a text that
 * has it (findDate says why). Exported for the test that checks each pair on generated text.
 */
export const DATE_PATTERN_NEEDS: readonly (readonly [RegExp, (text: string) => boolean])[] = [
  [SIMPLE_DATE_TIME, hasFourDigits],
  [JA_DATE, hasKanjiYear],
  [Y_M_D, hasFourDigits],
  [SLASH_DATE, hasFourDigits],
  [MONTH_DAY_YEAR, hasAsciiLetter],
  [DAY_MONTH_YEAR, hasAsciiLetter],
  [JA_MONTH_DAY, hasKanjiMonth],
  [TIME, hasTimeMark],
  [ZONE_SUFFIX, hasZoneMark],
];

/** Whether the text has an ASCII digit (\d). */
function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) return true;
  return false;
}

/** Whether the text has four ASCII digits in a row (\d{4}). */
function hasFourDigits(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = isDigit(text.charCodeAt(i)) ? run + 1 : 0;
    if (run === 4) return true;
  }
  return false;
}

/** Whether the text has an ASCII letter, as every English month name does. */
function hasAsciiLetter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** The index after the one or two digits at i, or -1 when no digit is there. */
function numberEnd(s: string, i: number): number {
  if (!isDigit(s.charCodeAt(i))) return -1;
  return isDigit(s.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

/** The one- or two-digit number from i to end (numberEnd). */
function numberAt(s: string, i: number, end: number): number {
  return end - i === 2 ? twoDigits(s, i) : s.charCodeAt(i) - 48;
}

/**
 * Whether the text is a date SIMPLE_DATE_TIME matches, with ASCII spaces or tabs before the time, read
 * into simpleParts. Each \d{1,2} there is followed by a separator or the end, so reading digits greedily
 * finds the regex's only match; any other text (another \s, another format) is left to readDate.
 */
function readSimpleDate(raw: string): boolean {
  const n = raw.length;
  const year = twoDigits(raw, 0) * 100 + twoDigits(raw, 2);
  if (!(year >= 0) || !isDateSeparator(raw.charCodeAt(4))) return false;
  const monthEnd = numberEnd(raw, 5);
  if (monthEnd < 0 || !isDateSeparator(raw.charCodeAt(monthEnd))) return false;
  const dayEnd = numberEnd(raw, monthEnd + 1);
  if (dayEnd < 0) return false;
  const parts = simpleParts;
  parts[0] = year;
  parts[1] = numberAt(raw, 5, monthEnd);
  parts[2] = numberAt(raw, monthEnd + 1, dayEnd);
  parts[3] = 0;
  parts[4] = 0;
  parts[5] = 0;
  if (dayEnd === n) return true;
  let i = dayEnd;
  while (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9) i++;
  if (i === dayEnd) return false;
  const hourEnd = numberEnd(raw, i);
  if (hourEnd < 0 || raw.charCodeAt(hourEnd) !== 58) return false;
  const minute = twoDigits(raw, hourEnd + 1);
  if (!(minute >= 0)) return false;
  parts[3] = numberAt(raw, i, hourEnd);
  parts[4] = minute;
  if (hourEnd + 3 === n) return true;
  const second = twoDigits(raw, hourEnd + 4);
  if (raw.charCodeAt(hourEnd + 3) !== 58 || hourEnd + 6 !== n || !(second >= 0)) return false;
  parts[5] = second;
  return true;
}

function readDate(raw: string, context: DateContext): DisplayDateParts | null {
  const simple = hasFourDigits(raw) ? SIMPLE_DATE_TIME.exec(raw) : null;
  if (simple) {
    // The commonest display ("2026/11/25 14:05"), read without normalising or trying every format.
    const [year, month, day, hour, minute, second] = simple.slice(1).map((v) => (v ? Number(v) : undefined));
    const time = hour === undefined ? undefined : { hour, minute: minute!, second: second ?? 0 };
    if (time && (time.hour > 23 || time.minute > 59 || time.second > 59)) return null;
    return { year: year!, month: month!, day: day!, time, offset: null };
  }
  const text = normalizeText(raw);
  const date = findDate(text, context);
  if (!date) return null;
  const after = text.slice(date.end);
  const rest = after === '' ? '' : after.replace(/^\s*(\((?:[^)]{1,3})\)|[,]|t)\s*/, ' ');
  const time = findTime(rest);
  if (time === null) return null;
  return { year: date.year, month: date.month, day: date.day, time, offset: explicitOffset(rest) };
}

/**
 * What a display date shows, before it is placed in time, or null when the text is no date or shows an
 * impossible time ("25:00"). Relative days ("Today") need a now, so they are not read here; the day is
 * not checked against the month, which needs the year.
 */
export function displayDateParts(value: string, locale?: string): DisplayDateParts | null {
  return readDate(value.trim(), { utcOffsetMinutes: 0, ...(locale ? { locale } : {}) });
}

/**
 * A date or date-time as a CRM displays it, as epoch ms, or null. ja: "2026/11/25 14:05",
 * "2026年11月25日(水) 14時05分", "令和8年11月25日", "11月25日 午後2:05", "昨日 18:20"; en: "11/25/2026 2:05 PM",
 * "Nov 25, 2026", "25 November 2026", "25/11/2026" (with a day-first locale), "Today 9:00 AM"; ISO 8601.
 * Times are read in the context's zone (or fixed offset) unless the text names one (JST, UTC, GMT+9,
 * +09:00).
 */
export function parseDisplayDate(value: string, context: DateContext): number | null {
  const raw = value.trim();
  if (raw === '') return null;
  if (readSimpleDate(raw)) {
    // What readDate's SIMPLE_DATE_TIME branch and build() below give for it, without their match arrays,
    // closure and part objects (a fifth of the leads of a batch carry such an MQL date).
    const parts = simpleParts;
    const year = parts[0]!;
    const month = parts[1]!;
    const day = parts[2]!;
    const hour = parts[3]!;
    const minute = parts[4]!;
    const second = parts[5]!;
    if (hour > 23 || minute > 59 || second > 59 || !validDay(year, month, day)) return null;
    return wallTimeToInstant(year, month, day, hour, minute, second, context);
  }
  const iso = parseInstant(raw);
  if (!Number.isNaN(iso)) return iso;
  const date = readDate(raw, context);
  if (!date) return null;
  const time = date.time ?? { hour: 0, minute: 0, second: 0 };
  const { offset } = date;
  const build = (year: number): number | null => {
    if (!validDay(year, date.month, date.day)) return null;
    const local = { year, month: date.month, day: date.day, ...time };
    if (offset === null) return wallToInstant(local, context);
    const wall = (daysFromCivil(year, date.month, date.day) * 24 + time.hour) * 60 + time.minute;
    return (wall - offset) * MINUTE + time.second * 1000;
  };
  if (date.year !== null) return build(date.year);
  if (context.year !== undefined) return build(context.year);
  if (context.now === undefined) return null;
  // No year shown: the candidate closest to now, so "1月2日" read on 12月30日 is two days ahead.
  const nowYear = new Date(dayIn(context, context.now) * DAY_MS).getUTCFullYear();
  let best: number | null = null;
  for (const year of [nowYear - 1, nowYear, nowYear + 1]) {
    const at = build(year);
    if (at === null) continue;
    if (best === null || Math.abs(at - context.now) < Math.abs(best - context.now)) best = at;
  }
  return best;
}
