/**
 * The HTTP surface: routes, auth and roles, limits, logs and metrics. Every answer that is not 2xx/304 is
 * `{ error: { code, message: {ja, en}, problems? } }`; bad input is a 4xx, never a 5xx.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { isBeyondRep } from '../lib/alerts';
import { healthDay, readHealthQuerySchema, readHealthReportSchema } from '../lib/crm/health';
import { pageMapBodySchema } from '../lib/crm/page-map';
import { CONTACTED_OR_BEYOND } from '../lib/evaluate';
import {
  type BatonEvent,
  eventBatchSchema,
  type MeResponse,
  type RecordedBy,
  RULE_WRITE_ROLES,
  ruleDraftBodySchema,
  ruleRollbackBodySchema,
  ruleSignoffBodySchema,
  TEAM_STATE_MAX_LEADS,
  teamStateRequestSchema,
  teamStateSlotOf,
} from '../lib/events';
import type { LocalizedText } from '../lib/i18n';
import { intakeSourceSchema } from '../lib/intake/mapping';
import { kpiQuerySchema, OUTCOMES_MAX_BYTES, whatIfQuerySchema } from '../lib/kpi/api';
import { leadKeyString } from '../lib/lead';
import { isPlainText } from '../lib/plain-text';
import type { Problem } from '../lib/problems';
import { type Authenticator, PEOPLE_ROLES, type Principal, type Role } from './auth';
import type { Config } from './config';
import { escalationStepKey, escalationStepOf } from './escalation-steps';
import { IntakeRefusedError, type IntakeService } from './intake';
import { type KpiService, OutcomesInvalidError } from './kpis';
import { errorFields, type Logger } from './log';
import type { Metrics } from './metrics';
import { PageMapStore, pageMapEtag } from './page-maps';
import { builtInMessage, problemsOf } from './problems';
import type { RateLimiter } from './rate-limit';
import { countReadHealth, ReadHealthStore } from './read-health';
import { registerKpiLeadsRoute } from './routes/kpi-leads';
import { RulesInvalidError, type RulesService } from './rules';
import {
  capProblems,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  PERSONAL_CACHE_CONTROL,
  SECURITY_HEADERS,
} from './security';
import { StorageUnavailableError } from './storage/db';
import {
  IdempotencyConflictError,
  type PreparedEvent,
  RuleStateError,
  type Store,
  versionNotFound,
} from './storage/store';
import type { WebhookDelivery } from './webhook';

export interface Services {
  config: Config;
  store: Store;
  rules: RulesService;
  kpis: KpiService;
  auth: Authenticator;
  limiter: RateLimiter;
  /** Failed authentications per client address: a flood of made-up tokens is refused before lookup. */
  authFailures: RateLimiter;
  log: Logger;
  metrics: Metrics;
  webhook: WebhookDelivery | undefined;
  openapi: () => unknown;
  clock: () => number;
  intake: IntakeService;
}

type Env = { Bindings: HttpBindings; Variables: { principal: Principal | undefined } };

class HttpProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    readonly text: LocalizedText,
    readonly problems?: Problem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(text.en);
  }
}

function errorResponse(c: Context, error: HttpProblem): Response {
  const body = {
    error: {
      code: error.code,
      message: error.text,
      ...(error.problems ? capProblems(error.problems) : {}),
    },
  };
  return c.json(body, error.status, error.headers);
}

const ALL_ROLES = PEOPLE_ROLES;

function allow(...roles: Role[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal || !roles.includes(principal.role)) {
      throw new HttpProblem(403, 'forbidden', {
        ja: `この操作は ${roles.join('・')} の権限が必要です（あなたの権限: ${principal?.role ?? 'なし'}）`,
        en: `This needs the role ${roles.join(', ')} (your role: ${principal?.role ?? 'none'})`,
      });
    }
    await next();
  };
}

/**
 * KPIs break follow-up down by owner: a rep would see how each colleague is doing, which is for their
 * manager to discuss with them, not for the team to compare.
 */
