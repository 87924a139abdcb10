/**
 * The worker's alert check with many stored leads (decision 0008): the alarm's check and the badge after
 * it, timed inside the real service worker of the e2e build, with `leads` stored leads of which `waiting`
 * (a share) still wait for first contact:
 *   npx wxt build --mode e2e && npx tsx tests/bench/alert-check.ts [leads] [waiting]
 * BATON_BENCH_EXTENSION_DIR names another e2e build (an older release's, to compare). Not a target line
 * of `npm run bench`: a figure for decisions, printed as the median of 26 checks over two browsers.
 *
 * The leads are copies of one the extension stored from a real record page, written straight to
 * IndexedDB: the ones that wait keep their SLA open, the others are contacted within a minute. A raw
 * write skips Dexie's middleware, so the seeding sets the mark the middleware would
 * (extension/awaiting-contact.ts) wherever the build has its index.
 */
import { resolve } from 'node:path';
import { crmFixtures, fixtureHtml } from '../e2e/fixtures';
import { launch } from '../e2e/harness';

const [leads = '10000', waiting = '0.05'] = process.argv.slice(2);
const extensionDir =
  process.env.BATON_BENCH_EXTENSION_DIR ?? resolve(import.meta.dirname, '../../.output/chrome-mv3-e2e');
const record = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const CHECKS = 15;
const WARM_UP = 2;

// Runs in the worker: a string, so that no bundler helper leaks into the function's source.
const seed = (n: number, share: number) => `(async () => {
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open('baton');
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  const stored = await new Promise((ok) => {
    const all = db.transaction('leads').objectStore('leads').getAll();
    all.onsuccess = () => ok(all.result);
  });
  const base = stored.find((lead) => lead.view && lead.view.handoff);
  if (!base) throw new Error('the record page stored no handed-over lead');
  const indexed = db.transaction('leads').objectStore('leads').indexNames.contains('awaitingContact');
  const tx = db.transaction('leads', 'readwrite');
  for (let i = 0; i < ${n}; i++) {
    const row = structuredClone(base);
    const id = '00Q' + String(i).padStart(12, '0');
    row.key = 'salesforce:Lead:' + id;
    row.snapshot.recordId = row.view.recordId = id;
    const waits = i < ${n * share};
    const at = row.view.handoff.at;
    row.view.sla = waits
      ? { ...row.view.sla, state: 'overdue', contactedAt: null }
      : { ...row.view.sla, state: 'met', contactedAt: at + 60000, ladder: [] };
    if (waits && indexed) row.awaitingContact = 1;
    else delete row.awaitingContact;
    tx.objectStore('leads').put(row);
  }
  await new Promise((done) => (tx.oncomplete = done));
})()`;

const checks = `(async () => {
  const times = [];
  for (let i = 0; i < ${CHECKS}; i++) {
    const started = performance.now();
    await globalThis.batonFireAlarm({ name: 'baton-alerts' });
    times.push(performance.now() - started);
  }
  return times;
})()`;

const samples: number[] = [];
for (let browser = 0; browser < 2; browser++) {
  const h = await launch({ extensionDir });
  try {
    h.serve(record.url, fixtureHtml(record));
    const page = await h.open(record.url);
    await page.locator('baton-lead[data-score]').waitFor();
    await page.close();
    const worker = await h.worker();
    await worker.evaluate(seed(Number(leads), Number(waiting)));
    const times: number[] = await worker.evaluate(checks);
    samples.push(...times.slice(WARM_UP));
  } finally {
    await h.close();
  }
}
const sorted = [...samples].sort((a, b) => a - b);
console.log(
  `alert check and badge, ${leads} stored leads, ${Number(waiting) * 100}% waiting: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms of ${sorted.length} (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`,
);
