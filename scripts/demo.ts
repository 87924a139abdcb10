/**
 * The demo browser: Chromium with the built extension on the sample CRM pages, served at their real
 * URLs by the same routing the tests use.
 *   npx tsx scripts/demo.ts            a visible window (needs a display), until you close it
 *   npx tsx scripts/demo.ts --screens  the README's screenshots, in English and Japanese, headless:
 *     the panel on a record, chips on a list, the popup's queue, the rules editor and the dashboard,
 *     against a demo-seeded endpoint on loopback (the e2e build: it may reach http://127.0.0.1).
 */
import fs, { mkdirSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { startTestServer } from '../server/test/harness';
import { crmFixtures, fixtureHtml } from '../tests/e2e/fixtures';
import { launch } from '../tests/e2e/harness';

/** The one extension API the page script touches (scripts/ has no chrome typings). */
interface ExtensionGlobal {
  chrome: { storage: { local: { set(items: object): Promise<void> } } };
}

const root = resolve(import.meta.dirname, '..');
const screens = process.argv.includes('--screens');
const outDir = resolve(root, 'docs/screens');

if (screens) {
  mkdirSync(outDir, { recursive: true });
  const dataDir = fs.mkdtempSync(resolve(os.tmpdir(), 'baton-screens-'));
  const server = await startTestServer(
    { name: 'sqlite', freshDatabase: () => ({ BATON_DATA_DIR: dataDir }) },
    { BATON_SEED_DEMO: '1', BATON_LOG_LEVEL: 'silent' },
  );
  try {
    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['ja', 'ja'],
    ] as const) {
      let h = await launch({ locale });
      for (const fixture of crmFixtures) h.serve(fixture.url, fixtureHtml(fixture));
      const shot = async (page: import('playwright-core').Page, name: string) => {
        await page.screenshot({ path: resolve(outDir, `${name}-${lang}.png`) });
        console.log(`wrote docs/screens/${name}-${lang}.png`);
      };
      const setup = await h.openExtensionPage('options.html');
      await setup.evaluate(
        ({ url, token }) =>
          (globalThis as unknown as ExtensionGlobal).chrome.storage.local.set({ endpoint: { url, token } }),
        {
          url: server.url,
          token: server.tokens.marketer,
        },
      );
      await setup.close();
      // A kintone lead nobody has contacted yet, on the afternoon of its handoff (Tue 5 Mar 2024, JST).
      await h.setClock(Date.parse('2024-03-05T14:30:00+09:00'));
      const record = crmFixtures.find((f) => f.file === `kintone/record-${lang}.html`)!;
      const tab = await h.open(record.url);
      await tab.setViewportSize({ width: 1100, height: 560 });
      await tab.locator('baton-lead[data-score]').first().waitFor({ timeout: 15_000 });
      await tab.evaluate(() => {
        for (const host of document.querySelectorAll('baton-lead'))
          host.shadowRoot?.querySelector('details')?.setAttribute('open', '');
      });
      await shot(tab, 'panel');
      const list = crmFixtures.find((f) => f.file === `salesforce/list-${lang}.html`)!;
      const listTab = await h.open(list.url);
      await listTab.setViewportSize({ width: 1100, height: 560 });
      await listTab.locator('baton-lead[data-score]').first().waitFor({ timeout: 15_000 });
      await shot(listTab, 'list');
      await h.close();
      // The popup of a rep of the demo team, today, in a fresh profile: the queue from the team's open
      // handoffs; then the console against the demo history.
      h = await launch({ locale });
      const rep = await h.openExtensionPage('options.html');
      await rep.evaluate(
        ({ url, token }) =>
          (globalThis as unknown as ExtensionGlobal).chrome.storage.local.set({
            endpoint: { url, token },
            repName: '田中 太郎',
          }),
        { url: server.url, token: server.tokens.rep },
      );
      await rep.close();
      const worker = await h.worker();
      await worker.evaluate(() =>
        (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
          name: 'baton-sync',
        }),
      );
      const popup = await h.openExtensionPage('popup.html');
      await popup.setViewportSize({ width: 420, height: 600 });
      await popup.locator('li[data-record-id]').first().waitFor({ timeout: 15_000 });
      await shot(popup, 'popup');
      await popup.close();
      const marketer = await h.openExtensionPage('options.html');
      await marketer.evaluate(
        ({ url, token }) =>
          (globalThis as unknown as ExtensionGlobal).chrome.storage.local.set({ endpoint: { url, token } }),
        { url: server.url, token: server.tokens.marketer },
      );
      await marketer.close();
      // The console against the demo history, at today's date.
      const console_ = await h.openExtensionPage('console.html');
      await console_.setViewportSize({ width: 1280, height: 900 });
      await console_.getByRole('tab').first().waitFor();
      await console_.waitForTimeout(1500);
      await shot(console_, 'rules');
      await console_.getByRole('tab').nth(2).click();
      await console_.waitForTimeout(4000);
      await shot(console_, 'dashboard');
      await h.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
} else {
  const h = await launch({ extensionDir: resolve(root, '.output/chrome-mv3') });
  for (const fixture of crmFixtures) h.serve(fixture.url, fixtureHtml(fixture));
  const first = crmFixtures.filter((f) => f.kind === 'record').slice(0, 1);
  for (const fixture of [...first, ...crmFixtures.filter((f) => f.kind === 'list').slice(0, 1)])
    await h.open(fixture.url);
  console.log('Demo browser open on sample CRM pages. Sample URLs:');
  for (const fixture of crmFixtures) console.log(`  ${fixture.url}`);
  console.log('Close the browser window (or press Ctrl+C) to stop.');
  await new Promise<void>((done) => {
    h.context.on('close', () => done());
    process.on('SIGINT', () => done());
  });
  await h.close();
}