const readKpis: MiddlewareHandler<Env> = async (c, next) => {
  const role = c.get('principal')?.role;
  if (role !== 'manager' && role !== 'marketer' && role !== 'admin') {
    throw new HttpProblem(403, 'forbidden', {
      ja: 'KPI は担当者ごとの対応状況（同僚の名前）を含むため、manager・marketer・admin の権限が必要です',
      en: 'KPIs show follow-up by owner (colleagues by name), so they need the role manager, marketer or admin',
    });
  }
  await next();
};

function bodyTooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(
    413,
    'body_too_large',
    {
      ja: `リクエスト本文が大きすぎます（上限 ${maxBytes} バイト）。分割して送ってください`,
      en: `The request body is too large (limit ${maxBytes} bytes); split it`,
    },
    undefined,
    { connection: 'close' },
  );
}

/** Reads a CSV body (Content-Type: text/csv, UTF-8) of at most `maxBytes`. */
async function readCsv(c: Context<Env>, maxBytes: number): Promise<string> {
  if (!/^text\/csv\b/i.test(c.req.header('content-type') ?? '')) {
    throw new HttpProblem(415, 'unsupported_media_type', {
      ja: 'Content-Type: text/csv で CSV（UTF-8）を送ってください',
      en: 'Send the CSV (UTF-8) with Content-Type: text/csv',
    });
  }
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  const bytes = await readIncoming(c.env.incoming, maxBytes, () => bodyTooLarge(maxBytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'invalid_encoding', {
      ja: 'CSV を UTF-8 で保存して送ってください（Excel では「CSV UTF-8」形式）',
      en: 'Save the CSV as UTF-8 and send it again (in Excel: "CSV UTF-8")',
    });
  }
}

/** Reads a JSON body of at most `maxBytes`, refusing larger ones before reading them in full. */
async function readJson(c: Context<Env>, maxBytes: number, empty?: unknown): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // A body-less POST (e.g. a sign-off without a comment) means `empty` where the route allows it.
  if (
    empty !== undefined &&
    !type &&
    !Number(c.req.header('content-length')) &&
    !c.req.header('transfer-encoding')
  ) {
    return empty;
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, 'unsupported_media_type', {
      ja: 'Content-Type: application/json で JSON を送ってください',
      en: 'Send JSON with Content-Type: application/json',
    });
  }
  // The rest of the body stays unread, so the connection cannot carry another request.
  const tooLarge = () => bodyTooLarge(maxBytes);
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const bytes = await readIncoming(c.env.incoming, maxBytes, tooLarge);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new HttpProblem(400, 'invalid_json', {
      ja: '本文が正しい JSON（UTF-8）ではありません',
      en: 'The body is not valid JSON (UTF-8)',
    });
  }
  // Everything after the parse (size checks, validation, storing) walks the value recursively.
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    throw new HttpProblem(400, 'too_deep', {
      ja: `JSON の入れ子が深すぎます（上限 ${MAX_JSON_DEPTH} 段）`,
      en: `The JSON nests too deeply (limit ${MAX_JSON_DEPTH} levels)`,
    });
  }
  return parsed;
}

/**
 * The body straight from Node's request stream: going through the fetch Request's web stream cost a
 * tenth of an ingest request's CPU. Stops reading at `maxBytes`.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.off('data', onData);
        incoming.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(Buffer.concat(chunks, size)));
    incoming.once('error', reject);
    incoming.once('close', () => {
      if (!incoming.complete) {
        reject(
          new HttpProblem(400, 'incomplete_body', {
            ja: '本文を最後まで受け取れませんでした',
            en: 'The body was cut off before its end',
          }),
        );
      }
    });
  });
}

function invalidInput(problems: Problem[]): HttpProblem {
  return new HttpProblem(
    400,
    'invalid_input',
    { ja: '入力に問題があります（problems を参照）', en: 'The input has problems (see problems)' },
    problems,
  );
}

function versionParam(c: Context): number {
  const raw = c.req.param('version') ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    throw new HttpProblem(400, 'invalid_version', {
      ja: 'バージョンは1以上の整数で指定してください',
      en: 'A version is a whole number of 1 or more',
    });
  }
  return Number(raw);
}

/** True when If-None-Match names the current ETag (a list, weak validators and * included). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/**
 * An event as the store keeps it: its key, body and hash, lead key and team-state slot. The body carries
 * `recordedBy`, the token that sent it; the hash covers what the client sent, so its retries match. An
 * escalation step is keyed by what it is (escalation-steps.ts), and every report of it is the same step.
 */
