/**
 * Every setting of the endpoint, read from environment variables once at start (documented in README.md).
 * A bad value stops the start with a message naming the variable, rather than running misconfigured.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_BATCH_MAX_EVENTS, EVENT_MAX_BYTES, REQUEST_MAX_BYTES } from '../lib/events';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL when set; otherwise SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema the tables live in (tests use a fresh one per run). */
  pgSchema: string;
  pgPoolSize: number;
  dataDir: string;
  sqliteFile: string;
  webhookUrl: string | undefined;
  webhookFormat: 'slack' | 'teams';
  webhookPollMs: number;
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  webhookMaxAttempts: number;
  webhookTimeoutMs: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Failed authentications one client address may make per minute (and at once) before 429. */
  authFailuresPerMinute: number;
  maxBodyBytes: number;
  maxEventBytes: number;
  maxBatchEvents: number;
  requestTimeoutMs: number;
  /** How long a token check or the active rules may be served from memory before asking the database. */
  tokenCacheMs: number;
  rulesCacheMs: number;
  shutdownTimeoutMs: number;
  seedDemo: boolean;
  /**
   * Where this instance's clock starts (epoch ms), running on from there: for demos and tests of what the
   * server does at a business time (the SLA watch), never for production. Undefined: the system clock.
   */
  clockAt: number | undefined;
  /** How often the SLA watch looks for what fell due (server/watch.ts); 0 turns the watch off. */
  watchPollMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}`);
  }
  return raw;
}

function instant(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || !Number.isFinite(at)) {
    throw new ConfigError(
      `${name} must be an ISO 8601 date-time such as 2026-11-20T17:30:00+09:00, got "${raw}"`,
    );
  }
  return at;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.BATON_DATA_DIR || path.join(REPO_ROOT, 'data'));
  const pgSchema = env.BATON_PG_SCHEMA || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) {
    throw new ConfigError('BATON_PG_SCHEMA must be a lowercase SQL identifier');
  }
  return {
    port: int(env, 'PORT', 8787, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    pgSchema,
    pgPoolSize: int(env, 'BATON_PG_POOL_SIZE', 10, 1, 200),
    dataDir,
    sqliteFile: path.join(dataDir, 'baton.sqlite'),
    webhookUrl: url(env, 'BATON_WEBHOOK_URL', ['https:', 'http:']),
    webhookFormat: oneOf(env, 'BATON_WEBHOOK_FORMAT', ['slack', 'teams'], 'slack'),
    webhookPollMs: int(env, 'BATON_WEBHOOK_POLL_MS', 2000, 10, 3_600_000),
    webhookRetryBaseMs: int(env, 'BATON_WEBHOOK_RETRY_BASE_MS', 5000, 1, 3_600_000),
    webhookRetryMaxMs: int(env, 'BATON_WEBHOOK_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
    webhookMaxAttempts: int(env, 'BATON_WEBHOOK_MAX_ATTEMPTS', 12, 1, 100),
    webhookTimeoutMs: int(env, 'BATON_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    rateLimitPerSecond: int(env, 'BATON_RATE_LIMIT_PER_SECOND', 10, 1, 1_000_000),
    rateLimitBurst: int(env, 'BATON_RATE_LIMIT_BURST', 60, 1, 1_000_000),
    authFailuresPerMinute: int(env, 'BATON_AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
    maxBodyBytes: int(env, 'BATON_MAX_BODY_BYTES', REQUEST_MAX_BYTES, 1024, 64 * 1024 * 1024),
    maxEventBytes: int(env, 'BATON_MAX_EVENT_BYTES', EVENT_MAX_BYTES, 256, 1024 * 1024),
    maxBatchEvents: int(env, 'BATON_MAX_BATCH_EVENTS', EVENT_BATCH_MAX_EVENTS, 1, EVENT_BATCH_MAX_EVENTS),
    requestTimeoutMs: int(env, 'BATON_REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
    tokenCacheMs: int(env, 'BATON_TOKEN_CACHE_MS', 5000, 0, 3_600_000),
    rulesCacheMs: int(env, 'BATON_RULES_CACHE_MS', 1000, 0, 3_600_000),
    shutdownTimeoutMs: int(env, 'BATON_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    seedDemo: env.BATON_SEED_DEMO === '1' || env.BATON_SEED_DEMO === 'true',
    clockAt: instant(env, 'BATON_CLOCK_AT'),
    watchPollMs: int(env, 'BATON_WATCH_POLL_MS', 15_000, 0, 3_600_000),
    logLevel: oneOf(env, 'BATON_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
  };
}
