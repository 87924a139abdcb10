/**
 * Starting and stopping one endpoint instance: storage and migrations, services, the HTTP server with its
 * timeouts, and a graceful stop that lets in-flight requests (and their writes) finish.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { zoneClock } from '../lib/calendar/zone';
import { generateHistory } from '../lib/kpi/generate';
import type { Role } from '../lib/roles';
import { ruleSetSchema } from '../lib/rules';
import { createApp, notModifiedFastPath } from './app';
import { Authenticator, createToken } from './auth';
import type { Config } from './config';
import { IntakeService } from './intake';
import { KpiService } from './kpis';
import { createLogger, errorFields, type Logger } from './log';
import { Metrics } from './metrics';
import { buildOpenApi } from './openapi';
import { pollLog } from './poll-log';
import { prepareEvent } from './prepare-event';
import { PEOPLE_ROLES } from './principal';
import { RateLimiter } from './rate-limit';
import { RulesService, ruleSetDomain } from './rules';
import { malformedRequestAnswer } from './security';
import type { Services } from './services';
import type { Database } from './storage/db';
import { IntakeStore } from './storage/intake';
import { migrate } from './storage/migrations';
import { openPostgres } from './storage/postgres';
import { openSqlite } from './storage/sqlite';
import { Store } from './storage/store';
import { SlaWatch } from './watch';
import { WebhookDelivery } from './webhook';

export async function openDatabase(config: Config, log?: Logger): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgres({
      url: config.databaseUrl,
      schema: config.pgSchema,
      poolSize: config.pgPoolSize,
      statementTimeoutMs: config.requestTimeoutMs,
    });
  }
  return openSqlite(
    config.sqliteFile,
    undefined,
    log
      ? { log: (level, msg, fields) => (level === 'error' ? log.error(msg, fields) : log.warn(msg, fields)) }
      : {},
  );
}

/** Opens the database and brings its schema up to date. */
export async function openStore(config: Config, log?: Logger): Promise<Store> {
  const db = await openDatabase(config, log);
  try {
    await migrate(db, Date.now());
  } catch (error) {
    await db.close();
    throw error;
  }
  return new Store(db);
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** The SLA watch, for tests that tick it by hand (BATON_WATCH_POLL_MS=0). */
  watch: SlaWatch;
  /** Stops accepting, lets in-flight requests finish (up to shutdownTimeoutMs), closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Printed demo tokens go here (stdout by default). */
  announce?: (line: string) => void;
  /**
   * The one clock of this instance (epoch ms): tokens, rate limits, KPIs, intake, the SLA watch and the
   * webhook all read it, so a test that sets it moves the whole server. Default: BATON_CLOCK_AT, else
   * the system clock.
   */
  clock?: () => number;
}

/** The system clock, or one started at `at` and running on from there. */
export function clockFrom(at: number | undefined): () => number {
  if (at === undefined) return Date.now;
  const offset = at - Date.now();
  return () => Date.now() + offset;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? clockFrom(config.clockAt);
  const store = await openStore(config, log);
  const metrics = new Metrics();
  const instanceId = await store.settings.valueOrFirst('instance_id', () => randomBytes(6).toString('hex'));
  const rules = new RulesService(store.ruleVersions, ruleSetDomain, instanceId, config.rulesCacheMs, clock);
  const webhook = config.webhookUrl
    ? new WebhookDelivery(
        store.outbox,
        {
          url: config.webhookUrl,
          format: config.webhookFormat,
          pollMs: config.webhookPollMs,
          retryBaseMs: config.webhookRetryBaseMs,
          retryMaxMs: config.webhookRetryMaxMs,
          maxAttempts: config.webhookMaxAttempts,
          timeoutMs: config.webhookTimeoutMs,
        },
        log,
        metrics,
        clock,
      )
    : undefined;

  const kpis = new KpiService(store, rules, clock);
  const announce = options.announce ?? ((line) => console.log(line));
  if (config.seedDemo) await seedDemo(store, rules, announce);
  // A database from before lead_facts: the KPIs read facts only, so they are built once from the events.
  const backfilled = await kpis.backfill();
  if (backfilled > 0) log.info('lead facts backfilled', { leads: backfilled });
  if (config.seedDemo) await seedDemoHistory(store, kpis, announce);

  let openapi: unknown;
  const services: Services = {
    config,
    store,
    rules,
    kpis,
    auth: new Authenticator(store.tokens, config.tokenCacheMs, clock),
    limiter: new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst),
    authFailures: new RateLimiter(config.authFailuresPerMinute / 60, config.authFailuresPerMinute),
    log,
    polls: pollLog(log, clock),
    metrics,
    webhook,
    openapi: () => {
      openapi ??= buildOpenApi(config, ruleSetSchema);
      return openapi;
    },
    clock,
    intake: new IntakeService(
      store,
      new IntakeStore(store.db),
      kpis,
      metrics,
      (event) => prepareEvent(event, webhook !== undefined),
      clock,
    ),
  };
  const watch = new SlaWatch(
    store,
    kpis,
    metrics,
    log,
    (event) => prepareEvent(event, webhook !== undefined),
    clock,
    { pollMs: config.watchPollMs, leaseMs: 30_000, batch: 200 },
    () => webhook?.kick(),
  );
  const app = createApp(services);
  const fastPath = notModifiedFastPath(services);

  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | undefined;
  const listener = getRequestListener(app.fetch, {
    errorHandler: (error) => {
      log.error('request failed outside the app', errorFields(error));
    },
  });
  const server = http.createServer((req, res) => {
    if (stopping) res.setHeader('connection', 'close');
    // Answered synchronously: never in flight.
    if (fastPath(req, res)) return;
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (stopping && inFlight === 0) drained?.();
    });
    void listener(req, res);
  });
  // Slow or stalled clients cannot hold sockets open for long.
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 10_000);
  server.keepAliveTimeout = 5000;
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end(malformedRequestAnswer(error as { code?: string }));
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  webhook?.start();
  watch.start();
  log.info('listening', {
    url,
    database: config.databaseUrl ? 'postgres' : 'sqlite',
    ...(config.databaseUrl ? { schema: config.pgSchema } : { file: config.sqliteFile }),
    webhook: Boolean(webhook),
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await watch.stop();
      await webhook?.stop();
      services.polls.flush();
      await store.db.close();
      log.info('stopped', { inFlightLeft: inFlight });
    })();
    return stopped;
  };
  return { url, port, store, watch, stop };
}

