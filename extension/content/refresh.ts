import { browser } from 'wxt/browser';

/**
 * The worker's word to open CRM tabs that what they show is stale (a new rule set, the team's news):
 * a timestamp in storage.local, which reaches every content script through storage.onChanged without
 * the "tabs" permission or a message to each tab.
 */
export const PAGES_STALE_KEY = 'batonPagesStaleAt';

export function onPagesStale(listener: () => void, signal: AbortSignal): void {
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && PAGES_STALE_KEY in changes) listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  signal.addEventListener('abort', () => browser.storage.onChanged.removeListener(onChanged), { once: true });
}
