import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackEndpoint, startLoopbackEndpoint } from './fault-proxy';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * The read health report end to end: the built extension in Chromium counts how it read recognised CRM
 * pages (fields by tier, pages with nothing read, a list whose rows it could not read), the sync run
 * sends the counts to the REAL endpoint on loopback, and the options page and the console show them.
 */
const readable = crmFixtures.find((f) => f.file === 'zoho/record-crux-en.html')!;
const unreadable = crmFixtures.find((f) => f.file === 'zoho/record-canvas-ja.html')!;
// A kintone list view whose rows are rendered by a plug-in with no record links: nothing to read.
const EMPTY_LIST = 'https://sample-jp.cybozu.com/k/99/?view=1';
const emptyListHtml =
  '<!DOCTYPE html><html lang="ja"><body><div class="custom-list"><div class="card">株式会社テスト</div></div></body></html>';

describe('CRM read health, from the page to the endpoint and the console', () => {
  let h: Harness;
  let endpoint: LoopbackEndpoint;
  const today = new Date().toISOString().slice(0, 10);

  const fireSyncAlarm = async () => {
    const worker = await h.worker();
    await worker.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-sync',
      }),
    );
  };

  beforeAll(async () => {
    endpoint = await startLoopbackEndpoint();
    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(readable.url, fixtureHtml(readable));
    h.serve(unreadable.url, fixtureHtml(unreadable));
    h.serve(EMPTY_LIST, emptyListHtml);
    const options = await h.openExtensionPage('options.html');
    await options.getByLabel('Endpoint URL').fill(endpoint.url);
    await options.getByLabel('Token').fill(endpoint.tokens.marketer);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').filter({ hasText: '✓ Saved' }).waitFor();
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
    await endpoint?.dispose();
  });

  it('says once, in a small banner, that a list view has no readable rows', async () => {
    const tab = await h.open(EMPTY_LIST);
    const banner = tab.locator('baton-notice');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain(
      'Baton could not read the lead rows of this list.',
    );
    expect(await tab.locator('baton-lead').count()).toBe(0);
    await tab.close();
  });

  it('counts fields per tier and pages with nothing read, and the endpoint receives the counts', async () => {
    for (const fixture of [readable, unreadable]) {
      const tab = await h.open(fixture.url);
      await expect.poll(() => tab.locator('baton-lead').count(), { timeout: 10_000 }).toBe(1);
      await tab.close();
    }
    await expect
      .poll(
        async () => {
          await fireSyncAlarm();
          const answer = await endpoint.call('GET', `/v1/read-health?since=${today}`, 'manager');
          return (answer.json as { counts: unknown[] }).counts;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toEqual([
        {
          day: today,
          crm: 'kintone',
          pageKind: 'list',
          pages: 1,
          nothingRead: 1,
          selector: 0,
          hook: 0,
          label: 0,
        },
        {
          day: today,
          crm: 'zoho',
          pageKind: 'record',
          pages: 2,
          nothingRead: 1,
          selector: 0,
          hook: 10,
          label: 0,
        },
      ]);
    // Counts only: nothing of the pages' text reached the endpoint's database.
    const stored = JSON.stringify(endpoint.sqlite().prepare('SELECT * FROM read_health').all());
    for (const value of ['Tanaka', 'Hanako', '森田', '5725767000000412001'])
      expect(stored).not.toContain(value);
  });

  it("shows this browser's counts on the options page and the team's in the console", async () => {
    const options = await h.openExtensionPage('options.html');
    await expect
      .poll(() => options.getByText(`Zoho CRM record pages: nothing read on 1 of 2 since ${today}`).count())
      .toBe(1);
    await options.close();

    const consolePage = await h.openExtensionPage('console.html#health');
    await expect
      .poll(() => consolePage.getByText(`kintone list pages: nothing read on 1 of 1 since ${today}`).count())
      .toBe(1);
    expect(await consolePage.getByRole('tab', { name: 'CRM reading' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await consolePage.close();
  });
});
