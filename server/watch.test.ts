/**
 * The SLA watch with no browser anywhere: a handoff arrives by intake on Friday 20 November 2026, 17:30
 * JST, before a weekend whose Monday (23rd, 勤労感謝の日) is a national holiday, and the server's own
 * clock is moved on.
 *
 * The default rules, worked out by hand from docs/ (Mon–Fri 09:00–18:00 JST, an MQL by score due one
 * business day later, at the same time on the next working day; the manager step 4 business hours after due):
 *   due:     the next working day after Fri 20th is Tue 24th (Sat, Sun, and Mon 23rd a holiday)
 *            = Tue 24 November 17:30 JST (08:30Z)
 *   manager: Tue 17:30–18:00 (0.5 h), Wed 25th 09:00 + 3.5 h = Wed 25 November 12:30 JST
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from './auth';
import { loadConfig } from './config';
import { createLogger } from './log';
import { openStore, type RunningServer, startServer } from './server';
import { type Backend, describeBackends, spawnServer, TEST_ENV } from './test/harness';

const HUBSPOT = readFileSync(new URL('../lib/intake/fixtures/hubspot.json', import.meta.url), 'utf8');
const MANAGER_AT = Date.parse('2026-11-25T12:30:00+09:00');
const AFTER_INTAKE = Date.parse('2026-11-20T17:45:00+09:00');

/** A Slack-style receiver that counts what reaches it. */
async function receiver() {
  const bodies: { text: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const managerSteps = () => bodies.filter((b) => b.text.includes('Escalation (Manager)'));
  return { url, bodies, managerSteps, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function watchEnv(backend: Backend, webhookUrl: string, db?: Record<string, string>) {
  return {
    ...TEST_ENV,
    ...(db ?? backend.freshDatabase()),
    BATON_LOG_LEVEL: 'warn',
    BATON_WEBHOOK_URL: webhookUrl,
    BATON_WEBHOOK_POLL_MS: '20',
    BATON_WATCH_POLL_MS: '20',
  };
}

async function intake(url: string, token: string) {
  const res = await fetch(`${url}/v1/intake/hubspot`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: HUBSPOT,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { handoffs: { dueAt: string; handoffAt: string }[] };
}

describeBackends('the SLA watch, no browser involved', (backend) => {
  const open: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of open.reverse()) await o.stop();
  });

  async function instance(env: Record<string, string>, clock: () => number): Promise<RunningServer> {
    const config = loadConfig(env);
    const server = await startServer(config, { log: createLogger('silent'), announce: () => {}, clock });
    open.push(server);
    return server;
  }

  it('sends the manager exactly one escalation at Wed 25 Nov 12:30 JST, with two instances on one database', async () => {
    const hook = await receiver();
    open.push({ stop: hook.close });
    let now = AFTER_INTAKE;
    const clock = () => now;
    const env = watchEnv(backend, hook.url);
    const a = await instance(env, clock);
    const b = await instance(env, clock);
    const { token } = await createToken(a.store, { name: 'hubspot', role: 'intake', now });
    const { handoffs } = await intake(a.url, token);
    expect(handoffs[0]!.dueAt).toBe('2026-11-24T08:30:00.000Z');

    // Over the holiday weekend and up to a minute before the step: nothing reaches the manager.
    for (const at of [
      '2026-11-23T12:00:00+09:00',
      '2026-11-24T17:00:00+09:00',
      '2026-11-25T12:29:00+09:00',
    ]) {
      now = Date.parse(at);
      await sleep(200);
      expect(hook.managerSteps(), at).toHaveLength(0);
    }
    now = MANAGER_AT;
    await until(() => hook.managerSteps().length > 0, 'the manager escalation');
    // Both instances keep ticking (and tick at once by hand) while the clock moves on: still one.
    now = MANAGER_AT + 3_600_000;
    await Promise.all([a.watch.tick(), b.watch.tick(), a.watch.tick(), b.watch.tick()]);
    await sleep(500);
    expect(hook.managerSteps()).toHaveLength(1);
    expect(hook.managerSteps()[0]!.text).toContain('2026-11-24T08:30:00.000Z');
  });

  it('sends one escalation when a rep’s browser noticed the manager step first', async () => {
    const hook = await receiver();
    open.push({ stop: hook.close });
    let now = AFTER_INTAKE;
    const server = await instance(watchEnv(backend, hook.url), () => now);
    const { token } = await createToken(server.store, { name: 'hubspot', role: 'intake', now });
    const { handoffs } = await intake(server.url, token);
    const rep = await createToken(server.store, { name: 'rep', role: 'rep', now });
    now = MANAGER_AT;
    // The extension names the cycle by its handoff (extension/background/alerts.ts) and its own key.
    const browser = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            type: 'escalation_step',
            idempotencyKey: '6c7d8e9f-0a1b-5c2d-8e3f-4a5b6c7d8e9f',
            occurredAt: new Date(MANAGER_AT).toISOString(),
            lead: { crm: 'hubspot', object: 'contact', recordId: '3251' },
            rulesVersion: 1,
            actor: { name: 'rep' },
            stepId: 'manager',
            kind: 'manager',
            handoffAt: handoffs[0]!.handoffAt,
            dueAt: handoffs[0]!.dueAt,
          },
        ],
      }),
    });
    expect(browser.status).toBe(200);
    await until(() => hook.managerSteps().length > 0, 'the manager escalation');
    await server.watch.tick();
    now = MANAGER_AT + 3_600_000;
    await server.watch.tick();
    await sleep(500);
    expect(hook.managerSteps()).toHaveLength(1);
  });

  it('acts on nothing once the lead was contacted', async () => {
    const hook = await receiver();
    open.push({ stop: hook.close });
    let now = AFTER_INTAKE;
    const server = await instance(watchEnv(backend, hook.url), () => now);
    const { token } = await createToken(server.store, { name: 'hubspot', role: 'intake', now });
    await intake(server.url, token);
    // The rep answers on Tuesday morning, through the browser's normal event path.
    const rep = await createToken(server.store, { name: 'rep', role: 'rep', now });
    const contact = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            type: 'first_contact',
            idempotencyKey: '8a3c4e4e-3f65-4c1b-9c55-1d2e3f405162',
            occurredAt: '2026-11-24T10:00:00+09:00',
            lead: { crm: 'hubspot', object: 'contact', recordId: '3251' },
            rulesVersion: 1,
            actor: { name: 'rep' },
            method: 'phone',
            source: 'manual',
          },
        ],
      }),
    });
    expect(contact.status).toBe(200);
    now = MANAGER_AT + 86_400_000 * 7;
    await sleep(400);
    expect(hook.bodies).toHaveLength(0);
  });

  describe('across a SIGKILL between the due time and the send', () => {
    it('sends exactly one escalation after the restart', async () => {
      const hook = await receiver();
      open.push({ stop: hook.close });
      // Nothing listens on a port that was just closed: deliveries fail and wait for a retry.
      const dead = await receiver();
      await dead.close();
      const db = backend.freshDatabase();
      const setup = await openStore(loadConfig({ ...TEST_ENV, ...db }));
      const { token } = await createToken(setup, { name: 'hubspot', role: 'intake', now: Date.now() });
      const outbox = () =>
        setup.db.all<{ delivered_at: number | null }>('SELECT delivered_at FROM webhook_outbox');

      const child = async (clockAt: string, webhookUrl: string) =>
        spawnServer({
          ...watchEnv(backend, webhookUrl, db),
          BATON_CLOCK_AT: clockAt,
          BATON_WEBHOOK_RETRY_BASE_MS: '600000',
          BATON_LOG_LEVEL: 'info',
        });

      const first = await child('2026-11-20T17:45:00+09:00', dead.url);
      await intake(first.url, token);
      first.process.kill('SIGKILL');
      await first.exited;

      // Past the step: the watch records the escalation, the send fails; killed before any retry.
      const second = await child('2026-11-25T12:31:00+09:00', dead.url);
      await until(async () => (await outbox()).length === 1, 'the escalation in the outbox');
      second.process.kill('SIGKILL');
      await second.exited;
      expect(hook.bodies).toHaveLength(0);

      // The restart reaches the manager once, and only once, however long it runs. A fresh outbox row
      // would mean the watch recorded the step again; the store keeps one per key.
      // An hour on: past the retry the failed attempt (if one was made before the kill) scheduled.
      const third = await child('2026-11-25T13:45:00+09:00', hook.url);
      await until(() => hook.managerSteps().length > 0, 'the manager escalation after restart', 20_000);
      await sleep(500);
      third.process.kill('SIGTERM');
      await third.exited;
      expect(hook.managerSteps()).toHaveLength(1);
      expect(await outbox()).toHaveLength(1);
      await setup.db.close();
    }, 60_000);
  });
});
