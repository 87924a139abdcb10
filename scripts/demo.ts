/**
 * The demo browser: Chromium with the built extension on the sample CRM pages, served at their real
 * URLs by the same routing the tests use.
 *   npx tsx scripts/demo.ts            a visible window (needs a display), until you close it
 *   npx tsx scripts/demo.ts --screens  PNG screenshots of the overlay on each sample page, headless
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { crmFixtures, fixtureHtml } from '../tests/e2e/fixtures';
import { launch } from '../tests/e2e/harness';

const root = resolve(import.meta.dirname, '..');
const screens = process.argv.includes('--screens');
const outDir = resolve(root, 'docs/screens');

const h = await launch({
  extensionDir: resolve(root, '.output/chrome-mv3'),
  headed: !screens,
  locale: process.env.BATON_DEMO_LANG ?? (screens ? 'en-US' : undefined),
});
for (const fixture of crmFixtures) h.serve(fixture.url, fixtureHtml(fixture));

if (screens) {
  mkdirSync(outDir, { recursive: true });
  for (const fixture of crmFixtures) {
    const tab = await h.open(fixture.url);
    await tab
      .locator('baton-lead[data-score]')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => {});
    // Open the explanation on record pages, so the screenshot shows why the lead was handed over.
    await tab.evaluate(() => {
      for (const host of document.querySelectorAll('baton-lead'))
        host.shadowRoot?.querySelector('details')?.setAttribute('open', '');
    });
    const name = fixture.file.replace(/\//g, '-').replace(/\.html$/, '.png');
    await tab.screenshot({ path: resolve(outDir, name), fullPage: false });
    await tab.close();
    console.log(`wrote docs/screens/${name}`);
  }
  await h.close();
} else {
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
