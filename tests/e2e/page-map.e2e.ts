import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackEndpoint, startLoopbackEndpoint } from './fault-proxy';
import { crmFixtures, fixtureHtml } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * A page map published through the REAL endpoint repairs a page Baton could not read, in a tab that is
 * already open: the sync run (an alarm every minute) pulls it with its ETag, the open tab
 * is told its config is stale, re-reads the page with the map's selectors and the panel shows the lead.
 */
const broken = crmFixtures.find((f) => f.file === 'zoho/record-canvas-ja.html')!;
const { $comment: _why, ...repair } = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../fixtures/crm/page-maps/zoho-canvas.json'), 'utf8'),
);

describe('page maps pushed like rules', () => {
  let h: Harness;
  let endpoint: LoopbackEndpoint;

  beforeAll(async () => {
    endpoint = await startLoopbackEndpoint();
    h = await launch();
    h.context.setDefaultTimeout(10_000);
    h.serve(broken.url, fixtureHtml(broken));
    const options = await h.openExtensionPage('options.html');
    await options.getByLabel('Endpoint URL').fill(endpoint.url);
    await options.getByLabel('Token').fill(endpoint.tokens.rep);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').filter({ hasText: '✓ Saved' }).waitFor();
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
    await endpoint?.dispose();
  });

  it('repairs a page nothing could be read on, in an open tab, within a minute of publication', async () => {
    const tab = await h.open(broken.url);
    const panel = tab.locator('baton-lead');
    await expect.poll(() => panel.getAttribute('data-read'), { timeout: 10_000 }).toBe('none');

    const published = await endpoint.call('PUT', '/v1/page-map', 'marketer', repair);
    expect(published.status).toBe(200);
    const at = Date.now();
    // The sync alarm the worker registers every minute, fired now rather than waited for.
    const worker = await h.worker();
    const period = await worker.evaluate(async () => {
      const api = (
        globalThis as unknown as {
          chrome: { alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined> } };
        }
      ).chrome;
      return (await api.alarms.get('baton-sync'))?.periodInMinutes;
    });
    expect(period).toBeLessThanOrEqual(1);
    await worker.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-sync',
      }),
    );
    await expect.poll(() => panel.getAttribute('data-score'), { timeout: 60_000 }).toMatch(/^\d+$/);
    expect(Date.now() - at).toBeLessThan(60_000);
    expect(await panel.getAttribute('data-read')).toBeNull();
    expect(await panel.getAttribute('data-record-id')).toBe(broken.expected[0]!.recordId);
    expect(await tab.locator('baton-lead').count()).toBe(1);
    await tab.close();
  });
});
