#!/usr/bin/env node
// `npm run bench`: every benchmark, one after another (the machine has 2 cores; parallel runs would
// measure each other). Speed targets live here, never in timed tests.
//   1. lib/ micro-benchmarks (vitest bench): scoring + SLA, calendar, CRM extraction
//   2. the overlay in real Chromium (tests/bench/overlay.ts)
//   3. the endpoint under load on loopback (server/bench/load.ts), when present
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, env = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exitCode = 1;
};

run('npx', ['vitest', 'bench', '--run']);
run('npx', ['wxt', 'build', '--mode', 'e2e']);
run('npx', ['tsx', 'tests/bench/overlay.ts']);
if (existsSync(resolve(root, 'server/bench/load.ts'))) run('npx', ['tsx', 'server/bench/load.ts']);
