import type { Lang } from '../i18n';
import type { SlaState } from './state';

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

/** Under an hour the countdown shows seconds, so a rep sees it move; beyond, hours and minutes. */
function ticking(ms: number, lang: Lang): string {
  if (ms >= HOUR) return formatDuration(ms, lang);
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, '0');
  return lang === 'ja' ? `${m}分${s}秒` : `${m}m ${s}s`;
}

/**
 * The countdown beside an SLA state, the same on the page, in the queue and in the popup: time left
 * ("19m 58s left" / "あと 19分58秒"), time late while overdue, and how late a missed deadline was met.
 */
export function slaCountdown(
  sla: { dueAt: number | null; contactedAt: number | null },
  state: SlaState,
  now: number,
  lang: Lang,
): string {
  const { dueAt, contactedAt } = sla;
  if (dueAt === null) return '';
  if (state === 'running' || state === 'due_soon') {
    const left = ticking(dueAt - now, lang);
    return lang === 'ja' ? `あと ${left}` : `${left} left`;
  }
  const late =
    state === 'overdue'
      ? ticking(now - dueAt, lang)
      : state === 'missed' && contactedAt !== null
        ? formatDuration(contactedAt - dueAt, lang)
        : null;
  if (late === null) return '';
  return lang === 'ja' ? `${late}遅れ` : `${late} late`;
}

const WEEKDAY = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
export const MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The deadline as a clock time in the business calendar's zone (the offset `dueIso` carries, so a rep
 * travelling still reads the team's time): "by 15:00" / "15:00 まで" today, with the date and weekday on
 * any other day ("by Mon 8 Dec 15:00" / "12月8日(月) 15:00 まで"). Empty for a time it cannot read.
 */
export function dueClock(dueIso: string | null, now: number, lang: Lang): string {
  const m = dueIso ? ISO_WITH_OFFSET.exec(dueIso) : null;
  if (!m) return '';
  const [, y, mo, d, hh, mm, zone] = m as unknown as [string, string, string, string, string, string, string];
  const offsetMinutes =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const today = new Date(now + offsetMinutes * MINUTE).toISOString().slice(0, 10);
  const time = `${hh}:${mm}`;
  const date = `${y}-${mo}-${d}`;
  if (date === today) return lang === 'ja' ? `${time} まで` : `by ${time}`;
  const weekday = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
  return lang === 'ja'
    ? `${Number(mo)}月${Number(d)}日(${WEEKDAY.ja[weekday]}) ${time} まで`
    : `by ${WEEKDAY.en[weekday]} ${Number(d)} ${MONTH_EN[Number(mo) - 1]} ${time}`;
}

/**
 * A past moment in the team's zone, short: 「12/3 14:05」, "3 Dec 14:05" (the offset `iso` carries, as
 * dueClock reads it). Empty for a time it cannot read.
 */
export function momentClock(iso: string, lang: Lang): string {
  const m = ISO_WITH_OFFSET.exec(iso);
  if (!m) return '';
  const [, , mo, d, hh, mm] = m as unknown as [string, string, string, string, string, string];
  const [month, day] = [Number(mo), Number(d)];
  return lang === 'ja' ? `${month}/${day} ${hh}:${mm}` : `${day} ${MONTH_EN[month - 1]} ${hh}:${mm}`;
}

/**
 * What to do by when, after the state's own word: the deadline as a clock time while it lies ahead, then
 * the countdown ("by 15:00 · 19m 58s left", 「15:00 まで · あと 19分58秒」). One line for the panel, the
 * queue, the popup and the unread panel alike.
 */
export function dueLine(
  sla: { dueAt: number | null; dueIso: string | null; contactedAt: number | null },
  state: SlaState,
  now: number,
  lang: Lang,
): string {
  const ahead = state === 'running' || state === 'due_soon';
  return [ahead ? dueClock(sla.dueIso, now, lang) : '', slaCountdown(sla, state, now, lang)]
    .filter(Boolean)
    .join(' · ');
}
