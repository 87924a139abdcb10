import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/auth';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { type RunningServer, startServer } from '../../server/server';
import { untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * A lead that reached Baton only by intake (a Salesforce Flow callout), never opened in any browser:
 * it shows in its rep's popup queue with its countdown, a click opens its CRM page, and the overlay there
 * shows the same due time the endpoint holds.
 */
const { recordId: intakeId, url: PAGE_URL, html: pageHtml } = untouchedSalesforceLead('00Q5g00000Zz3Eh');
// The page's own MQL date reads "2/2/2024 10:00 AM" (the team's zone, Asia/Tokyo): the Flow sends the same.
const MQL_AT = '2024-02-02T10:00:00+09:00';
const NOW = Date.parse('2024-02-02T10:30:00+09:00');

describe('a lead that arrived only by intake', () => {
  let server: RunningServer;
  let dataDir: string;
  let h: Harness;
  let dueAt: string;
  let intake: string;
  let admin: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baton-endpoint-'));
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      BATON_DATA_DIR: dataDir,
      BATON_LOG_LEVEL: 'silent',
      BATON_TOKEN_CACHE_MS: '0',
      BATON_RULES_CACHE_MS: '0',
      BATON_RATE_LIMIT_PER_SECOND: '100000',
      BATON_RATE_LIMIT_BURST: '100000',
      BATON_WATCH_POLL_MS: '0',
    });
    server = await startServer(config, {
      log: createLogger('silent', () => {}),
      announce: () => {},
      clock: () => NOW,
    });
    intake = (await createToken(server.store, { name: 'salesforce', role: 'intake', now: NOW })).token;
    admin = (await createToken(server.store, { name: 'Admin', role: 'admin', now: NOW })).token;
    const rep = (await createToken(server.store, { name: 'Ken Ito', role: 'rep', now: NOW })).token;
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/intake/salesforce`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventId: 'e2e-flow-1',
        site: 'acme.my.salesforce.com',
        lead: {
          Id: intakeId,
          Company: 'Acme',
          OwnerName: 'Ken Ito',
          Status: 'Open - Not Contacted',
          MQLDate: MQL_AT,
        },
      }),
    });
    expect(res.status).toBe(200);
    dueAt = ((await res.json()) as { handoffs: { dueAt: string }[] }).handoffs[0]!.dueAt;

    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(PAGE_URL, pageHtml);
    await h.setClock(NOW);
    const options = await h.openExtensionPage('options.html');
    await options.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${server.port}`);
    await options.getByLabel('Token').fill(rep);
    await options.getByLabel('Your name (as the CRM shows it)').fill('Ken Ito');
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').filter({ hasText: '✓ Saved' }).waitFor();
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is in the rep’s popup queue with its countdown, opens its CRM page, and the overlay shows the server’s due time', async () => {
    const worker = await h.worker();
    await worker.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-sync',
      }),
    );
    const popup = await h.openExtensionPage('popup.html');
    const row = popup.locator(`li[data-record-id="${intakeId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    // The popup's clock takes the test's offset within its first second of ticking.
    await expect.poll(() => row.getAttribute('data-sla-state')).toBe('running');
    // By hand: one business day from Fri 2 Feb 10:00 JST (docs/rules.md: the same time on the next working
    // day) is Mon 5 Feb 10:00 JST. From Fri 10:30 that leaves 2 days 23½ hours of calendar time.
    expect(dueAt).toBe('2024-02-05T01:00:00.000Z');
    await expect.poll(() => row.textContent()).toContain('by Mon 5 Feb 10:00 · 2d 23h left');
    const link = row.getByRole('link');
    expect(await link.getAttribute('href')).toBe(PAGE_URL);

    const [page] = await Promise.all([h.context.waitForEvent('page'), link.click()]);
    await page.waitForLoadState();
    expect(page.url()).toBe(PAGE_URL);
    await expect.poll(() => page.locator('baton-lead').getAttribute('data-sla-due')).toMatch(/^\d{4}-/);
    const shown = await page.locator('baton-lead').getAttribute('data-sla-due');
    expect(Date.parse(shown!)).toBe(Date.parse(dueAt));
  });

  it('shows an admin, in the console, each refused payload of the day with what to fix at the sender', async () => {
    // A Flow that lost its record id: refused, nothing stored, counted for the admin.
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/intake/salesforce`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: 'e2e-flow-2', lead: { Company: 'Acme', MQLDate: MQL_AT } }),
    });
    expect(res.status).toBe(400);
    const console = await h.openExtensionPage('console.html#intake');
    await console.getByRole('tab', { name: 'Intake' }).waitFor();
    // The rep's token may not see refusals: said in words, not a blank tab.
    await console.getByText(/The endpoint refused: .*Refused payloads are shown to an admin token/).waitFor();
    await console.getByLabel('Token this console acts with').fill(admin);
    await console.getByRole('button', { name: 'Use this token' }).click();
    await console.getByRole('button', { name: 'Refresh' }).click();
    // NOW is 10:30 JST on the day: "today" starts at 00:00 in the team's zone.
    await console.getByRole('heading', { name: 'Salesforce: 1 refused since 00:00' }).waitFor();
    const article = console.locator('article', { hasText: 'Salesforce: 1 refused' });
    expect(await article.textContent()).toContain('Latest refusal: 10:30');
    expect(await article.getByRole('listitem').allTextContents()).toContainEqual(
      expect.stringMatching(/record id.*\(lead\.Id\)$/),
    );
    // The other windows ask again, from their own start.
    await console.getByLabel('Last 7 days').check();
    await console.getByRole('heading', { name: 'Salesforce: 1 refused since 26 Jan 10:30' }).waitFor();
    await console.close();
  });
});