/** Demo tokens: every role but admin, whose token is made on purpose (`token create --role admin`). */
const DEMO_ROLES: readonly Role[] = PEOPLE_ROLES.filter((role) => role !== 'admin');

/**
 * Demo installation: the default rule set active, and one token per role but admin. A token is printed
 * once, when the seed creates it: a log kept for weeks must not hold working secrets. They are derived
 * from a secret kept in the database, so instances starting together create the same ones.
 */
async function seedDemo(store: Store, rules: RulesService, announce: (line: string) => void) {
  const version = await rules.seed();
  const seed = Buffer.from(
    await store.settings.valueOrFirst('demo_seed', () => randomBytes(32).toString('hex')),
    'hex',
  );
  announce(
    version
      ? `Baton: seeded the default rule set as version ${version}`
      : 'Baton: rules already present, not seeded',
  );
  for (const role of DEMO_ROLES) {
    const secret = createHmac('sha256', seed).update(role).digest();
    const id = `demo${role}`;
    const { token, created } = await createToken(store, {
      id,
      name: `Demo ${role}`,
      role,
      now: Date.now(),
      secret,
    });
    if (created) announce(`Baton demo token (${role}): ${token}`);
  }
}

/** Leads and weeks of the demo's KPI history: enough for every chart to have a shape. */
const DEMO_HISTORY = { leads: 2000, weeks: 12, seed: 20_261_125, batch: 500 };
const DEMO_HISTORY_SETTING = 'demo_kpi_history_from';

/**
 * Demo KPIs: a generated history of the last 12 weeks, stored as the team's browsers would have sent it
 * (folded into lead facts on the way in), once per database. Instances starting together the same day
 * generate the very same events, which the idempotency keys store once.
 */
async function seedDemoHistory(store: Store, kpis: KpiService, announce: (line: string) => void) {
  if (await store.settings.value(DEMO_HISTORY_SETTING)) return;
  const { version, rules } = await kpis.active();
  const today = zoneClock(rules.calendar.timeZone).dayOf(Date.now());
  const from = new Date((today - DEMO_HISTORY.weeks * 7) * 86_400_000).toISOString().slice(0, 10);
  const { events, outcomes } = generateHistory({
    leads: DEMO_HISTORY.leads,
    seed: DEMO_HISTORY.seed,
    from,
    weeks: DEMO_HISTORY.weeks,
    rules,
  });
  const now = Date.now();
  for (let i = 0; i < events.length; i += DEMO_HISTORY.batch) {
    const batch = events.slice(i, i + DEMO_HISTORY.batch).map((event) => prepareEvent(event, false));
    await store.events.record(batch, 'demo', now, rules.calendar);
  }
  // Won and lost deals come from a CRM export in real life; the demo imports the history's own.
  await store.events.importOutcomes(
    outcomes.filter((o) => o.at <= now),
    rules.calendar,
  );
  await store.settings.valueOrFirst(DEMO_HISTORY_SETTING, () => from);
  announce(
    `Baton: seeded a KPI history of ${DEMO_HISTORY.leads} leads (${events.length} events) from ${from}` +
      (version === null ? '' : ` under rules version ${version}`),
  );
}
