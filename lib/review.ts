/**
 * When the marketing–sales review meeting and the threshold review come due (checklist 14 and 15). The
 * worker turns this into a notification for marketers; the console shows it. Dates are local dates of the
 * rule set's business calendar, as the team writes them in their calendars.
 */
import { DAY_MS, dayOfIsoDate, isoDateOfDay, zoneClock } from './calendar/zone';
import type { LocalizedText } from './i18n';
import type { RuleSet } from './rules/schema';

const CADENCE_MONTHS: Record<RuleSet['review']['cadence'], number> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};

export interface ReviewDue {
  /** Either review is due (on or after its date). */
  due: boolean;
  /** The date everything is counted from ("YYYY-MM-DD"), or null when no review or activation is known. */
  lastReviewedOn: string | null;
  meeting: { dueOn: string | null; due: boolean };
  threshold: { dueOn: string | null; due: boolean };
  /** What to tell marketers, or null when nothing is due. */
  message: LocalizedText | null;
}

/** The same day of the month `months` later, or that month's last day (31 Jan + 1 month = 28/29 Feb). */
function addMonths(day: number, months: number): number {
  const date = new Date(day * DAY_MS);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime() / DAY_MS;
}

/**
 * Which reviews are due at `now`. The last review is the later of the rule set's `review.lastReviewedAt`
 * and `lastReviewedAt` (epoch ms, e.g. when the active version was signed: signing is a review); with
 * neither, both reviews are due at once.
 */
export function reviewDue(rules: RuleSet, lastReviewedAt: number | null, now: number): ReviewDue {
  const zone = zoneClock(rules.calendar.timeZone);
  const candidates: number[] = [];
  if (rules.review.lastReviewedAt)
    candidates.push(dayOfIsoDate(rules.review.lastReviewedAt, 'lastReviewedAt'));
  if (lastReviewedAt !== null) candidates.push(zone.dayOf(lastReviewedAt));
  const today = zone.dayOf(now);
  if (candidates.length === 0) {
    return {
      due: true,
      lastReviewedOn: null,
      meeting: { dueOn: null, due: true },
      threshold: { dueOn: null, due: true },
      message: {
        ja: '見直しの記録がありません。営業とのレビュー会議と閾値の見直しを行い、見直し日を記録してください',
        en: 'No review is on record: hold the review meeting with sales, review the threshold, and record the date',
      },
    };
  }
  const last = Math.max(...candidates);
  const meetingDay = addMonths(last, CADENCE_MONTHS[rules.review.cadence]);
  const thresholdDay = last + rules.review.thresholdReviewEveryDays;
  const meetingDue = today >= meetingDay;
  const thresholdDue = today >= thresholdDay;
  const [m, t] = [isoDateOfDay(meetingDay), isoDateOfDay(thresholdDay)];
  let message: LocalizedText | null = null;
  if (meetingDue && thresholdDue) {
    message = {
      ja: `営業とのレビュー会議（${m} 期限）と閾値の見直し（${t} 期限）の時期です`,
      en: `The review meeting with sales (due ${m}) and the threshold review (due ${t}) are due`,
    };
  } else if (meetingDue) {
    message = {
      ja: `営業とのレビュー会議の時期です（${m} 期限）`,
      en: `The review meeting with sales is due (since ${m})`,
    };
  } else if (thresholdDue) {
    message = {
      ja: `閾値の見直しの時期です（${t} 期限）`,
      en: `The threshold review is due (since ${t})`,
    };
  }
  return {
    due: meetingDue || thresholdDue,
    lastReviewedOn: isoDateOfDay(last),
    meeting: { dueOn: m, due: meetingDue },
    threshold: { dueOn: t, due: thresholdDue },
    message,
  };
}
