import {
  activeRulesResponseSchema,
  apiErrorSchema,
  EVENT_BATCH_MAX_EVENTS,
  eventBatchResponseSchema,
  meResponseSchema,
  REQUEST_MAX_BYTES,
  TEAM_STATE_MAX_LEADS,
  teamStateResponseSchema,
} from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import { type LeadKey, leadKeyString } from '../../lib/lead';
import { formatPath } from '../../lib/problems';
import { validateRuleSet } from '../../lib/rules/validate';
import type { BatonDb, OutboxEntry, SyncChannel } from '../db';
import { type EndpointConfig, EndpointError, endpointFetch } from '../endpoint';
import { pendingEvents, pruneSent } from './outbox';
import { storedRows } from './stored-rows';

/**
 * What one sync does: the HTTP exchanges with the endpoint (the outbox out, the rule set and the team's
 * state in), with everything else passed in (SyncDeps) so tests drive it without a browser. When it runs
 * and what the browser shows of it is sync-service.ts. Every function reads what it needs from IndexedDB
 * and writes its outcome back there before returning, so a worker stopped halfway loses nothing and the
 * next start carries on.
 */
export interface SyncDeps {
  database: BatonDb;
  config(): Promise<EndpointConfig | null>;
  /** Whether the browser lets us reach the endpoint's origin (runtime host permission). */
  canReach(url: string): Promise<boolean>;
  now(): number | Promise<number>;
  /** For the backoff's jitter; tests pass a fixed one. */
  random?: () => number;
  transport?: typeof fetch;
}

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 15 * 60_000;
/** Team state younger than this is not asked again: list views re-render on every mutation. */
export const TEAM_STATE_FRESH_MS = 60_000;
// Headroom under the endpoint's body cap for the envelope `{"events":[...]}`.
const BATCH_MAX_BYTES = REQUEST_MAX_BYTES - 1024;

/**
 * Exponential backoff with jitter: base × 2^(failures−1), capped, then a random point in its upper
 * half, so a thousand browsers that lost the endpoint together do not come back in one wave.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const full = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

export async function readChannel(database: BatonDb, channel: SyncChannel['channel']): Promise<SyncChannel> {
  return (
    (await database.syncChannels.get(channel)) ?? {
      channel,
      failures: 0,
      nextAttemptAt: 0,
      lastSuccessAt: null,
      lastError: null,
    }
  );
}

async function succeeded(
  deps: SyncDeps,
  channel: SyncChannel,
  now: number,
  extra: Partial<SyncChannel> = {},
) {
  await deps.database.syncChannels.put({
    ...channel,
    ...extra,
    failures: 0,
    nextAttemptAt: 0,
    lastSuccessAt: now,
    lastError: null,
  });
}

async function failed(deps: SyncDeps, channel: SyncChannel, now: number, reason: LocalizedText) {
  const failures = channel.failures + 1;
  await deps.database.syncChannels.put({
    ...channel,
    failures,
    nextAttemptAt: now + backoffDelay(failures, deps.random),
    lastError: { reason, at: now },
  });
}

function reasonOf(error: unknown): LocalizedText {
  if (error instanceof EndpointError) return error.reason;
  return { ja: `同期に失敗しました: ${String(error)}`, en: `Sync failed: ${String(error)}` };
}

type Ready = { ok: true; config: EndpointConfig } | { ok: false; skipped: 'unconfigured' | 'no_permission' };

/** The endpoint to use, or why there is none; a missing permission is said in words on the channel. */
async function ready(deps: SyncDeps, channel: SyncChannel, now: number): Promise<Ready> {
  const config = await deps.config();
  if (!config) return { ok: false, skipped: 'unconfigured' };
  if (!(await deps.canReach(config.url))) {
    const origin = new URL(config.url).origin;
    await deps.database.syncChannels.put({
      ...channel,
      lastError: {
        at: now,
        reason: {
          ja: `${origin} への接続が許可されていません。オプション画面で「接続を許可」を押してください`,
          en: `Baton may not reach ${origin} yet: press "Allow access" on the options page`,
        },
      },
    });
    return { ok: false, skipped: 'no_permission' };
  }
  return { ok: true, config };
}

