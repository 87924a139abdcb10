#!/usr/bin/env node
// `npm run bench`: every benchmark, one after another (the machine has 2 cores; parallel runs would
// measure each other). Speed targets live here, never in timed tests.
//   1. lib/ micro-benchmarks (vitest bench): scoring + SLA, calendar, CRM extraction
//   2. the overlay in real Chromium (tests/bench/overlay.ts)
//   3. the endpoint under load on loopback (server/bench/load.ts)
//   4. the dashboard's KPIs and what-if over a million events (server/bench/kpis.ts)
//   5. the SLA watch's tick over 100,000 open handoffs and intake throughput (server/bench/watch.ts)
// 3 to 5 run on SQLite and on the throwaway PostgreSQL of scripts/test-postgres.sh (started if needed).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, env = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exitCode = 1;
};

function postgresUrl() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const started = spawnSync('bash', ['scripts/test-postgres.sh'], { cwd: root, encoding: 'utf8' });
  if (started.status !== 0) {
    console.log(`PostgreSQL unavailable, its runs are skipped:\n${started.stderr}`);
    return undefined;
  }
  return started.stdout.trim();
}

run('npx', ['vitest', 'bench', '--run']);
run('npx', ['wxt', 'build', '--mode', 'e2e']);
run('npx', ['tsx', 'tests/bench/overlay.ts']);
const pg = postgresUrl();
const pgEnv = pg ? { TEST_DATABASE_URL: pg } : {};
for (const bench of ['server/bench/load.ts', 'server/bench/kpis.ts', 'server/bench/watch.ts']) {
  if (existsSync(resolve(root, bench))) run('npx', ['tsx', bench], pgEnv);
}
