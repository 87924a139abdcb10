/**
 * Load benchmark on loopback (`npx tsx server/bench/load.ts`, BENCH_SECONDS to change the 10 s per run).
 * Each server runs in its own process, as in production; autocannon (50 connections) runs here.
 *
 *   1. a plain node:http hello-world, the ceiling of this machine, sent the same requests as 2.;
 *   2. GET /v1/rules/active answered 304 (target: ≥ 85% of hello-world's throughput (issue 18), p99 < 10 ms);
 *   3. POST batches of 20 events on SQLite, durable (target: ≥ 5,000 events/s, p99 < 25 ms), twice:
 *      flat out with autocannon (the most the server takes; with 50 connections always waiting, latency
 *      there is queueing: 50 / throughput, by Little's law), and paced at the target load of 5,000 events/s
 *      (250 batches/s evenly spaced over 50 keep-alive connections, latency counted from the moment each
 *      request was due, so a stalled server cannot hide its backlog), whose p99 is what clients see;
 *   4. the same on PostgreSQL when TEST_DATABASE_URL is set (a fresh schema, dropped after).
 *
 * BENCH_ONLY=events runs 3. and 4. only, BENCH_ONLY=poll 1. and 2. only; BENCH_BACKEND=sqlite or postgres
 * one of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { reportFigure } from '../../scripts/bench-figure';
import { ROOT, serverNodeFlags, startBaton, stopBaton } from './baton-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ONLY_EVENTS = process.env.BENCH_ONLY === 'events';
const ONLY_POLL = process.env.BENCH_ONLY === 'poll';
const BACKEND = process.env.BENCH_BACKEND;

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function startHelloWorld(): Promise<{ url: string; process: ChildProcess }> {
  // The endpoint's own Node flags (package.json's `server` script), so the two differ only in their code.
  const child = spawn(
    process.execPath,
    [
      ...serverNodeFlags(ROOT),
      '-e',
      `const s = require('node:http').createServer((q, r) => r.end('hello world'));
       s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d) => resolve(String(d).trim())),
  );
  return { url: `http://127.0.0.1:${port}`, process: child };
}

function eventBatch(): string {
  const now = new Date().toISOString();
  const events = Array.from({ length: 20 }, (_, i) => ({
    type: i % 2 ? 'stage_change' : 'handoff_observed',
    idempotencyKey: randomUUID(),
    occurredAt: now,
    lead: { crm: 'salesforce', object: 'Lead', recordId: `00Q${randomBytes(6).toString('hex')}` },
    rulesVersion: 1,
    actor: { name: '山田 太郎' },
    ...(i % 2
      ? { from: 'mql', to: 'contacted' }
      : { handoffAt: now, dueAt: now, reason: 'threshold', score: 64, owner: '佐藤 花子' }),
  }));
  return JSON.stringify({ events });
}

const TARGET_BATCHES_PER_SECOND = 250;

async function postEvents(url: string, token: string, overallRate?: number): Promise<Result> {
  return autocannon({
    url: `${url}/v1/events`,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: eventBatch() }),
      },
    ],
  });
}

interface Row {
  scenario: string;
  /** Answers of the expected status. */
  ok: number;
  /** Anything else: other statuses, errors, timeouts. */
  other: number;
  seconds: number;
  p50: number;
  p99: number;
  eventsPerRequest?: number;
}

function fromAutocannon(
  scenario: string,
  result: Result,
  expected: '2xx' | '3xx',
  eventsPerRequest?: number,
): Row {
  const answered = result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    scenario,
    ok: result[expected],
    other: answered - result[expected] + result.errors,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ...(eventsPerRequest ? { eventsPerRequest } : {}),
  };
}

/**
 * Open-loop load: one request every 1000/rate ms over a keep-alive pool, each latency measured from the
 * time the request was due (autocannon's own rate option sends each second's quota in one burst).
 */
