/**
 * The HTTP surface: the middleware chain (log line and metrics, then the token and the rate limit), the
 * mapping of domain errors to answers, and the routes of each resource (routes/) mounted in order. Every
 * answer that is not 2xx/304 is `{ error: { code, message: {ja, en}, problems? } }` (http.ts); bad input
 * is a 4xx, never a 5xx.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { type Env, errorResponse, HttpProblem, matchesEtag } from './http';
import { IntakeRefusedError } from './intake';
import { OutcomesInvalidError } from './kpis';
import { errorFields } from './log';
import type { Principal } from './principal';
import { eventsRoutes } from './routes/events';
import { intakeRoutes } from './routes/intake';
import { kpiRoutes } from './routes/kpis';
import { pageMapRoutes } from './routes/page-map';
import { readHealthRoutes } from './routes/read-health';
import { ACTIVE_RULES, ACTIVE_RULES_ROLES, rulesRoutes } from './routes/rules';
import { healthRoutes, serviceRoutes } from './routes/service';
import { type ActiveRulesEntry, RulesInvalidError } from './rules';
import { PERSONAL_CACHE_CONTROL, SECURITY_HEADERS } from './security';
import type { Services } from './services';
import { StorageUnavailableError } from './storage/db';
import { RuleStateError } from './storage/rule-versions';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

// Unique per instance without a random draw per request: a random prefix per process and a counter.
const REQUEST_ID_PREFIX = randomUUID().slice(0, 8);
let requestCount = 0;
const requestIdFrom = (incoming: string | undefined) =>
  incoming && REQUEST_ID.test(incoming) ? incoming : `${REQUEST_ID_PREFIX}-${(++requestCount).toString(36)}`;

/**
 * `Math.round(tenthsOfMs) / 10` as text, from integers only: a fraction goes through V8's shortest-digits
 * conversion each time, while small integers come from its number-to-string cache.
 */
function tenths(tenthsOfMs: number): string {
  const t = Math.round(tenthsOfMs);
  const rest = t % 10;
  return rest === 0 ? `${t / 10}` : `${(t - rest) / 10}.${rest}`;
}

/** The one log line and the metrics of a request, whichever path answered it. */
function recordRequest(
  s: Services,
  r: { requestId: string; method: string; route: string; path: string; status: number; started: number },
  principal: Principal | undefined,
): void {
  const seconds = (performance.now() - r.started) / 1000;
  s.metrics.requests.inc({ method: r.method, route: r.route, status: String(r.status) });
  s.metrics.duration.observe({ route: r.route }, seconds);
  const ms = Math.round(seconds * 10_000) / 10;
  const poll = r.status === 304 && r.method === 'GET' && r.route === ACTIVE_RULES && principal !== undefined;
  if (poll) s.polls.add(principal.tokenId, ms);
  const line = {
    requestId: r.requestId,
    method: r.method,
    route: r.route,
    path: r.path,
    status: r.status,
    ms,
    tokenId: principal?.tokenId,
    role: principal?.role,
  };
  // A poll's own line is a debug line (poll-log.ts).
  if (poll) s.log.debug('request', line);
  else s.log.info('request', line);
}

/**
 * The answer thousands of polling browsers get most: GET /v1/rules/active → 304, straight on the Node
 * request, when the token, the rate limit and the active rules are all answered from memory. It is the
 * same answer the router gives (same checks, headers, log line and metrics), without building a fetch
 * Request/Response pair; anything else returns false and goes through the router.
 *
 * Measured per request against the comparator hello-world (33 µs of CPU against 15): the log line's
 * JSON.stringify, the metrics' label lookups and a fresh header object each time were most of the
 * difference, so the constant parts are built once (per service, per active version, per principal).
 */
