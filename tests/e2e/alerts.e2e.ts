import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import { untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * Lead alerts in real Chromium with the extension's clock moved: due soon and overdue are each notified
 * once, a stopped worker changes nothing, the toolbar badge keeps the overdue count, and clicking the
 * notification opens the lead's CRM page.
 */
const {
  recordId: untouchedId,
  url: UNTOUCHED_URL,
  html: untouchedHtml,
} = untouchedSalesforceLead('00Q5g00000Zz1Ab');
const KEY = `salesforce:Lead:${untouchedId}`;
const secondId = salesforceId18('00Q5g00000Zz2Cd')!;
const SECOND_URL = UNTOUCHED_URL.replace(untouchedId, secondId);
const SECOND_KEY = `salesforce:Lead:${secondId}`;

/** Notification ids name the lead and its handoff time (a lead handed over again is alerted again). */
const alertOf = (id: string) => id.replace(/@\d+:/, ':');

describe('lead alerts in real Chromium', () => {
  let h: Harness;
  const worker = () => h.worker();

  const notificationIds = async () => {
    const w = await worker();
    return Object.keys(await w.evaluate(() => chrome.notifications.getAll())).sort();
  };
  const notifications = async () => (await notificationIds()).map(alertOf);
  const badge = async () => {
    const w = await worker();
    return w.evaluate(() => chrome.action.getBadgeText({}));
  };
  const clearNotifications = async () => {
    const w = await worker();
    await w.evaluate(async () => {
      for (const id of Object.keys(await chrome.notifications.getAll())) await chrome.notifications.clear(id);
    });
  };
  /** Stops the worker and starts a fresh one the way a user would: an extension page wakes it. */
  const restartWorker = async () => {
    await h.stopWorker();
    const popup = await h.openExtensionPage('popup.html');
    // The popup lists the lead only once a fresh worker answered it.
    await expect.poll(() => popup.locator(`li[data-record-id="${untouchedId}"]`).count()).toBe(1);
    await popup.close();
  };
  const fireAlertsAlarm = async () => {
    const w = await worker();
    await w.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-alerts',
      }),
    );
  };

  beforeAll(async () => {
    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(UNTOUCHED_URL, untouchedHtml);
    h.serve(SECOND_URL, untouchedHtml.replaceAll(untouchedId, secondId));
  });
  afterAll(async () => h?.close());

  it('notifies due soon and overdue once each, across a worker stop', async () => {
    // Learn the lead's due time, then live through it on the extension's clock.
    const first = await h.open(UNTOUCHED_URL);
    const host = first.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-sla-due')).toMatch(/^\d{4}-/);
    const due = Date.parse((await host.getAttribute('data-sla-due'))!);
    await first.close();

    await h.setClock(due - 60_000);
    const tab = await h.open(UNTOUCHED_URL);
    await expect.poll(() => tab.locator('baton-lead').getAttribute('data-sla-state')).toBe('due_soon');
    await tab.close();
    await expect.poll(notifications).toEqual([`baton-alert:${KEY}:due_soon`]);
    expect(await badge()).toBe('');
    await clearNotifications();

    await restartWorker();
    await fireAlertsAlarm();
    expect(await notifications()).toEqual([]);

    await h.setClock(due + 60_000);
    await restartWorker();
    await fireAlertsAlarm();
    await expect.poll(notifications).toEqual([`baton-alert:${KEY}:overdue`]);
    await expect.poll(badge).toBe('1');
    await clearNotifications();
    await restartWorker();
    await fireAlertsAlarm();
    expect(await notifications()).toEqual([]);
    // The count is recomputed by every fresh worker, from IndexedDB, not kept by the one that set it.
    await worker().then((w) => w.evaluate(() => chrome.action.setBadgeText({ text: '' })));
    await restartWorker();
    await expect.poll(badge).toBe('1');
  });

  it('opens the lead’s CRM page when its notification is clicked', async () => {
    // A second lead, overdue on the clock the first test left (just past due): its overdue alert is new.
    const tab = await h.open(SECOND_URL);
    await expect.poll(() => tab.locator('baton-lead').getAttribute('data-sla-state')).toBe('overdue');
    await tab.close();
    await expect.poll(notifications).toEqual([`baton-alert:${SECOND_KEY}:overdue`]);
    const [id] = await notificationIds();

    // An OS notification cannot be clicked from Playwright: it is drawn by the system (or Chromium's
    // message centre), outside any page. The most real stand-in is the very handler the worker registered
    // on chrome.notifications.onClicked, called inside the worker with the id of a notification it really
    // created (read back from chrome.notifications.getAll).
    const opened = h.context.waitForEvent('page');
    const w = await worker();
    await w.evaluate(
      (nid) =>
        (
          globalThis as unknown as { batonNotificationClicked(id: string): Promise<void> }
        ).batonNotificationClicked(nid),
      id!,
    );
    const page = await opened;
    await page.waitForLoadState();
    // A tab an extension opens starts loading before Playwright attaches to it, so its first request
    // escapes the harness's routing and fails offline (a chrome-error page); the reload is routed. What
    // is checked is the address the worker asked for: the reload goes to that same address.
    if (page.url() !== SECOND_URL) await page.reload();
    expect(page.url()).toBe(SECOND_URL);
    // The routed fixture page loads and the overlay finds the lead: it is the lead's CRM page.
    await expect.poll(() => page.locator('baton-lead').getAttribute('data-sla-state')).toBe('overdue');
    // The click is answered: the notification goes away.
    expect(await notificationIds()).toEqual([]);
  });
});

// The worker's global, as seen from the functions the test runs inside it.
declare const chrome: {
  notifications: {
    getAll(): Promise<Record<string, boolean>>;
    clear(id: string): Promise<boolean>;
  };
  action: {
    getBadgeText(details: object): Promise<string>;
    setBadgeText(details: { text: string }): Promise<void>;
  };
};