export function prepareEvent(event: BatonEvent, webhookOn: boolean, recordedBy?: RecordedBy): PreparedEvent {
  const sent = JSON.stringify(event);
  const body = recordedBy ? JSON.stringify({ ...event, recordedBy }) : sent;
  const key =
    event.type === 'escalation_step' ? escalationStepKey(escalationStepOf(event)) : event.idempotencyKey;
  return {
    key,
    hash: createHash('sha256')
      .update(event.type === 'escalation_step' ? key : sent)
      .digest('hex'),
    type: event.type,
    leadKey: leadKeyString(event.lead),
    occurredAt: Date.parse(event.occurredAt),
    body,
    slot: teamStateSlotOf[event.type],
    event,
    toWebhook: webhookOn && event.type === 'escalation_step' && isBeyondRep(event.kind),
  };
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

// Unique per instance without a random draw per request: a random prefix per process and a counter.
const REQUEST_ID_PREFIX = randomUUID().slice(0, 8);
let requestCount = 0;
const requestIdFrom = (incoming: string | undefined) =>
  incoming && REQUEST_ID.test(incoming) ? incoming : `${REQUEST_ID_PREFIX}-${(++requestCount).toString(36)}`;

/** The one log line and the metrics of a request, whichever path answered it. */
function recordRequest(
  s: Services,
  r: { requestId: string; method: string; route: string; path: string; status: number; started: number },
  principal: Principal | undefined,
): void {
  const seconds = (performance.now() - r.started) / 1000;
  s.metrics.requests.inc({ method: r.method, route: r.route, status: String(r.status) });
  s.metrics.duration.observe({ route: r.route }, seconds);
  s.log.info('request', {
    requestId: r.requestId,
    method: r.method,
    route: r.route,
    path: r.path,
    status: r.status,
    ms: Math.round(seconds * 10_000) / 10,
    tokenId: principal?.tokenId,
    role: principal?.role,
  });
}

const ACTIVE_RULES = '/v1/rules/active';

/**
 * The answer thousands of polling browsers get most: GET /v1/rules/active → 304, straight on the Node
 * request, when the token, the rate limit and the active rules are all answered from memory. It is the
 * same answer the router gives (same checks, headers, log line and metrics), without building a fetch
 * Request/Response pair; anything else returns false and goes through the router.
 */
export function notModifiedFastPath(s: Services): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' || req.url !== ACTIVE_RULES) return false;
    const started = performance.now();
    const principal = s.auth.cached(req.headers.authorization);
    if (!principal) return false;
    const active = s.rules.cachedActive();
    if (!active || !matchesEtag(req.headers['if-none-match'], active.etag)) return false;
    // A refused take consumes nothing: the router asks again and answers 429.
    if (s.limiter.take(principal.tokenId, s.clock()) > 0) return false;
    const header = req.headers['x-request-id'];
    const requestId = requestIdFrom(typeof header === 'string' ? header : undefined);
    res.writeHead(304, {
      ...SECURITY_HEADERS,
      etag: active.etag,
      'cache-control': 'private, no-cache',
      'x-request-id': requestId,
    });
    res.end();
    recordRequest(
      s,
      { requestId, method: 'GET', route: ACTIVE_RULES, path: ACTIVE_RULES, status: 304, started },
      principal,
    );
    return true;
  };
}

