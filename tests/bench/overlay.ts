/**
 * Real-Chromium benchmark of the overlay (run by `npm run bench`): time from a record's content
 * appearing to its overlay, a 200-row list fully chipped, main-thread time the extension adds to a heavy
 * record page, and the content script's size. Prints a table; targets are in the issue and the README.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import { reportFigure } from '../../scripts/bench-figure';
import { crmFixtures, fixtureHtml } from '../e2e/fixtures';
import { launch } from '../e2e/harness';
import { addedMainThread, HEAVY_PAIRS, PRODUCTION_DIR } from './page-cost';

const recordA = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const recordB = crmFixtures.find((f) => f.file === 'salesforce/record-dynamic-en.html')!;
const list = crmFixtures.find((f) => f.file === 'salesforce/list-en.html')!;
// Pages read by the tiered fallback (issue 15): hooks only (Zoho's current detail page) and labels only
// (a HubSpot lead in a Japanese portal), the costliest tier, a pass over the whole page.
const zohoHooks = crmFixtures.find((f) => f.file === 'zoho/record-crux-en.html')!;
const hubspotLabels = crmFixtures.find((f) => f.file === 'hubspot/record-lead-portal-ja.html')!;
/** The same record markup at a second record URL of the same app: the URL alone names the lead. */
const otherRecord = (url: string, id: string) => {
  const next = String(BigInt(id) + 1n);
  return { url: url.replace(id, next), id: next };
};
const origin = 'https://acme.lightning.force.com';
const bodyOf = (html: string) => /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

/**
 * Rounds of the 200-row list figure (a page-alone render and a chipped list each). One round's difference
 * spreads over 10-35 ms on a 2-core machine; the median of 9 moved by ±3 ms from run to run, as much as
 * a change worth making; 21, a dozen rounds more, narrows it by a third (the square root of 9/21).
 */
const LIST_ROUNDS = 21;

