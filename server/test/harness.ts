/**
 * Test harness: each suite runs once per backend (SQLite in a temp directory, PostgreSQL in a fresh
 * schema of TEST_DATABASE_URL), against a real server listening on a loopback port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import type { Role } from '../../lib/roles';
import type { RuleSet } from '../../lib/rules';
import { createToken } from '../auth';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { ROLES } from '../principal';
import { type RunningServer, startServer } from '../server';

export type BackendName = 'sqlite' | 'postgres';

export interface Backend {
  name: BackendName;
  /** Environment for a database nobody else uses; dropped after the suite. */
  freshDatabase(): Record<string, string>;
}

const PG_URL = process.env.TEST_DATABASE_URL;

/**
 * Declares the suite for both backends. Without TEST_DATABASE_URL the PostgreSQL half fails under CI
 * (CI=true) and is skipped with a visible message elsewhere.
 */
export function describeBackends(title: string, suite: (backend: Backend) => void): void {
  describe(`${title} (sqlite)`, () => {
    const dirs: string[] = [];
    afterAll(() => {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });
    suite({
      name: 'sqlite',
      freshDatabase() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-'));
        dirs.push(dir);
        return { BATON_DATA_DIR: dir };
      },
    });
  });

  if (!PG_URL) {
    if (process.env.CI === 'true') {
      describe(`${title} (postgres)`, () => {
        it('has a PostgreSQL to run against', () => {
          throw new Error(
            'TEST_DATABASE_URL is not set: under CI the PostgreSQL half must run (start one with scripts/test-postgres.sh)',
          );
        });
      });
    } else {
      console.warn(
        `[baton] SKIPPING the PostgreSQL half of "${title}": set TEST_DATABASE_URL (e.g. $(scripts/test-postgres.sh))`,
      );
      describe.skip(`${title} (postgres: TEST_DATABASE_URL not set)`, () => {});
    }
    return;
  }

  describe(`${title} (postgres)`, () => {
    const schemas: string[] = [];
    afterAll(async () => {
      if (schemas.length === 0) return;
      const client = new pg.Client(PG_URL);
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    });
    suite({
      name: 'postgres',
      freshDatabase() {
        const schema = `baton_t_${randomBytes(6).toString('hex')}`;
        schemas.push(schema);
        return { DATABASE_URL: PG_URL, BATON_PG_SCHEMA: schema };
      },
    });
  });
}

/** Settings for tests: quiet, no caching that would hide a revocation, generous rate limit. */
export const TEST_ENV: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  BATON_LOG_LEVEL: 'info',
  BATON_TOKEN_CACHE_MS: '0',
  BATON_RULES_CACHE_MS: '0',
  BATON_RATE_LIMIT_PER_SECOND: '100000',
  BATON_RATE_LIMIT_BURST: '100000',
  BATON_AUTH_FAILURES_PER_MINUTE: '1000000',
  BATON_PG_POOL_SIZE: '4',
  // The SLA watch records escalations on its own: off unless a test is about it (server/watch.test.ts).
  BATON_WATCH_POLL_MS: '0',
};

// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field; asserting the shape is their job.
type Json = any;

export interface TestServer {
  server: RunningServer;
  url: string;
  tokens: Record<Role, string>;
  env: Record<string, string>;
  logs: string[];
  call(
    method: string,
    path: string,
    options?: {
      token?: string | null;
      role?: Role;
      body?: unknown;
      raw?: string | Uint8Array;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Headers; text: string; json: Json }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  backend: Backend,
  overrides: Record<string, string> = {},
): Promise<TestServer> {
  const env = { ...TEST_ENV, ...backend.freshDatabase(), ...overrides };
  const logs: string[] = [];
  const config = loadConfig(env);
  const server = await startServer(config, {
    log: createLogger(config.logLevel, (line) => logs.push(line)),
    announce: () => {},
  });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    tokens[role] = (await createToken(server.store, { name: `Test ${role}`, role, now: Date.now() })).token;
  }
  const call: TestServer['call'] = async (method, urlPath, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? tokens[options.role ?? 'rep'] : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}${urlPath}`, {
      method,
      headers,
      body: body as BodyInit | undefined,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return { server, url: server.url, tokens, env, logs, call, stop: () => server.stop() };
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The real server in a process of its own: its URL, its exit, and every line it wrote. */
export interface ServerProcess {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  lines: string[];
}

/** The real entry point in its own process, as an operator starts it. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${lines.join('\n')}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`)));
  });
  return { process: child, url, exited, lines };
}

/** A server whose active rules are `rules` (stamped as version 1, as the server's own seed stamps them). */
export async function startServerWithRules(backend: Backend, rules: RuleSet): Promise<TestServer> {
  const t = await startTestServer(backend);
  await t.server.store.ruleVersions.seed(
    (version) => JSON.stringify({ ...rules, version: { ...rules.version, number: version } }),
    Date.now(),
  );
  return t;
}