export function notModifiedFastPath(s: Services): (req: IncomingMessage, res: ServerResponse) => boolean {
  const counted = s.metrics.requests.bound({ method: 'GET', route: ACTIVE_RULES, status: '304' });
  const timed = s.metrics.duration.bound({ route: ACTIVE_RULES });
  const logged = `"method":"GET","route":${JSON.stringify(ACTIVE_RULES)},"path":${JSON.stringify(ACTIVE_RULES)},"status":304,"ms":`;
  // The per-request line is a debug line (poll-log.ts): written only at BATON_LOG_LEVEL=debug.
  const perRequest = s.log.membersAt('debug');
  // Principals live in the Authenticator's cache for its TTL, so each is serialised once per TTL.
  const whoOf = new WeakMap<Principal, string>();
  // One flat header list per active version, its request id (the last value) set before each
  // (synchronous) writeHead: Node reads the list there and keeps no reference to it. A list rather than
  // an object: Node walks an object's keys with a for-in and an own-property check for each.
  let headersFor: ActiveRulesEntry | undefined;
  let headers: string[] = [];
  return (req, res) => {
    if (req.method !== 'GET' || req.url !== ACTIVE_RULES) return false;
    const started = performance.now();
    // One read of the clock for the three checks: the auth cache, the rules cache and the rate limit all
    // read the same one (s.clock), and each read costs about as much as a check.
    const now = s.clock();
    const principal = s.auth.cached(req.headers.authorization, now);
    // A role the route refuses (an intake token) goes to the router, which answers 403.
    if (!principal || !ACTIVE_RULES_ROLES.includes(principal.role)) return false;
    const active = s.rules.cachedActive(now);
    if (!active || !matchesEtag(req.headers['if-none-match'], active.etag)) return false;
    // A refused take consumes nothing: the router asks again and answers 429.
    if (s.limiter.take(principal.tokenId, now) > 0) return false;
    const header = req.headers['x-request-id'];
    const requestId = requestIdFrom(typeof header === 'string' ? header : undefined);
    if (headersFor !== active) {
      headersFor = active;
      headers = Object.entries({
        etag: active.etag,
        'cache-control': 'private, no-cache',
        'x-request-id': '',
      }).flat();
    }
    headers[headers.length - 1] = requestId;
    res.writeHead(304, headers);
    res.end();
    const seconds = (performance.now() - started) / 1000;
    counted();
    timed(seconds);
    const tenthsOfMs = Math.round(seconds * 10_000);
    s.polls.add(principal.tokenId, tenthsOfMs / 10);
    if (perRequest) {
      let who = whoOf.get(principal);
      if (who === undefined) {
        who = `,"tokenId":${JSON.stringify(principal.tokenId)},"role":${JSON.stringify(principal.role)}`;
        whoOf.set(principal, who);
      }
      // requestIdFrom gives only [\w.:-] characters, which JSON needs no escape for.
      perRequest('request', `"requestId":"${requestId}",${logged}${tenths(tenthsOfMs)}${who}`);
    }
    return true;
  };
}

/** The answer to what the domain refused (a rule set, a CSV, a payload, a rules write), if it was that. */
function problemOf(error: Error): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof RuleStateError) return new HttpProblem(error.status, error.code, error.text);
  if (error instanceof RulesInvalidError) {
    const text = {
      ja: 'ルールに問題があるため保存しませんでした（problems を参照）',
      en: 'The rule set has problems and was not saved (see problems)',
    };
    return new HttpProblem(422, 'invalid_rules', text, error.problems);
  }
  if (error instanceof OutcomesInvalidError) {
    const text = {
      ja: 'CSV に問題があるため、どの行も取り込みませんでした（problems の行番号を参照）',
      en: 'The CSV has problems, so no row was imported (see the line numbers in problems)',
    };
    return new HttpProblem(400, 'invalid_outcomes', text, error.problems);
  }
  if (error instanceof IntakeRefusedError) {
    const text = {
      ja: '取り込めない内容のため、何も保存していません（problems を参照）',
      en: 'The payload cannot be taken in, so nothing was stored (see problems)',
    };
    const code = error.status === 422 ? 'not_a_handoff' : 'invalid_intake';
    return new HttpProblem(error.status, code, text, error.problems);
  }
  return undefined;
}

