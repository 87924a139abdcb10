import type { Lang } from '../../../lib/i18n';
import { formatDuration as formatSlaDuration } from '../../../lib/sla/format';

/** Figures as a Japanese or an English reader writes them; null (nothing to divide by) is a dash. */
const LOCALE: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 }).format(n);
}

/** A share as a percentage number for CSV and tables (0.1234 → 12.3); null stays null (unknown is not zero). */
export function percentValue(share: number | null): number | null {
  return share === null ? null : Math.round(share * 1000) / 10;
}

export function formatShare(share: number | null, lang: Lang): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/**
 * The product's one duration wording (lib/sla/format.ts: the overlay and the queue say it the same way);
 * null, no contacted lead to measure, is a dash.
 */
export function formatDuration(ms: number | null, lang: Lang): string {
  return ms === null ? '—' : formatSlaDuration(ms, lang);
}

/** Hours of a histogram bucket: "0–1 時間" / "0–1 h", and the open last one "24 時間以上" / "24 h or more". */
export function formatHourRange(fromHours: number, toHours: number | null, lang: Lang): string {
  if (toHours === null) return lang === 'ja' ? `${fromHours} 時間以上` : `${fromHours} h or more`;
  return lang === 'ja' ? `${fromHours}–${toHours} 時間` : `${fromHours}–${toHours} h`;
}
