import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from '../../lib/roles';
import { createToken } from '../../server/auth';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { ROLES } from '../../server/principal';
import { type RunningServer, startServer } from '../../server/server';

/*
 * Test doubles around the REAL endpoint: the endpoint itself on loopback, and a fault-injecting proxy.
 */

/**
 * The real sync endpoint (server/) on a loopback port for real-browser and fault tests, as the server's
 * own tests start it (server/test/harness.ts): SQLite in a temp directory, which survives a stop so the
 * endpoint can be restarted on the same port with the same data.
 */
export interface LoopbackEndpoint {
  url: string;
  port: number;
  tokens: Record<Role, string>;
  dataDir: string;
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  call(method: string, path: string, role: Role, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Activates `rules` with both sign-offs, as marketing and sales would. */
  publish(rules: unknown): Promise<number>;
  /** Opens the endpoint's SQLite file (for counting what arrived, or planting what the API refuses). */
  sqlite(): Database.Database;
  dispose(): Promise<void>;
}

const ENV = {
  HOST: '127.0.0.1',
  BATON_LOG_LEVEL: 'silent',
  BATON_TOKEN_CACHE_MS: '0',
  BATON_RULES_CACHE_MS: '0',
  BATON_RATE_LIMIT_PER_SECOND: '100000',
  BATON_RATE_LIMIT_BURST: '100000',
};

export async function startLoopbackEndpoint(): Promise<LoopbackEndpoint> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-endpoint-'));
  let port = 0;
  let server: RunningServer | null = null;
  const boot = async () => {
    const config = loadConfig({ ...ENV, PORT: String(port), BATON_DATA_DIR: dataDir });
    server = await startServer(config, { log: createLogger('silent', () => {}), announce: () => {} });
    port = server.port;
  };
  await boot();
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    tokens[role] = (await createToken(server!.store, { name: `E2E ${role}`, role, now: Date.now() })).token;
  }
  const endpoint: LoopbackEndpoint = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    tokens,
    dataDir,
    running: () => server !== null,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      if (!server) await boot();
    },
    async call(method, path, role, body) {
      const response = await fetch(`${endpoint.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[role]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : undefined };
    },
    async publish(rules) {
      const draft = await endpoint.call('POST', '/v1/rules/drafts', 'marketer', { rules });
      if (draft.status !== 201) throw new Error(`draft refused: ${JSON.stringify(draft.json)}`);
      const version = (draft.json as { version: number }).version;
      for (const role of ['marketer', 'manager'] as const) {
        const signed = await endpoint.call('POST', `/v1/rules/versions/${version}/signoffs`, role, {});
        if (signed.status >= 300) throw new Error(`sign-off refused: ${JSON.stringify(signed.json)}`);
      }
      return version;
    },
    sqlite: () => new Database(join(dataDir, 'baton.sqlite')),
    async dispose() {
      await endpoint.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return endpoint;
}

/** How often each fault strikes a request, 0–1. */
export interface Faults {
  /** Connection closed before the request reaches the endpoint. */
  drop: number;
  /** A 500 from the proxy; the endpoint never sees the request. */
  error500: number;
  /** The endpoint handles the request (and commits), then the client's connection is reset: the answer is lost. */
  resetAfter: number;
  /** Held back up to `maxDelayMs` before it is forwarded. */
  delay: number;
  maxDelayMs: number;
}

export interface FaultProxy {
  url: string;
  counts: Record<'requests' | 'drop' | 'error500' | 'resetAfter' | 'delay' | 'forwarded', number>;
  close(): Promise<void>;
}

/**
 * A small fault-injecting HTTP proxy on loopback in front of the endpoint. Seeded, so a failing run
 * can be replayed.
 */
export async function startFaultProxy(upstream: () => string, faults: Faults, seed = 1): Promise<FaultProxy> {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible faults without a dependency.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const counts: FaultProxy['counts'] = {
    requests: 0,
    drop: 0,
    error500: 0,
    resetAfter: 0,
    delay: 0,
    forwarded: 0,
  };
  const server = createServer((req, res) => {
    counts.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const roll = random();
      if (roll < faults.drop) {
        counts.drop += 1;
        req.socket.destroy();
        return;
      }
      if (roll < faults.drop + faults.error500) {
        counts.error500 += 1;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"proxy","message":{"ja":"プロキシのエラー","en":"Proxy error"}}}');
        return;
      }
      const resetAfter = roll < faults.drop + faults.error500 + faults.resetAfter;
      const delay = random() < faults.delay ? Math.floor(random() * faults.maxDelayMs) : 0;
      if (delay > 0) counts.delay += 1;
      setTimeout(() => {
        const target = new URL(req.url ?? '/', upstream());
        const forward = request(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (c: Buffer) => body.push(c));
            answer.on('end', () => {
              counts.forwarded += 1;
              if (resetAfter) {
                counts.resetAfter += 1;
                req.socket.resetAndDestroy();
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            });
          },
        );
        forward.on('error', () => req.socket.destroy());
        forward.end(Buffer.concat(chunks));
      }, delay);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