export function createApp(s: Services): Hono<Env> {
  const { metrics, log } = s;
  const app = new Hono<Env>();

  // Outermost: one log line and the metrics for every request, whatever happened inside.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(c.req.header('x-request-id'));
    metrics.inFlight.inc({}, 1);
    try {
      await next();
    } finally {
      metrics.inFlight.inc({}, -1);
      const route = c.res.status === 404 && routePath(c, -1) === '*' ? 'unmatched' : routePath(c, -1);
      c.header('x-request-id', requestId);
      // Not on a 304, which has no body to sniff or frame (see SECURITY_HEADERS).
      if (c.res.status !== 304)
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
      if (!c.res.headers.has('cache-control')) c.header('cache-control', PERSONAL_CACHE_CONTROL);
      recordRequest(
        s,
        { requestId, method: c.req.method, route, path: c.req.path, status: c.res.status, started },
        c.get('principal'),
      );
    }
  });

  app.onError((error, c) => {
    const problem = problemOf(error);
    if (problem) return errorResponse(c, problem);
    if (error instanceof StorageUnavailableError) {
      log.warn('storage unavailable', errorFields(error));
      return errorResponse(
        c,
        new HttpProblem(
          503,
          'storage_unavailable',
          {
            ja: 'データベースに一時的に接続できません。しばらくして再送してください',
            en: 'The database is briefly unavailable; retry shortly',
          },
          undefined,
          { 'retry-after': '1' },
        ),
      );
    }
    log.error('unhandled error', { path: c.req.path, ...errorFields(error) });
    return c.json(
      {
        error: {
          code: 'internal',
          message: { ja: 'サーバー内部でエラーが発生しました', en: 'Internal server error' },
        },
      },
      500,
    );
  });

  app.route('/', healthRoutes(s));

  // Everything else needs a token.
  app.use('*', async (c, next) => {
    const authorization = c.req.header('authorization');
    const address = c.env.incoming?.socket?.remoteAddress ?? 'unknown';
    // An address that failed too often waits before its next try costs a hash and a database lookup; a
    // token this instance already knows is good still passes (a colleague behind the same NAT).
    const waitAfterFailures = s.auth.cached(authorization) ? 0 : s.authFailures.wait(address, s.clock());
    if (waitAfterFailures > 0) {
      metrics.rateLimited.inc();
      throw new HttpProblem(
        429,
        'too_many_failed_authentications',
        {
          ja: `認証の失敗が多すぎます。${waitAfterFailures} 秒後に有効なトークンで再送してください`,
          en: `Too many failed authentications; retry with a valid token in ${waitAfterFailures} s`,
        },
        undefined,
        { 'retry-after': String(waitAfterFailures) },
      );
    }
    const principal = await s.auth.principal(authorization);
    if (!principal) {
      s.authFailures.take(address, s.clock());
      throw new HttpProblem(
        401,
        'unauthorized',
        {
          ja: '有効なトークンを Authorization: Bearer ヘッダーで送ってください',
          en: 'Send a valid token in an Authorization: Bearer header',
        },
        undefined,
        { 'www-authenticate': 'Bearer realm="baton"' },
      );
    }
    c.set('principal', principal);
    const wait = s.limiter.take(principal.tokenId, s.clock());
    if (wait > 0) {
      metrics.rateLimited.inc();
      throw new HttpProblem(
        429,
        'rate_limited',
        {
          ja: `リクエストが多すぎます。${wait} 秒後に再送してください`,
          en: `Too many requests; retry in ${wait} s`,
        },
        undefined,
        { 'retry-after': String(wait) },
      );
    }
    await next();
  });

  app.route('/', serviceRoutes(s));
  app.route('/', rulesRoutes(s));
  app.route('/', eventsRoutes(s));
  app.route('/', readHealthRoutes(s));
  app.route('/', pageMapRoutes(s));
  app.route('/', kpiRoutes(s));
  app.route('/', intakeRoutes(s));

  app.notFound((c) =>
    errorResponse(
      c,
      new HttpProblem(404, 'not_found', {
        ja: 'そのパスはありません（/openapi.json を参照）',
        en: 'No such path (see /openapi.json)',
      }),
    ),
  );

  return app;
}
