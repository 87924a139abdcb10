import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

/**
 * axe-core, as its Playwright integration runs it, on every surface a person uses: the popup, the options
 * page, each console tab against a demo-seeded endpoint, the feedback page and the in-page overlay (its
 * shadow root is open, so axe walks into it). Serious and critical violations fail the test, listed by
 * rule and element so the failure says what to fix.
 */
async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-axe-e2e-'));

describe.each(['en-US', 'ja'])('accessibility (axe-core) in %s', (locale) => {
  let h: Harness;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      { name: 'sqlite', freshDatabase: () => ({ BATON_DATA_DIR: fs.mkdtempSync(`${dataDir}/`) }) },
      { BATON_SEED_DEMO: '1', BATON_LOG_LEVEL: 'silent' },
    );
    h = await launch({ locale });
    const page = await h.openExtensionPage('options.html');
    await page.evaluate(({ url, token }) => chrome.storage.local.set({ endpoint: { url, token } }), {
      url: server.url,
      token: server.tokens.marketer,
    });
    await page.close();
  });
  afterAll(async () => {
    await h?.close();
    await server?.stop();
  });

  it('finds nothing serious on the options page and the popup', async () => {
    const options = await h.openExtensionPage('options.html');
    await options.locator('input').first().waitFor();
    expect(await seriousViolations(options)).toEqual([]);
    const popup = await h.openExtensionPage('popup.html');
    await popup.locator('main').waitFor();
    await expect.poll(() => popup.locator('[aria-busy="true"]').count()).toBe(0);
    expect(await seriousViolations(popup)).toEqual([]);
    // The check can fail: a button with no name is a critical violation axe must report.
    await popup.evaluate(() => document.body.append(document.createElement('button')));
    expect((await seriousViolations(popup)).join('\n')).toMatch(/^button-name \(critical\)/m);
  });

  it('finds nothing serious on any console tab', async () => {
    const console = await h.openExtensionPage('console.html');
    const tabs = console.getByRole('tab');
    // Every tab the console has (rules, agreement, dashboard, checklist, SLA document, CRM reading...).
    await expect.poll(() => tabs.count()).toBeGreaterThanOrEqual(6);
    const count = await tabs.count();
    await console.getByLabel(locale === 'ja' ? '合計の閾値' : 'Total threshold').waitFor();
    for (let i = 0; i < count; i++) {
      await tabs.nth(i).click();
      const panel = console.locator('[role="tabpanel"]:not([hidden])');
      await panel.waitFor();
      await expect.poll(() => console.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      expect(await seriousViolations(console), (await tabs.nth(i).textContent()) ?? '').toEqual([]);
    }
  });

  it('finds nothing serious in the overlay on a CRM page and in the feedback page', async () => {
    const fixture = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
    h.serve(fixture.url, fixtureHtml(fixture));
    const crm = await h.open(fixture.url);
    await expect.poll(() => crm.locator('baton-lead').getAttribute('data-score')).toMatch(/^\d+$/);
    // Only Baton's own markup is ours to answer for, not the fixture's copy of the CRM page.
    expect(await seriousViolations(crm, 'baton-lead')).toEqual([]);
    const expected = fixture.expected[0]!;
    const params = new URLSearchParams({
      crm: fixture.crm,
      object: expected.object,
      recordId: expected.recordId,
      lang: locale.slice(0, 2),
    });
    const feedback = await h.openExtensionPage(`feedback.html?${params}`);
    await feedback.locator('form').first().waitFor();
    expect(await seriousViolations(feedback)).toEqual([]);
  });
});

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