/** A list view of `n` lead rows, built from the fixture's first row (ids made valid 15-char lead ids). */
function bigList(n: number, round = 0): { html: string; ids: string[] } {
  const html = fixtureHtml(list);
  const row = /<tr data-row-key-value="00Q5g00000KzWbT"[\s\S]*?<\/tr>/.exec(html)![0];
  // Each round its own leads: the worker has stored none of them yet, as on a list the rep opens anew.
  const ids = Array.from(
    { length: n },
    (_, i) => `00Q5g${String(round).padStart(2, '0')}00${String(i).padStart(6, '0')}`,
  );
  const rows = ids.map((id) => row.replaceAll('00Q5g00000KzWbT', id)).join('');
  return {
    html: bodyOf(html).replace(
      /(<div class="windowViewMode-maximized oneContent active[\s\S]*?<tbody>)[\s\S]*?(<\/tbody>)/,
      `$1${rows}$2`,
    ),
    ids,
  };
}

/** Overlay latency over 20 single-page navigations alternating between two records of one CRM. */
/** Where one update's time went, from the content script's User Timing marks (lead-page.ts timing()). */
interface Split {
  read: number;
  worker: number;
  draw: number;
}
const splits: Split[] = [];

/** The last update's split, from the content script's User Timing marks (lead-page.ts timing()). */
function lastSplit(page: import('playwright-core').Page): Promise<Split | null> {
  // No named function inside: tsx's keepNames would wrap it in a helper the page does not have.
  return page.evaluate(() => {
    const [update, read, seen, shown] = ['baton:update', 'baton:read', 'baton:seen', 'baton:shown'].map(
      (name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime,
    );
    // In order only: an update that found nothing new to read (a later mutation) marks baton:update
    // again after the read it did not do, and would make the read look negative.
    return update !== undefined &&
      read !== undefined &&
      seen !== undefined &&
      shown !== undefined &&
      update <= read &&
      read <= seen &&
      seen <= shown
      ? { read: read - update, worker: seen - read, draw: shown - seen }
      : null;
  });
}

async function spaLatency(
  tab: import('playwright-core').Page,
  records: { url: string; body: string; id: string }[],
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 1; i <= 20; i++) {
    const { url, body, id } = records[i % 2]!;
    samples.push(
      await tab.evaluate(
        ({ url, body, id }) =>
          new Promise<number>((done) => {
            const observer = new MutationObserver(() => {
              const host = document.querySelector(`baton-lead[data-record-id="${id}"][data-score]`);
              if (host) {
                observer.disconnect();
                done(performance.now() - t0);
              }
            });
            observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
            history.pushState(null, '', url);
            const t0 = performance.now();
            document.body.innerHTML = body;
          }),
        { url, body, id },
      ),
    );
    const split = await lastSplit(tab);
    if (split) splits.push(split);
  }
  return samples;
}

async function overlayLatency() {
  const h = await launch();
  try {
    h.serve(recordA.url, fixtureHtml(recordA));
    const tab = await h.open(recordA.url);
    await tab.locator('baton-lead').waitFor();
    const ids = [recordA.expected[0]!.recordId, recordB.expected[0]!.recordId];
    const samples = await spaLatency(tab, [
      { url: `${origin}/lightning/r/Lead/${ids[0]}/view`, body: bodyOf(fixtureHtml(recordA)), id: ids[0]! },
      { url: `${origin}/lightning/r/Lead/${ids[1]}/view`, body: bodyOf(fixtureHtml(recordB)), id: ids[1]! },
    ]);
    const fallback: Record<string, number[]> = {};
    for (const fixture of [zohoHooks, hubspotLabels]) {
      h.serve(fixture.url, fixtureHtml(fixture));
      const page = await h.open(fixture.url);
      await page.locator('baton-lead[data-score]').waitFor();
      const id = fixture.expected[0]!.recordId;
      const other = otherRecord(fixture.url, id);
      const body = bodyOf(fixtureHtml(fixture));
      fallback[fixture.file] = await spaLatency(page, [
        { url: fixture.url, body, id },
        { url: other.url, body, id: other.id },
      ]);
      await page.close();
    }

    // Paired rounds, each in fresh tabs: the page's own render of 200 rows (parse, style, layout, first
    // paint) on a page Baton ignores, then the same rows on a list Baton chips. The chips cannot appear
    // before the browser has rendered the rows; the figure is the median of each round's difference, so
    // load that comes and goes on the machine falls on both halves of a round alike (one sample of a
    // ~200 ms render moves by more than the target). Fresh tabs for both halves: a tab that rendered the
    // rows before renders them again faster (warm style and font caches), by 20-60 ms.
    const listSamples: number[] = [];
    const renderMs: number[] = [];
    const listSplits: Split[] = [];
    h.serve(list.url, '<html><body></body></html>');
    h.serve(`${origin}/lightning/page/home`, '<html><body></body></html>');
    for (let round = 0; round < LIST_ROUNDS; round++) {
      const plain = await h.open(`${origin}/lightning/page/home`);
      await plain.waitForTimeout(300);
      renderMs.push(
        await plain.evaluate(
          (body) =>
            new Promise<number>((done) => {
              const t0 = performance.now();
              document.body.innerHTML = body;
              requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
            }),
          bigList(200, LIST_ROUNDS + round).html,
        ),
      );
      await plain.close();
      const { html, ids: rowIds } = bigList(200, round);
      const listTab = await h.open(list.url);
      await listTab.waitForTimeout(300);
      listSamples.push(
        await listTab.evaluate(
          ({ body, n }) =>
            new Promise<number>((done) => {
              const observer = new MutationObserver(() => {
                if (document.querySelectorAll('baton-lead[data-score]').length >= n) {
                  observer.disconnect();
                  done(performance.now() - t0);
                }
              });
              observer.observe(document.documentElement, {
                subtree: true,
                childList: true,
                attributes: true,
              });
              const t0 = performance.now();
              document.body.innerHTML = body;
            }),
          { body: html, n: rowIds.length },
        ),
      );
      const split = await lastSplit(listTab);
      if (split) listSplits.push(split);
      const chipped = await listTab.locator('baton-lead').count();
      if (chipped !== 200 || salesforceId18(rowIds[0]!) === null)
        throw new Error(`expected 200 chips, got ${chipped}`);
      await listTab.close();
    }
    const listMs = stats(listSamples).median;
    const listAfterPage = stats(listSamples.map((ms, i) => ms - renderMs[i]!)).median;
    const listPart = (pick: (s: Split) => number) => stats(listSplits.map(pick)).median;
    const listSplit =
      listSplits.length > 0
        ? { read: listPart((s) => s.read), worker: listPart((s) => s.worker), draw: listPart((s) => s.draw) }
        : null;
    return {
      latency: stats(samples),
      hooksLatency: stats(fallback[zohoHooks.file]!),
      labelsLatency: stats(fallback[hubspotLabels.file]!),
      listMs,
      listRenderMs: stats(renderMs).median,
      listAfterPage,
      listSplit,
    };
  } finally {
    await h.close();
  }
}

// One script per CRM (entrypoints/<crm>.content.ts): the largest is the one that counts, in the build
// users install (the e2e build adds a test clock to every script).
const script = readdirSync(resolve(PRODUCTION_DIR, 'content-scripts'))
  .map((file) => readFileSync(resolve(PRODUCTION_DIR, 'content-scripts', file)))
  .sort((a, b) => b.length - a.length)[0]!;
const { latency, hooksLatency, labelsLatency, listMs, listRenderMs, listAfterPage, listSplit } =
  await overlayLatency();
const main = await addedMainThread(recordA);
const mainLabels = await addedMainThread(hubspotLabels);
const part = (pick: (s: Split) => number) => stats(splits.map(pick));
const rows = [
  [
    'overlay after content appears (20 SPA navigations)',
    `median ${latency.median.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms`,
    'p95 ≤ 50 ms',
  ],
  [
    '  where it went (all SPA runs, median / p95)',
    splits.length === 0
      ? 'no User Timing marks seen'
      : `read ${part((s) => s.read).median.toFixed(1)} / ${part((s) => s.read).p95.toFixed(1)}, worker ${part((s) => s.worker).median.toFixed(1)} / ${part((s) => s.worker).p95.toFixed(1)}, draw ${part((s) => s.draw).median.toFixed(1)} / ${part((s) => s.draw).p95.toFixed(1)} ms`,
    '',
  ],
  [
    'same, fields read by hooks (Zoho current page)',
    `median ${hooksLatency.median.toFixed(1)} ms, p95 ${hooksLatency.p95.toFixed(1)} ms`,
    'p95 ≤ 50 ms',
  ],
  [
    'same, fields read by labels (HubSpot ja lead)',
    `median ${labelsLatency.median.toFixed(1)} ms, p95 ${labelsLatency.p95.toFixed(1)} ms`,
    'p95 ≤ 50 ms',
  ],
  [
    '200-row list fully chipped',
    `${listAfterPage.toFixed(1)} ms after the page's own render (median of ${LIST_ROUNDS} paired rounds; medians ${listMs.toFixed(1)} with chips, ${listRenderMs.toFixed(1)} page alone)`,
    '≤ 25 ms after the page',
  ],
  [
    '  where it went (medians)',
    listSplit
      ? `read ${listSplit.read.toFixed(1)}, worker ${listSplit.worker.toFixed(1)}, draw ${listSplit.draw.toFixed(1)} ms`
      : 'no User Timing marks seen',
    '',
  ],
  [
    'main-thread time added to a heavy record page',
    `${main.added.toFixed(1)} ms (median of ${HEAVY_PAIRS} pairs; medians ${main.withExt.toFixed(1)} vs ${main.without.toFixed(1)} ms); CPU ${main.cpuAdded.toFixed(1)} ms`,
    '≤ 20 ms',
  ],
  [
    'same, a heavy page read by labels (HubSpot ja)',
    `${mainLabels.added.toFixed(1)} ms (median of ${HEAVY_PAIRS} pairs; medians ${mainLabels.withExt.toFixed(1)} vs ${mainLabels.without.toFixed(1)} ms); CPU ${mainLabels.cpuAdded.toFixed(1)} ms`,
    '≤ 20 ms',
  ],
  [
    'largest content script (one per CRM)',
    `${(script.length / 1024).toFixed(1)} KB raw, ${(gzipSync(script).length / 1024).toFixed(1)} KB gzip`,
    '< 30 KB gzip',
  ],
];
console.log('\nOverlay in real Chromium');
for (const [what, figure, target] of rows)
  console.log(`  ${what!.padEnd(50)} ${figure!.padEnd(60)} target ${target}`);

const gz = gzipSync(script).length / 1024;
for (const figure of [
  {
    measure: 'record to overlay, p95 of 20 SPA navigations',
    value: `${latency.p95.toFixed(1)} ms`,
    target: '≤ 50 ms',
    pass: latency.p95 <= 50,
  },
  {
    measure: 'record to overlay, fields read by hooks, p95',
    value: `${hooksLatency.p95.toFixed(1)} ms`,
    target: '≤ 50 ms',
    pass: hooksLatency.p95 <= 50,
  },
  {
    measure: 'record to overlay, fields read by labels, p95',
    value: `${labelsLatency.p95.toFixed(1)} ms`,
    target: '≤ 50 ms',
    pass: labelsLatency.p95 <= 50,
  },
  {
    measure: `main-thread time added to a heavy record page (median of ${HEAVY_PAIRS} pairs)`,
    value: `${main.added.toFixed(1)} ms (medians ${main.withExt.toFixed(1)} vs ${main.without.toFixed(1)} ms; CPU ${main.cpuAdded.toFixed(1)} ms)`,
    target: '≤ 20 ms',
    pass: main.added <= 20,
  },
  {
    measure: 'same, a heavy page read by labels (HubSpot ja)',
    value: `${mainLabels.added.toFixed(1)} ms (CPU ${mainLabels.cpuAdded.toFixed(1)} ms)`,
    target: '≤ 20 ms',
    pass: mainLabels.added <= 20,
  },
  {
    measure: "200-row list: chips complete after the page's own render",
    value: `${listAfterPage.toFixed(1)} ms (median of ${LIST_ROUNDS} paired rounds; ${listMs.toFixed(1)} vs ${listRenderMs.toFixed(1)} ms)`,
    target: '≤ 25 ms',
    pass: listAfterPage <= 25,
  },
  {
    measure: 'largest content script (one per CRM)',
    value: `${gz.toFixed(1)} KB gzip`,
    target: '< 30 KB gzip',
    pass: gz < 30,
  },
])
  reportFigure({ ...figure, backend: 'Chromium' });
