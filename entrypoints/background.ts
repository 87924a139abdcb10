import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { answer } from '../extension/background/answer';
import { startSync } from '../extension/background/sync-service';
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
    // Real-browser tests fire the sync alarm's own handler instead of waiting a minute for Chrome to;
    // the production bundle drops this branch (MODE is a constant there, docs/decisions/0002).
    if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { batonFireAlarm: sync.onAlarm });
  },
});