async function paced(scenario: string, url: string, token: string, rate: number): Promise<Row> {
  // autocannon stops with up to 50 batches in flight, dropped by it but still stored by the server: that
  // flat-out backlog is not this load's, so the server gets a second to finish it (the database keeps all
  // it filled in). Measured before this pause: the first half second of due times met 38-99 ms.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL(`${url}/v1/events`);
  const latencies: number[] = [];
  const timeline: [number, number][] = [];
  let ok = 0;
  let other = 0;
  const interval = 1000 / rate;
  const start = performance.now();
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const body = eventBatch();
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            timeline.push([due - start, performance.now() - due]);
            if (res.statusCode === 200) ok++;
            else other++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        other++;
        resolve();
      });
      req.end(body);
    });
  const total = Math.round(SECONDS * rate);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(due));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  // BENCH_TIMELINE=1: latency per half second of due times (BENCH_SLICE ms: per slice of that length), to
  // tell a stall from a backlog; 50 ms slices show a periodic stall's period.
  if (process.env.BENCH_TIMELINE) {
    const sliceMs = Number(process.env.BENCH_SLICE ?? 500);
    const slices = new Map<number, number[]>();
    for (const [at, ms] of timeline) {
      const slice = Math.floor(at / sliceMs);
      slices.set(slice, [...(slices.get(slice) ?? []), ms]);
    }
    for (const [slice, ms] of [...slices].sort((a, b) => a[0] - b[0])) {
      ms.sort((a, b) => a - b);
      console.log(
        `t=${((slice * sliceMs) / 1000).toFixed(2)}s n=${ms.length} p50=${ms[ms.length >> 1]!.toFixed(0)} max=${ms.at(-1)!.toFixed(0)}`,
      );
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { scenario, ok, other, seconds, p50: at(0.5), p99: at(0.99), eventsPerRequest: 20 };
}

function table(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'events/s', 'p50 ms', 'p99 ms', 'ok', 'other'];
  const lines = rows.map((r) => {
    const perSecond = r.ok / r.seconds;
    return [
      r.scenario,
      perSecond.toFixed(0),
      r.eventsPerRequest ? (perSecond * r.eventsPerRequest).toFixed(0) : '-',
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      String(r.ok),
      String(r.other),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join(
    '\n',
  );
}

/** Alternates two runs in rounds, so load from elsewhere on the machine falls on both alike. */
async function alternate(
  a: () => Promise<Result>,
  b: () => Promise<Result>,
  rounds: number,
): Promise<[Result[], Result[]]> {
  const as: Result[] = [];
  const bs: Result[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return [as, bs];
}

/** Rounds as one row: totals add up, latency percentiles are the worst round's. */
function combined(scenario: string, results: Result[], expected: '2xx' | '3xx'): Row {
  const rows = results.map((r) => fromAutocannon(scenario, r, expected));
  return {
    scenario,
    ok: rows.reduce((n, r) => n + r.ok, 0),
    other: rows.reduce((n, r) => n + r.other, 0),
    seconds: rows.reduce((n, r) => n + r.seconds, 0),
    p50: Math.max(...rows.map((r) => r.p50)),
    p99: Math.max(...rows.map((r) => r.p99)),
  };
}

async function main() {
  console.log(
    `Baton load benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run, node ${process.version}, ${os.cpus().length} CPUs`,
  );
  const rows: Row[] = [];
  if (BACKEND !== 'postgres') await sqliteRuns(rows);
  if (BACKEND !== 'sqlite' && !ONLY_POLL) await postgresRuns(rows);
  console.log(`\n${table(rows)}\n`);
  report(rows);
}

async function sqliteRuns(rows: Row[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-'));
  const hello = ONLY_EVENTS ? undefined : await startHelloWorld();
  const sqlite = await startBaton({ BATON_DATA_DIR: dataDir });
  try {
    const rep = sqlite.tokens.rep!;
    if (hello) await pollRuns(rows, hello.url, sqlite.url, rep);
    if (ONLY_POLL) return;
    rows.push(
      fromAutocannon('POST /v1/events ×20, SQLite, flat out', await postEvents(sqlite.url, rep), '2xx', 20),
    );
    rows.push(
      await paced('POST /v1/events ×20, SQLite, 5k ev/s', sqlite.url, rep, TARGET_BATCHES_PER_SECOND),
    );
  } finally {
    if (hello) await stop(hello.process);
    await stopBaton(sqlite);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each round's 304 throughput over the hello-world's just before it (pollRuns). */
const pollRatios: number[] = [];

async function pollRuns(rows: Row[], helloUrl: string, batonUrl: string, rep: string) {
  const first = await fetch(`${batonUrl}/v1/rules/active`, {
    headers: { authorization: `Bearer ${rep}` },
  });
  const etag = first.headers.get('etag')!;
  // Both servers get the very same request, headers included, so the difference is the server's work.
  const poll = (base: string, seconds: number) => () =>
    autocannon({
      url: `${base}/v1/rules/active`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: { authorization: `Bearer ${rep}`, 'if-none-match': etag },
    });
  // A second each, not counted: the endpoint's first second is also V8 compiling its fast path and
  // collecting the demo seed's garbage, which no long-running server pays again.
  await alternate(poll(helloUrl, 1), poll(batonUrl, 1), 1);
  // Short rounds, alternated, the ratio taken round by round and its median reported: another process
  // taking a core for a second then stretches one round's pair, not the whole figure. Two rounds of 5 s
  // summed read 63-81% over five runs of the same code on a busy machine.
  const rounds = 4;
  const [helloRuns, notModifiedRuns] = await alternate(
    poll(helloUrl, SECONDS / rounds),
    poll(batonUrl, SECONDS / rounds),
    rounds,
  );
  for (let i = 0; i < rounds; i++) {
    const rate = (r: Result) => r['3xx'] / r.duration;
    pollRatios.push(rate(notModifiedRuns[i]!) / (helloRuns[i]!['2xx'] / helloRuns[i]!.duration));
  }
  rows.push(combined('node:http hello-world', helloRuns, '2xx'));
  rows.push(combined('GET /v1/rules/active → 304', notModifiedRuns, '3xx'));
}

async function postgresRuns(rows: Row[]) {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const schema = `baton_bench_${randomBytes(4).toString('hex')}`;
    const postgres = await startBaton({
      DATABASE_URL: pgUrl,
      BATON_PG_SCHEMA: schema,
      BATON_PG_POOL_SIZE: '20',
    });
    try {
      const rep = postgres.tokens.rep!;
      rows.push(
        fromAutocannon(
          'POST /v1/events ×20, PostgreSQL, flat out',
          await postEvents(postgres.url, rep),
          '2xx',
          20,
        ),
      );
      rows.push(
        await paced('POST /v1/events ×20, PostgreSQL, 5k ev/s', postgres.url, rep, TARGET_BATCHES_PER_SECOND),
      );
    } finally {
      await stopBaton(postgres);
      const client = new pg.Client(pgUrl);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else {
    console.log('PostgreSQL runs skipped: set TEST_DATABASE_URL (e.g. $(scripts/test-postgres.sh))');
  }
}

function report(rows: Row[]) {
  const find = (scenario: string) => rows.find((r) => r.scenario === scenario);
  const helloRow = find('node:http hello-world');
  const r304 = find('GET /v1/rules/active → 304');
  const flatOut = find('POST /v1/events ×20, SQLite, flat out');
  if (helloRow && r304) reportPoll(helloRow, r304);
  if (flatOut) {
    const flatEvents = (flatOut.ok * 20) / flatOut.seconds;
    reportFigure({
      measure: 'POST /v1/events durable, flat out',
      backend: 'SQLite',
      value: `${flatEvents.toFixed(0)} events/s`,
      target: '≥ 5,000 events/s',
      pass: flatEvents >= 5000,
    });
  }
  for (const [backend, row] of [
    ['SQLite', find('POST /v1/events ×20, SQLite, 5k ev/s')],
    ['PostgreSQL', find('POST /v1/events ×20, PostgreSQL, 5k ev/s')],
  ] as const) {
    if (!row) continue;
    const delivered = (row.ok * 20) / row.seconds;
    reportFigure({
      measure: 'POST /v1/events p99 at 5,000 events/s',
      backend,
      value: `${row.p99.toFixed(1)} ms at ${delivered.toFixed(0)} events/s${row.other ? `, ${row.other} failed` : ''}`,
      target: '≤ 25 ms',
      pass: row.p99 <= 25 && row.other === 0,
    });
  }
}

function reportPoll(helloRow: Row, r304: Row) {
  const whole = r304.ok / r304.seconds / (helloRow.ok / helloRow.seconds);
  const sorted = [...pollRatios].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const ratio = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const percent = (r: number) => `${(r * 100).toFixed(0)}%`;
  reportFigure({
    measure: 'GET /v1/rules/active → 304 vs node:http hello-world',
    backend: '',
    value: `${percent(ratio)} (median of ${sorted.length} paired rounds: ${pollRatios.map(percent).join(' ')}; all rounds together ${percent(whole)})`,
    target: '≥ 85%',
    pass: ratio >= 0.85,
  });
  reportFigure({
    measure: 'GET /v1/rules/active → 304 p99',
    backend: '',
    value: `${r304.p99.toFixed(1)} ms`,
    target: '< 10 ms',
    pass: r304.p99 < 10,
  });
}

await main();
