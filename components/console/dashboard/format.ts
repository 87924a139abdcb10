import type { Lang } from '../../../lib/i18n';

/** Figures as a Japanese or an English reader writes them; null (nothing to divide by) is a dash. */
const LOCALE: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 }).format(n);
}

export function formatShare(share: number | null, lang: Lang): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2時間15分" / "2 h 15 min"; a day or more as days and hours ("3日4時間" / "3 d 4 h"). */
export function formatDuration(ms: number | null, lang: Lang): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / MINUTE);
  const days = Math.floor(minutes / (DAY / MINUTE));
  const hours = Math.floor((minutes % (DAY / MINUTE)) / 60);
  const mins = minutes % 60;
  const n = (x: number) => formatCount(x, lang);
  if (days > 0) {
    if (lang === 'ja') return hours ? `${n(days)}日${hours}時間` : `${n(days)}日`;
    return hours ? `${n(days)} d ${hours} h` : `${n(days)} d`;
  }
  if (hours > 0) {
    if (lang === 'ja') return mins ? `${hours}時間${mins}分` : `${hours}時間`;
    return mins ? `${hours} h ${mins} min` : `${hours} h`;
  }
  return lang === 'ja' ? `${mins}分` : `${mins} min`;
}

/** Hours of a histogram bucket: "0–1 時間" / "0–1 h", and the open last one "24 時間以上" / "24 h or more". */
export function formatHourRange(fromHours: number, toHours: number | null, lang: Lang): string {
  if (toHours === null) return lang === 'ja' ? `${fromHours} 時間以上` : `${fromHours} h or more`;
  return lang === 'ja' ? `${fromHours}–${toHours} 時間` : `${fromHours}–${toHours} h`;
}