// ---- events ----

export interface SendReport {
  sent: number;
  refused: number;
  /** Why nothing (more) was sent, if something stopped it. */
  stopped?: 'backoff' | 'unconfigured' | 'no_permission' | 'failed';
}

/**
 * Sends at most one drain per worker at a time. Two triggers (an alarm and `online`) arriving
 * together share the run in progress instead of posting the same batch twice.
 */
let inFlight: Promise<SendReport> | null = null;

export function sendEvents(deps: SyncDeps, options: { force?: boolean } = {}): Promise<SendReport> {
  inFlight ??= drain(deps, options).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function drain(deps: SyncDeps, { force = false }: { force?: boolean }): Promise<SendReport> {
  const report: SendReport = { sent: 0, refused: 0 };
  let channel = await readChannel(deps.database, 'events');
  const start = await deps.now();
  if (!force && start < channel.nextAttemptAt) return { ...report, stopped: 'backoff' };
  const endpoint = await ready(deps, channel, start);
  if (!endpoint.ok) return { ...report, stopped: endpoint.skipped };
  // After a 4xx names no event, that batch's events go one by one to find the one at fault; the rest
  // of the queue goes in full batches again.
  let oneByOne = 0;
  for (;;) {
    const batch = sizeBatch(await pendingEvents(deps.database, oneByOne > 0 ? 1 : EVENT_BATCH_MAX_EVENTS));
    if (batch.length === 0) break;
    if (oneByOne > 0) oneByOne--;
    const now = await deps.now();
    try {
      const response = await endpointFetch(
        endpoint.config,
        '/v1/events',
        { method: 'POST', body: JSON.stringify({ events: batch.map((e) => e.event) }) },
        deps.transport,
      );
      const { receipts } = eventBatchResponseSchema.parse(await response.json());
      const byKey = new Map(receipts.map((r) => [r.idempotencyKey, r]));
      await deps.database.transaction('rw', deps.database.outbox, async () => {
        for (const entry of batch) {
          const receipt = byKey.get(entry.idempotencyKey);
          if (!receipt) continue;
          await deps.database.outbox.update(entry.idempotencyKey, {
            state: 'sent',
            sentAt: now,
            seq: receipt.seq,
            attempts: entry.attempts + 1,
          });
        }
      });
      report.sent += byKey.size;
      channel = { ...channel, failures: 0, nextAttemptAt: 0, lastSuccessAt: now, lastError: null };
      await deps.database.syncChannels.put(channel);
      if (byKey.size < batch.length) {
        throw new EndpointError('server', response.status, {
          ja: 'チームの同期サーバーが一部の記録を受け付けたと返しませんでした。あとで送り直します',
          en: 'The team’s sync server did not confirm every record; they will be sent again',
        });
      }
    } catch (error) {
      if (error instanceof EndpointError && error.kind === 'invalid' && error.status !== null) {
        const named = namedEvents(error.body, batch.length);
        if (named.size === 0 && batch.length > 1) {
          oneByOne = batch.length;
          continue;
        }
        const culprits = named.size === 0 ? batch : batch.filter((_, i) => named.has(i));
        const problemsOf = problemsByEvent(error.body, batch.length);
        // A step a colleague's browser recorded first is answered 200 with that step's receipt (the
        // endpoint stores steps by what they are, server/escalation-steps.ts). A 409 on a step means
        // another event holds its key: a refusal to show, never "already recorded", or anyone could
        // silence an escalation by storing something under its key first.
        if (culprits.length > 0) {
          await refuse(deps, culprits, error, now, (e) => problemsOf(batch.indexOf(e)));
        }
        report.refused += culprits.length;
        continue;
      }
      await deps.database.outbox.bulkUpdate(
        batch.map((e) => ({ key: e.idempotencyKey, changes: { attempts: e.attempts + 1 } })),
      );
      await failed(deps, channel, now, reasonOf(error));
      return { ...report, stopped: 'failed' };
    }
  }
  await pruneSent(deps.database, await deps.now());
  return report;
}

/** Oldest first, as many as fit the endpoint's body cap. */
function sizeBatch(entries: OutboxEntry[]): OutboxEntry[] {
  let bytes = 0;
  const batch: OutboxEntry[] = [];
  for (const entry of entries) {
    bytes += new TextEncoder().encode(JSON.stringify(entry.event)).length + 1;
    if (batch.length > 0 && bytes > BATCH_MAX_BYTES) break;
    batch.push(entry);
  }
  return batch;
}

/** Indexes of the events a 4xx answer names in its problems (`events[i]...`). */
function namedEvents(body: unknown, size: number): Set<number> {
  const parsed = apiErrorSchema.safeParse(body);
  const named = new Set<number>();
  for (const problem of parsed.success ? (parsed.data.error.problems ?? []) : []) {
    const [head, index] = problem.path;
    if (head === 'events' && typeof index === 'number' && index >= 0 && index < size) named.add(index);
  }
  return named;
}

/** The endpoint's problems about the batch's i-th event, paths made relative to the event. */
function problemsByEvent(body: unknown, size: number) {
  const parsed = apiErrorSchema.safeParse(body);
  const problems = parsed.success ? (parsed.data.error.problems ?? []) : [];
  // A problem naming no event (a batch of one refused as a whole) belongs to that one event.
  return (i: number) =>
    problems
      .filter((p) => (p.path[0] === 'events' ? p.path[1] === i : size === 1))
      .map((p) => ({ ...p, path: p.path[0] === 'events' ? p.path.slice(2) : p.path }));
}

/** A permanent refusal: kept, marked and shown to the rep with the endpoint's own words; never retried. */
async function refuse(
  deps: SyncDeps,
  entries: OutboxEntry[],
  error: EndpointError,
  now: number,
  problemsOf: (entry: OutboxEntry) => { path: (string | number)[]; message: LocalizedText }[],
) {
  await deps.database.transaction('rw', deps.database.outbox, async () => {
    for (const entry of entries) {
      const own = problemsOf(entry);
      const detail = (lang: 'ja' | 'en') =>
        own.map((p) => `${formatPath(p.path)}: ${p.message[lang]}`).join(' / ');
      await deps.database.outbox.update(entry.idempotencyKey, {
        state: 'refused',
        attempts: entry.attempts + 1,
        refusal: {
          status: error.status ?? 0,
          at: now,
          reason: {
            ja: [error.reason.ja, detail('ja')].filter(Boolean).join(' — '),
            en: [error.reason.en, detail('en')].filter(Boolean).join(' — '),
          },
        },
      });
    }
  });
}

// ---- rules ----

export type RulesOutcome = 'unchanged' | 'updated' | 'refused' | 'stale' | 'none' | 'skipped' | 'failed';

/**
 * Pulls the active rule set with If-None-Match. A new one replaces the cached one only after it
 * validates against the domain schema and is not older than the one in force; otherwise the last
 * good one stays and the refusal is kept for the popup to show.
 */
export async function pullRules(deps: SyncDeps, options: { force?: boolean } = {}): Promise<RulesOutcome> {
  const channel = await readChannel(deps.database, 'rules');
  const now = await deps.now();
  if (!options.force && now < channel.nextAttemptAt) return 'skipped';
  const endpoint = await ready(deps, channel, now);
  if (!endpoint.ok) return 'skipped';
  const stored = await deps.database.rules.get('active');
  const etag = stored?.source === 'endpoint' ? stored.etag : undefined;
  try {
    const response = await endpointFetch(
      endpoint.config,
      '/v1/rules/active',
      { headers: etag ? { 'if-none-match': etag } : {} },
      deps.transport,
    );
    if (response.status === 304) {
      await succeeded(deps, channel, now);
      return 'unchanged';
    }
    const body = activeRulesResponseSchema.parse(await response.json());
    const checked = validateRuleSet(body.rules);
    if (!checked.ok) {
      const first = checked.problems[0]!;
      await deps.database.syncChannels.put({
        ...channel,
        failures: 0,
        nextAttemptAt: 0,
        lastSuccessAt: now,
        refused: {
          version: body.version,
          at: now,
          problems: checked.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
        },
        lastError: {
          at: now,
          reason: {
            ja: `チームのルール v${body.version} は不正なため適用していません（${formatPath(first.path)}: ${first.message.ja}）。前回の正しいルールを使い続けます`,
            en: `The team’s rule set v${body.version} is invalid and was not applied (${formatPath(first.path)}: ${first.message.en}); the last good one stays in force`,
          },
        },
      });
      return 'refused';
    }
    if (stored?.source === 'endpoint') {
      const current = validateRuleSet(stored.rules);
      // Another endpoint instance may still serve the previous version for a moment: keep the highest.
      if (current.ok && current.value.version.number > checked.value.version.number) {
        await succeeded(deps, channel, now, { refused: channel.refused ?? null });
        return 'stale';
      }
    }
    await deps.database.transaction('rw', deps.database.rules, deps.database.syncChannels, async () => {
      await deps.database.rules.put({
        slot: 'active',
        rules: body.rules,
        source: 'endpoint',
        etag: response.headers.get('etag') ?? undefined,
        receivedAt: now,
        activatedAt: Date.parse(body.activatedAt),
      });
      await succeeded(deps, channel, now, { refused: null });
    });
    return 'updated';
  } catch (error) {
    if (error instanceof EndpointError && error.status === 404) {
      await succeeded(deps, channel, now);
      return 'none';
    }
    await failed(deps, channel, now, reasonOf(error));
    return 'failed';
  }
}

// ---- who the token is ----

/** The role is asked again after this long even when the token is unchanged (an admin may re-issue it). */
export const ME_FRESH_MS = 60 * 60_000;

export type MeOutcome = 'unchanged' | 'updated' | 'cleared' | 'skipped' | 'failed';

async function fingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Asks GET /v1/me who the token is, and keeps the answer on the 'me' channel: at once when the token
 * changed, else at most hourly. No endpoint, a rejected token or an endpoint that cannot say (404) leave
 * the role unknown; a passing failure keeps the last answer.
 */
export async function pullMe(deps: SyncDeps, options: { force?: boolean } = {}): Promise<MeOutcome> {
  const channel = await readChannel(deps.database, 'me');
  const now = await deps.now();
  const config = await deps.config();
  const clear = async (): Promise<MeOutcome> => {
    if (!channel.me) return 'unchanged';
    await deps.database.syncChannels.put({ ...channel, me: null, askedWith: undefined });
    return 'cleared';
  };
  if (!config) return clear();
  const print = await fingerprint(config.token);
  const sameToken = channel.askedWith === print;
  if (
    !options.force &&
    sameToken &&
    channel.lastSuccessAt !== null &&
    now - channel.lastSuccessAt < ME_FRESH_MS
  ) {
    return 'unchanged';
  }
  if (!options.force && sameToken && now < channel.nextAttemptAt) return 'skipped';
  const endpoint = await ready(deps, channel, now);
  if (!endpoint.ok) return 'skipped';
  try {
    const response = await endpointFetch(endpoint.config, '/v1/me', {}, deps.transport);
    const me = meResponseSchema.parse(await response.json());
    const changed = channel.me?.role !== me.role || !sameToken;
    await succeeded(deps, channel, now, { me, askedWith: print });
    return changed ? 'updated' : 'unchanged';
  } catch (error) {
    if (error instanceof EndpointError && error.status === 404) {
      await succeeded(deps, channel, now, { me: null, askedWith: print });
      return channel.me ? 'cleared' : 'unchanged';
    }
    const rejected = error instanceof EndpointError && error.kind === 'unauthorized';
    const me = rejected || !sameToken ? null : channel.me;
    // A new token's failure must not pass for a fresh answer about the old one.
    const lastSuccessAt = sameToken ? channel.lastSuccessAt : null;
    await failed(deps, { ...channel, me, askedWith: print, lastSuccessAt }, now, reasonOf(error));
    return 'failed';
  }
}

// ---- team state ----

/**
 * Asks the endpoint, in one request per list (≤ 500 leads), for what the team recorded about the
 * leads on screen, and caches it. Leads asked within the last minute are not asked again.
 * Resolves to whether anything new arrived.
 */
export async function refreshTeamState(deps: SyncDeps, leads: LeadKey[]): Promise<boolean> {
  const channel = await readChannel(deps.database, 'team');
  const now = await deps.now();
  if (now < channel.nextAttemptAt) return false;
  const keys = leads.map(leadKeyString);
  const cached = await storedRows(deps.database.teamState, keys);
  const stale = leads.filter((_, i) => (cached[i]?.fetchedAt ?? -Infinity) < now - TEAM_STATE_FRESH_MS);
  if (stale.length === 0) return false;
  const endpoint = await ready(deps, channel, now);
  if (!endpoint.ok) return false;
  let changed = false;
  try {
    for (let i = 0; i < stale.length; i += TEAM_STATE_MAX_LEADS) {
      const ask = stale.slice(i, i + TEAM_STATE_MAX_LEADS);
      const response = await endpointFetch(
        endpoint.config,
        '/v1/team-state',
        { method: 'POST', body: JSON.stringify({ leads: ask }) },
        deps.transport,
      );
      const body = teamStateResponseSchema.parse(await response.json());
      const before = new Map(cached.filter((c) => c !== undefined).map((c) => [c.key, c]));
      const rows = body.leads.map((state) => ({ key: leadKeyString(state.lead), state, fetchedAt: now }));
      changed ||= rows.some(
        (row) => JSON.stringify(before.get(row.key)?.state) !== JSON.stringify(row.state),
      );
      await deps.database.teamState.bulkPut(rows);
    }
    await succeeded(deps, channel, now);
  } catch (error) {
    await failed(deps, channel, now, reasonOf(error));
  }
  return changed;
}

/**
 * The leads handed over to this rep that the browser never saw (they arrived by intake, or a teammate
 * opened them): the endpoint lists the open handoffs of the CRM user name set on the options page, and
 * they join the cached team state, so the queue, the badge and the alerts include them. Asked with each
 * sync (the one-minute alarm), so an intake handoff reaches its rep within about a minute. Resolves to
 * whether anything new arrived.
 */
export async function pullOwnQueue(deps: SyncDeps, owner: string): Promise<boolean> {
  const name = owner.trim();
  if (!name) return false;
  const channel = await readChannel(deps.database, 'team');
  const now = await deps.now();
  if (now < channel.nextAttemptAt) return false;
  const endpoint = await ready(deps, channel, now);
  if (!endpoint.ok) return false;
  try {
    const response = await endpointFetch(
      endpoint.config,
      `/v1/handoffs/open?owner=${encodeURIComponent(name)}`,
      { method: 'GET' },
      deps.transport,
    );
    const body = teamStateResponseSchema.parse(await response.json());
    const rows = body.leads.map((state) => ({ key: leadKeyString(state.lead), state, fetchedAt: now }));
    const before = await deps.database.teamState.bulkGet(rows.map((r) => r.key));
    const changed = rows.some((row, i) => JSON.stringify(before[i]?.state) !== JSON.stringify(row.state));
    await deps.database.teamState.bulkPut(rows);
    await succeeded(deps, channel, now);
    return changed;
  } catch (error) {
    await failed(deps, channel, now, reasonOf(error));
    return false;
  }
}
