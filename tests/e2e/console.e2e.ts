import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadSnapshot } from '../../lib/lead';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { type Harness, launch } from './harness';

/**
 * The marketer's whole path in real Chromium against the real endpoint: edit the threshold, see the
 * preview, propose, sign off as marketing and then as sales (two tokens), the endpoint's active rules
 * change; roll back the same way; a rep token is refused with the reason in words.
 */

/** The console renders the whole rule-set form; give a busy two-core machine time. */
const POLL = { timeout: 20_000, interval: 200 };

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-console-e2e-'));

/** Fit 45, engagement 12 this hour: 57 points, an MQL only once the threshold is 55. */
function nearThreshold(now: number): { key: string; snapshot: LeadSnapshot } {
  const snapshot: LeadSnapshot = {
    crm: 'salesforce',
    object: 'Lead',
    recordId: '00Q5g00000NearAAA',
    fields: { company: '株式会社ニアミス', industry: 'ソフトウェア', employees: '300', title: '営業部長' },
    activities: [
      { type: 'form_submit', title: 'お問い合わせ', at: new Date(now - 60 * 60_000).toISOString() },
      { type: 'web_visit', url: 'https://example.co.jp/', at: new Date(now - 50 * 60_000).toISOString() },
    ],
  };
  return { key: `salesforce:Lead:${snapshot.recordId}`, snapshot };
}

describe('the marketer console', () => {
  let h: Harness;
  let server: TestServer;
  let page: Page;

  const activeThreshold = async () =>
    (await server.call('GET', '/v1/rules/active')).json as {
      version: number;
      rules: { threshold: { total: number } };
    };

  async function actWith(role: 'marketer' | 'manager' | 'rep') {
    await page.getByLabel('Token this console acts with').fill(server.tokens[role]);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByText(/Switched token/).waitFor();
  }

  async function signOff(version: number) {
    await page.getByRole('tab', { name: 'Agreement' }).click();
    const card = page.getByRole('article', { name: new RegExp(`^Version ${version}\\b`) });
    await card.getByRole('button', { name: `Sign off: Version ${version}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Signed off version ${version}` })
      .waitFor();
  }

  beforeAll(async () => {
    server = await startTestServer(
      { name: 'sqlite', freshDatabase: () => ({ BATON_DATA_DIR: dataDir }) },
      { BATON_SEED_DEMO: '1', BATON_LOG_LEVEL: 'silent' },
    );
    h = await launch({ locale: 'en-US' });
    page = await h.openExtensionPage('console.html');
    // Signed in as the marketer through the same setting the options page writes; one lead cached
    // in this browser, as the worker would have stored it after a CRM visit.
    const lead = nearThreshold(Date.now());
    await page.evaluate(
      async ({ url, token, lead }) => {
        await chrome.storage.local.set({ endpoint: { url, token } });
        await new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('baton');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('leads', 'readwrite');
            tx.objectStore('leads').put({
              key: lead.key,
              snapshot: lead.snapshot,
              firstSeenAt: Date.now(),
              lastSeenAt: Date.now(),
              timesSeen: 1,
            });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        });
      },
      { url: server.url, token: server.tokens.marketer, lead },
    );
    await page.reload();
  });

  afterAll(async () => {
    await h?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews the lead that becomes an MQL when the threshold drops to 55', async () => {
    await page.getByText('Draft based on: active version 1').waitFor();
    const count = page.getByTestId('mql-count');
    await expect.poll(() => count.textContent(), POLL).toBe('0 → 0');
    await page.getByLabel('Total threshold').fill('55');
    await expect.poll(() => count.textContent(), POLL).toBe('0 → 1 (+1)');
    const row = page.getByRole('row', { name: /株式会社ニアミス/ });
    expect(await row.getAttribute('data-change')).toBe('became_mql');
  });

  it('proposes, and the rules change only after marketing and then sales sign off', async () => {
    await page.getByRole('tab', { name: 'Agreement' }).click();
    expect(await page.getByRole('list', { name: 'Changes from the active rules' }).textContent()).toBe(
      'Changed Threshold 60 → 55',
    );
    await page.getByRole('button', { name: 'Propose for sign-off' }).click();
    await page.getByRole('status').filter({ hasText: 'Proposed as version 2' }).waitFor();
    expect((await server.call('GET', '/v1/rules/versions/2')).json).toMatchObject({
      status: 'draft',
      note: '- Threshold 60 → 55',
    });

    await signOff(2);
    expect((await activeThreshold()).rules.threshold.total).toBe(60);

    await actWith('manager');
    await signOff(2);
    const active = await activeThreshold();
    expect(active.version).toBe(2);
    expect(active.rules.threshold.total).toBe(55);
    // The history says who signed for which side.
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '2', exact: true }) });
    await expect.poll(() => row.getAttribute('data-status'), POLL).toBe('active');
    expect(await row.textContent()).toContain('Test marketer');
    expect(await row.textContent()).toContain('Test manager');
  });

  it('rolls back with one click, and the rollback needs both sign-offs too', async () => {
    const v1 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1', exact: true }) });
    await v1.getByRole('button', { name: 'Roll back to this version (1)' }).click();
    await page.getByRole('status').filter({ hasText: 'Rollback proposed as version 3' }).waitFor();
    await signOff(3); // as the manager (sales), the token in use
    expect((await activeThreshold()).rules.threshold.total).toBe(55);
    await actWith('marketer');
    await signOff(3);
    const active = await activeThreshold();
    expect(active.version).toBe(3);
    expect(active.rules.threshold.total).toBe(60);
  });

  it('refuses a rep token’s write actions and says why', async () => {
    await actWith('rep');
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByLabel('Total threshold').fill('50');
    await page.getByRole('tab', { name: 'Agreement' }).click();
    await page.getByRole('button', { name: 'Propose for sign-off' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      "The endpoint refused: This needs the role marketer, manager, admin (your role: rep). A rep token cannot propose, sign off or roll back rules; use a marketer's or a manager's token",
    );
    expect((await server.call('GET', '/v1/rules/versions')).json.versions).toHaveLength(3);
  });
});

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
