/**
 * SLA watch and intake benchmark (`npx tsx server/bench/watch.ts`), on SQLite and, with DATABASE_URL or
 * TEST_DATABASE_URL, on PostgreSQL:
 *   1. one tick of the watch (planning what is new, then leasing and acting on what fell due) with
 *      100,000 open handoffs (their 400,000 moments in sla_watch, due over the next 30 days): the median
 *      of 20 ticks a minute of server time apart. Target ≤ 50 ms.
 *   2. intake throughput: kintone webhooks (one handoff each, the real shape) posted over HTTP to a server
 *      in its own process by 32 concurrent senders, each answered only once durable. Target ≥ 1,000
 *      handoffs/s.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { reportFigure } from '../../scripts/bench-figure';
import { createToken } from '../auth';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { type RunningServer, startServer } from '../server';
import { startBaton, stopBaton } from './baton-process';

const HANDOFFS = Number(process.env.BENCH_WATCH_HANDOFFS ?? 100_000);
const TICKS = 20;
const TICK_TARGET_MS = 50;
const INTAKE_REQUESTS = Number(process.env.BENCH_INTAKE_REQUESTS ?? 4000);
const SENDERS = 32;
const CSV_FILES = 3;
const CSV_ROWS = 1000;
const INTAKE_TARGET = 1000;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const KINTONE = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../lib/intake/fixtures/kintone.json'),
  'utf8',
);

interface Figure {
  backend: string;
  measure: string;
  value: string;
  target: string;
  verdict: 'PASS' | 'MISS';
}

/** 100,000 handoffs' moments straight into sla_watch, as the watch plans them (4 per handoff). */
async function seedMoments(server: RunningServer): Promise<void> {
  const db = server.store.db;
  const batch = 500;
  for (let start = 0; start < HANDOFFS; start += batch) {
    const rows: (string | number)[] = [];
    for (let i = start; i < Math.min(HANDOFFS, start + batch); i++) {
      const lead = { crm: 'kintone', object: '58', recordId: String(i) };
      const key = `kintone:58:${i}`;
      const handoffAt = T0 - 3_600_000;
      const base = T0 + Math.floor((i / HANDOFFS) * 30 * 86_400_000);
      const moments = [
        ['due_soon', 'reminder', 'reminder', base],
        ['overdue', 'owner', 'owner', base + 3_600_000],
        ['step', 'manager', 'manager', base + 4 * 3_600_000],
        ['step', 'marketing', 'marketing', base + 24 * 3_600_000],
      ] as const;
      for (const [kind, stepId, stepKind, at] of moments) {
        const body = {
          lead,
          kind,
          stepId,
          stepKind,
          dueAt: base + 3_600_000,
          owner: '田中 太郎',
          rulesVersion: 0,
        };
        rows.push(
          `${key}@${handoffAt}:${kind === 'step' ? stepId : kind}`,
          key,
          handoffAt,
          at,
          kind,
          JSON.stringify(body),
        );
      }
    }
    await db.transaction((tx) =>
      tx.run(
        `INSERT INTO sla_watch (alert_id, lead_key, handoff_at, at, moment, body) VALUES ${Array.from(
          { length: rows.length / 6 },
          () => '(?, ?, ?, ?, ?, ?)',
        ).join(', ')}`,
        rows,
      ),
    );
  }
  if (db.dialect === 'postgres') await db.run('ANALYZE sla_watch');
}

async function measureTick(backend: string, env: Record<string, string>): Promise<Figure> {
  let now = T0;
  const server = await startServer(
    loadConfig({ ...env, PORT: '0', BATON_WATCH_POLL_MS: '0', BATON_LOG_LEVEL: 'silent' }),
    {
      log: createLogger('silent'),
      announce: () => {},
      clock: () => now,
    },
  );
  try {
    const seeded = performance.now();
    await seedMoments(server);
    console.log(
      `  ${backend}: ${(HANDOFFS * 4).toLocaleString('en')} moments seeded in ${Math.round(performance.now() - seeded)} ms`,
    );
    await server.watch.tick(); // warm-up
    const times: number[] = [];
    let fired = 0;
    for (let i = 1; i <= TICKS; i++) {
      now = T0 + i * 60_000;
      const started = performance.now();
      fired += (await server.watch.tick()).fired;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `  ${backend}: ticks ${times.map((t) => t.toFixed(1)).join(' ')} ms (${fired} moments acted on)`,
    );
    return {
      backend,
      measure: `watch tick, ${HANDOFFS.toLocaleString('en')} open handoffs (median of ${TICKS})`,
      value: `${median.toFixed(1)} ms`,
      target: `≤ ${TICK_TARGET_MS} ms`,
      verdict: median <= TICK_TARGET_MS ? 'PASS' : 'MISS',
    };
  } finally {
    await server.stop();
  }
}

