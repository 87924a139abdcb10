/**
 * A V8 CPU profile of loading a heavy CRM record page with the extension, through Chromium's CDP
 * Profiler (content scripts run on the page's main thread, so they are in it). For the closing note's
 * "top frames before and after":
 *   BATON_PROFILE=1 npx wxt build && npx tsx tests/bench/profile-page.ts [fixture file] [out.cpuprofile]
 *   node scripts/profile-top.mjs out.cpuprofile 20
 */
import { writeFileSync } from 'node:fs';
import { crmFixtures } from '../e2e/fixtures';
import { launch } from '../e2e/harness';
import { heavyPage, PRODUCTION_DIR } from './page-cost';

const [file = 'salesforce/record-layout-en.html', out = '/tmp/baton-page.cpuprofile'] = process.argv.slice(2);
const fixture = crmFixtures.find((f) => f.file === file);
if (!fixture) throw new Error(`no fixture ${file}`);
const heavy = heavyPage(fixture);

const h = await launch({ extensionDir: process.env.BATON_BENCH_EXTENSION_DIR ?? PRODUCTION_DIR });
try {
  h.serve(fixture.url, heavy);
  const warm = await h.open(fixture.url); // the worker's first start is not page cost
  await warm.locator('baton-lead[data-score]').waitFor();
  await warm.close();
  const page = await h.context.newPage();
  const cdp = await h.context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(fixture.url);
  await new Promise((done) => setTimeout(done, 1000));
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  console.log(`wrote ${out}`);
} finally {
  await h.close();
}
