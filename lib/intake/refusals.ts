/**
 * The admin's view of refused intake payloads in words: "kintone: 12 refused since 09:00 today" and what
 * was wrong with the latest one, in the team's time zone, so a sender can be fixed before leads go missing.
 */

import { DAY_MS, zoneClock } from '../calendar/zone';
import { crmName } from '../crm';
import type { Lang } from '../i18n';
import { formatPath, type Problem } from '../problems';
import { MONTH_EN } from '../sla/format';
import type { IntakeSource } from './mapping';

/** The windows the console offers: since local midnight, the last 24 hours, the last 7 days. */
export const REFUSAL_WINDOWS = ['today', 'day', 'week'] as const;
export type RefusalWindow = (typeof REFUSAL_WINDOWS)[number];

export interface RefusalSummaryView {
  source: IntakeSource;
  refused: number;
  /** Epoch ms. */
  lastRefusedAt: number;
  lastProblems: readonly Problem[];
}

/** The first instant of a window ending now; "today" starts at local midnight in the team's zone. */
export function windowStart(window: RefusalWindow, now: number, timeZone: string): number {
  if (window === 'day') return now - DAY_MS;
  if (window === 'week') return now - 7 * DAY_MS;
  const clock = zoneClock(timeZone);
  return clock.dayStart(clock.dayOf(now));
}

/** The sender as its product calls itself ("HubSpot", "kintone"); a CSV upload is "CSV". */
export function intakeSourceName(source: IntakeSource): string {
  return source === 'csv' ? 'CSV' : crmName(source);
}

/** "14:05" today, "12月3日 14:05" / "3 Dec 14:05" on another day, in the team's zone. */
export function zonedTime(t: number, now: number, timeZone: string, lang: Lang): string {
  const clock = zoneClock(timeZone);
  const minutes = Math.floor(clock.wallTimeOfDay(t) / 60_000);
  const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const day = clock.dayOf(t);
  if (day === clock.dayOf(now)) return time;
  const date = new Date(day * DAY_MS);
  const [d, m] = [date.getUTCDate(), date.getUTCMonth()];
  return lang === 'ja' ? `${m + 1}月${d}日 ${time}` : `${d} ${MONTH_EN[m]} ${time}`;
}

/** "kintone: 12 refused since 00:00" / 「kintone: 00:00 以降 12 件を拒否」. */
export function refusalHeadline(
  summary: RefusalSummaryView,
  since: number,
  now: number,
  timeZone: string,
  lang: Lang,
): string {
  const name = intakeSourceName(summary.source);
  const from = zonedTime(since, now, timeZone, lang);
  return lang === 'ja'
    ? `${name}: ${from} 以降 ${summary.refused} 件を拒否`
    : `${name}: ${summary.refused} refused since ${from}`;
}

/**
 * One problem as the admin fixes it at the sender: the message, then where in the payload ("record.$id.value";
 * for a CSV, "line 4, record_id").
 */
export function problemLine(problem: Problem, source: IntakeSource, lang: Lang): string {
  const [first, ...rest] = problem.path;
  const where =
    problem.path.length === 0
      ? ''
      : source === 'csv' && typeof first === 'number'
        ? lang === 'ja'
          ? `${first} 行目${rest.length > 0 ? `・${rest.join('.')}` : ''}`
          : `line ${first}${rest.length > 0 ? `, ${rest.join('.')}` : ''}`
        : formatPath(problem.path);
  const message = problem.message[lang];
  return where === '' ? message : lang === 'ja' ? `${message}（${where}）` : `${message} (${where})`;
}
