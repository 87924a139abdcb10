/**
 * Main-thread cost of the extension on a page, shared by the overlay benchmark and
 * tests/bench/main-thread.ts (the same measure, alone, for iterating).
 */

import { resolve } from 'node:path';
import { type CrmFixture, fixtureHtml } from '../e2e/fixtures';
import { launch } from '../e2e/harness';

/**
 * The build users install (`wxt build`): the e2e build adds a storage-backed test clock to every
 * content script, which is not what a rep's CRM pays for.
 */
export const PRODUCTION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3');

const bodyOf = (html: string) => /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length / 2) - 1]!;

/** The benchmark's heavy record page: the fixture's body and 5,000 unrelated blocks after it. */
export function heavyPage(fixture: CrmFixture): string {
  return `<html><body>${bodyOf(fixtureHtml(fixture))}${'<div class="filler"><span>x</span></div>'.repeat(5000)}</body></html>`;
}

/**
 * Pairs of heavy-page loads per figure. One pair's difference has a standard deviation of 14 ms on this
 * machine class, measured by control runs (`tests/bench/main-thread.ts --control`: Baton in neither load, so
 * the true figure is 0); the median's is 3.6 ms over 21 pairs and 2.8 over 41. 41 pairs, about 2 minutes a
 * page. The runs: decision 0007, "Later (stop 34)".
 */
export const HEAVY_PAIRS = 41;

/** Chromium's per-kind main-thread durations that a content script and its panel can add to. */
const COUNTERS = ['ScriptDuration', 'V8CompileDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;

/**
 * Main-thread task time of loading a heavy record page with and without the extension's work, in the
 * same browser: the same markup at the CRM URL (the content script runs) and at a URL it does not match.
 */
export async function addedMainThread(
  fixture: CrmFixture,
  runs = HEAVY_PAIRS,
  /** The control: both loads of each pair at the URL Baton ignores, so what the figure reads is noise. */
  control = false,
): Promise<{
  withExt: number;
  without: number;
  cpuWith: number;
  cpuWithout: number;
  /** Median of each pair's difference (with − without, loaded back to back): the figure. */
  added: number;
  cpuAdded: number;
  /**
   * Median paired differences of Chromium's own main-thread counters (`Performance.getMetrics`), ms:
   * where the added time goes without a trace's overhead (`tests/bench/main-thread.ts` prints them).
   */
  counters: Record<(typeof COUNTERS)[number], number>;
}> {
  const heavy = heavyPage(fixture);
  const elsewhere = `https://intranet.example.com${new URL(fixture.url).pathname}`;
  const h = await launch({ extensionDir: process.env.BATON_BENCH_EXTENSION_DIR ?? PRODUCTION_DIR });
  try {
    h.serve(fixture.url, heavy);
    h.serve(elsewhere, heavy);
    const load = async (url: string) => {
      const page = await h.context.newPage();
      const cdp = await h.context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(url);
      // A fixed wait rather than polling for the overlay: polling is DevTools work on the measured thread.
      await new Promise((done) => setTimeout(done, 1000));
      const { metrics } = await cdp.send('Performance.getMetrics');
      const overlays = await page.locator('baton-lead[data-score]').count();
      if (overlays !== (url === fixture.url ? 1 : 0))
        throw new Error(`unexpected overlay count ${overlays} on ${url}`);
      await page.close();
      if (process.env.BATON_BENCH_DEBUG)
        console.log(
          url.slice(8, 20),
          metrics
            .filter((m) => /(Duration|Count|Time)$/.test(m.name))
            .map(
              (m) => `${m.name}=${/(Duration|Time)$/.test(m.name) ? (m.value * 1000).toFixed(1) : m.value}`,
            )
            .join(' '),
        );
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      // Task time is wall time: on a busy machine it counts the moments the thread waited for a core.
      // ThreadTime is the main thread's CPU time, the cross-check that load does not move.
      return {
        task: metric('TaskDuration') - metric('DevToolsCommandDuration'),
        cpu: metric('ThreadTime'),
        counters: COUNTERS.map(metric),
      };
    };
    type Load = Awaited<ReturnType<typeof load>>;
    const withExt: Load[] = [];
    const without: Load[] = [];
    await load(fixture.url); // warm-up: the worker's first start is not page load cost
    for (let i = 0; i < runs; i++) {
      withExt.push(await load(control ? elsewhere : fixture.url));
      without.push(await load(elsewhere));
    }
    // The figure pairs each load with the next one without Baton: load that comes and goes on the
    // machine then falls on both of a pair, where the difference of two medians mixes moments.
    return {
      added: median(withExt.map((m, i) => m.task - without[i]!.task)),
      cpuAdded: median(withExt.map((m, i) => m.cpu - without[i]!.cpu)),
      counters: Object.fromEntries(
        COUNTERS.map((name, k) => [
          name,
          median(withExt.map((m, i) => m.counters[k]! - without[i]!.counters[k]!)),
        ]),
      ) as Record<(typeof COUNTERS)[number], number>,
      withExt: median(withExt.map((m) => m.task)),
      without: median(without.map((m) => m.task)),
      cpuWith: median(withExt.map((m) => m.cpu)),
      cpuWithout: median(without.map((m) => m.cpu)),
    };
  } finally {
    await h.close();
  }
}