export function createApp(s: Services): Hono<Env> {
  const { config, store, rules, metrics, log } = s;
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
    if (error instanceof HttpProblem) return errorResponse(c, error);
    if (error instanceof RulesInvalidError) {
      return errorResponse(
        c,
        new HttpProblem(
          422,
          'invalid_rules',
          {
            ja: 'ルールに問題があるため保存しませんでした（problems を参照）',
            en: 'The rule set has problems and was not saved (see problems)',
          },
          error.problems,
        ),
      );
    }
    if (error instanceof OutcomesInvalidError) {
      return errorResponse(
        c,
        new HttpProblem(
          400,
          'invalid_outcomes',
          {
            ja: 'CSV に問題があるため、どの行も取り込みませんでした（problems の行番号を参照）',
            en: 'The CSV has problems, so no row was imported (see the line numbers in problems)',
          },
          error.problems,
        ),
      );
    }
    if (error instanceof IntakeRefusedError) {
      return errorResponse(
        c,
        new HttpProblem(
          error.status,
          error.status === 422 ? 'not_a_handoff' : 'invalid_intake',
          {
            ja: '取り込めない内容のため、何も保存していません（problems を参照）',
            en: 'The payload cannot be taken in, so nothing was stored (see problems)',
          },
          error.problems,
        ),
      );
    }
    if (error instanceof RuleStateError) {
      return errorResponse(c, new HttpProblem(error.status, error.code, error.text));
    }
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

  app.get('/health', async (c) => {
    await store.activeVersionNumber();
    return c.json({ status: 'ok' });
  });

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

  app.get('/metrics', allow('admin'), async (c) => {
    return c.body(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.get('/openapi.json', allow(...ALL_ROLES), (c) => c.json(s.openapi() as object));

  app.get('/v1/me', allow(...ALL_ROLES), (c) => {
    const { role, name, tokenId } = c.get('principal')!;
    const me: MeResponse = { role, name, tokenId };
    return c.json(me);
  });

  // ---- rules ----

  app.get(ACTIVE_RULES, allow(...ALL_ROLES), async (c) => {
    const active = await rules.active();
    if (!active) {
      throw new HttpProblem(404, 'no_active_rules', {
        ja: '有効なルールがまだありません（拡張機能は内蔵の既定ルールを使います）',
        en: 'No rule set is active yet (extensions use their built-in default)',
      });
    }
    const headers = { etag: active.etag, 'cache-control': 'private, no-cache' };
    if (matchesEtag(c.req.header('if-none-match'), active.etag)) return c.body(null, 304, headers);
    return c.body(active.body, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  });

  app.get('/v1/rules/versions', allow(...ALL_ROLES), async (c) =>
    c.json({ versions: await rules.history() }),
  );

  app.get('/v1/rules/versions/:version', allow(...ALL_ROLES), async (c) => {
    const version = await rules.version(versionParam(c));
    if (!version) throw versionNotFound(versionParam(c));
    return c.json(version);
  });

  app.post('/v1/rules/drafts', allow(...RULE_WRITE_ROLES.propose), async (c) => {
    const parsed = ruleDraftBodySchema.safeParse(await readJson(c, config.maxBodyBytes), {
      error: builtInMessage,
    });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const version = await rules.draft(parsed.data.rules, parsed.data.note ?? null, c.get('principal')!);
    return c.json(version, 201);
  });

  app.post('/v1/rules/versions/:version/signoffs', allow(...RULE_WRITE_ROLES.signOff), async (c) => {
    const version = versionParam(c);
    const parsed = ruleSignoffBodySchema.safeParse(await readJson(c, config.maxBodyBytes, {}), {
      error: builtInMessage,
    });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    return c.json(await rules.signOff(version, c.get('principal')!, parsed.data.comment ?? null));
  });

  app.post('/v1/rules/rollbacks', allow(...RULE_WRITE_ROLES.rollback), async (c) => {
    const parsed = ruleRollbackBodySchema.safeParse(await readJson(c, config.maxBodyBytes), {
      error: builtInMessage,
    });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const version = await rules.rollback(
      parsed.data.toVersion,
      parsed.data.note ?? null,
      c.get('principal')!,
    );
    return c.json(version, 201);
  });

  // ---- events ----

  app.post('/v1/events', allow(...ALL_ROLES), async (c) => {
    const body = await readJson(c, config.maxBodyBytes);
    const raw = (body as { events?: unknown } | null)?.events;
    if (Array.isArray(raw)) {
      if (raw.length > config.maxBatchEvents) {
        throw new HttpProblem(413, 'batch_too_large', {
          ja: `1回に送れるイベントは${config.maxBatchEvents}件までです。分割して送ってください`,
          en: `A batch holds at most ${config.maxBatchEvents} events; split it`,
        });
      }
      const oversized: Problem[] = [];
      raw.forEach((event, i) => {
        // readJson bounded the nesting, so this cannot overflow the stack.
        if (Buffer.byteLength(JSON.stringify(event) ?? '') > config.maxEventBytes) {
          oversized.push({
            path: ['events', i],
            message: {
              ja: `イベントが大きすぎます（上限 ${config.maxEventBytes} バイト）`,
              en: `The event is too large (limit ${config.maxEventBytes} bytes)`,
            },
          });
        }
      });
      if (oversized.length > 0) {
        throw new HttpProblem(
          413,
          'event_too_large',
          {
            ja: `${config.maxEventBytes} バイトを超えるイベントがあります`,
            en: `An event exceeds ${config.maxEventBytes} bytes`,
          },
          oversized,
        );
      }
    }
    const parsed = eventBatchSchema.safeParse(body, { error: builtInMessage });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const events = parsed.data.events;
    const principal = c.get('principal')!;
    const recordedBy: RecordedBy = { tokenId: principal.tokenId, name: principal.name };
    const prepared = events.map((e) => prepareEvent(e, s.webhook !== undefined, recordedBy));
    let result: Awaited<ReturnType<Store['recordEvents']>>;
    try {
      result = await store.recordEvents(prepared, principal.tokenId, s.clock(), await s.kpis.calendar());
    } catch (error) {
      if (!(error instanceof IdempotencyConflictError)) throw error;
      metrics.idempotencyConflicts.inc();
      const conflicting = new Set(error.keys);
      throw new HttpProblem(
        409,
        'idempotency_conflict',
        {
          ja: '同じ idempotencyKey で内容の異なるイベントがあります。どのイベントも保存していません',
          en: 'An idempotencyKey was reused with a different event; nothing in this batch was stored',
        },
        prepared.flatMap((e, i) =>
          conflicting.has(e.key)
            ? [
                {
                  path: ['events', i, 'idempotencyKey'],
                  message: {
                    ja: 'このキーは別の内容で記録済みです。新しいキーを使ってください',
                    en: 'This key was recorded with a different body; use a new key',
                  },
                },
              ]
            : [],
        ),
      );
    }
    for (const e of result.recorded) metrics.eventsRecorded.inc({ type: e.type });
    const replayed = prepared.length - result.recorded.length;
    if (replayed > 0) metrics.eventsReplayed.inc({}, replayed);
    if (result.recorded.some((e) => e.toWebhook)) s.webhook?.kick();
    const receipts = events.map((e, i) => {
      const receipt = result.receipts.get(prepared[i]!.key)!;
      return {
        idempotencyKey: e.idempotencyKey,
        seq: receipt.seq,
        recordedAt: new Date(receipt.recordedAt).toISOString(),
      };
    });
    return c.json({ receipts });
  });

  // Every slot of leadTeamStateSchema, from the one table that maps event types to slots.
  const TEAM_STATE_SLOTS = [...new Set(Object.values(teamStateSlotOf))];

  app.post('/v1/team-state', allow(...ALL_ROLES), async (c) => {
    const parsed = teamStateRequestSchema.safeParse(await readJson(c, config.maxBodyBytes), {
      error: builtInMessage,
    });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const keys = parsed.data.leads.map(leadKeyString);
    const state = await store.leadState(keys);
    // Stored bodies are already JSON: spliced in rather than parsed and serialised again.
    const entries = parsed.data.leads.map((lead, i) => {
      const slots = state.get(keys[i]!);
      const slot = (name: string) => slots?.get(name) ?? 'null';
      let entry = `{"lead":${JSON.stringify(lead)}`;
      for (const name of TEAM_STATE_SLOTS) entry += `,"${name}":${slot(name)}`;
      return `${entry}}`;
    });
    return c.body(`{"leads":[${entries.join(',')}]}`, 200, {
      'content-type': 'application/json; charset=utf-8',
    });
  });

  // ---- CRM read health (issue 15): counts only, totals per browser replaced on every report ----

  // Made on first use: the route table is also built without services (server/fuzz/coverage.test.ts).
  let readHealthStore: ReadHealthStore | undefined;
  const readHealth = () => (readHealthStore ??= new ReadHealthStore(store.db));
  app.post('/v1/read-health', allow(...ALL_ROLES), async (c) => {
    const parsed = readHealthReportSchema.safeParse(await readJson(c, config.maxBodyBytes), {
      error: builtInMessage,
    });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const principal = c.get('principal')!;
    const grown = await readHealth().report(
      principal.tokenId,
      parsed.data.reporter,
      parsed.data.counts,
      s.clock(),
    );
    countReadHealth(metrics, grown);
    return c.json({ accepted: parsed.data.counts.length });
  });

  app.get('/v1/read-health', allow('marketer', 'manager', 'admin'), async (c) => {
    const parsed = readHealthQuerySchema.safeParse(c.req.query(), { error: builtInMessage });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const since = parsed.data.since ?? healthDay(s.clock() - 30 * 86_400_000);
    return c.json({ counts: await readHealth().counts(since) });
  });

  // ---- page maps (issue 15): CSS selectors and labels that repair CRM reading, with their own ETag ----

  let pageMapStore: PageMapStore | undefined;
  const pageMaps = () => (pageMapStore ??= new PageMapStore(store.db));
  app.get('/v1/page-map', allow(...ALL_ROLES), async (c) => {
    const map = await pageMaps().current();
    if (!map) {
      throw new HttpProblem(404, 'no_page_map', {
        ja: 'ページマップはまだ公開されていません',
        en: 'No page map has been published yet',
      });
    }
    const headers = { etag: pageMapEtag(map), 'cache-control': 'private, no-cache' };
    if (matchesEtag(c.req.header('if-none-match'), headers.etag)) return c.body(null, 304, headers);
    return c.json(map, 200, headers);
  });

  app.put('/v1/page-map', allow('marketer', 'admin'), async (c) => {
    const parsed = pageMapBodySchema.safeParse(await readJson(c, config.maxBodyBytes), {
      error: builtInMessage,
    });
    // Refused whole: one bad selector or unknown key and nothing of the document is published.
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    const map = await pageMaps().publish(parsed.data);
    return c.json(map, 200, { etag: pageMapEtag(map) });
  });

  // ---- KPIs ----

  app.get('/v1/kpis', readKpis, async (c) => {
    const parsed = kpiQuerySchema.safeParse(c.req.query(), { error: builtInMessage });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    return c.json(await s.kpis.report(parsed.data));
  });

  app.get('/v1/kpis/review', readKpis, async (c) => {
    const parsed = kpiQuerySchema.safeParse(c.req.query(), { error: builtInMessage });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    return c.json(await s.kpis.review(parsed.data));
  });

  app.get('/v1/kpis/whatif', readKpis, async (c) => {
    const parsed = whatIfQuerySchema.safeParse(c.req.query(), { error: builtInMessage });
    if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
    return c.json(await s.kpis.whatIf(parsed.data));
  });

  registerKpiLeadsRoute(app, s, { readKpis, invalidInput });
  app.post('/v1/outcomes', allow('marketer', 'manager', 'admin'), async (c) => {
    const csv = await readCsv(c, OUTCOMES_MAX_BYTES);
    return c.json(await s.kpis.importOutcomes(csv));
  });

  // ---- handoff intake ----

  app.get('/v1/intake/refusals', allow('admin'), async (c) => {
    const raw = c.req.query('since');
    const since = raw === undefined ? s.clock() - 86_400_000 : Date.parse(raw);
    if (!Number.isFinite(since)) {
      throw invalidInput([
        {
          path: ['since'],
          message: {
            ja: 'since は ISO 8601 の日時です（例: 2026-11-20T09:00:00+09:00）',
            en: 'since is an ISO 8601 date-time (e.g. 2026-11-20T09:00:00+09:00)',
          },
        },
      ]);
    }
    const sources = (await s.intake.refusalsSince(since)).map((r) => ({
      ...r,
      lastRefusedAt: new Date(r.lastRefusedAt).toISOString(),
    }));
    return c.json({ since: new Date(since).toISOString(), sources });
  });

  app.get('/v1/handoffs/open', allow(...ALL_ROLES), async (c) => {
    const given = (c.req.queries('owner') ?? []).map((o) => o.trim());
    // A control character is no one's name, and PostgreSQL refuses a NUL in text: refused, never a 500.
    if (given.some((o) => !isPlainText(o))) {
      throw invalidInput([
        {
          path: ['owner'],
          message: {
            ja: 'owner に制御文字は使えません',
            en: 'An owner may not contain control characters',
          },
        },
      ]);
    }
    const owners = given.filter((o) => o !== '' && o.length <= 200);
    if (owners.length === 0 || owners.length > 10) {
      throw invalidInput([
        {
          path: ['owner'],
          message: {
            ja: 'owner に担当者名（CRM での表示名や ID）を1〜10件指定してください',
            en: 'Give 1 to 10 owner parameters (the owner as the CRM names them, or their id)',
          },
        },
      ]);
    }
    const keys = await s.intake.openHandoffs(owners, TEAM_STATE_MAX_LEADS);
    const state = await store.leadState(keys);
    // As /v1/team-state answers, stored bodies spliced in; the lead key from the handoff event itself.
    const entries = keys.flatMap((key) => {
      const slots = state.get(key);
      const handoff = slots?.get('handoff');
      if (!handoff) return [];
      // A CRM status at contacted or beyond (recorded as a stage) means sales has touched it.
      const stage = slots?.get('stage');
      if (stage && CONTACTED_OR_BEYOND.has((JSON.parse(stage) as { to: string }).to)) return [];
      let entry = `{"lead":${JSON.stringify((JSON.parse(handoff) as { lead: unknown }).lead)}`;
      for (const name of TEAM_STATE_SLOTS) entry += `,"${name}":${slots?.get(name) ?? 'null'}`;
      return [`${entry}}`];
    });
    return c.body(`{"leads":[${entries.join(',')}]}`, 200, {
      'content-type': 'application/json; charset=utf-8',
    });
  });

  app.post('/v1/intake/:source', async (c) => {
    const source = intakeSourceSchema.safeParse(c.req.param('source'));
    if (!source.success) {
      throw new HttpProblem(404, 'unknown_source', {
        ja: '取り込み元は hubspot・kintone・pipedrive・salesforce・csv のいずれかです',
        en: 'The intake source is hubspot, kintone, pipedrive, salesforce or csv',
      });
    }
    const principal = c.get('principal')!;
    // Each source has its own secret: a leaked kintone token cannot post as HubSpot.
    if (principal.role !== 'intake' || principal.name !== source.data) {
      throw new HttpProblem(403, 'forbidden', {
        ja: `取り込みには「${source.data}」という名前の intake トークンが必要です（token create --role intake --name ${source.data}）`,
        en: `Intake needs an intake token named "${source.data}" (token create --role intake --name ${source.data})`,
      });
    }
    let body: { csv: string } | { json: unknown };
    try {
      body =
        source.data === 'csv'
          ? { csv: await readCsv(c, OUTCOMES_MAX_BYTES) }
          : { json: await readJson(c, config.maxBodyBytes) };
    } catch (error) {
      if (error instanceof HttpProblem) {
        await s.intake.countRefusal(source.data, error.problems ?? [{ path: [], message: error.text }]);
      }
      throw error;
    }
    const handoffs =
      'csv' in body
        ? await s.intake.receiveCsv(body.csv, principal)
        : await s.intake.receiveJson(source.data, body.json, principal);
    return c.json({ handoffs });
  });

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
