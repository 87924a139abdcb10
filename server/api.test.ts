import { randomUUID } from 'node:crypto';
import http, { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { meResponseSchema } from '../lib/events';
import { defaultRuleSet } from '../lib/rules';
import { escalation, feedback, firstContact, handoff, lead, stageChange } from './test/fixtures';
import { describeBackends, startTestServer, type TestServer } from './test/harness';

const ruleSet = (revision: string, total: number) => ({
  ...defaultRuleSet,
  version: { id: revision, number: 1 },
  threshold: { ...defaultRuleSet.threshold, total },
});

/**
 * Watches which path writes each answer's head until `done`: the 304 fast path hands Node a flat header
 * list, the router an object.
 */
function watchAnswers(): { done(): string[] } {
  const heads = vi.spyOn(ServerResponse.prototype, 'writeHead');
  return {
    done() {
      const answers = heads.mock.calls.map(
        ([status, headers]) => `${status} ${Array.isArray(headers) ? 'memory' : 'router'}`,
      );
      heads.mockRestore();
      return answers;
    },
  };
}

describeBackends('the sync endpoint over HTTP', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend, { BATON_SEED_DEMO: '1' });
  });
  afterAll(() => t.stop());

  describe('auth and roles', () => {
    it('answers /health without a token', async () => {
      const res = await t.call('GET', '/health', { token: null });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
    });

    it('answers 401 with a Bearer challenge when no token is sent, on every other path', async () => {
      for (const path of ['/v1/rules/active', '/metrics', '/openapi.json', '/v1/rules/versions', '/nope']) {
        const res = await t.call('GET', path, { token: null });
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(res.json.error.code).toBe('unauthorized');
        expect(res.json.error.message.ja).toBeTruthy();
      }
    });

    it('answers 401 for a made-up, malformed or revoked token', async () => {
      const madeUp = `baton_abcdef123456_${'A'.repeat(43)}`;
      expect((await t.call('GET', '/v1/rules/active', { token: madeUp })).status).toBe(401);
      expect((await t.call('GET', '/v1/rules/active', { token: 'not a token' })).status).toBe(401);
      const { createToken } = await import('./auth');
      const { record, token } = await createToken(t.server.store, {
        name: 'leaver',
        role: 'rep',
        now: Date.now(),
      });
      expect((await t.call('GET', '/v1/rules/active', { token })).status).toBe(200);
      await t.server.store.tokens.revoke(record.id, Date.now());
      expect((await t.call('GET', '/v1/rules/active', { token })).status).toBe(401);
    });

    it('answers 403 when the role may not do it', async () => {
      expect((await t.call('POST', '/v1/rules/drafts', { role: 'rep', body: { rules: {} } })).status).toBe(
        403,
      );
      expect((await t.call('GET', '/metrics', { role: 'manager' })).status).toBe(403);
      const signoff = await t.call('POST', '/v1/rules/versions/1/signoffs', { role: 'admin', body: {} });
      expect(signoff.status).toBe(403);
      expect(signoff.json.error.message.en).toMatch(/marketer, manager/);
      expect(
        (await t.call('POST', '/v1/rules/rollbacks', { role: 'rep', body: { toVersion: 1 } })).status,
      ).toBe(403);
    });

    it('tells every role who its token belongs to at /v1/me', async () => {
      for (const role of ['rep', 'manager', 'marketer', 'admin'] as const) {
        const res = await t.call('GET', '/v1/me', { role });
        expect(res.status, role).toBe(200);
        // The token string carries its id: "baton_<id>_<secret>".
        const tokenId = /^baton_([a-z0-9]+)_/.exec(t.tokens[role])![1];
        expect(res.json).toEqual({ role, name: `Test ${role}`, tokenId });
        expect(meResponseSchema.safeParse(res.json).success).toBe(true);
      }
    });

    it('answers /v1/me 401 without a token or with a revoked one', async () => {
      const missing = await t.call('GET', '/v1/me', { token: null });
      expect(missing.status).toBe(401);
      expect(missing.json.error.code).toBe('unauthorized');
      const { createToken } = await import('./auth');
      const { record, token } = await createToken(t.server.store, {
        name: '退職者',
        role: 'marketer',
        now: Date.now(),
      });
      expect((await t.call('GET', '/v1/me', { token })).json).toMatchObject({
        role: 'marketer',
        name: '退職者',
      });
      await t.server.store.tokens.revoke(record.id, Date.now());
      expect((await t.call('GET', '/v1/me', { token })).status).toBe(401);
    });

    it('lets every role read rules and send events', async () => {
      for (const role of ['rep', 'manager', 'marketer', 'admin'] as const) {
        expect((await t.call('GET', '/v1/rules/active', { role })).status).toBe(200);
        expect((await t.call('POST', '/v1/events', { role, body: { events: [handoff()] } })).status).toBe(
          200,
        );
      }
    });
  });

  describe('active rules with ETag', () => {
    it('answers 304 with no body when If-None-Match names the current ETag', async () => {
      const first = await t.call('GET', '/v1/rules/active');
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      expect(first.json.rules.version.number).toBe(first.json.version);
      const again = await t.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const weakInList = await t.call('GET', '/v1/rules/active', {
        headers: { 'if-none-match': `"x", W/${etag}` },
      });
      expect(weakInList.status).toBe(304);
      const stale = await t.call('GET', '/v1/rules/active', { headers: { 'if-none-match': '"other-1"' } });
      expect(stale.status).toBe(200);
    });

    it('answers 404 with a clear message on a database with no rules yet', async () => {
      const empty = await startTestServer(backend);
      try {
        const res = await empty.call('GET', '/v1/rules/active');
        expect(res.status).toBe(404);
        expect(res.json.error.code).toBe('no_active_rules');
      } finally {
        await empty.stop();
      }
    });
  });

  describe('active rules served from memory', () => {
    const cached = { BATON_TOKEN_CACHE_MS: '60000', BATON_RULES_CACHE_MS: '60000', BATON_SEED_DEMO: '1' };

    /**
     * A server of the test's own, rules and tokens cached, started with `env` too: `use` gets it with the
     * active rules' first answer (to the rep, no ETag sent) and that answer's ETag. Stopped after `use`,
     * and returned for its logs.
     */
    async function withPollServer(
      env: Record<string, string>,
      use: (m: TestServer, etag: string, first: Awaited<ReturnType<TestServer['call']>>) => Promise<void>,
    ): Promise<TestServer> {
      const m = await startTestServer(backend, { ...cached, ...env });
      try {
        const first = await m.call('GET', '/v1/rules/active');
        await use(m, first.headers.get('etag')!, first);
      } finally {
        await m.stop();
      }
      return m;
    }

    it('refuses from memory no one the router refuses: an intake token gets 403, ETag or not', async () => {
      await withPollServer({}, async (m, etag) => {
        // The first call puts the intake token in the Authenticator's cache; the second could be answered
        // from memory.
        expect((await m.call('GET', '/v1/rules/active', { role: 'intake' })).status).toBe(403);
        const again = await m.call('GET', '/v1/rules/active', {
          role: 'intake',
          headers: { 'if-none-match': etag },
        });
        expect(again.status).toBe(403);
      });
    });

    it('answers 304 from memory exactly as the router does, logged and counted, and limited', async () => {
      const limited = {
        BATON_RATE_LIMIT_PER_SECOND: '1',
        BATON_RATE_LIMIT_BURST: '4',
        // A poll's own line is a debug line (poll-log.ts).
        BATON_LOG_LEVEL: 'debug',
      };
      await withPollServer(limited, async (m, etag) => {
        const requestId = `fast-${randomUUID()}`;
        const res = await m.call('GET', '/v1/rules/active', {
          headers: { 'if-none-match': etag, 'x-request-id': requestId },
        });
        expect(res.status).toBe(304);
        expect(res.text).toBe('');
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
        expect(res.headers.get('x-request-id')).toBe(requestId);
        await new Promise((resolve) => setTimeout(resolve, 10));
        const line = m.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
        expect(line).toMatchObject({ route: '/v1/rules/active', status: 304, role: 'rep' });
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 4; i++) {
          const again = await m.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } });
          statuses.push(again.status);
          retryAfter ??= again.headers.get('retry-after');
        }
        expect(statuses).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        const metrics = await m.call('GET', '/metrics', { role: 'admin' });
        expect(metrics.text).toContain(
          'baton_http_requests_total{method="GET",route="/v1/rules/active",status="304"} 3',
        );
        expect(metrics.text).toContain(
          'baton_http_requests_total{method="GET",route="/v1/rules/active",status="429"}',
        );
      });
    });

    it('logs, heads and counts a 304 from memory exactly as a 304 from the router', async () => {
      // A poll's own line is a debug line (poll-log.ts).
      await withPollServer({ BATON_LOG_LEVEL: 'debug' }, async (m, etag) => {
        // The manager's token is not in memory yet: its first 304 comes from the router, the next from memory.
        const ask = (requestId: string) =>
          m.call('GET', '/v1/rules/active', {
            role: 'manager',
            headers: { 'if-none-match': etag, 'x-request-id': requestId },
          });
        const answers = watchAnswers();
        const viaRouter = await ask('via-router');
        const fromMemory = await ask('from-memory');
        expect(answers.done().filter((a) => a.startsWith('304'))).toEqual(['304 router', '304 memory']);
        expect([viaRouter.status, fromMemory.status]).toEqual([304, 304]);
        const headersOf = (res: Response | { headers: Headers }) =>
          [...res.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id');
        expect(headersOf(fromMemory)).toEqual(headersOf(viaRouter));
        await new Promise((resolve) => setTimeout(resolve, 10));
        const lineOf = (requestId: string) => {
          const text = m.logs.find((l) => l.includes(`"requestId":"${requestId}"`))!;
          const { time, ms, ...rest } = JSON.parse(text);
          expect(typeof time).toBe('string');
          expect(typeof ms).toBe('number');
          // Entries, not the object: the order of the fields is part of the line.
          return { keys: Object.keys(JSON.parse(text)), fields: Object.entries({ ...rest, requestId: '' }) };
        };
        expect(lineOf('from-memory')).toEqual(lineOf('via-router'));
        const metrics = await m.call('GET', '/metrics', { role: 'admin' });
        expect(metrics.text).toContain(
          'baton_http_requests_total{method="GET",route="/v1/rules/active",status="304"} 2',
        );
        expect(metrics.text).toContain(
          'baton_http_request_duration_seconds_count{route="/v1/rules/active"} 3',
        );
      });
    });

    it('logs polls answered 304 as one line counting them, from memory and from the router alike', async () => {
      const requestIds: string[] = [];
      const stopped = await withPollServer({}, async (m, etag) => {
        const answers = watchAnswers();
        for (const role of ['manager', 'manager', 'rep', 'rep', 'rep'] as const) {
          const res = await m.call('GET', '/v1/rules/active', { role, headers: { 'if-none-match': etag } });
          expect(res.status).toBe(304);
          requestIds.push(res.headers.get('x-request-id')!);
        }
        // The rep's token came in memory with the first call: the manager's first poll goes to the router.
        expect(answers.done()).toEqual([
          '304 router',
          '304 memory',
          '304 memory',
          '304 memory',
          '304 memory',
        ]);
        const changed = await m.call('GET', '/v1/rules/active', { role: 'manager' });
        expect(changed.status).toBe(200);
      });
      const lines = stopped.logs.map((l) => JSON.parse(l));
      expect(lines.filter((l) => requestIds.includes(l.requestId))).toEqual([]);
      // The 200s are requests like any other.
      expect(lines.filter((l) => l.msg === 'request' && l.route === '/v1/rules/active')).toHaveLength(2);
      const summaries = lines.filter((l) => l.msg === 'rules polls answered 304');
      expect(summaries).toEqual([
        {
          time: expect.any(String),
          level: 'info',
          msg: 'rules polls answered 304',
          count: 5,
          tokens: 2,
          maxMs: expect.any(Number),
          since: expect.any(String),
          seconds: expect.any(Number),
        },
      ]);
      const summary = lines.findIndex((l) => l.msg === 'rules polls answered 304');
      expect(lines.findIndex((l) => l.msg === 'stopped')).toBeGreaterThan(summary);
    });

    it('heads a 304 with its validators only, from memory and from the router alike (RFC 9110, 15.4.5)', async () => {
      await withPollServer({}, async (m, etag, full) => {
        expect(full.headers.get('x-frame-options')).toBe('DENY');
        // The manager's token is not in memory yet: its first 304 comes from the router, the next from memory.
        const answers = watchAnswers();
        for (const role of ['manager', 'manager', 'rep'] as const) {
          const res = await m.call('GET', '/v1/rules/active', { role, headers: { 'if-none-match': etag } });
          expect(res.status).toBe(304);
          const names = [...res.headers.keys()].filter(
            (n) => !['date', 'connection', 'keep-alive'].includes(n),
          );
          expect(names.sort()).toEqual(['cache-control', 'etag', 'x-request-id']);
        }
        expect(answers.done()).toEqual(['304 router', '304 memory', '304 memory']);
      });
    });

    it('answers a poll from memory whatever the case of its header names, and a repeated If-None-Match as Node merges it', async () => {
      // The request id's line is a debug line (poll-log.ts).
      await withPollServer({ BATON_LOG_LEVEL: 'debug' }, async (m, etag) => {
        // Raw header lines, spelled and repeated as the test needs (fetch would normalise them).
        const ask = (lines: [string, string][]) =>
          new Promise<number>((resolve, reject) => {
            const url = new URL(`${m.url}/v1/rules/active`);
            // A raw list gets no Host from Node: it is sent like any other line.
            const headers = [['Host', url.host], ...lines].flat();
            const request = http.request(url, { headers }, (res) => {
              res.resume();
              resolve(res.statusCode!);
            });
            request.on('error', reject).end();
          });
        const bearer = `Bearer ${m.tokens.rep}`;
        const answers = watchAnswers();
        const statuses = [
          await ask([
            ['AUTHORIZATION', bearer],
            ['If-None-Match', etag],
            ['X-Request-ID', 'upper'],
          ]),
          await ask([
            ['authorization', bearer],
            ['if-none-match', '"other"'],
            ['If-None-Match', etag],
          ]),
          await ask([
            ['Authorization', bearer],
            ['If-None-Match', '"other"'],
          ]),
        ];
        expect(statuses).toEqual([304, 304, 200]);
        expect(answers.done()).toEqual(['304 memory', '304 memory', '200 router']);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(m.logs.some((l) => l.includes('"requestId":"upper"'))).toBe(true);
      });
    });

    it('stops answering 304 for the old ETag as soon as this instance activates a version, and other instances within the cache time', async () => {
      const a = await startTestServer(backend, cached);
      const b = await startTestServer(
        { name: backend.name, freshDatabase: () => ({}) },
        { ...a.env, BATON_RULES_CACHE_MS: '300', BATON_TOKEN_CACHE_MS: '60000' },
      );
      try {
        const etag = (await a.call('GET', '/v1/rules/active')).headers.get('etag')!;
        expect((await b.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } })).status).toBe(
          304,
        );
        const draft = await a.call('POST', '/v1/rules/drafts', {
          role: 'marketer',
          body: { rules: ruleSet('c', 66) },
        });
        for (const role of ['marketer', 'manager'] as const) {
          await a.call('POST', `/v1/rules/versions/${draft.json.version}/signoffs`, { role, body: {} });
        }
        const onA = await a.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } });
        expect(onA.status).toBe(200);
        expect(onA.json.version).toBe(draft.json.version);
        await new Promise((resolve) => setTimeout(resolve, 350));
        const onB = await b.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } });
        expect(onB.status).toBe(200);
        expect(onB.headers.get('etag')).toBe(onA.headers.get('etag'));
      } finally {
        await b.stop();
        await a.stop();
      }
    });
  });

  describe('two-party sign-off', () => {
    it('activates a draft only when marketing and sales have both signed', async () => {
      const before = await t.call('GET', '/v1/rules/active');
      const etag = before.headers.get('etag')!;

      const draft = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: ruleSet('2026-11-a', 65), note: '閾値を65に' },
      });
      expect(draft.status).toBe(201);
      expect(draft.json.status).toBe('draft');
      const version = draft.json.version;
      expect(draft.json.rules.version).toEqual({ id: '2026-11-a', number: version });

      const marketing = await t.call('POST', `/v1/rules/versions/${version}/signoffs`, {
        role: 'marketer',
        body: { comment: 'マーケ承認' },
      });
      expect(marketing.status).toBe(200);
      expect(marketing.json.status).toBe('draft');
      expect((await t.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } })).status).toBe(
        304,
      );

      const twice = await t.call('POST', `/v1/rules/versions/${version}/signoffs`, {
        role: 'marketer',
        body: {},
      });
      expect(twice.status).toBe(409);
      expect(twice.json.error.code).toBe('already_signed');

      // A sign-off needs no body at all.
      const sales = await t.call('POST', `/v1/rules/versions/${version}/signoffs`, { role: 'manager' });
      expect(sales.status).toBe(200);
      expect(sales.json.status).toBe('active');
      expect(sales.json.activation).toBe('signoffs');
      expect(sales.json.signoffs.map((s: { side: string }) => s.side).sort()).toEqual(['marketing', 'sales']);

      const after = await t.call('GET', '/v1/rules/active', { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.json.version).toBe(version);
      expect(after.json.rules.threshold.total).toBe(65);
      expect(after.headers.get('etag')).not.toBe(etag);

      const history = await t.call('GET', '/v1/rules/versions');
      const entry = history.json.versions.find((v: { version: number }) => v.version === version);
      expect(entry.createdBy).toEqual({ name: 'Test marketer', role: 'marketer' });
      expect(entry.signoffs[0].by.name).toBe('Test marketer');
      expect(entry.rules).toBeUndefined();
      const previous = history.json.versions.find(
        (v: { version: number }) => v.version === before.json.version,
      );
      expect(previous.status).toBe('retired');
    });

    it('refuses to sign a version that is not a draft, or does not exist', async () => {
      const active = (await t.call('GET', '/v1/rules/active')).json.version;
      const res = await t.call('POST', `/v1/rules/versions/${active}/signoffs`, {
        role: 'manager',
        body: {},
      });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('not_a_draft');
      expect(
        (await t.call('POST', '/v1/rules/versions/999999/signoffs', { role: 'manager', body: {} })).status,
      ).toBe(404);
      expect(
        (await t.call('POST', '/v1/rules/versions/abc/signoffs', { role: 'manager', body: {} })).status,
      ).toBe(400);
      expect((await t.call('GET', '/v1/rules/versions/99999999999', {})).status).toBe(400);
    });

    it('answers 422 with every problem’s path and ja/en message for an invalid rule set', async () => {
      const res = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: { ...defaultRuleSet, threshold: { total: -5 }, requireIcpMatch: 'yes' } },
      });
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('invalid_rules');
      const paths = res.json.error.problems.map((p: { path: unknown[] }) => p.path.join('.'));
      expect(paths).toContain('rules.threshold.total');
      expect(paths).toContain('rules.requireIcpMatch');
      for (const p of res.json.error.problems) {
        expect(p.message.ja).toBeTruthy();
        expect(p.message.en).toBeTruthy();
      }
    });

    it('marks older drafts superseded when a newer version is activated', async () => {
      const older = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: ruleSet('old', 61) },
      });
      const newer = await t.call('POST', '/v1/rules/drafts', {
        role: 'manager',
        body: { rules: ruleSet('new', 62) },
      });
      for (const role of ['marketer', 'manager'] as const) {
        await t.call('POST', `/v1/rules/versions/${newer.json.version}/signoffs`, { role, body: {} });
      }
      const res = await t.call('GET', `/v1/rules/versions/${older.json.version}`);
      expect(res.json.status).toBe('superseded');
      const late = await t.call('POST', `/v1/rules/versions/${older.json.version}/signoffs`, {
        role: 'manager',
        body: {},
      });
      expect(late.status).toBe(409);
    });
  });

  describe('rollback', () => {
    it('needs both sign-offs from a marketer, and restores the earlier rules under a new version', async () => {
      const history = (await t.call('GET', '/v1/rules/versions')).json.versions;
      const active = history.find((v: { status: string }) => v.status === 'active').version;
      const target = history.find((v: { status: string }) => v.status === 'retired').version;
      const targetRules = (await t.call('GET', `/v1/rules/versions/${target}`)).json.rules;

      const proposal = await t.call('POST', '/v1/rules/rollbacks', {
        role: 'marketer',
        body: { toVersion: target, note: '元に戻す' },
      });
      expect(proposal.status).toBe(201);
      expect(proposal.json.status).toBe('draft');
      expect(proposal.json.rollbackOf).toBe(target);
      expect((await t.call('GET', '/v1/rules/active')).json.version).toBe(active);

      await t.call('POST', `/v1/rules/versions/${proposal.json.version}/signoffs`, {
        role: 'marketer',
        body: {},
      });
      const done = await t.call('POST', `/v1/rules/versions/${proposal.json.version}/signoffs`, {
        role: 'manager',
        body: {},
      });
      expect(done.json.status).toBe('active');
      const now = (await t.call('GET', '/v1/rules/active')).json;
      expect(now.version).toBe(proposal.json.version);
      expect(now.version).toBeGreaterThan(active);
      expect({ ...now.rules, version: null }).toEqual({ ...targetRules, version: null });
    });

    it('is active at once when an admin asks', async () => {
      const target = (await t.call('GET', '/v1/rules/versions')).json.versions.find(
        (v: { status: string }) => v.status === 'retired',
      ).version;
      const res = await t.call('POST', '/v1/rules/rollbacks', { role: 'admin', body: { toVersion: target } });
      expect(res.status).toBe(201);
      expect(res.json.status).toBe('active');
      expect(res.json.activation).toBe('admin');
      expect((await t.call('GET', '/v1/rules/active')).json.version).toBe(res.json.version);
    });

    it('refuses a version that was never active, the active one, or an unknown one', async () => {
      const draft = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: ruleSet('x', 63) },
      });
      const never = await t.call('POST', '/v1/rules/rollbacks', {
        role: 'admin',
        body: { toVersion: draft.json.version },
      });
      expect(never.status).toBe(409);
      expect(never.json.error.code).toBe('never_active');
      const active = (await t.call('GET', '/v1/rules/active')).json.version;
      const same = await t.call('POST', '/v1/rules/rollbacks', {
        role: 'admin',
        body: { toVersion: active },
      });
      expect(same.json.error.code).toBe('already_active');
      expect(
        (await t.call('POST', '/v1/rules/rollbacks', { role: 'admin', body: { toVersion: 424242 } })).status,
      ).toBe(404);
    });
  });

  describe('idempotent event ingest', () => {
    it('stores a retried batch once and answers it exactly as the first time', async () => {
      const batch = { events: [handoff(), firstContact(), feedback(), stageChange(), escalation()] };
      const before = await t.server.store.events.count();
      const first = await t.call('POST', '/v1/events', { body: batch });
      expect(first.status).toBe(200);
      expect(first.json.receipts.map((r: { idempotencyKey: string }) => r.idempotencyKey)).toEqual(
        batch.events.map((e) => e.idempotencyKey),
      );
      const retry = await t.call('POST', '/v1/events', { body: batch });
      expect(retry.status).toBe(200);
      expect(retry.text).toBe(first.text);
      expect(await t.server.store.events.count()).toBe(before + 5);
    });

    it('stores an event whose lead id holds a lone surrogate, on either backend', async () => {
      // Page text can hold half of a surrogate pair (a cut emoji); the schema lets it through as text.
      const event = handoff({ lead: lead('00Q5g00000Ab\ud83dCd') });
      const before = await t.server.store.events.count();
      const res = await t.call('POST', '/v1/events', { body: { events: [event] } });
      expect(res.status).toBe(200);
      expect(await t.server.store.events.count()).toBe(before + 1);
    });

    it('answers a reused key with a different body 409 and stores nothing of that batch', async () => {
      const original = feedback({ rating: 4 });
      await t.call('POST', '/v1/events', { body: { events: [original] } });
      const fresh = handoff();
      const before = await t.server.store.events.count();
      const res = await t.call('POST', '/v1/events', {
        body: { events: [fresh, { ...original, rating: 2 }] },
      });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('idempotency_conflict');
      expect(res.json.error.problems[0].path).toEqual(['events', 1, 'idempotencyKey']);
      expect(await t.server.store.events.count()).toBe(before);
      // The fresh event of the refused batch can still be sent on its own.
      expect((await t.call('POST', '/v1/events', { body: { events: [fresh] } })).status).toBe(200);
    });

    it('answers 409 when one batch carries the same key twice with different bodies', async () => {
      const a = stageChange();
      const res = await t.call('POST', '/v1/events', { body: { events: [a, { ...a, to: 'sql' }] } });
      expect(res.status).toBe(409);
      const same = await t.call('POST', '/v1/events', { body: { events: [a, a] } });
      expect(same.status).toBe(200);
      expect(same.json.receipts[0]).toEqual(same.json.receipts[1]);
    });

    it('stores a batch sent by many clients at once exactly once', async () => {
      const batch = { events: Array.from({ length: 10 }, () => handoff()) };
      const before = await t.server.store.events.count();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => t.call('POST', '/v1/events', { body: batch })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      expect(await t.server.store.events.count()).toBe(before + 10);
    });
  });

  describe('team lead state', () => {
    it('shows the latest of each kind anyone recorded, by occurrence time, for leads the asker never opened', async () => {
      const key = lead();
      const other = lead();
      const events = [
        handoff({ lead: key, occurredAt: '2026-11-25T09:00:00+09:00' }),
        stageChange({ lead: key, occurredAt: '2026-11-25T11:00:00+09:00', from: 'mql', to: 'contacted' }),
        firstContact({ lead: key, occurredAt: '2026-11-25T10:30:00+09:00', actor: { name: '佐藤' } }),
      ];
      expect((await t.call('POST', '/v1/events', { role: 'rep', body: { events } })).status).toBe(200);
      // Arrives later but happened earlier: must not replace the newer stage.
      const olderStage = stageChange({
        lead: key,
        occurredAt: '2026-11-25T10:00:00+09:00',
        from: 'new',
        to: 'mql',
      });
      const feedbackEvent = feedback({ lead: key, occurredAt: '2026-11-25T12:00:00Z' });
      await t.call('POST', '/v1/events', { role: 'manager', body: { events: [olderStage, feedbackEvent] } });

      const res = await t.call('POST', '/v1/team-state', { role: 'marketer', body: { leads: [key, other] } });
      expect(res.status).toBe(200);
      const [state, unknown] = res.json.leads;
      expect(state.lead).toEqual(key);
      expect(state.handoff.idempotencyKey).toBe(events[0]!.idempotencyKey);
      expect(state.firstContact.actor.name).toBe('佐藤');
      expect(state.stage.to).toBe('contacted');
      expect(state.feedback.idempotencyKey).toBe(feedbackEvent.idempotencyKey);
      expect(state.escalation).toBeNull();
      expect(unknown).toEqual({
        lead: other,
        handoff: null,
        firstContact: null,
        stage: null,
        feedback: null,
        escalation: null,
      });
    });

    it('refuses more leads than the cap with a 400 naming the field', async () => {
      const res = await t.call('POST', '/v1/team-state', {
        body: { leads: Array.from({ length: 501 }, () => lead()) },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.problems[0].path).toEqual(['leads']);
    });
  });

  describe('limits', () => {
    it('answers 413 for a single event over 16 KB, naming it', async () => {
      const big = { ...handoff(), padding: 'x'.repeat(17 * 1024) };
      const res = await t.call('POST', '/v1/events', { body: { events: [handoff(), big] } });
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('event_too_large');
      expect(res.json.error.problems[0].path).toEqual(['events', 1]);
    });

    it('answers 413 for a batch over the cap of events', async () => {
      const res = await t.call('POST', '/v1/events', {
        body: { events: Array.from({ length: 101 }, () => handoff()) },
      });
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('batch_too_large');
    });

    it('answers 413 for a body over the byte cap, declared or streamed', async () => {
      const huge = JSON.stringify({ events: [], junk: 'x'.repeat(300 * 1024) });
      const declared = await t.call('POST', '/v1/events', {
        raw: huge,
        headers: { 'content-type': 'application/json' },
      });
      expect(declared.status).toBe(413);
      const chunks = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
          controller.close();
        },
      });
      const streamed = await fetch(`${t.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.tokens.rep}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
    });

    it('answers 429 with Retry-After when one token exceeds its rate, without slowing other tokens', async () => {
      const limited = await startTestServer(backend, {
        BATON_RATE_LIMIT_PER_SECOND: '1',
        BATON_RATE_LIMIT_BURST: '3',
      });
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 5; i++) {
          const res = await limited.call('GET', '/v1/rules/versions', { role: 'rep' });
          statuses.push(res.status);
          if (res.status === 429) {
            retryAfter = res.headers.get('retry-after');
            expect(res.json.error.code).toBe('rate_limited');
          }
        }
        expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
        expect(statuses.slice(3)).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect((await limited.call('GET', '/v1/rules/versions', { role: 'manager' })).status).toBe(200);
      } finally {
        await limited.stop();
      }
    });
  });

  describe('bad input', () => {
    const bad: [
      string,
      { raw?: string | Uint8Array; body?: unknown; headers?: Record<string, string> },
      number,
    ][] = [
      ['invalid JSON', { raw: '{"events": [', headers: { 'content-type': 'application/json' } }, 400],
      ['no body', { raw: '', headers: { 'content-type': 'application/json' } }, 400],
      ['a form post', { raw: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      [
        'invalid UTF-8',
        { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } },
        400,
      ],
      ['null', { body: null }, 400],
      ['a list', { body: [] }, 400],
      ['events as text', { body: { events: 'x' } }, 400],
      ['no events', { body: { events: [] } }, 400],
    ];
    for (const [name, options, status] of bad) {
      it(`answers ${status} for ${name}`, async () => {
        const res = await t.call('POST', '/v1/events', options);
        expect(res.status).toBe(status);
        expect(res.json.error.message.ja).toBeTruthy();
        expect(res.json.error.message.en).toBeTruthy();
      });
    }

    it('names every invalid field of every event', async () => {
      const res = await t.call('POST', '/v1/events', {
        body: {
          events: [
            { ...handoff(), idempotencyKey: 'nope', occurredAt: 'yesterday' },
            feedback({ verdict: 'reject', bant: undefined, rating: 9, reasonCode: undefined }),
            stageChange({ from: 'mql', to: 'mql' }),
          ],
        },
      });
      expect(res.status).toBe(400);
      const paths = res.json.error.problems.map((p: { path: unknown[] }) => p.path.join('.'));
      expect(paths).toEqual(
        expect.arrayContaining([
          'events.0.idempotencyKey',
          'events.0.occurredAt',
          'events.1.rating',
          'events.1.reasonCode',
          'events.2.to',
        ]),
      );
      const reason = res.json.error.problems.find(
        (p: { path: unknown[] }) => p.path.join('.') === 'events.1.reasonCode',
      );
      expect(reason.message.ja).toMatch(/理由コード/);
    });

    it('never answers 5xx to arbitrary JSON on any endpoint', async () => {
      const paths = [
        '/v1/events',
        '/v1/team-state',
        '/v1/rules/drafts',
        '/v1/rules/rollbacks',
        '/v1/rules/versions/1/signoffs',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          fc.jsonValue(),
          fc.boolean(),
          async (path, value, wrap) => {
            const body = wrap ? { events: [value], leads: [value], rules: value, toVersion: value } : value;
            const res = await t.call('POST', path, { role: 'marketer', body });
            expect(res.status).toBeLessThan(500);
            expect(res.json?.error?.message ?? res.json).toBeTruthy();
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('operations', () => {
    it('serves Prometheus metrics to an admin', async () => {
      const res = await t.call('GET', '/metrics', { role: 'admin' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toMatch(
        /baton_http_requests_total\{method="GET",route="\/v1\/rules\/active",status="304"\} \d+/,
      );
      expect(res.text).toMatch(/baton_events_recorded_total\{type="handoff_observed"\} \d+/);
      expect(res.text).toMatch(
        /baton_http_request_duration_seconds_bucket\{route="\/v1\/events",le="\+Inf"\} \d+/,
      );
    });

    it('serves an OpenAPI document generated from the schemas', async () => {
      const res = await t.call('GET', '/openapi.json');
      expect(res.json.openapi).toBe('3.1.0');
      expect(Object.keys(res.json.paths)).toEqual(
        expect.arrayContaining([
          '/v1/me',
          '/v1/events',
          '/v1/team-state',
          '/v1/rules/active',
          '/v1/rules/rollbacks',
        ]),
      );
      expect(res.json.paths['/v1/me'].get.responses['200'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/Me',
      );
      expect(res.json.components.schemas.Me.required).toEqual(['role', 'name', 'tokenId']);
      const event = res.json.components.schemas.Event;
      expect(JSON.stringify(event)).toContain('escalation_step');
      expect(res.json.components.schemas.RuleSet.properties.threshold).toBeTruthy();
    });

    it('writes one JSON log line per request with route, status and token id', async () => {
      const requestId = `req-${randomUUID()}`;
      await t.call('GET', '/v1/rules/versions', { role: 'manager', headers: { 'x-request-id': requestId } });
      await new Promise((resolve) => setTimeout(resolve, 10));
      const lines = t.logs.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        msg: 'request',
        method: 'GET',
        route: '/v1/rules/versions',
        status: 200,
      });
      expect(lines[0].tokenId).toMatch(/^[0-9a-f]{12}$/);
    });
  });
});
