import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * Lead alerts in real Chromium with the extension's clock moved: due soon and overdue are each notified
 * once, and a stopped worker changes nothing.
 */
const lead = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const recordId = lead.expected[0]!.recordId;
const untouchedId = salesforceId18('00Q5g00000Zz1Ab')!;
const UNTOUCHED_URL = `https://acme.lightning.force.com/lightning/r/Lead/${untouchedId}/view`;
const untouchedHtml = fixtureHtml(lead)
  .replaceAll(recordId, untouchedId)
  .replaceAll('Working - Contacted', 'Open - Not Contacted')
  .replace(
    /<li><runtime_sales_activities-activity-timeline-item><div class="slds-timeline__item_expandable slds-timeline__item_(call|email)".*?<\/li>/g,
    '',
  );
const KEY = `salesforce:Lead:${untouchedId}`;

describe('lead alerts in real Chromium', () => {
  let h: Harness;
  /** The worker started last: Playwright may still list a stopped one, which never answers. */
  let current: Worker | undefined;
  const worker = async () => current ?? h.worker();

  const notifications = async () => {
    const w = await worker();
    return Object.keys(await w.evaluate(() => chrome.notifications.getAll())).sort();
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
    current = h.context
      .serviceWorkers()
      .filter((w) => w.url().startsWith(`chrome-extension://${h.extensionId}/`))
      .at(-1);
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
    await clearNotifications();

    await restartWorker();
    await fireAlertsAlarm();
    expect(await notifications()).toEqual([]);

    await h.setClock(due + 60_000);
    await restartWorker();
    await fireAlertsAlarm();
    await expect.poll(notifications).toEqual([`baton-alert:${KEY}:overdue`]);
    await clearNotifications();
    await restartWorker();
    await fireAlertsAlarm();
    expect(await notifications()).toEqual([]);
  });
});

// The worker's global, as seen from the functions the test runs inside it.
declare const chrome: {
  notifications: {
    getAll(): Promise<Record<string, boolean>>;
    clear(id: string): Promise<boolean>;
  };
};