async function measureIntake(backend: string, env: Record<string, string>): Promise<Figure[]> {
  const config = loadConfig({ ...env, BATON_LOG_LEVEL: 'silent' });
  const { openStore } = await import('../server');
  const store = await openStore(config);
  const { token } = await createToken(store, { name: 'kintone', role: 'intake', now: Date.now() });
  const csvToken = (await createToken(store, { name: 'csv', role: 'intake', now: Date.now() })).token;
  await store.db.close();
  const server = await startBaton({
    ...env,
    // The handoffs' MQL time lies before this clock; the demo seed is not needed (the token is made above).
    BATON_SEED_DEMO: '0',
    BATON_CLOCK_AT: '2026-11-20T18:00:00+09:00',
  });
  try {
    const template = JSON.parse(KINTONE);
    let next = 0;
    let failed = 0;
    const send = async () => {
      for (;;) {
        const i = next++;
        if (i >= INTAKE_REQUESTS) return;
        template.id = `bench-${i}`;
        template.record.$id.value = String(100_000 + i);
        const res = await fetch(`${server.url}/v1/intake/kintone`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(template),
        });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: SENDERS }, send));
    const seconds = (performance.now() - started) / 1000;
    const rate = (INTAKE_REQUESTS - failed) / seconds;
    console.log(`  ${backend}: ${INTAKE_REQUESTS} webhooks in ${seconds.toFixed(2)} s, ${failed} not 200`);

    // The same handoffs as CSV uploads of 1,000 rows (a history or an MA export), one upload at a time.
    const header = 'event_id,crm,object,record_id,company,owner,mql_at';
    let rows = 0;
    const csvStarted = performance.now();
    for (let file = 0; file < CSV_FILES; file++) {
      const lines = Array.from(
        { length: CSV_ROWS },
        (_, r) =>
          `csv-${file}-${r},kintone,58,${200_000 + file * CSV_ROWS + r},株式会社サンプル${r},田中 太郎,2026-11-20T17:30:00+09:00`,
      );
      const res = await fetch(`${server.url}/v1/intake/csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${csvToken}`, 'content-type': 'text/csv' },
        body: [header, ...lines].join('\r\n'),
      });
      await res.arrayBuffer();
      if (res.status === 200) rows += CSV_ROWS;
    }
    const csvRate = rows / ((performance.now() - csvStarted) / 1000);
    return [
      {
        backend,
        measure: `intake, kintone webhooks (${SENDERS} senders)`,
        value: `${Math.round(rate)} handoffs/s`,
        target: `≥ ${INTAKE_TARGET} handoffs/s`,
        verdict: rate >= INTAKE_TARGET && failed === 0 ? 'PASS' : 'MISS',
      },
      {
        backend,
        measure: `intake, CSV of ${CSV_ROWS} rows ×${CSV_FILES}`,
        value: `${Math.round(csvRate)} handoffs/s`,
        target: `≥ ${INTAKE_TARGET} handoffs/s`,
        verdict: csvRate >= INTAKE_TARGET && rows === CSV_ROWS * CSV_FILES ? 'PASS' : 'MISS',
      },
    ];
  } finally {
    await stopBaton(server);
  }
}

async function backends(
  run: (backend: string, env: Record<string, string>) => Promise<Figure | Figure[]>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-watch-'));
  try {
    figures.push(...[await run('sqlite', { BATON_DATA_DIR: dir })].flat());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pgUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    console.log(
      '  PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL (e.g. $(scripts/test-postgres.sh))',
    );
    return figures;
  }
  const schema = `baton_bench_watch_${randomBytes(4).toString('hex')}`;
  try {
    figures.push(...[await run('postgres', { DATABASE_URL: pgUrl, BATON_PG_SCHEMA: schema })].flat());
  } finally {
    const client = new pg.Client(pgUrl);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  return figures;
}

console.log('SLA watch tick:');
const figures = await backends(measureTick);
console.log('Intake throughput:');
figures.push(...(await backends(measureIntake)));
console.table(figures);
for (const f of figures)
  reportFigure({
    measure: f.measure,
    backend: f.backend === 'postgres' ? 'PostgreSQL' : f.backend === 'sqlite' ? 'SQLite' : f.backend,
    value: f.value,
    target: f.target,
    pass: f.verdict === 'PASS',
  });
