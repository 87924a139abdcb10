import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamStateResponseSchema } from '../lib/events';
import { intakeRefusalsResponseSchema, intakeResponseSchema } from '../lib/intake/api';
import { INTAKE_SOURCES, type IntakeSource } from '../lib/intake/mapping';
import { createToken } from './auth';
import { nameKey } from './event-key';
import { prepareEvent } from './prepare-event';
import { describeBackends, startTestServer, type TestServer } from './test/harness';

const fixtureText = (source: IntakeSource) =>
  readFileSync(
    new URL(`../lib/intake/fixtures/${source}.${source === 'csv' ? 'csv' : 'json'}`, import.meta.url),
    'utf8',
  );
const fixture = (source: Exclude<IntakeSource, 'csv'>) => JSON.parse(fixtureText(source));

/**
 * Every fixture hands a lead over on Friday 20 November 2026, 17:30 JST; Monday 23 November is a
 * national holiday (勤労感謝の日). The default rule set gives an MQL by score one business day on a
 * Mon–Fri 09:00–18:00 JST calendar: the same time on the next working day, Tue 24th 17:30 JST (08:30Z).
 * Worked out by hand from docs/rules.md, not from the code.
 */
const HANDOFF_AT = '2026-11-20T08:30:00.000Z';
const DUE_AT = '2026-11-24T08:30:00.000Z';

