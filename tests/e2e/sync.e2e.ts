import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLead } from '../../lib/evaluate';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { type LoopbackEndpoint, startLoopbackEndpoint } from './fault-proxy';
import { crmFixtures, fixtureHtml, untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * The rep workflow against the REAL endpoint (server/) on loopback: feedback while the endpoint is down
 * arrives exactly once after a worker stop and an endpoint restart; a published rule set reaches an open
 * CRM page's overlay on the sync alarm; an invalid one is refused and the popup says so.
 */
const lead = crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;
const recordId = lead.expected[0]!.recordId;
const {
  recordId: untouchedId,
  url: UNTOUCHED_URL,
  html: untouchedHtml,
} = untouchedSalesforceLead('00Q5g00000Zz1Ab');

describe('sync with the real endpoint', () => {
  let h: Harness;
  let endpoint: LoopbackEndpoint;
  let tab: Page;

  const fireSyncAlarm = async () => {
    const worker = await h.worker();
    await worker.evaluate(() =>
      (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
        name: 'baton-sync',
      }),
    );
  };
  const feedbackRows = () =>
    endpoint.sqlite().prepare("SELECT idempotency_key, body FROM events WHERE type = 'feedback'").all() as {
      idempotency_key: string;
      body: string;
    }[];

  beforeAll(async () => {
    endpoint = await startLoopbackEndpoint();
    await endpoint.publish({ ...defaultRuleSet, version: { id: 'team-2026-a', number: 1 } });
    h = await launch();
    // A missing element fails the step that wanted it, named, instead of the whole test's timeout.
    h.context.setDefaultTimeout(10_000);
    h.serve(lead.url, fixtureHtml(lead));
    h.serve(UNTOUCHED_URL, untouchedHtml);
  });
  afterAll(async () => {
    await h?.close();
    await endpoint?.dispose();
  });

  it('takes the endpoint on the options page and says the connection works', async () => {
    const options = await h.openExtensionPage('options.html');
    await options.getByLabel('Endpoint URL').fill(endpoint.url);
    await options.getByLabel('Token').fill(endpoint.tokens.rep);
    await options.getByLabel('Your name (as the CRM shows it)').fill('Taro Yamada');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toBe('✓ Saved');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toContain('Connected to');

    await options.getByLabel('Token').fill('not-a-token');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => options.getByRole('alert').textContent()).toMatch(/401|token/i);
    await options.getByLabel('Token').fill(endpoint.tokens.rep);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.close();
  });

  it('pulls the published rules at start-up of syncing and scores the open page with them', async () => {
    await fireSyncAlarm();
    tab = await h.open(lead.url);
    const host = tab.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-score')).toMatch(/^\d+$/);
    const popup = await h.openExtensionPage('popup.html');
    await expect
      .poll(() => popup.getByTestId('rules-in-force').textContent())
      .toBe('team-2026-a (from the team v1)');
    await popup.close();
  });

  it('keeps feedback sent while the endpoint is down and delivers it exactly once after a worker stop and a restart', async () => {
    await endpoint.stop();
    await tab.getByRole('button', { name: 'Send feedback' }).click();
    const form = tab.frameLocator('baton-lead iframe');
    await form.getByLabel('Wrong owner').check();
    await form.getByLabel('Lead quality (1 poor – 5 excellent)').selectOption('2');
    await form.getByLabel('Comment').fill('担当はAPAC営業チームです');
    await form.getByRole('button', { name: 'Save and send' }).click();
    await expect
      .poll(() => form.locator('[role="status"], [role="alert"]').first().textContent())
      .toMatch(/^Saved\./);

    // The send attempt after saving fails: the event waits, and the popup says why in words.
    const popup = await h.openExtensionPage('popup.html');
    await expect
      .poll(async () =>
        Number(
          await popup
            .getByTestId('events-waiting')
            .textContent()
            .then((t) => t?.split(' ')[0]),
        ),
      )
      .toBeGreaterThan(0);
    await expect.poll(() => popup.getByTestId('last-error').textContent()).toMatch(/Cannot reach/);
    await popup.close();

    await h.stopWorker();
    await endpoint.start();
    // Past any backoff the failures set: the next start-up of the worker sends on its own.
    await h.setClock(Date.now() + 60 * 60_000);
    await h.worker();
    await expect.poll(() => feedbackRows().length, { timeout: 20_000 }).toBe(1);
    const [row] = feedbackRows();
    expect(JSON.parse(row!.body)).toMatchObject({
      verdict: 'wrong_owner',
      rating: 2,
      comment: '担当はAPAC営業チームです',
      actor: { name: 'Taro Yamada' },
      lead: { crm: 'salesforce', recordId },
    });

    // Sending again (an alarm, a "sync now") never makes a second copy.
    await fireSyncAlarm();
    const again = await h.openExtensionPage('popup.html');
    await again.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => again.getByTestId('events-waiting').textContent()).toBe('0');
    await again.close();
    expect(feedbackRows()).toHaveLength(1);
  });

  it('counts the overdue lead on the badge, lists it first in the queue, and one click marks it contacted', async () => {
    // The same record page, for a lead nobody has contacted yet: no call or email after the MQL date.
    const untouched = await h.open(UNTOUCHED_URL);
    const host = untouched.locator('baton-lead');
    await expect.poll(() => host.getAttribute('data-sla-state')).toBe('overdue');
    await fireSyncAlarm();
    const badge = async () => {
      const worker = await h.worker();
      return worker.evaluate(async () => [
        await chrome.action.getBadgeText({}),
        await chrome.action.getTitle({}),
      ]);
    };
    await expect.poll(badge).toEqual(['1', 'Baton: 1 overdue lead']);

    const popup = await h.openExtensionPage('popup.html');
    const queue = popup.getByRole('list', { name: 'My queue' });
    await expect
      .poll(() => queue.getByRole('listitem').first().getAttribute('data-record-id'))
      .toBe(untouchedId);
    expect(await queue.getByRole('listitem').first().textContent()).toMatch(/Overdue · .+ late/);
    await popup.getByLabel('Overdue (1)').check();
    expect(await queue.getByRole('listitem').count()).toBe(1);
    await popup.close();

    await untouched.getByRole('button', { name: 'Mark contacted' }).click();
    // The confirmation, whatever render shows it: it is a status (announced) only on the render that
    // saved it, and the team's news can re-render the panel first (overlay.test.ts holds that part).
    await expect.poll(() => host.getByText('Contacted (saved)').count()).toBe(1);
    await expect.poll(() => host.getAttribute('data-sla-state')).toBe('missed');
    await expect.poll(badge).toEqual(['', 'Baton']);
    await fireSyncAlarm();
    const contacts = () =>
      (
        endpoint.sqlite().prepare("SELECT body FROM events WHERE type = 'first_contact'").all() as {
          body: string;
        }[]
      )
        .map((r) => JSON.parse(r.body))
        .filter((e) => e.source === 'manual');
    await expect.poll(() => contacts().length).toBe(1);
    expect(contacts()[0]).toMatchObject({ lead: { recordId: untouchedId }, actor: { name: 'Taro Yamada' } });
    await untouched.close();
  });

  it('shows a newly published rule set in the open page on the next sync alarm', async () => {
    const before = Number(await tab.locator('baton-lead').getAttribute('data-score'));
    const worker = await h.worker();
    const alarm = await worker.evaluate(() => chrome.alarms.get('baton-sync'));
    expect(alarm?.periodInMinutes).toBeLessThanOrEqual(1);
    const doubled = {
      ...defaultRuleSet,
      version: { id: 'team-2026-b', number: 2 },
      fitRules: defaultRuleSet.fitRules.map((r) => ({ ...r, points: r.points * 2 })),
    };
    // Doubling the fit rules adds the lead's fit once more; engagement (which decays with time) stays.
    const expected = lead.expected[0]!;
    const snapshot = {
      crm: lead.crm,
      object: expected.object,
      recordId,
      fields: expected.fields,
      activities: expected.activities ?? [],
    };
    const fit = evaluateLead(defaultRuleSet, snapshot, { now: Date.now() }).scores.fit;
    expect(fit).toBeGreaterThan(0);
    await endpoint.publish(doubled);
    await fireSyncAlarm();
    await expect
      .poll(async () => Number(await tab.locator('baton-lead').getAttribute('data-score')), {
        timeout: 10_000,
      })
      .toBe(before + fit);
  });

  it('refuses an invalid rule set from the endpoint, keeps the last good one and says so in the popup', async () => {
    const score = await tab.locator('baton-lead').getAttribute('data-score');
    // The endpoint validates drafts, so an invalid set can only come from a newer release's format:
    // planted in its database as such a release would have written it.
    const db = endpoint.sqlite();
    const now = Date.now();
    const invalid = JSON.stringify({
      ...defaultRuleSet,
      version: { id: 'team-2026-c', number: 3 },
      threshold: 'high',
    });
    db.prepare("UPDATE rule_versions SET status = 'retired' WHERE status = 'active'").run();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO rule_versions (status, rules, created_at, created_by_token, created_by_name, created_by_role, activated_at, activation)
         VALUES ('active', ?, ?, 'e2e', 'E2E admin', 'admin', ?, 'admin')`,
      )
      .run(invalid, now, now);
    db.prepare('UPDATE rules_head SET active_version = ?, changed_at = ? WHERE id = 1').run(
      lastInsertRowid,
      now,
    );
    db.close();

    await fireSyncAlarm();
    const popup = await h.openExtensionPage('popup.html');
    await expect
      .poll(() => popup.getByRole('alert').first().textContent(), { timeout: 10_000 })
      .toContain(
        `The team’s rule set v${lastInsertRowid} is invalid and was not applied; the last good one stays in force`,
      );
    expect(await popup.getByTestId('rules-in-force').textContent()).toBe('team-2026-b (from the team v2)');
    expect(await tab.locator('baton-lead').getAttribute('data-score')).toBe(score);
    await popup.close();
  });
});

declare const chrome: {
  alarms: { get(name: string): Promise<{ periodInMinutes?: number } | undefined> };
  action: { getBadgeText(details: object): Promise<string>; getTitle(details: object): Promise<string> };
};
