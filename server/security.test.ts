/**
 * The six ways a hostile holder of a valid token got through (issue 17), each pinned as it was found:
 * silencing an escalation, a NUL byte, deep nesting, events not tied to their token, a huge problem list,
 * and the smaller gaps (headers, failed-auth flood, demo tokens).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';
import { escalation, firstContact, handoff, lead } from './test/fixtures';
import { describeBackends, startTestServer, TEST_ENV, type TestServer } from './test/harness';

const HANDOFF_AT = '2026-11-25T09:55:00+09:00';
const PAGE = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view';

describeBackends('endpoint hardening', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    // A webhook that never polls in the test's lifetime: the outbox rows are what the test reads.
    t = await startTestServer(backend, {
      BATON_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      BATON_WEBHOOK_POLL_MS: '3600000',
    });
  });
  afterAll(() => t.stop());

  const outbox = async () =>
    (await t.server.store.db.all<{ payload: string }>('SELECT payload FROM webhook_outbox')).map(
      (r) => JSON.parse(r.payload) as { lead: { recordId: string }; kind: string; stepId: string },
    );
  const post = (events: unknown[], role: 'rep' | 'manager' = 'rep') =>
    t.call('POST', '/v1/events', { role, body: { events } });

  describe('1. no token can silence an escalation', () => {
    it('records the manager step when another event already holds its idempotency key', async () => {
      const key = randomUUID();
      const who = lead();
      // The hostile rep stores a harmless event under the key the browsers derive for the manager step.
      expect((await post([firstContact({ idempotencyKey: key, lead: who })])).status).toBe(200);
      const genuine = escalation({ idempotencyKey: key, lead: who, handoffAt: HANDOFF_AT });
      const res = await post([genuine], 'manager');
      expect(res.status, res.text).toBe(200);
      expect(res.json.receipts[0].idempotencyKey).toBe(key);
      const queued = (await outbox()).filter((e) => e.lead.recordId === who.recordId);
      expect(queued.map((e) => e.kind)).toEqual(['manager']);
    });

    it('records the manager step when a reminder of the same step id came first under its key', async () => {
      const key = randomUUID();
      const who = lead();
      const reminder = escalation({
        idempotencyKey: key,
        lead: who,
        kind: 'reminder',
        handoffAt: HANDOFF_AT,
      });
      expect((await post([reminder])).status).toBe(200);
      const res = await post([escalation({ idempotencyKey: key, lead: who, handoffAt: HANDOFF_AT })]);
      expect(res.status, res.text).toBe(200);
      expect((await outbox()).filter((e) => e.lead.recordId === who.recordId).map((e) => e.kind)).toEqual([
        'manager',
      ]);
    });

    it('stores one step once when two browsers send it with different bodies and keys, and answers both 200', async () => {
      const who = lead();
      const first = await post([escalation({ lead: who, handoffAt: HANDOFF_AT, rulesVersion: 3 })]);
      const second = await post([escalation({ lead: who, handoffAt: HANDOFF_AT, rulesVersion: 4 })]);
      expect(first.status, first.text).toBe(200);
      expect(second.status, second.text).toBe(200);
      expect(second.json.receipts[0].seq).toBe(first.json.receipts[0].seq);
      expect((await outbox()).filter((e) => e.lead.recordId === who.recordId)).toHaveLength(1);
    });
  });

  describe('2. control characters are refused at the schema, on every backend', () => {
    it('answers 400 to a NUL byte in a lead key, on events and on team state', async () => {
      for (const bad of [
        { ...lead(), recordId: '00Q\u0000x' },
        { ...lead(), object: 'Le\u0000ad' },
      ]) {
        const events = await post([handoff({ lead: bad })]);
        expect(events.status, events.text).toBe(400);
        const state = await t.call('POST', '/v1/team-state', { body: { leads: [bad] } });
        expect(state.status, state.text).toBe(400);
      }
    });

    it('answers 400 to a control character in a text field, and keeps line breaks in comments', async () => {
      const bell = await post([firstContact({ actor: { name: 'Yamada\u0007' } })]);
      expect(bell.status, bell.text).toBe(400);
      expect(bell.json.error.problems[0].path).toEqual(['events', 0, 'actor', 'name']);
      const note = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: {}, note: 'a\u0000b' },
      });
      expect(note.status, note.text).toBe(400);
    });
  });

  describe('3. no input gives a 500', () => {
    it('answers 400 to deeply nested JSON on every JSON route', async () => {
      const deep = `{"events":[${'['.repeat(60_000)}${']'.repeat(60_000)}]}`;
      for (const [path, role] of [
        ['/v1/events', 'rep'],
        ['/v1/team-state', 'rep'],
        ['/v1/rules/drafts', 'marketer'],
      ] as const) {
        const res = await t.call('POST', path, {
          role,
          raw: deep,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${path}: ${res.text}`).toBe(400);
        expect(res.json.error.code).toBe('too_deep');
      }
    });
  });

  describe('4. an event belongs to its token', () => {
    it('shows the token holder beside the name the event gave', async () => {
      const who = lead();
      const res = await post([firstContact({ lead: who, actor: { name: 'A colleague' } })]);
      expect(res.status).toBe(200);
      const state = await t.call('POST', '/v1/team-state', { body: { leads: [who] } });
      expect(state.json.leads[0].firstContact.actor).toEqual({ name: 'A colleague' });
      const tokenId = /^baton_([a-z0-9]+)_/.exec(t.tokens.rep)![1];
      expect(state.json.leads[0].firstContact.recordedBy).toEqual({ tokenId, name: 'Test rep' });
    });

    it('ignores a recordedBy the client sends', async () => {
      const who = lead();
      const forged = { ...firstContact({ lead: who }), recordedBy: { tokenId: 'boss', name: 'Boss' } };
      expect((await post([forged])).status).toBe(200);
      const state = await t.call('POST', '/v1/team-state', { body: { leads: [who] } });
      expect(state.json.leads[0].firstContact.recordedBy.name).toBe('Test rep');
    });

    it('takes an escalation URL only as https on a host of the lead’s CRM', async () => {
      for (const url of [
        'javascript:alert(1)',
        'https://evil.example.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
        'http://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
        'https://app.hubspot.com/contacts/1/contact/2',
      ]) {
        const res = await post([escalation({ url })]);
        expect(res.status, url).toBe(400);
        expect(res.json.error.problems[0].path).toEqual(['events', 0, 'url']);
      }
      expect((await post([escalation({ url: PAGE })])).status).toBe(200);
    });
  });

  describe('5. problem lists are capped', () => {
    it('answers a CSV of 50,000 bad rows with at most 100 problems and their total', async () => {
      const rows = Array.from({ length: 50_000 }, (_, i) => `salesforce,Lead,00Q${i},bought,2025-02-01`);
      const csv = `crm,object,record_id,outcome,date\r\n${rows.join('\r\n')}\r\n`;
      const res = await t.call('POST', '/v1/outcomes', {
        role: 'marketer',
        raw: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.problems).toHaveLength(100);
      // Two problems a line: the record id is no Salesforce id, and "bought" is no outcome.
      expect(res.json.error.problemsTotal).toBe(100_000);
      expect(res.text.length).toBeLessThan(64 * 1024);
    });
  });

  describe('6. headers, failed authentication and demo tokens', () => {
    it('sends nosniff on every answer and no-store on anything personal', async () => {
      for (const res of [
        await t.call('GET', '/health', { token: null }),
        await t.call('GET', '/v1/me', { token: null }),
        await t.call('GET', '/v1/me'),
        await t.call('GET', '/nope'),
      ]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const personal = [
        await t.call('POST', '/v1/team-state', { body: { leads: [lead()] } }),
        await t.call('GET', '/v1/kpis?from=2026-01-01&to=2026-02-01', { role: 'manager' }),
        await t.call('GET', '/v1/me'),
      ];
      for (const res of personal) {
        expect(res.status, res.text).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('answers 429 with Retry-After to one address after too many failed authentications', async () => {
      const limited = await startTestServer(backend, { BATON_AUTH_FAILURES_PER_MINUTE: '5' });
      try {
        const madeUp = `baton_abcdef123456_${'A'.repeat(43)}`;
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++)
          statuses.push((await limited.call('GET', '/v1/me', { token: madeUp })).status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
        const refused = await limited.call('GET', '/v1/me', { token: madeUp });
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      } finally {
        await limited.stop();
      }
    });

    it('prints demo tokens only when the seed creates them, and never the admin’s', async () => {
      const env = { ...TEST_ENV, ...backend.freshDatabase(), BATON_SEED_DEMO: '1' };
      const printed: string[][] = [];
      for (let start = 0; start < 2; start++) {
        const lines: string[] = [];
        const config = loadConfig(env);
        const server = await startServer(config, {
          log: createLogger('silent', () => {}),
          announce: (line) => lines.push(line),
        });
        await server.stop();
        printed.push(lines.filter((l) => /demo token/.test(l)));
      }
      expect(printed[0]!.map((l) => /\((\w+)\)/.exec(l)![1])).toEqual(['rep', 'manager', 'marketer']);
      expect(printed[1]).toEqual([]);
      // No admin token is seeded at all: admin tokens are made on purpose, with `token create`.
      const server = await startServer(loadConfig(env), {
        log: createLogger('silent', () => {}),
        announce: () => {},
      });
      try {
        expect((await server.store.tokens.list()).filter((tk) => tk.role === 'admin')).toEqual([]);
      } finally {
        await server.stop();
      }
    });
  });
});
