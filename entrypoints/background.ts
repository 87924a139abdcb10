import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { answer } from '../extension/background/answer';
import { now } from '../extension/clock';

export default defineBackground({
  type: 'module',
  main() {
    // Registered synchronously at start-up: MV3 wakes the worker for a message and dispatches it
    // only to listeners added in the first turn of the event loop.
    browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
      void now()
        .then((t) => answer(message, sender, browser.runtime.id, t))
        .then(sendResponse, (error: unknown) =>
          sendResponse({ ok: false, error: { ja: '内部エラー', en: `Internal error: ${String(error)}` } }),
        );
      return true; // keeps the channel open for the async answer
    });
  },
});
