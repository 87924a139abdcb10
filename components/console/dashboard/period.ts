import type { LocalizedText } from '../../../lib/i18n';

/**
 * The dashboard's period: a preset resolved against today in the rule set's time zone (so "last 4 weeks"
 * still means the last four weeks after a reload next month), or fixed dates. Kept in the URL hash as
 * "#dashboard?period=last12w" or "#dashboard?from=2026-09-01&until=2026-11-24" (until: the last day
 * included, as a reader writes it; the API's `to` is the day after).
 */
export type PeriodPreset = 'last4w' | 'last12w' | 'thisQuarter' | 'previousQuarter';
export type Period = { preset: PeriodPreset } | { preset: 'custom'; from: string; until: string };

export const PRESETS: { id: PeriodPreset | 'custom'; label: LocalizedText }[] = [
  { id: 'last4w', label: { ja: '直近4週間', en: 'Last 4 weeks' } },
  { id: 'last12w', label: { ja: '直近12週間', en: 'Last 12 weeks' } },
  { id: 'thisQuarter', label: { ja: '今四半期', en: 'This quarter' } },
  { id: 'previousQuarter', label: { ja: '前四半期', en: 'Previous quarter' } },
  { id: 'custom', label: { ja: '期間を指定', en: 'Custom dates' } },
];

export const DEFAULT_PERIOD: Period = { preset: 'last12w' };

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that names a day of the calendar ("2026-02-31" and "2026-13-01" do not). */
function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === text;
}

/** Today's date where the team works, YYYY-MM-DD. */
export function todayIn(timeZone: string, now: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function quarterStart(date: string, quartersBack: number): string {
  const year = Number(date.slice(0, 4));
  const quarter = Math.floor((Number(date.slice(5, 7)) - 1) / 3) - quartersBack;
  const y = year + Math.floor(quarter / 4);
  const q = ((quarter % 4) + 4) % 4;
  return `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
}

/** The handoffs a period covers: [from, to), ISO dates. */
export function resolvePeriod(period: Period, timeZone: string, now: number): { from: string; to: string } {
  const today = todayIn(timeZone, now);
  const tomorrow = addDays(today, 1);
  switch (period.preset) {
    case 'last4w':
      return { from: addDays(tomorrow, -28), to: tomorrow };
    case 'last12w':
      return { from: addDays(tomorrow, -84), to: tomorrow };
    case 'thisQuarter':
      return { from: quarterStart(today, 0), to: tomorrow };
    case 'previousQuarter':
      return { from: quarterStart(today, 1), to: quarterStart(today, 0) };
    case 'custom':
      return { from: period.from, to: addDays(period.until, 1) };
  }
}

export function periodToHash(period: Period): string {
  const params =
    period.preset === 'custom'
      ? new URLSearchParams({ from: period.from, until: period.until })
      : new URLSearchParams({ period: period.preset });
  return `#dashboard?${params}`;
}

/** The period a hash names; the default for anything else (an old bookmark, a hand-edited hash). */
export function periodFromHash(hash: string): Period {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith('dashboard?')) return DEFAULT_PERIOD;
  const params = new URLSearchParams(h.slice('dashboard?'.length));
  const preset = params.get('period');
  if (preset && PRESETS.some((p) => p.id === preset && p.id !== 'custom')) {
    return { preset: preset as PeriodPreset };
  }
  const from = params.get('from');
  const until = params.get('until');
  if (from && until && isCalendarDate(from) && isCalendarDate(until) && from <= until) {
    return { preset: 'custom', from, until };
  }
  return DEFAULT_PERIOD;
}
