import { beforeEach, describe, expect, it } from 'vitest';
import type { BatonEvent } from '../../lib/events';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { BatonDb } from '../db';
import { record, recordEach } from './outbox';
import { queue } from './queue';
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  backoffDelay,
  ME_FRESH_MS,
  pullMe,
  pullOwnQueue,
  pullRules,
  refreshTeamState,
  sendEvents,
} from './sync';

const lead = { crm: 'salesforce', object: 'Lead', recordId: '00Q5g00000AbCdEFGH' } as const;
let n = 0;
function feedback(extra: Partial<BatonEvent> = {}): BatonEvent {
  n += 1;
  return {
    type: 'feedback',
    idempotencyKey: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    occurredAt: '2026-11-24T10:00:00+09:00',
    lead,
    rulesVersion: 0,
    actor: { name: '山田 太郎' },
    verdict: 'wrong_owner',
    ...extra,
  } as BatonEvent;
}

/** A stand-in for the endpoint: stores events by key once, as the real one does. */
function endpoint() {
  const stored = new Map<string, number>();
  const calls: { path: string; body?: unknown; headers: Record<string, string> }[] = [];
  let answer: ((path: string, body: unknown) => Response | null) | null = null;
  const transport = (async (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ path, body, headers: (init?.headers ?? {}) as Record<string, string> });
    const custom = answer?.(path, body);
    if (custom) return custom;
    if (path === '/v1/events') {
      const receipts = (body as { events: BatonEvent[] }).events.map((e) => {
        if (!stored.has(e.idempotencyKey)) stored.set(e.idempotencyKey, stored.size + 1);
        return {
          idempotencyKey: e.idempotencyKey,
          seq: stored.get(e.idempotencyKey)!,
          recordedAt: '2026-11-24T01:00:00.000Z',
        };
      });
      return Response.json({ receipts });
    }
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
  return {
    stored,
    calls,
    transport,
    answerWith(f: (path: string, body: unknown) => Response | null) {
      answer = f;
    },
  };
}

/** The endpoint refuses, whole and naming no event, any batch that holds `bad`; it takes the others. */
function tooLargeWhenHolding(bad: BatonEvent) {
  return (_path: string, body: unknown) =>
    (body as { events: BatonEvent[] }).events.some((e) => e.idempotencyKey === bad.idempotencyKey)
      ? Response.json(
          { error: { code: 'too_large', message: { ja: '大きすぎます', en: 'Too large' } } },
          { status: 413 },
        )
      : null;
}

