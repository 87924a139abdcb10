import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmAdapters } from '../../lib/crm';
import { crmFixtures, fixtureHtml } from './fixtures';
import { EXTENSION_DIR, type Harness, launch } from './harness';

const lead = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const other = crmFixtures.find((f) => f.file === 'hubspot/record-contact-en.html')!;
const NON_CRM_URL = 'https://example.com/lightning/r/Lead/00Q5g00000KzWbTEAV/view';
const CRM_NON_LEAD_URL = 'https://acme.lightning.force.com/lightning/r/Account/0015g00000AbCdEFGH/view';

describe('the extension in real Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await launch();
    for (const f of [lead, other]) h.serve(f.url, fixtureHtml(f));
    // The same lead markup at URLs Baton must ignore: another site, and a CRM page that is no lead.
    h.serve(NON_CRM_URL, fixtureHtml(lead));
    h.serve(CRM_NON_LEAD_URL, fixtureHtml(lead));
  });
  afterAll(async () => h?.close());

  it('loads with an id and a running service worker', async () => {
    expect(h.extensionId).toMatch(/^[a-p]{32}$/);
    const worker = await h.worker();
    expect(worker.url()).toBe(`chrome-extension://${h.extensionId}/background.js`);
  });

  it('marks a CRM lead page with a <baton-lead> host answered by the worker', async () => {
    const tab = await h.open(lead.url);
    const host = tab.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-score')).toMatch(/^\d+$/);
    expect(await host.getAttribute('data-record-id')).toBe(lead.expected[0]!.recordId);
    expect(await host.getAttribute('data-crm')).toBe('salesforce');
    await tab.close();
  });

  it('injects nothing on a page outside the CRM hosts, nor on a CRM page that is not a lead', async () => {
    for (const url of [NON_CRM_URL, CRM_NON_LEAD_URL]) {
      const tab = await h.open(url);
      // A lead page gets its host well within a second; give these the same chance.
      await tab.waitForTimeout(1000);
      expect(await tab.locator('baton-lead').count()).toBe(0);
      await tab.close();
    }
  });

  it('keeps what it stored in IndexedDB across a service worker stop', async () => {
    // A mark in the worker's globals proves below that a fresh worker answered, not the old one.
    const before = await h.worker();
    await before.evaluate(() => Object.assign(globalThis, { batonTestMark: true }));
    await h.stopWorker();

    const popup = await h.openExtensionPage('popup.html');
    const item = popup.locator(`li[data-record-id="${lead.expected[0]!.recordId}"]`);
    await expect.poll(() => item.count()).toBe(1);
    const after = await h.worker();
    expect(await after.evaluate(() => 'batonTestMark' in globalThis)).toBe(false);
    await popup.close();
  });

  it('renders the popup with every lead the worker has seen in the queue', async () => {
    const tab = await h.open(other.url);
    await expect.poll(() => tab.locator('baton-lead').getAttribute('data-score')).toMatch(/^\d+$/);
    const popup = await h.openExtensionPage('popup.html');
    await expect.poll(() => popup.getByRole('heading', { name: 'My queue' }).count()).toBe(1);
    const ids = () =>
      popup
        .locator('li[data-record-id]')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.recordId).sort());
    await expect.poll(ids).toEqual([lead.expected[0]!.recordId, other.expected[0]!.recordId].sort());
    await popup.close();
    await tab.close();
  });

  it('lets a test move the clock the extension sees', async () => {
    const target = Date.parse('2027-01-04T09:00:00+09:00');
    await h.setClock(target);
    const worker = await h.worker();
    const seen = await worker.evaluate(async () => {
      const { e2eClockOffsetMs } = await chrome.storage.local.get('e2eClockOffsetMs');
      return Date.now() + (e2eClockOffsetMs as number);
    });
    expect(Math.abs(seen - target)).toBeLessThan(5_000);
    await h.setClock(Date.now());
  });
});

declare const chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };

describe('the content scripts', () => {
  const scripts = readdirSync(join(EXTENSION_DIR, 'content-scripts')).filter((f) => f.endsWith('.js'));

  it('are one per CRM, each loaded on exactly its adapter’s hosts, after the dock on every CRM host', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      content_scripts: { matches: string[]; js: string[]; run_at: string }[];
      web_accessible_resources: { resources: string[]; matches: string[] }[];
    };
    const [dock, ...crms] = manifest.content_scripts;
    // The dock first, before the page's first frame, wherever a CRM's script may run.
    expect([dock!.js, dock!.run_at, [...dock!.matches].sort()]).toEqual([
      ['dock.js'],
      'document_start',
      [...new Set(crmAdapters.flatMap((a) => a.matchPatterns))].sort(),
    ]);
    const injected = Object.fromEntries(crms.map((entry) => [entry.js.join(), [...entry.matches].sort()]));
    expect(injected).toEqual(
      Object.fromEntries(
        crmAdapters.map((adapter) => [`content-loaders/${adapter.id}.js`, [...adapter.matchPatterns].sort()]),
      ),
    );
    // Each loader imports its CRM's script (docs/decisions/0007), which only that CRM's pages may load.
    for (const adapter of crmAdapters) {
      const loader = readFileSync(join(EXTENSION_DIR, 'content-loaders', `${adapter.id}.js`), 'utf8');
      expect(loader).toContain(`getURL("/content-scripts/${adapter.id}.js")`);
      const accessible = manifest.web_accessible_resources.filter((entry) =>
        entry.resources.includes(`content-scripts/${adapter.id}.js`),
      );
      expect(accessible.map((entry) => [...entry.matches].sort())).toEqual([
        [...adapter.matchPatterns].sort(),
      ]);
    }
    expect(scripts.sort()).toEqual(crmAdapters.map((adapter) => `${adapter.id}.js`).sort());
  });

  it('stay small: no zod, no rule compiler, no other CRM’s adapter, under 30 KB gzipped (docs/decisions/0003)', () => {
    // Markers that survive minification: zod's issue code and the rule compiler's word-boundary pattern
    // (lib/scoring/compile.ts). Each is checked to be in the rest of the build, so its absence means something.
    const rest = ['background.js', ...readdirSync(join(EXTENSION_DIR, 'chunks')).map((f) => `chunks/${f}`)]
      .map((f) => readFileSync(join(EXTENSION_DIR, f), 'utf8'))
      .join('\n');
    for (const file of scripts) {
      const script = readFileSync(join(EXTENSION_DIR, 'content-scripts', file), 'utf8');
      for (const marker of ['invalid_type', '(?<![a-z0-9])']) {
        expect(rest.includes(marker), marker).toBe(true);
        expect(script.includes(marker), `${file}: ${marker}`).toBe(false);
      }
      // Each adapter's display name is a string literal only its own file holds (in any quotes).
      for (const adapter of crmAdapters) {
        const literal = ['"', "'", '`'].some((q) => script.includes(`${q}${adapter.name}${q}`));
        expect(literal, `${file} holds ${adapter.name}`).toBe(file === `${adapter.id}.js`);
      }
      expect(gzipSync(script).length, file).toBeLessThan(30 * 1024);
    }
  });
});