describeBackends('handoff intake over HTTP', (backend) => {
  let t: TestServer;
  const tokens = {} as Record<IntakeSource, string>;
  beforeAll(async () => {
    // The server's clock a quarter of an hour after the handoff.
    t = await startTestServer(backend, {
      BATON_CLOCK_AT: '2026-11-20T17:45:00+09:00',
      BATON_SEED_DEMO: '1',
      // The watch would record the demo history's escalations meanwhile: these tests count events.
      BATON_WATCH_POLL_MS: '0',
    });
    for (const source of INTAKE_SOURCES) {
      tokens[source] = (
        await createToken(t.server.store, { name: source, role: 'intake', now: Date.now() })
      ).token;
    }
  });
  afterAll(() => t.stop());

  const post = (source: IntakeSource, raw: string, token = tokens[source]) =>
    t.call('POST', `/v1/intake/${source}`, {
      token,
      raw,
      headers: { 'content-type': source === 'csv' ? 'text/csv' : 'application/json' },
    });

  const expected: Record<Exclude<IntakeSource, 'csv'>, { lead: object; stage: string | null }> = {
    hubspot: { lead: { crm: 'hubspot', object: 'contact', recordId: '3251' }, stage: null },
    kintone: { lead: { crm: 'kintone', object: '58', recordId: '1042' }, stage: 'contacted' },
    pipedrive: {
      lead: { crm: 'pipedrive', object: 'lead', recordId: 'adf21080-0e10-11eb-879b-05d71fb426ec' },
      stage: null,
    },
    salesforce: {
      lead: { crm: 'salesforce', object: 'Lead', recordId: '00Q5j00000KXyZaEAL' },
      stage: 'contacted',
    },
  };

  for (const source of ['hubspot', 'kintone', 'pipedrive', 'salesforce'] as const) {
    it(`stores a ${source} handoff scored by the active rules, due in business time, and answers a redelivery with the same receipt`, async () => {
      const first = await post(source, fixtureText(source));
      expect(first.status, first.text).toBe(200);
      expect(intakeResponseSchema.safeParse(first.json).success).toBe(true);
      const [receipt] = first.json.handoffs;
      expect(receipt).toMatchObject({
        lead: expected[source].lead,
        handoffAt: HANDOFF_AT,
        dueAt: DUE_AT,
        stage: expected[source].stage,
        rulesVersion: 1,
      });
      expect(typeof receipt.score).toBe('number');
      expect(receipt.events[0].type).toBe('handoff_observed');
      if (expected[source].stage) expect(receipt.events[1].type).toBe('stage_change');

      // What any rep's browser now learns about the lead from the team state.
      const state = await t.call('POST', '/v1/team-state', { role: 'rep', body: { leads: [receipt.lead] } });
      expect(state.status).toBe(200);
      const [entry] = state.json.leads;
      expect(entry.handoff).toMatchObject({ handoffAt: HANDOFF_AT, dueAt: DUE_AT, score: receipt.score });
      expect(entry.handoff.actor.name).toBe(source);
      if (expected[source].stage)
        expect(entry.stage).toMatchObject({ from: 'mql', to: expected[source].stage });

      const count = await t.server.store.events.count();
      const again = await post(source, fixtureText(source));
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(await t.server.store.events.count()).toBe(count);
    });

    it(`refuses a ${source} payload without its record id with 4xx naming the path, stores nothing, counts the refusal`, async () => {
      const payload = fixture(source);
      if (source === 'hubspot') delete payload.vid;
      if (source === 'kintone') delete payload.record.$id;
      if (source === 'pipedrive') payload.data.id = null;
      if (source === 'salesforce') delete payload.lead.Id;
      payload.eventId = 'changed';
      const count = await t.server.store.events.count();
      const res = await post(source, JSON.stringify(payload));
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_intake');
      const recordId = res.json.error.problems.find((p: { message: { en: string } }) =>
        p.message.en.includes('record id'),
      );
      expect(recordId, res.text).toBeTruthy();
      expect(recordId.message.ja).toContain('レコード ID');
      expect(await t.server.store.events.count()).toBe(count);

      const refusals = await t.call('GET', '/v1/intake/refusals?since=2026-11-20T00:00:00Z', {
        role: 'admin',
      });
      expect(refusals.status).toBe(200);
      expect(intakeRefusalsResponseSchema.safeParse(refusals.json).success).toBe(true);
      const mine = refusals.json.sources.find((s: { source: string }) => s.source === source);
      expect(mine.refused).toBeGreaterThanOrEqual(1);
      expect(mine.lastProblems).toEqual(res.json.error.problems.slice(0, 20));
      const metrics = await t.call('GET', '/metrics', { role: 'admin' });
      expect(metrics.text).toMatch(new RegExp(`baton_intake_refused_total\\{source="${source}"\\} [1-9]`));
    });
  }

  it('answers each webhook of a burst on its own: a bad one is refused alone, a doubled one is stored once, each good one gets its own receipt', async () => {
    const body = (i: number) => {
      const payload = fixture('kintone');
      payload.id = `burst-${i}`;
      payload.record.$id.value = String(5000 + i);
      if (i === 3) delete payload.record.$id;
      return JSON.stringify(payload);
    };
    const count = await t.server.store.events.count();
    // 12 at once, the sixth sent twice: the server stores them as they come, several per transaction.
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => post('kintone', body(i))),
      post('kintone', body(5)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 200, 400, 200, 200, 200, 200, 200, 200, 200, 200, 200,
    ]);
    expect(
      answers[3]!.json.error.problems.some((p: { message: { en: string } }) =>
        p.message.en.includes('record id'),
      ),
    ).toBe(true);
    const receipts = answers.filter((a) => a.status === 200).map((a) => a.json.handoffs[0]);
    expect(receipts.map((r) => r.lead.recordId)).toEqual([
      '5000',
      '5001',
      '5002',
      '5004',
      '5005',
      '5006',
      '5007',
      '5008',
      '5009',
      '5010',
      '5011',
      '5005',
    ]);
    expect(answers[12]!.text).toBe(answers[5]!.text);
    // 11 leads, each a handoff and (the fixture's status is 対応中) a stage change.
    expect(await t.server.store.events.count()).toBe(count + 22);
    expect(new Set(receipts.map((r) => r.events[0].seq)).size).toBe(11);
  });

  it('answers a notification another instance stored first from what it stored, and stores the rest of the burst', async () => {
    const body = (i: number) => {
      const payload = fixture('kintone');
      payload.id = `clash-${i}`;
      payload.record.$id.value = String(6000 + i);
      return JSON.stringify(payload);
    };
    // kintone's event id is the webhook's own id: the key every instance derives for clash-0's handoff.
    const key = nameKey('baton:intake:kintone:clash-0:handoff');
    const other = {
      type: 'handoff_observed' as const,
      idempotencyKey: key,
      occurredAt: '2026-11-20T08:30:00.000Z',
      lead: { crm: 'kintone' as const, object: '58', recordId: '6000' },
      rulesVersion: 1,
      actor: { name: 'kintone' },
      handoffAt: '2026-11-20T08:30:00.000Z',
      dueAt: '2026-11-24T08:29:00.000Z',
      reason: 'manual' as const,
    };
    await t.server.store.events.record([prepareEvent(other, false)], 'other-instance', Date.now());
    const count = await t.server.store.events.count();
    const answers = await Promise.all([0, 1, 2].map((i) => post('kintone', body(i))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // clash-0 answered from the other instance's event; clash-1 and clash-2 stored by this group.
    expect(answers[0]!.json.handoffs[0].dueAt).toBe('2026-11-24T08:29:00.000Z');
    expect(answers.slice(1).map((a) => a.json.handoffs[0].dueAt)).toEqual([DUE_AT, DUE_AT]);
    expect(await t.server.store.events.count()).toBeGreaterThanOrEqual(count + 2);
  });

  it('takes a CSV all or nothing: one bad row stores no row, the good file stores each row once', async () => {
    const good = fixtureText('csv');
    const bad = `${good}expo-2026-003,salesforce,Lead,,空欄の会社,,,,,,,2026-11-20T17:30:00+09:00\r\n`;
    const count = await t.server.store.events.count();
    const refused = await post('csv', bad);
    expect(refused.status).toBe(400);
    expect(refused.json.error.problems.map((p: { path: unknown[] }) => p.path)).toEqual([[4, 'record_id']]);
    expect(await t.server.store.events.count()).toBe(count);

    const taken = await post('csv', good);
    expect(taken.status, taken.text).toBe(200);
    expect(taken.json.handoffs).toHaveLength(2);
    expect(taken.json.handoffs.map((h: { dueAt: string }) => h.dueAt)).toEqual([DUE_AT, DUE_AT]);
    expect((await post('csv', good)).text).toBe(taken.text);
  });

  it("lists a rep's open handoffs nobody opened, soonest due first, with the record page, and not the ones already contacted", async () => {
    await post('csv', fixtureText('csv'));
    await post('salesforce', fixtureText('salesforce'));
    const res = await t.call('GET', `/v1/handoffs/open?owner=${encodeURIComponent('Kenji Suzuki')}`, {
      role: 'rep',
    });
    expect(res.status, res.text).toBe(200);
    expect(teamStateResponseSchema.safeParse(res.json).success).toBe(true);
    // The Flow's lead is "Working - Contacted": touched, so not in the queue; the CSV's is open.
    expect(res.json.leads.map((l: { lead: { recordId: string } }) => l.lead.recordId)).toEqual([
      '00Q5j00000KXyZbEAL',
    ]);
    expect(res.json.leads[0].handoff).toMatchObject({
      dueAt: DUE_AT,
      owner: 'Kenji Suzuki',
      // The rep's queue names the lead by its company, though no browser of theirs has opened it.
      company: '東都システム株式会社',
      url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5j00000KXyZbEAL/view',
    });
    // Won in the CRM is past contact too (lib/evaluate's CONTACTED_OR_BEYOND): it leaves the open list.
    const won = await t.call('POST', '/v1/events', {
      role: 'rep',
      body: {
        events: [
          {
            type: 'stage_change',
            idempotencyKey: '3e1f0c2a-9b7d-4c5e-8f6a-1b2c3d4e5f60',
            occurredAt: '2026-11-20T18:00:00+09:00',
            lead: { crm: 'salesforce', object: 'Lead', recordId: '00Q5j00000KXyZbEAL' },
            rulesVersion: 1,
            actor: { name: 'Kenji Suzuki' },
            from: 'mql',
            to: 'won',
          },
        ],
      },
    });
    expect(won.status, won.text).toBe(200);
    const after = await t.call('GET', `/v1/handoffs/open?owner=${encodeURIComponent('Kenji Suzuki')}`, {
      role: 'rep',
    });
    expect(after.json.leads).toEqual([]);
    const kintone = await t.call('GET', `/v1/handoffs/open?owner=${encodeURIComponent('田中 太郎')}`, {
      role: 'rep',
    });
    // The demo history has leads of this owner too: the intake one is among them, with its page.
    const intake = kintone.json.leads.find((l: { lead: { recordId: string } }) => l.lead.recordId === '1043');
    expect(intake.handoff.url).toBe('https://example.cybozu.com/k/58/show#record=1043');
    const dues = kintone.json.leads.map((l: { handoff: { dueAt: string } }) => Date.parse(l.handoff.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect((await t.call('GET', '/v1/handoffs/open', { role: 'rep' })).status).toBe(400);
    // An owner nobody has: an empty list on both backends (PostgreSQL once answered 500 to "IN ()"),
    // and a control character is refused, never a 500.
    const nobody = await t.call('GET', '/v1/handoffs/open?owner=nobody-here', { role: 'rep' });
    expect(nobody.status).toBe(200);
    expect(nobody.json).toEqual({ leads: [] });
    expect((await t.call('GET', '/v1/handoffs/open?owner=a%00b', { role: 'rep' })).status).toBe(400);
  });

  it('describes both routes in /openapi.json', async () => {
    const res = await t.call('GET', '/openapi.json');
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining(['/v1/intake/{source}', '/v1/intake/refusals']),
    );
    expect(res.json.components.schemas.IntakeResponse).toBeTruthy();
  });

  describe('who may post', () => {
    it('refuses people and another source’s intake token with 403', async () => {
      const body = fixtureText('kintone');
      expect((await post('kintone', body, t.tokens.admin)).status).toBe(403);
      expect((await post('kintone', body, tokens.hubspot)).status).toBe(403);
      // An intake token is no person: it reads no rules and sends no browser events.
      expect((await t.call('GET', '/v1/rules/active', { token: tokens.kintone })).status).toBe(403);
    });

    it('takes the token as a Basic auth password, as Pipedrive sends it', async () => {
      const basic = Buffer.from(`baton:${tokens.pipedrive}`).toString('base64');
      const res = await t.call('POST', '/v1/intake/pipedrive', {
        token: null,
        raw: fixtureText('pipedrive'),
        headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` },
      });
      expect(res.status, res.text).toBe(200);
      const wrong = Buffer.from('baton:nope').toString('base64');
      expect(
        (
          await t.call('POST', '/v1/intake/pipedrive', {
            token: null,
            body: {},
            headers: { authorization: `Basic ${wrong}` },
          })
        ).status,
      ).toBe(401);
    });

    it('answers 404 for a source Baton has no mapping for, 415 for a body that is not JSON', async () => {
      expect((await t.call('POST', '/v1/intake/marketo', { token: tokens.hubspot, body: {} })).status).toBe(
        404,
      );
      const res = await t.call('POST', '/v1/intake/hubspot', {
        token: tokens.hubspot,
        raw: 'vid=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(415);
    });
  });
});
