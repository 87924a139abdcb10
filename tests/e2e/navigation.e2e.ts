import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

const recordA = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const recordB = crmFixtures.find((f) => f.file === 'salesforce/record-dynamic-en.html')!;
const list = crmFixtures.find((f) => f.file === 'salesforce/list-en.html')!;
const idA = recordA.expected[0]!.recordId;
const idB = recordB.expected[0]!.recordId;
// Record B's page, reached inside the same single-page app (same origin as A).
const urlB = `https://acme.lightning.force.com/lightning/r/Lead/${idB}/view`;
const accountUrl = 'https://acme.lightning.force.com/lightning/r/Account/0015g00000AbCdEFGH/view';

/** Replaces the page's body with another saved page's, as an SPA does on navigation (test-owned HTML). */
function bodyOf(html: string): string {
  return /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
}

describe('single-page navigation, late and virtualised rows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
    h.serve(recordA.url, fixtureHtml(recordA));
    h.serve(list.url, fixtureHtml(list));
  });
  afterAll(async () => h?.close());

  it('swaps the panel when the app moves from one lead to another without a reload', async () => {
    const tab = await h.open(recordA.url);
    const hosts = tab.locator('baton-lead');
    await expect.poll(() => hosts.getAttribute('data-record-id')).toBe(idA);
    const navigations = await tab.evaluate(() => performance.getEntriesByType('navigation').length);

    await tab.evaluate(
      ({ url, body }) => {
        history.pushState(null, '', url);
        document.body.innerHTML = body;
      },
      { url: urlB, body: bodyOf(fixtureHtml(recordB)) },
    );
    await expect
      .poll(() => hosts.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.recordId)))
      .toEqual([idB]);
    // Still the same document: no reload happened.
    expect(await tab.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(navigations);

    await tab.evaluate(
      ({ url }) => {
        history.pushState(null, '', url);
        document.body.innerHTML = '<div class="oneContent active"><h1>Account</h1></div>';
      },
      { url: accountUrl },
    );
    await expect.poll(() => hosts.count()).toBe(0);

    await tab.goBack(); // popstate back to B's URL; the app would re-render B
    await tab.evaluate(
      (body) => {
        document.body.innerHTML = body;
      },
      bodyOf(fixtureHtml(recordB)),
    );
    await expect.poll(() => hosts.getAttribute('data-record-id')).toBe(idB);
    await tab.close();
  });

  it('chips rows that render late, and drops chips of rows that go away', async () => {
    const tab = await h.open(list.url);
    const chips = tab.locator('baton-lead');
    await expect.poll(() => chips.count()).toBe(list.expected.length);
    const html = await tab.evaluate(() => {
      const saved = document.body.innerHTML;
      document.body.replaceChildren();
      return saved;
    });
    await expect.poll(() => chips.count()).toBe(0);
    await tab.waitForTimeout(300);
    await tab.evaluate(
      (body) => {
        document.body.innerHTML = body;
      },
      html.replace(/<baton-lead[^>]*><\/baton-lead>/g, ''),
    );
    await expect.poll(() => chips.count()).toBe(list.expected.length);
    await tab.close();
  });

  it('re-keys the chip when a virtualised list reuses a row for another lead', async () => {
    const tab = await h.open(list.url);
    const first = list.expected[0]!.recordId;
    await expect.poll(() => tab.locator(`baton-lead[data-record-id="${first}"]`).count()).toBe(1);
    const reused = '00Q5g00000Tt9Jk';
    await tab.evaluate(
      ({ from, to }) => {
        const row = document.querySelector(`.oneContent.active tr[data-row-key-value="${from}"]`)!;
        row.setAttribute('data-row-key-value', to);
        const link = row.querySelector('a')!;
        link.setAttribute('href', `/lightning/r/${to}/view`);
        link.textContent = 'Keiko Sato';
      },
      { from: first.slice(0, 15), to: reused },
    );
    await expect
      .poll(() => tab.locator(`baton-lead[data-record-id="${salesforceId18(reused)}"]`).count())
      .toBe(1);
    expect(await tab.locator(`baton-lead[data-record-id="${first}"]`).count()).toBe(0);
    expect(await tab.locator('baton-lead').count()).toBe(list.expected.length);
    await tab.close();
  });

  it('shows the same lead the same way after the worker was stopped', async () => {
    const tab = await h.open(recordA.url);
    const host = tab.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-score')).toMatch(/^\d+$/);
    const before = await host.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    await h.stopWorker();
    await tab.reload();
    await expect.poll(() => host.getAttribute('data-score')).toMatch(/^\d+$/);
    const after = await host.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    expect(after).toEqual(before);
    await tab.close();
  });
});
