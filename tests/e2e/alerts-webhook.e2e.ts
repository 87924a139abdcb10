import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { addDuration } from '../../lib/sla/duration';
import { createToken } from '../../server/auth';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { type RunningServer, startServer } from '../../server/server';
import { untouchedSalesforceLead } from './fixtures';
import { type Harness, launch } from './harness';

/*
 * An escalation step reaches the team's webhook exactly once, whichever browsers noticed it: two Chromium
 * profiles (two reps) read the same untouched lead, both clocks pass the manager step, both sync to the
 * REAL endpoint on loopback, and a small receiver on loopback stands in for Slack's incoming webhook.
 */
const {
  recordId: untouchedId,
  url: UNTOUCHED_URL,
  html: untouchedHtml,
} = untouchedSalesforceLead('00Q5g00000Zz3Ef');
/** When a ladder step of the default rules fires, from the due time. */
const stepAt = (kind: 'manager' | 'marketing', due: number) => {
  const { when } = defaultRuleSet.escalation.steps.find((s) => s.kind === kind)!;
  if (!('afterDue' in when)) throw new Error(`the ${kind} step is not timed after the due time`);
  return addDuration(defaultRuleSet.calendar, due, when.afterDue)!;
};

/** The receiving end of an incoming webhook: counts the POSTs and keeps their bodies. */
async function startReceiver(): Promise<{ url: string; posts: { text?: string }[]; close(): Promise<void> }> {
  const posts: { text?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/escalations`,
    posts,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

describe('escalations from two browsers reach the webhook once', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: RunningServer;
  let dataDir: string;
  const tokens: string[] = [];
  const browsers: Harness[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'baton-endpoint-'));
    // The endpoint as tests/e2e/fault-proxy.ts starts it, with its webhook outbox pointed at the receiver
    // and polled often, so a delivery follows within a fraction of a second.
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      BATON_DATA_DIR: dataDir,
      BATON_LOG_LEVEL: 'silent',
      BATON_TOKEN_CACHE_MS: '0',
      BATON_RULES_CACHE_MS: '0',
      BATON_RATE_LIMIT_PER_SECOND: '100000',
      BATON_RATE_LIMIT_BURST: '100000',
      BATON_WEBHOOK_URL: receiver.url,
      BATON_WEBHOOK_POLL_MS: '100',
    });
    server = await startServer(config, { log: createLogger('silent', () => {}), announce: () => {} });
    for (const name of ['Rep Yamada', 'Rep Sato']) {
      tokens.push((await createToken(server.store, { name, role: 'rep', now: Date.now() })).token);
    }
    for (const [i, repName] of ['Taro Yamada', 'Hanako Sato'].entries()) {
      const h = await launch();
      h.context.setDefaultTimeout(10_000);
      h.serve(UNTOUCHED_URL, untouchedHtml);
      const options = await h.openExtensionPage('options.html');
      await options.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${server.port}`);
      await options.getByLabel('Token').fill(tokens[i]!);
      // Two reps with two names: the escalation event must still be the same in both browsers.
      await options.getByLabel('Your name (as the CRM shows it)').fill(repName);
      await options.getByRole('button', { name: 'Save' }).click();
      await options.getByRole('status').filter({ hasText: '✓ Saved' }).waitFor();
      await options.close();
      browsers.push(h);
    }
  });
  afterAll(async () => {
    for (const h of browsers) await h.close();
    await server?.stop();
    await receiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const fire = async (h: Harness, name: string) => {
    const worker = await h.worker();
    await worker.evaluate(
      (alarm) =>
        (globalThis as unknown as { batonFireAlarm(a: { name: string }): Promise<void> }).batonFireAlarm({
          name: alarm,
        }),
      name,
    );
  };
  const escalationsStored = () => {
    const sqlite = new Database(join(dataDir, 'baton.sqlite'), { readonly: true });
    try {
      return sqlite
        .prepare("SELECT idempotency_key, body FROM events WHERE type = 'escalation_step'")
        .all() as { idempotency_key: string; body: string }[];
    } finally {
      sqlite.close();
    }
  };
  /** The escalation events in a profile's outbox, with their delivery state. */
  const outboxEscalations = async (h: Harness) => {
    const page = await h.openExtensionPage('popup.html');
    const rows = await page.evaluate(
      () =>
        new Promise<{ idempotencyKey: string; type: string; state: string }[]>((done, fail) => {
          const open = indexedDB.open('baton');
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => {
              done(all.result);
              open.result.close();
            };
          };
        }),
    );
    await page.close();
    return rows
      .filter((r) => r.type === 'escalation_step')
      .map(({ idempotencyKey, state }) => ({ idempotencyKey, state }));
  };

  it('delivers the manager step to the webhook once although both profiles noticed and sent it', async () => {
    // Both reps have the overdue lead open; the due time comes from the page Baton renders.
    let due = 0;
    for (const h of browsers) {
      const tab = await h.open(UNTOUCHED_URL);
      await expect.poll(() => tab.locator('baton-lead').getAttribute('data-sla-due')).toMatch(/^\d{4}-/);
      due = Date.parse((await tab.locator('baton-lead').getAttribute('data-sla-due'))!);
      await tab.close();
    }
    const managerAt = stepAt('manager', due);
    const marketingAt = stepAt('marketing', due);
    const at = managerAt + 10 * 60_000;
    expect(at).toBeLessThan(marketingAt);

    for (const h of browsers) {
      await h.setClock(at);
      await fire(h, 'baton-alerts');
      await expect.poll(() => outboxEscalations(h).then((rows) => rows.length)).toBe(1);
    }
    const [mine, theirs] = await Promise.all(browsers.map(outboxEscalations));
    // Derived from lead, handoff and step alone: the same key in both profiles.
    expect(theirs![0]!.idempotencyKey).toBe(mine![0]!.idempotencyKey);

    for (const h of browsers) await fire(h, 'baton-sync');
    for (const h of browsers) {
      await expect
        .poll(() => outboxEscalations(h))
        .toEqual([{ idempotencyKey: mine![0]!.idempotencyKey, state: 'sent' }]);
    }
    // Stored once, under what the step is (server/escalation-steps.ts), with the key the browser sent in its body.
    const stored = escalationsStored();
    expect(stored.map((e) => JSON.parse(e.body).idempotencyKey)).toEqual([mine![0]!.idempotencyKey]);
    expect(stored[0]!.idempotency_key).toMatch(/^escalation_step:/);
    await expect.poll(() => receiver.posts.length).toBe(1);
    expect(receiver.posts[0]!.text).toContain(`salesforce:Lead:${untouchedId}`);
    expect(receiver.posts[0]!.text).toContain('step: manager');

    // Both send again (an alarm, a restarted worker): the endpoint answers with the first receipt and
    // the webhook hears nothing more. The outbox polls every 100 ms; a second on, still one.
    for (const h of browsers) {
      await h.stopWorker();
      await fire(h, 'baton-alerts');
      await fire(h, 'baton-sync');
    }
    await new Promise((done) => setTimeout(done, 1_000));
    expect(receiver.posts).toHaveLength(1);
    expect(escalationsStored()).toHaveLength(1);
  });
});