describe('the outbox and its sync', () => {
  let database: BatonDb;
  let clock: number;
  let server: ReturnType<typeof endpoint>;
  const deps = () => ({
    database,
    config: async () => ({ url: 'https://baton.example.co.jp', token: 't', source: 'user' as const }),
    canReach: async () => true,
    now: () => clock,
    random: () => 0.5,
    transport: server.transport,
  });

  beforeEach(async () => {
    database = new BatonDb(`sync-test-${Math.random()}`);
    clock = 1_000_000;
    server = endpoint();
  });

  it('refuses an event the endpoint could never accept, before it reaches the outbox', async () => {
    await expect(record(database, [feedback({ verdict: 'reject' } as never)], clock)).rejects.toThrow(
      /reason code/,
    );
    expect(await database.outbox.count()).toBe(0);
  });

  it('stores the valid events of a derived list and returns the refusal of each invalid one', async () => {
    const good = feedback();
    const alsoGood = feedback();
    const refused = await recordEach(
      database,
      [good, feedback({ verdict: 'reject' } as never), alsoGood],
      clock,
    );
    expect(refused.map((r) => r.reason.en)).toEqual([expect.stringMatching(/reason code/)]);
    expect((await database.outbox.toArray()).map((e) => e.idempotencyKey).sort()).toEqual(
      [good.idempotencyKey, alsoGood.idempotencyKey].sort(),
    );
  });

  it('keeps the first of two events with one key in one list, as recording them one by one did', async () => {
    const first = feedback({ verdict: 'wrong_owner' } as never);
    const again = { ...first, verdict: 'duplicate' } as BatonEvent;
    expect(await recordEach(database, [first, again], clock)).toEqual([]);
    const stored = await database.outbox.toArray();
    expect(stored.map((e) => (e.event as { verdict: string }).verdict)).toEqual(['wrong_owner']);
  });

  it('sends what waits in batches and marks each event sent with its receipt, once', async () => {
    await record(
      database,
      Array.from({ length: 250 }, () => feedback()),
      clock,
    );
    const report = await sendEvents(deps());
    expect(report).toEqual({ sent: 250, refused: 0 });
    expect(server.calls.map((c) => (c.body as { events: unknown[] }).events.length)).toEqual([100, 100, 50]);
    expect(await database.outbox.where('state').equals('sent').count()).toBe(250);
    expect((await sendEvents(deps())).sent).toBe(0);
  });

  it('backs off with the next attempt written in IndexedDB, and keeps the events pending', async () => {
    await record(database, [feedback()], clock);
    server.answerWith(() => {
      throw new TypeError('Failed to fetch');
    });
    expect((await sendEvents(deps())).stopped).toBe('failed');
    const channel = await database.syncChannels.get('events');
    expect(channel).toMatchObject({ failures: 1, nextAttemptAt: clock + BACKOFF_BASE_MS * 0.75 });
    expect(channel?.lastError?.reason.en).toMatch(/Cannot reach/);
    // A fresh module (a restarted worker) reads the same backoff and waits.
    clock += 1000;
    expect((await sendEvents(deps())).stopped).toBe('backoff');
    server.answerWith(() => null);
    clock += BACKOFF_BASE_MS;
    expect(await sendEvents(deps())).toEqual({ sent: 1, refused: 0 });
    expect(await database.syncChannels.get('events')).toMatchObject({
      failures: 0,
      lastError: null,
      lastSuccessAt: clock,
    });
  });

  it('doubles the backoff up to its cap, with jitter in the upper half', () => {
    expect(backoffDelay(1, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(3, () => 1)).toBe(BACKOFF_BASE_MS * 4);
    expect(backoffDelay(40, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  it('keeps an event the endpoint refuses for good, with its words, and sends the rest', async () => {
    const [good, bad, alsoGood] = [feedback(), feedback(), feedback()];
    await record(database, [good, bad, alsoGood], clock);
    server.answerWith((path, body) => {
      const events = (body as { events: BatonEvent[] }).events;
      const at = events.findIndex((e) => e.idempotencyKey === bad.idempotencyKey);
      if (path !== '/v1/events' || at < 0) return null;
      return Response.json(
        {
          error: {
            code: 'idempotency_conflict',
            message: { ja: '別の内容で送信済みです', en: 'Sent before with a different body' },
            problems: [
              { path: ['events', at, 'idempotencyKey'], message: { ja: '重複', en: 'Duplicate key' } },
            ],
          },
        },
        { status: 409 },
      );
    });
    expect(await sendEvents(deps())).toEqual({ sent: 2, refused: 1 });
    const kept = await database.outbox.get(bad.idempotencyKey);
    expect(kept).toMatchObject({ state: 'refused', refusal: { status: 409 } });
    expect(kept?.refusal?.reason.en).toBe(
      'Sent before with a different body — idempotencyKey: Duplicate key',
    );
    expect((await sendEvents(deps())).sent).toBe(0);
    expect(await database.outbox.get(bad.idempotencyKey)).toMatchObject({ state: 'refused' });
  });

  it('gives each refused event its own problems when the endpoint names several', async () => {
    const [first, good, second] = [feedback(), feedback(), feedback()];
    await record(database, [first, good, second], clock);
    server.answerWith((path, body) => {
      const events = (body as { events: BatonEvent[] }).events;
      const at = (e: BatonEvent) => events.findIndex((x) => x.idempotencyKey === e.idempotencyKey);
      if (path !== '/v1/events' || at(first) < 0 || at(second) < 0) return null;
      return Response.json(
        {
          error: {
            code: 'invalid_body',
            message: { ja: '不正です', en: 'Invalid' },
            problems: [
              { path: ['events', at(first), 'rating'], message: { ja: '評価', en: 'Rating is wrong' } },
              {
                path: ['events', at(second), 'comment'],
                message: { ja: 'コメント', en: 'Comment too long' },
              },
            ],
          },
        },
        { status: 400 },
      );
    });
    expect(await sendEvents(deps())).toEqual({ sent: 1, refused: 2 });
    expect((await database.outbox.get(first.idempotencyKey))?.refusal?.reason.en).toBe(
      'Invalid — rating: Rating is wrong',
    );
    expect((await database.outbox.get(second.idempotencyKey))?.refusal?.reason.en).toBe(
      'Invalid — comment: Comment too long',
    );
  });

  it('shows a 409 on an escalation step as a refusal, never as recorded: another event holds its key', async () => {
    const step = {
      type: 'escalation_step',
      idempotencyKey: '00000000-0000-5000-8000-0000000000e1',
      occurredAt: '2026-11-24T10:00:00+09:00',
      lead,
      rulesVersion: 2,
      actor: { name: 'Baton' },
      stepId: 'manager',
      kind: 'manager',
      dueAt: '2026-11-24T09:00:00+09:00',
    } as BatonEvent;
    await record(database, [step], clock);
    server.answerWith((path) =>
      path === '/v1/events'
        ? Response.json(
            {
              error: {
                code: 'idempotency_conflict',
                message: { ja: '別の内容で送信済みです', en: 'Sent before with a different body' },
                problems: [
                  { path: ['events', 0, 'idempotencyKey'], message: { ja: '重複', en: 'Duplicate' } },
                ],
              },
            },
            { status: 409 },
          )
        : null,
    );
    expect(await sendEvents(deps())).toEqual({ sent: 0, refused: 1 });
    expect(await database.outbox.get(step.idempotencyKey)).toMatchObject({
      state: 'refused',
      refusal: { status: 409 },
    });
  });

  it('finds the event at fault one by one when a refusal names none', async () => {
    const bad = feedback();
    await record(database, [feedback(), bad], clock);
    server.answerWith(tooLargeWhenHolding(bad));
    expect(await sendEvents(deps())).toEqual({ sent: 1, refused: 1 });
    expect((await database.outbox.get(bad.idempotencyKey))?.state).toBe('refused');
  });

  it('goes one by one only through the batch at fault, then back to full batches', async () => {
    const events = Array.from({ length: 250 }, () => feedback());
    const bad = events[10]!;
    await record(database, events, clock);
    server.answerWith(tooLargeWhenHolding(bad));
    expect(await sendEvents(deps())).toEqual({ sent: 249, refused: 1 });
    // The first 100 (refused whole), those 100 one by one, then 150 in batches of 100 and 50.
    const sizes = server.calls
      .filter((c) => c.path === '/v1/events')
      .map((c) => (c.body as { events: unknown[] }).events.length);
    expect(sizes.length).toBe(103);
    expect(sizes.slice(-2)).toEqual([100, 50]);
  });

  it('does not give up on a bad token: the events stay pending and the error says 401', async () => {
    await record(database, [feedback()], clock);
    server.answerWith(() => new Response('{}', { status: 401 }));
    await sendEvents(deps());
    expect(await database.outbox.where('state').equals('pending').count()).toBe(1);
    expect((await database.syncChannels.get('events'))?.lastError?.reason.en).toMatch(/401/);
  });

  it('sends nothing and says why when the host permission is missing', async () => {
    await record(database, [feedback()], clock);
    const report = await sendEvents({ ...deps(), canReach: async () => false });
    expect(report.stopped).toBe('no_permission');
    expect(server.calls).toHaveLength(0);
    expect((await database.syncChannels.get('events'))?.lastError?.reason.en).toMatch(/Allow access/);
  });

  describe('rules', () => {
    const publish = (rules: unknown, version: number, etag: string) =>
      server.answerWith((path) =>
        path === '/v1/rules/active'
          ? Response.json({ version, activatedAt: '2026-11-24T00:00:00.000Z', rules }, { headers: { etag } })
          : null,
      );
    const v = (number: number) => ({ ...defaultRuleSet, version: { id: `r${number}`, number } });

    it('replaces the cached set with a valid newer one and asks with If-None-Match next time', async () => {
      publish(v(2), 2, '"v2"');
      expect(await pullRules(deps())).toBe('updated');
      expect(await database.rules.get('active')).toMatchObject({
        source: 'endpoint',
        etag: '"v2"',
        receivedAt: clock,
        activatedAt: Date.parse('2026-11-24T00:00:00.000Z'),
      });
      server.answerWith((_p) => new Response(null, { status: 304 }));
      expect(await pullRules(deps())).toBe('unchanged');
      expect(server.calls.at(-1)?.headers['if-none-match']).toBe('"v2"');
    });

    it('refuses an invalid set, keeps the last good one in force, and remembers why', async () => {
      publish(v(2), 2, '"v2"');
      await pullRules(deps());
      publish({ ...v(3), threshold: 'high' }, 3, '"v3"');
      expect(await pullRules(deps())).toBe('refused');
      const inForce = (await database.rules.get('active'))!.rules as { version: { id: string } };
      expect(inForce.version.id).toBe('r2');
      const channel = await database.syncChannels.get('rules');
      expect(channel?.refused).toMatchObject({ version: 3 });
      expect(channel?.refused?.problems[0]?.path).toMatch(/^threshold/);
      expect(channel?.lastError?.reason.en).toMatch(/v3 .*invalid.*last good one stays/);
    });

    it('keeps the highest version when an older one is served again', async () => {
      publish(v(5), 5, '"v5"');
      await pullRules(deps());
      publish(v(4), 4, '"v4"');
      expect(await pullRules(deps())).toBe('stale');
      expect((await database.rules.get('active'))?.etag).toBe('"v5"');
    });
  });

  describe('who the token is', () => {
    let token: string;
    const withToken = () => ({
      ...deps(),
      config: async () => ({ url: 'https://baton.example.co.jp', token, source: 'user' as const }),
    });
    const meCalls = () => server.calls.filter((c) => c.path === '/v1/me').length;

    beforeEach(() => {
      token = 'baton_demomarketer_x';
      server.answerWith((path) => {
        if (path !== '/v1/me') return null;
        const role = token.includes('rep') ? 'rep' : 'marketer';
        return Response.json({ role, name: `Test ${role}`, tokenId: `demo${role}` });
      });
    });

    it('stores the role, asks at most hourly for the same token, and at once for a new one', async () => {
      expect(await pullMe(withToken())).toBe('updated');
      const channel = await database.syncChannels.get('me');
      expect(channel?.me).toEqual({ role: 'marketer', name: 'Test marketer', tokenId: 'demomarketer' });
      expect(channel?.askedWith).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(channel)).not.toContain(token);
      clock += ME_FRESH_MS - 1;
      expect(await pullMe(withToken())).toBe('unchanged');
      expect(meCalls()).toBe(1);
      token = 'baton_demorep_y';
      expect(await pullMe(withToken())).toBe('updated');
      expect((await database.syncChannels.get('me'))?.me?.role).toBe('rep');
      expect(meCalls()).toBe(2);
      clock += ME_FRESH_MS;
      expect(await pullMe(withToken())).toBe('unchanged');
      expect(meCalls()).toBe(3);
    });

    it('forgets the role when the endpoint is removed, the token is refused, or the endpoint cannot say', async () => {
      await pullMe(withToken());
      expect(await pullMe({ ...withToken(), config: async () => null })).toBe('cleared');
      expect((await database.syncChannels.get('me'))?.me).toBeNull();

      await pullMe(withToken());
      server.answerWith(() => new Response('{}', { status: 401 }));
      expect(await pullMe(withToken(), { force: true })).toBe('failed');
      expect((await database.syncChannels.get('me'))?.me).toBeNull();

      server.answerWith((path) =>
        path === '/v1/me' ? Response.json({ role: 'marketer', name: 'M', tokenId: 'm' }) : null,
      );
      await pullMe(withToken(), { force: true });
      server.answerWith(() =>
        Response.json({ error: { code: 'not_found', message: { ja: 'なし', en: 'none' } } }, { status: 404 }),
      );
      expect(await pullMe(withToken(), { force: true })).toBe('cleared');
      expect((await database.syncChannels.get('me'))?.me).toBeNull();
    });

    it('keeps the last role through a passing network failure', async () => {
      await pullMe(withToken());
      server.answerWith(() => {
        throw new TypeError('Failed to fetch');
      });
      clock += ME_FRESH_MS;
      expect(await pullMe(withToken())).toBe('failed');
      expect((await database.syncChannels.get('me'))?.me?.role).toBe('marketer');
    });
  });

  it("pulls the rep's own open handoffs by the CRM user name into the team state, for the queue", async () => {
    const handoff = {
      type: 'handoff_observed',
      idempotencyKey: '0b7a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      occurredAt: '2026-11-20T08:30:00.000Z',
      lead,
      rulesVersion: 1,
      actor: { name: 'salesforce' },
      handoffAt: '2026-11-20T08:30:00.000Z',
      dueAt: '2026-11-26T05:30:00.000Z',
      reason: 'manual',
      owner: 'Kenji Suzuki',
      company: '株式会社インテーク',
      url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
    };
    server.answerWith((path) =>
      path === '/v1/handoffs/open'
        ? Response.json({
            leads: [{ lead, handoff, firstContact: null, stage: null, feedback: null, escalation: null }],
          })
        : null,
    );
    expect(await pullOwnQueue(deps(), '')).toBe(false);
    expect(server.calls).toHaveLength(0);
    expect(await pullOwnQueue(deps(), ' Kenji Suzuki ')).toBe(true);
    expect(server.calls[0]!.path).toBe('/v1/handoffs/open');
    const [item] = await queue(database, clock);
    expect(item).toMatchObject({
      source: 'team',
      url: handoff.url,
      handoffAt: Date.parse(handoff.handoffAt),
      // Named by its company, not by a bare record id, though no page of this browser showed it.
      label: '株式会社インテーク',
      company: '株式会社インテーク',
    });
    expect(item!.sla.dueAt).toBe(Date.parse(handoff.dueAt));
    // The same answer again changes nothing.
    expect(await pullOwnQueue(deps(), 'Kenji Suzuki')).toBe(false);
  });

  it('asks the team state in one request per list and not again within a minute', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => ({ ...lead, recordId: `00Q${i}` }));
    server.answerWith((path, body) =>
      path === '/v1/team-state'
        ? Response.json({
            leads: (body as { leads: (typeof lead)[] }).leads.map((l) => ({
              lead: l,
              handoff: null,
              firstContact: null,
              stage: null,
              feedback: null,
              escalation: null,
            })),
          })
        : null,
    );
    expect(await refreshTeamState(deps(), keys)).toBe(true);
    expect(server.calls).toHaveLength(1);
    expect(await database.teamState.count()).toBe(30);
    clock += 30_000;
    expect(await refreshTeamState(deps(), keys)).toBe(false);
    expect(server.calls).toHaveLength(1);
  });
});
