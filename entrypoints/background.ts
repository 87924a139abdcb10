import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { alertDeps, startAlerts } from '../extension/background/alerts';
import { answer } from '../extension/background/answer';
import { startReviewReminders } from '../extension/background/review-reminder';
import { refreshBadge, reminderDeps, startSync } from '../extension/background/sync-service';
import { now } from '../extension/clock';

export default defineBackground({
  type: 'module',
  main() {
    // Registered synchronously at start-up: MV3 wakes the worker for a message, an alarm or `online`
    // and dispatches it only to listeners added in the first turn of the event loop.
    browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
      void now()
        .then((t) => answer(message, sender, browser.runtime.id, t, browser.runtime.getURL('/')))
        .then(sendResponse, (error: unknown) =>
          sendResponse({ ok: false, error: { ja: '内部エラー', en: `Internal error: ${String(error)}` } }),
        );
      return true; // keeps the channel open for the async answer
    });
    const sync = startSync();
    const reminders = startReviewReminders(reminderDeps(), sync.started);
    const alerts = startAlerts(alertDeps(), sync.started, refreshBadge);
    // Real-browser tests fire an alarm's own handlers instead of waiting for Chrome to; the production
    // bundle drops this branch (MODE is a constant there, docs/decisions/0002).
    if (import.meta.env.MODE === 'e2e') {
      Object.assign(globalThis, {
        batonFireAlarm: (alarm: { name: string }) =>
          Promise.all([sync.onAlarm(alarm), reminders.onAlarm(alarm), alerts.onAlarm(alarm)]).then(
            () => undefined,
          ),
      });
    }
  },
});
