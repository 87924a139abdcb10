/**
 * Only the overlay benchmark's "main-thread time added to a heavy record page", for iterating on the
 * page cost: `npx wxt build && npx tsx tests/bench/main-thread.ts [fixture file] [runs] [--control]`
 * (the production build; BATON_BENCH_EXTENSION_DIR=.output/chrome-mv3-e2e for the e2e one).
 * BATON_BENCH_DEBUG=1 prints each load's CDP metrics. `--control` loads the page Baton ignores in both
 * halves of each pair: the figure it prints is the measure's noise on this machine, around 0. It also
 * prints where the added time goes by Chromium's own counters (script, compile, style, layout).
 */
import { crmFixtures } from '../e2e/fixtures';
import { addedMainThread, HEAVY_PAIRS } from './page-cost';

const control = process.argv.includes('--control');
const [file = 'salesforce/record-layout-en.html', runs = String(HEAVY_PAIRS)] = process.argv
  .slice(2)
  .filter((arg) => arg !== '--control');
const fixture = crmFixtures.find((f) => f.file === file);
if (!fixture) throw new Error(`no fixture ${file}`);
const m = await addedMainThread(fixture, Number(runs), control);
console.log(
  `${file}${control ? ' (control: Baton in neither load)' : ''}: added ${m.added.toFixed(1)} ms (median of ${runs} pairs; medians ${m.withExt.toFixed(1)} vs ${m.without.toFixed(1)} ms); main thread CPU added ${m.cpuAdded.toFixed(1)} ms`,
);
// Medians of each counter's own paired differences: they need not add up to the CPU figure above.
console.log(
  `  of which (Chromium's counters): ${Object.entries(m.counters)
    .map(([name, ms]) => `${name.replace('Duration', '')} ${ms.toFixed(1)}`)
    .join(', ')} ms`,
);
