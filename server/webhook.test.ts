import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EscalationStepEvent } from '../lib/events';
import { escalation } from './test/fixtures';
import { describeBackends, startTestServer, type TestServer } from './test/harness';
import { backoffMs, webhookMessage } from './webhook';

/** A stand-in for Slack: answers the first `failures` posts with 500, then 200 (or `status` always). */
async function receiver(options: { failures?: number; status?: number } = {}) {
  const received: { text?: string; '@type'?: string }[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      calls++;
      if (options.status) {
        res.statusCode = options.status;
      } else if (calls <= (options.failures ?? 0)) {
        res.statusCode = 500;
      } else {
        received.push(JSON.parse(body));
        res.statusCode = 200;
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const FAST = {
  BATON_WEBHOOK_POLL_MS: '30',
  BATON_WEBHOOK_RETRY_BASE_MS: '20',
  BATON_WEBHOOK_RETRY_MAX_MS: '100',
};

describeBackends('escalation webhook', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('delivers manager and marketing steps once each, retrying after failures, and skips owner steps', async () => {
    const hook = await receiver({ failures: 2 });
    cleanup.push(hook.close);
    const t = await startTestServer(backend, { ...FAST, BATON_WEBHOOK_URL: hook.url });
    cleanup.push(t.stop);
    const manager = escalation({ kind: 'manager', stepId: 'to-manager' });
    const marketing = escalation({ kind: 'marketing', stepId: 'to-marketing' });
    const owner = escalation({ kind: 'owner', stepId: 'to-owner' });
    const batch = { events: [manager, marketing, owner] };
    expect((await t.call('POST', '/v1/events', { body: batch })).status).toBe(200);
    // A client retry must not enqueue the escalations again.
    expect((await t.call('POST', '/v1/events', { body: batch })).status).toBe(200);

    await until(async () => (await t.server.store.outbox.counts()).delivered === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const texts = hook.received.map((m) => m.text ?? '');
    expect(texts.filter((x) => x.includes('to-manager'))).toHaveLength(1);
    expect(texts.filter((x) => x.includes('to-marketing'))).toHaveLength(1);
    expect(texts.some((x) => x.includes('to-owner'))).toBe(false);
    expect(hook.calls()).toBe(4);
    expect(await t.server.store.outbox.counts()).toEqual({ pending: 0, delivered: 2, failed: 0 });
    const metrics = await t.call('GET', '/metrics', { role: 'admin' });
    expect(metrics.text).toMatch(/baton_webhook_deliveries_total\{outcome="retry"\} 2/);
  });

  it('is delivered once when several instances share the database', async () => {
    const hook = await receiver();
    cleanup.push(hook.close);
    const a = await startTestServer(backend, { ...FAST, BATON_WEBHOOK_URL: hook.url });
    cleanup.push(a.stop);
    const b: TestServer = await startTestServer(
      { name: backend.name, freshDatabase: () => ({}) },
      { ...a.env, ...FAST, BATON_WEBHOOK_URL: hook.url },
    );
    cleanup.push(b.stop);
    const events = Array.from({ length: 30 }, (_, i) => escalation({ stepId: `step-${i}` }));
    await Promise.all([
      a.call('POST', '/v1/events', { body: { events: events.slice(0, 15) } }),
      b.call('POST', '/v1/events', { body: { events: events.slice(15) } }),
    ]);
    await until(async () => (await a.server.store.outbox.counts()).delivered === 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const steps = hook.received.map((m) => /step: (step-\d+)/.exec(m.text ?? '')?.[1]);
    expect(steps).toHaveLength(30);
    expect(new Set(steps).size).toBe(30);
  });

  it('gives up at once on a webhook that answers 404 (removed), and records it as failed', async () => {
    const hook = await receiver({ status: 404 });
    cleanup.push(hook.close);
    const t = await startTestServer(backend, { ...FAST, BATON_WEBHOOK_URL: hook.url });
    cleanup.push(t.stop);
    await t.call('POST', '/v1/events', { body: { events: [escalation()] } });
    await until(async () => (await t.server.store.outbox.counts()).failed === 1);
    expect(hook.calls()).toBe(1);
  });
});

describe('webhook messages', () => {
  const event = escalation({
    kind: 'marketing',
    url: 'https://example.my.salesforce.com/lightning/r/Lead/00Q/view',
  }) as EscalationStepEvent;

  it('writes a Slack message in both languages with the lead and a link', () => {
    const message = webhookMessage(event, 'slack') as { text: string };
    expect(message.text).toContain('エスカレーション（マーケティング）');
    expect(message.text).toContain('Escalation (Marketing)');
    expect(message.text).toContain('株式会社サンプル 佐藤様');
    expect(message.text).toContain(event.url!);
  });

  it('writes a Teams connector card', () => {
    const card = webhookMessage(event, 'teams');
    expect(card['@type']).toBe('MessageCard');
    expect(String(card.title)).toContain('Escalation (Marketing)');
  });

  it('shows CRM text as text: no channel mention, fake link or markdown from a lead’s name', () => {
    const hostile = {
      ...event,
      leadLabel: '<!channel> <https://evil.example|Open> *urgent*',
      actor: { name: 'A & B <@U123>' },
    } as EscalationStepEvent;
    const slack = (webhookMessage(hostile, 'slack') as { text: string }).text;
    expect(slack).not.toContain('<!channel>');
    expect(slack).not.toContain('<https://evil');
    expect(slack).not.toContain('<@U123>');
    expect(slack).toContain('&lt;!channel&gt; &lt;https://evil.example|Open&gt;');
    expect(slack).toContain('A &amp; B &lt;@U123&gt;');
    const teams = webhookMessage(hostile, 'teams');
    expect(String(teams.title)).toContain('&lt;!channel&gt;');
    expect(String(teams.title)).toContain('\\*urgent\\*');
    expect(String(teams.text)).not.toContain('<@U123>');
  });

  it('backs off exponentially with jitter, up to the cap', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 0.5)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1200);
  });
});
