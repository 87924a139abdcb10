import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * Flows a rep and a marketer hit in the first hour, each broken before: the popup's "Mark contacted"
 * and its feedback reach the CRM tab that is already open (no reload); a rejected lead leaves the queue;
 * feedback with no team sync says where it is; the console with an unreachable endpoint still shows the
 * rules and the SLA document, and says why in words.
 */
const {
  recordId: untouchedId,
  url: UNTOUCHED_URL,
  html: untouchedHtml,
} = untouchedSalesforceLead('00Q5g00000Rp1Ab');

describe('the rep’s flows across popup and page', () => {
  let h: Harness;
  let crm: Page;

  /** The popup as the toolbar opens it over the CRM tab: its "current tab" is that tab. */
  async function popupOver(url: string): Promise<Page> {
    const popup = await h.context.newPage();
    await popup.addInitScript((tabUrl) => {
      const tabs = (globalThis as unknown as { chrome: { tabs: { query: unknown } } }).chrome.tabs;
      tabs.query = async () => [{ id: 1, active: true, url: tabUrl }];
    }, url);
    await popup.goto(`chrome-extension://${h.extensionId}/popup.html`);
    return popup;
  }

  beforeAll(async () => {
    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(UNTOUCHED_URL, untouchedHtml);
    crm = await h.open(UNTOUCHED_URL);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stops the open page’s countdown when the rep marks the lead contacted in the popup', async () => {
    const host = crm.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-sla-state')).toMatch(/^(running|due_soon|overdue)$/);
    const popup = await popupOver(UNTOUCHED_URL);
    await popup.getByRole('button', { name: 'Mark contacted' }).click();
    await popup.getByText('Contacted (SLA clock stopped)').waitFor();
    // The CRM tab was not reloaded: it learns from the worker.
    await expect.poll(() => host.getAttribute('data-sla-state')).toMatch(/^(met|missed)$/);
    await popup.close();
  });

  it('says feedback stays in this browser when team sync is not set up, and a rejected lead leaves the queue', async () => {
    const popup = await popupOver(UNTOUCHED_URL);
    const queue = popup.getByRole('list', { name: 'My queue' });
    await expect.poll(() => queue.locator(`[data-record-id="${untouchedId}"]`).count()).toBe(1);
    // The queue comes first and the popup fits Chrome's 600-px limit; feedback is one click away.
    const [queueTop, cardTop] = await popup.evaluate(() => [
      document.querySelector('ul[aria-label="My queue"]')!.getBoundingClientRect().top,
      document.querySelector('section[aria-label="Lead in this tab"]')!.getBoundingClientRect().top,
    ]);
    expect(queueTop).toBeLessThan(cardTop!);
    expect(
      await popup.evaluate(() => document.querySelector('main')!.getBoundingClientRect().bottom),
    ).toBeLessThanOrEqual(600);
    expect(await popup.getByLabel('Reject').isVisible()).toBe(false);
    await popup.getByRole('button', { name: 'Send feedback on this lead' }).click();
    const send = await popup.getByRole('button', { name: 'Save and send' }).boundingBox();
    expect(send!.y + send!.height).toBeLessThanOrEqual(600);
    await popup.getByLabel('Reject').check();
    await popup.getByLabel('Reason').selectOption({ index: 1 });
    await popup.getByRole('button', { name: 'Save and send' }).click();
    const status = await popup
      .getByRole('status')
      .filter({ hasText: /^Saved/ })
      .textContent();
    expect(status).toMatch(/^Saved in this browser only\. Team sync is not set up/);
    expect(status).not.toMatch(/endpoint/i);
    await expect.poll(() => crm.locator('baton-lead').getAttribute('data-stage')).toBe('disqualified');
    await expect.poll(() => queue.locator(`[data-record-id="${untouchedId}"]`).count()).toBe(0);
    await popup.close();
  });
});

describe('the console when the endpoint cannot be reached', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await launch();
    page = await h.openExtensionPage('console.html');
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    await page.evaluate(() =>
      chrome.storage.local.set({ endpoint: { url: 'http://127.0.0.1:9', token: 'baton_test_x' } }),
    );
    await page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows this browser’s rules to edit and the SLA document, and says in words why the endpoint’s are missing', async () => {
    await page.getByLabel('Total threshold').waitFor();
    const alert = await page.getByRole('alert').first().textContent();
    expect(alert).toContain('Cannot reach the endpoint at http://127.0.0.1:9');
    expect(alert).toContain('Showing this browser’s rules');
    expect(alert).not.toMatch(/TypeError|Failed to fetch/);
    expect(await page.getByText('Loading…').count()).toBe(0);
    await page.getByRole('tab', { name: 'SLA document' }).click();
    await expect.poll(() => page.locator('#panel-document').textContent()).toMatch(/\S{40,}/);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('alert').first().waitFor();
  });
});

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
