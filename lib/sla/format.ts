import type { Lang } from '../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A countdown as people say it: "2時間15分" / "2h 15m", "1日3時間" / "1d 3h" from 24 hours on, rounded
 * down to the minute. Sign is dropped (the caller says "left" or "late"). A day here is 24 hours, so
 * pass calendar ms when showing days; business ms read better in hours.
 */
export function formatDuration(ms: number, lang: Lang): string {
  const abs = Math.abs(ms);
  // An SLA on a calendar without working time never ends; there is nothing to count down.
  if (!Number.isFinite(abs)) return '—';
  if (abs < MINUTE) return lang === 'ja' ? '1分未満' : '<1m';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts: [number, string, string][] =
    days > 0
      ? [
          [days, '日', 'd'],
          [hours, '時間', 'h'],
        ]
      : [
          [hours, '時間', 'h'],
          [minutes, '分', 'm'],
        ];
  const shown = parts.filter(([n]) => n > 0);
  return lang === 'ja'
    ? shown.map(([n, ja]) => `${n}${ja}`).join('')
    : shown.map(([n, , en]) => `${n}${en}`).join(' ');
}
