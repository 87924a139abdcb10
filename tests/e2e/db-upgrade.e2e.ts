import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * The database upgrade on a browser that ran an older release, in real Chromium: the worker opens a
 * version 8 database (release 8's schema, written here by plain IndexedDB, with rows as that release
 * stored them) and version 9 marks the leads the alert check reads (extension/awaiting-contact.ts,
 * decision 0008), so an overdue lead stored before the update still reaches the badge.
 */
const { recordId, url: LEAD_URL, html } = untouchedSalesforceLead('00Q5g00000Up8Ab');
const WAITING = `salesforce:Lead:${recordId}`;
const CONTACTED_ID = '00Q5g00000Up9CdEAK';
const CONTACTED = `salesforce:Lead:${CONTACTED_ID}`;

/** Release 8's stores and indexes, as Dexie made them from its schema strings (extension/db.ts). */
const RELEASE_8 = {
  leads: { keyPath: 'key', indexes: { lastSeenAt: 'lastSeenAt' } },
  rules: { keyPath: 'slot', indexes: {} },
  outbox: {
    keyPath: 'idempotencyKey',
    indexes: { '[state+createdAt]': ['state', 'createdAt'], leadKey: 'leadKey' },
  },
  syncChannels: { keyPath: 'channel', indexes: {} },
  teamState: { keyPath: 'key', indexes: { fetchedAt: 'fetchedAt' } },
  reminders: { keyPath: 'kind', indexes: {} },
  alerts: { keyPath: 'id', indexes: { leadKey: 'leadKey' } },
  readHealth: { keyPath: 'key', indexes: { day: 'day', updatedAt: 'updatedAt' } },
  pageMaps: { keyPath: 'slot', indexes: {} },
};

describe('the database upgrade in real Chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(LEAD_URL, html);
  });
  afterAll(async () => h?.close());

  it('marks the leads an older release stored, so the badge counts one that is overdue', async () => {
    // A lead as this release stores it, read once on its record page: untouched, so its SLA waits.
    const tab = await h.open(LEAD_URL);
    await expect
      .poll(() => tab.locator('baton-lead').getAttribute('data-sla-state'))
      .toMatch(/running|due_soon|overdue/);
    await tab.close();

    // With no worker holding it, the database goes back to release 8 in the extension's origin (a page of
    // the extension that opens no database: its manifest), keeping the lead as release 8 stored it.
    await h.stopWorker();
    const page = await h.context.newPage();
    await page.goto(`chrome-extension://${h.extensionId}/manifest.json`);
    const stored = await page.evaluate(
      async ({ schema, waiting, contacted }) => {
        const request = <T>(r: IDBRequest<T>) =>
          new Promise<T>((ok, fail) => {
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          });
        const current = await request(indexedDB.open('baton'));
        const lead = await request(current.transaction('leads').objectStore('leads').get(waiting));
        current.close();
        await request(indexedDB.deleteDatabase('baton'));
        const open = indexedDB.open('baton', 80);
        open.onupgradeneeded = () => {
          for (const [name, store] of Object.entries(schema)) {
            const created = open.result.createObjectStore(name, { keyPath: store.keyPath });
            for (const [index, keyPath] of Object.entries(store.indexes)) created.createIndex(index, keyPath);
          }
        };
        const old = await request(open);
        const { awaitingContact: _mark, ...asReleased } = lead;
        const answered = structuredClone(asReleased);
        answered.key = `salesforce:Lead:${contacted}`;
        answered.snapshot.recordId = answered.view.recordId = contacted;
        answered.view.sla = {
          ...answered.view.sla,
          state: 'met',
          contactedAt: answered.view.handoff.at + 60_000,
        };
        const tx = old.transaction('leads', 'readwrite');
        tx.objectStore('leads').put(asReleased);
        tx.objectStore('leads').put(answered);
        await new Promise((done) => (tx.oncomplete = done));
        old.close();
        return { hadMark: lead.awaitingContact === 1, dueAt: lead.view.sla.dueAt as number };
      },
      { schema: RELEASE_8, waiting: WAITING, contacted: CONTACTED_ID },
    );
    expect(stored.hadMark).toBe(true);

    // Past the lead's due time, a fresh worker opens the release 8 database.
    await h.setClock(stored.dueAt + 60_000);
    const popup = await h.openExtensionPage('popup.html');
    await expect.poll(() => popup.locator(`li[data-record-id="${recordId}"]`).count()).toBe(1);
    await popup.close();
    const w = await h.worker();
    await expect.poll(() => w.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');

    const upgraded = await page.evaluate(async () => {
      const request = <T>(r: IDBRequest<T>) =>
        new Promise<T>((ok, fail) => {
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
      const db = await request(indexedDB.open('baton'));
      const leads = db.transaction('leads').objectStore('leads');
      const marked = await request(leads.index('awaitingContact').getAllKeys());
      const stored = await request(leads.getAllKeys());
      const version = db.version;
      const teamIndexes = [...db.transaction('teamState').objectStore('teamState').indexNames];
      db.close();
      return { version, stored, marked, teamIndexes };
    });
    expect(upgraded).toEqual({
      version: 90,
      stored: [CONTACTED, WAITING].sort(),
      marked: [WAITING],
      teamIndexes: ['fetchedAt', 'handedOver'],
    });
    await page.close();
  });
});

// The worker's global, inside worker.evaluate: only what this file calls.
declare const chrome: { action: { getBadgeText(details: object): Promise<string> } };
