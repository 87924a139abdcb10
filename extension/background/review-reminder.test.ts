import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Role } from '../../lib/events';
import type { Lang } from '../../lib/i18n';
import { reviewDue } from '../../lib/review';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { BatonDb } from '../db';
import {
  REVIEW_ALARM,
  REVIEW_NOTIFICATION,
  REVIEW_PERIOD_MINUTES,
  remindReview,
  startReviewReminders,
} from './review-reminder';

/** Signed off on 1 October (Tokyo): with the default monthly cadence the meeting is due on 1 November. */
const activatedAt = Date.parse('2026-10-01T10:00:00+09:00');
const at = (iso: string) => Date.parse(iso);

describe('review reminders in the worker', () => {
  let name: string;
  let database: BatonDb;
  let clock: number;
  let lang: Lang;
  const deps = () => ({ database, now: () => clock, lang: () => lang });
  const shown = () => Object.entries(fakeBrowser.notifications.getAllCreateOptions());

  async function signedInAs(role: Role | null) {
    await database.syncChannels.put({
      channel: 'me',
      failures: 0,
      nextAttemptAt: 0,
      lastSuccessAt: clock,
      lastError: null,
      me: role ? { role, name: 'テスト', tokenId: `demo${role}` } : null,
    });
  }

  /** A restarted worker: nothing of the old one's memory, a fresh handle on the same IndexedDB. */
  function restartWorker() {
    database.close();
    database = new BatonDb(name);
    fakeBrowser.reset();
  }

  beforeEach(async () => {
    fakeBrowser.reset();
    name = `reminder-test-${Math.random()}`;
    database = new BatonDb(name);
    clock = at('2026-11-25T09:00:00+09:00');
    lang = 'en';
    await database.rules.put({
      slot: 'active',
      rules: defaultRuleSet,
      source: 'endpoint',
      receivedAt: at('2026-10-03T09:00:00+09:00'),
      activatedAt,
    });
  });

  afterEach(() => database.close());

  it('shows one notification with reviewDue’s message when the review is due for a marketer', async () => {
    await signedInAs('marketer');
    expect(await remindReview(deps())).toBe('shown');
    const expected = reviewDue(defaultRuleSet, activatedAt, clock).message!.en;
    expect(expected).toBe('The review meeting with sales is due (since 2026-11-01)');
    expect(shown()).toEqual([
      [REVIEW_NOTIFICATION, expect.objectContaining({ type: 'basic', message: expected })],
    ]);
    // Asked again the same day (the start-up check and the alarm): still one.
    fakeBrowser.notifications.clear(REVIEW_NOTIFICATION);
    expect(await remindReview(deps())).toBe('already_shown');
    expect(shown()).toEqual([]);
  });

  it('speaks the browser’s language', async () => {
    await signedInAs('manager');
    lang = 'ja';
    await remindReview(deps());
    const [[, options]] = shown() as unknown as [[string, { title: string; message: string }]];
    expect(options.title).toBe('Baton: 見直しの時期です');
    expect(options.message).toBe('営業とのレビュー会議の時期です（2026-11-01 期限）');
  });

  it('never shows it again after the worker restarts, and shows it again when another review comes due', async () => {
    await signedInAs('admin');
    const started = startReviewReminders(deps());
    await started.started;
    expect(shown()).toHaveLength(1);

    restartWorker();
    clock = at('2026-11-26T09:00:00+09:00');
    await startReviewReminders(deps()).started;
    await fakeBrowser.alarms.onAlarm.trigger({
      name: REVIEW_ALARM,
      scheduledTime: clock,
      persistAcrossSessions: true,
    });
    expect(shown()).toEqual([]);
    expect(await database.reminders.get('review')).toEqual({
      kind: 'review',
      shownFor: 'meeting:2026-11-01',
      shownAt: at('2026-11-25T09:00:00+09:00'),
    });

    // 90 days after the sign-off the threshold review comes due too: a new due date, one new notification.
    restartWorker();
    clock = at('2026-12-30T09:00:00+09:00');
    const worker = startReviewReminders(deps());
    await worker.started;
    await worker.onAlarm({ name: REVIEW_ALARM });
    expect(shown().map(([, o]) => (o as { message: string }).message)).toEqual([
      'The review meeting with sales (due 2026-11-01) and the threshold review (due 2026-12-30) are due',
    ]);
  });

  it('registers a daily alarm once', async () => {
    await signedInAs('marketer');
    await startReviewReminders(deps()).started;
    const alarm = await fakeBrowser.alarms.get(REVIEW_ALARM);
    expect(alarm?.periodInMinutes).toBe(REVIEW_PERIOD_MINUTES);
    expect(REVIEW_PERIOD_MINUTES).toBe(24 * 60);
  });

  it('shows nothing to a rep, or when the role is unknown', async () => {
    await signedInAs('rep');
    expect(await remindReview(deps())).toBe('not_reviewer');
    await signedInAs(null);
    expect(await remindReview(deps())).toBe('not_reviewer');
    await database.syncChannels.clear();
    expect(await remindReview(deps())).toBe('not_reviewer');
    expect(shown()).toEqual([]);
    expect(await database.reminders.count()).toBe(0);
  });

  it('shows nothing before the review is due', async () => {
    await signedInAs('marketer');
    clock = at('2026-10-31T23:00:00+09:00');
    expect(await remindReview(deps())).toBe('not_due');
    expect(shown()).toEqual([]);
    // The next day it is due: the daily alarm brings it.
    clock = at('2026-11-01T00:30:00+09:00');
    expect(await remindReview(deps())).toBe('shown');
  });

  it('counts from when this browser received rules the endpoint did not date', async () => {
    await signedInAs('marketer');
    await database.rules.update('active', {
      activatedAt: undefined,
      receivedAt: at('2026-11-20T09:00:00+09:00'),
    });
    expect(await remindReview(deps())).toBe('not_due');
  });

  it('opens the console’s checklist when the notification is clicked', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    await signedInAs('marketer');
    await startReviewReminders(deps()).started;
    await fakeBrowser.notifications.onClicked.trigger(REVIEW_NOTIFICATION);
    expect(create).toHaveBeenCalledWith({
      url: 'chrome-extension://test-extension-id/console.html#checklist',
    });
    expect(shown()).toEqual([]);
    await fakeBrowser.notifications.onClicked.trigger('something-else');
    expect(create).toHaveBeenCalledTimes(1);
  });
});
