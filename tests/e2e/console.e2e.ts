import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import type { LeadSnapshot } from '../../lib/lead';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { type Harness, launch } from './harness';

/**
 * The marketer's whole path in real Chromium against the real endpoint: edit the threshold, see the
 * preview, propose, sign off as marketing and then as sales (two tokens), the endpoint's active rules
 * change; roll back the same way; a rep token sees its write actions disabled with the reason in words,
 * and the endpoint refuses it.
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

/**
 * A Salesforce lead page for the same kind of lead: fit 45 (ICP industry and size, a head), engagement 12
 * from yesterday's form and site visit. 57 points: "new" under the threshold of 60, an MQL under 55.
 */
const crmRecordId = salesforceId18('00Q5g00000Cn5Ab')!;
const crmUrl = `https://acme.lightning.force.com/lightning/r/Lead/${crmRecordId}/view`;
function crmPage(now: number): string {
  const yesterday = new Date(now - 24 * 60 * 60_000);
  const month = yesterday.toLocaleString('en-US', { month: 'long', timeZone: 'Asia/Tokyo' });
  const year = yesterday.toLocaleString('en-US', { year: 'numeric', timeZone: 'Asia/Tokyo' });
  const day = yesterday.toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'Asia/Tokyo' });
  const field = (label: string, value: string) =>
    `<records-record-layout-item field-label="${label}"><span class="test-id__field-value">${value}</span></records-record-layout-item>`;
  const item = (title: string) =>
    `<li><div class="slds-timeline__item_expandable slds-timeline__item_task"><h3 class="slds-timeline__title"><a>${title}</a></h3><p class="slds-timeline__date">${day}</p></div></li>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lead | Salesforce</title></head><body>
<div class="oneContent active">
${field('Company', 'Near Miss K.K.')}${field('Title', 'Head of IT')}${field('Lead Status', 'Open - Not Contacted')}
${field('Industry', 'Technology')}${field('No. of Employees', '250')}${field('Lead Source', 'Web')}
<div class="slds-section"><h3 class="slds-section__title"><span>${month} • ${year}</span></h3>
<ul class="slds-timeline">${item('Form: Contact us')}${item('Web visit')}</ul></div>
</div></body></html>`;
}

describe('the marketer console', () => {
  let h: Harness;
  let server: TestServer;
  let page: Page;
  let crm: Page;

  const fireSyncAlarm = async () => {
    const worker = await h.worker();
    await worker.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-sync',
      }),
    );
  };
  const overlayStage = () => crm.locator('baton-lead').getAttribute('data-stage');

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
    await card.getByRole('button', { name: `Sign off version ${version}` }).click();
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
    await page.getByText('Signed in as: Test marketer · marketer').waitFor();
    const count = page.getByTestId('mql-count');
    await expect.poll(() => count.textContent(), POLL).toBe('0 → 0');
    await page.getByLabel('Total threshold').fill('55');
    await expect.poll(() => count.textContent(), POLL).toBe('0 → 1 (+1)');
    const row = page.getByRole('row', { name: /株式会社ニアミス/ });
    expect(await row.getAttribute('data-change')).toBe('became_mql');
    // And against the team's recorded handoffs (the demo history): the history holds only leads that
    // were handed over, so a lower threshold finds no new ones, and a higher one hands over fewer.
    const team = page.getByTestId('team-preview');
    await team.waitFor(POLL);
    const perWeek = async (): Promise<number[]> => {
      const m = /MQLs per week \(now → draft\)([\d.,]+) → ([\d.,]+)/.exec((await team.textContent()) ?? '');
      return m ? [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))] : [];
    };
    await expect.poll(async () => (await perWeek()).length, POLL).toBe(2);
    await page.getByLabel('Total threshold').fill('75');
    await expect
      .poll(async () => {
        const [now, draft] = await perWeek();
        return now !== undefined && draft !== undefined && draft < now;
      }, POLL)
      .toBe(true);
    await page.getByLabel('Total threshold').fill('55');
  });

  it('proposes, and the rules change only after marketing and then sales sign off', async () => {
    // A rep's CRM page open in this browser, scored by the active version 1.
    h.serve(crmUrl, crmPage(Date.now()));
    crm = await h.open(crmUrl);
    await fireSyncAlarm();
    await expect.poll(() => crm.locator('baton-lead').getAttribute('data-score'), POLL).toBe('57');
    expect(await overlayStage()).toBe('new');
    await page.bringToFront();

    await page.getByRole('tab', { name: 'Agreement' }).click();
    expect(await page.getByRole('list', { name: 'Changes from the active rules' }).textContent()).toBe(
      'Changed Threshold 60 → 55',
    );
    const propose = page.getByRole('button', { name: 'Propose for sign-off' });
    // A double click proposes once.
    await propose.dblclick();
    await page.getByRole('status').filter({ hasText: 'Proposed as version 2' }).waitFor();
    expect((await server.call('GET', '/v1/rules/versions/2')).json).toMatchObject({
      status: 'draft',
      note: '- Threshold 60 → 55',
    });
    // The same draft is now awaiting sign-off: proposing it again would only make a twin version.
    await expect.poll(() => propose.isDisabled(), POLL).toBe(true);
    expect(await page.locator('#already-proposed').textContent()).toBe(
      'This draft is already awaiting sign-off as version 2',
    );
    expect(await propose.getAttribute('aria-describedby')).toBe('already-proposed');
    expect((await server.call('GET', '/v1/rules/versions')).json.versions).toHaveLength(2);

    await signOff(2);
    expect((await activeThreshold()).rules.threshold.total).toBe(60);
    // Marketing has signed: its own button says so instead of offering a second signature.
    const own = page
      .getByRole('article', { name: /^Version 2\b/ })
      .getByRole('button', { name: 'Sign off version 2' });
    await expect.poll(() => own.isDisabled(), POLL).toBe(true);
    expect(await page.locator('#signed-2').textContent()).toBe(
      'You signed off for marketing; waiting for the other department',
    );

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

  it('changes an open CRM page’s overlay after the agreed version becomes active', async () => {
    await fireSyncAlarm();
    await expect.poll(overlayStage, POLL).toBe('mql');
    expect(await crm.locator('baton-lead').getAttribute('data-score')).toBe('57');
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
    // The open page follows the rollback too.
    await fireSyncAlarm();
    await expect.poll(overlayStage, POLL).toBe('new');
  });

  it('shows a rep token as read-only up front, says why, and the endpoint refuses it too', async () => {
    await actWith('rep');
    await page
      .getByText('Signed in as: Test rep · sales rep · This token can view and preview only')
      .waitFor();
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByLabel('Total threshold').fill('50');
    await page.getByRole('tab', { name: 'Agreement' }).click();
    const note = page.getByRole('note');
    expect(await note.textContent()).toBe(
      "A rep token cannot propose, sign off or roll back rules; use a marketer's or a manager's token",
    );
    const noteId = await note.getAttribute('id');
    const v1 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1', exact: true }) });
    for (const button of [
      page.getByRole('button', { name: 'Propose for sign-off' }),
      v1.getByRole('button', { name: 'Roll back to this version (1)' }),
    ]) {
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('aria-describedby')).toBe(noteId);
    }
    // The disabled buttons are a courtesy; the endpoint is what refuses, with its own reason.
    const refused = await server.call('POST', '/v1/rules/drafts', {
      role: 'rep',
      body: { rules: (await activeThreshold()).rules },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message.en).toBe(
      'This needs the role marketer, manager, admin (your role: rep)',
    );
    expect((await server.call('GET', '/v1/rules/versions')).json.versions).toHaveLength(3);
  });
});

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };
