import { browser } from 'wxt/browser';
import type { Role } from '../../lib/events';
import type { Lang } from '../../lib/i18n';
import { reviewDue } from '../../lib/review';
import { defaultRuleSet } from '../../lib/rules/defaults';
import type { RuleSet } from '../../lib/rules/schema';
import { validateRuleSet } from '../../lib/rules/validate';
import type { BatonDb } from '../db';
import { readChannel } from './sync';

/**
 * Review reminders: when the marketing–sales review meeting or the threshold review comes due, the
 * people who run them (marketers, managers, admins) get one desktop notification per due date. Reps never
 * do: the review is not theirs. What was shown is kept in IndexedDB, so a worker that MV3 stopped and
 * started again does not show it twice.
 */
export const REVIEW_ALARM = 'baton-review';
export const REVIEW_NOTIFICATION = 'baton-review-due';
/** Once a day is enough for a cadence counted in calendar days. */
export const REVIEW_PERIOD_MINUTES = 24 * 60;
export const REVIEWING_ROLES: readonly Role[] = ['marketer', 'manager', 'admin'];
/** The place in the console that shows what is due and links to where it is set. */
export const REVIEW_PAGE = '/console.html#checklist' as const;

/** A plain square in Baton's blue: Chrome's basic notification needs an icon and the extension ships none. */
export const NOTIFICATION_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoGtiNNuZ0xbOBxsBSPW8EiEhISEhISEhISEhISEhISEhISEhISEhISGhOwvpkUSXf9MgUgAAAABJRU5ErkJggg==';

export interface ReminderDeps {
  database: BatonDb;
  now(): number | Promise<number>;
  /** The browser's UI language. */
  lang(): Lang;
}

export type ReminderOutcome = 'shown' | 'already_shown' | 'not_due' | 'not_reviewer';

/** The rules in force and when they were agreed: activation by the endpoint, else when this browser got them. */
async function rulesAndActivation(
  database: BatonDb,
): Promise<{ rules: RuleSet; activatedAt: number | null }> {
  const stored = await database.rules.get('active');
  const checked = stored ? validateRuleSet(stored.rules) : null;
  if (!stored || !checked?.ok) return { rules: defaultRuleSet, activatedAt: null };
  return { rules: checked.value, activatedAt: stored.activatedAt ?? stored.receivedAt };
}

/** Shows the review reminder if it is due, the role reviews, and it was not shown for these due dates. */
export async function remindReview(deps: ReminderDeps): Promise<ReminderOutcome> {
  const me = (await readChannel(deps.database, 'me')).me;
  if (!me || !REVIEWING_ROLES.includes(me.role)) return 'not_reviewer';
  const now = await deps.now();
  const { rules, activatedAt } = await rulesAndActivation(deps.database);
  const review = reviewDue(rules, activatedAt, now);
  if (!review.due || !review.message) return 'not_due';
  const shownFor =
    [
      review.meeting.due ? `meeting:${review.meeting.dueOn ?? 'unrecorded'}` : null,
      review.threshold.due ? `threshold:${review.threshold.dueOn ?? 'unrecorded'}` : null,
    ]
      .filter((part) => part !== null)
      .join('|') || 'due';
  // Claimed before showing: two triggers racing (start-up and the alarm) must not both show it.
  const claimed = await deps.database.transaction('rw', deps.database.reminders, async () => {
    const last = await deps.database.reminders.get('review');
    if (last?.shownFor === shownFor) return false;
    await deps.database.reminders.put({ kind: 'review', shownFor, shownAt: now });
    return true;
  });
  if (!claimed) return 'already_shown';
  const lang = deps.lang();
  await browser.notifications.create(REVIEW_NOTIFICATION, {
    type: 'basic',
    iconUrl: NOTIFICATION_ICON,
    title: lang === 'ja' ? 'Baton: 見直しの時期です' : 'Baton: review due',
    message: review.message[lang],
    priority: 1,
  });
  return 'shown';
}

/** Opens the console's checklist when the reminder is clicked. */
export async function onReminderClicked(notificationId: string): Promise<void> {
  if (notificationId !== REVIEW_NOTIFICATION) return;
  await browser.tabs.create({ url: browser.runtime.getURL(REVIEW_PAGE) });
  await browser.notifications.clear(notificationId);
}

/**
 * Registers the daily alarm and the click handler (synchronously, in the worker's first turn, as MV3
 * requires) and checks once at start-up, after `startedUp` (the start-up sync that learns the role).
 */
export function startReviewReminders(
  deps: ReminderDeps,
  startedUp: Promise<unknown> = Promise.resolve(),
): {
  onAlarm(alarm: { name: string }): Promise<void>;
  /** The start-up check, done. */
  started: Promise<void>;
} {
  const check = async () => {
    await remindReview(deps).catch(report);
  };
  const onAlarm = async (alarm: { name: string }) => {
    if (alarm.name === REVIEW_ALARM) await check();
  };
  // The promises are returned (the browser ignores them) so that whoever fires the event can wait for it.
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => onReminderClicked(id).catch(report));
  const started = (async () => {
    if (!(await browser.alarms.get(REVIEW_ALARM))) {
      await browser.alarms.create(REVIEW_ALARM, { periodInMinutes: REVIEW_PERIOD_MINUTES });
    }
    await startedUp.catch(() => undefined);
    await check();
  })().catch(report);
  return { onAlarm, started };
}

function report(error: unknown): void {
  console.warn('Baton: review reminder failed', error);
}
