import { browser } from 'wxt/browser';

/**
 * The time the extension works with. Production builds read the system clock. The e2e build
 * (`wxt build --mode e2e`) adds an offset stored in extension storage, so real-browser tests can move
 * the clock of the worker and every content script at once: Playwright's clock reaches neither.
 * The branch is removed from production builds by the bundler (import.meta.env.MODE is a constant).
 */
const OFFSET_KEY = 'e2eClockOffsetMs';

export async function now(): Promise<number> {
  if (import.meta.env.MODE !== 'e2e') return Date.now();
  const stored = await browser.storage.local.get(OFFSET_KEY);
  const offset = stored[OFFSET_KEY];
  return Date.now() + (typeof offset === 'number' ? offset : 0);
}

/** A synchronous clock for countdowns that tick every second; follows offset changes live. */
export function liveClock(): { now: () => number; stop: () => void } {
  if (import.meta.env.MODE !== 'e2e') return { now: () => Date.now(), stop: () => {} };
  let offset = 0;
  void browser.storage.local.get(OFFSET_KEY).then((s) => {
    if (typeof s[OFFSET_KEY] === 'number') offset = s[OFFSET_KEY];
  });
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    const change = changes[OFFSET_KEY];
    if (area === 'local' && change) offset = typeof change.newValue === 'number' ? change.newValue : 0;
  };
  browser.storage.onChanged.addListener(onChanged);
  return { now: () => Date.now() + offset, stop: () => browser.storage.onChanged.removeListener(onChanged) };
}
