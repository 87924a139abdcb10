#!/usr/bin/env node
// `npm test`: typecheck and lint, then every tier, in order: unit (lib, components, glue), server integration (SQLite and
// PostgreSQL), real-browser (Chromium with the built extension). Installs Chromium and PostgreSQL from
// Debian's packages when they are missing and we are root; prints the API fuzzer's counts (server tier,
// server/fuzz/) and then one closing line summing every tier: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const isRoot = process.getuid?.() === 0;

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
}

function aptInstall(what, pkgs) {
  if (!isRoot) {
    console.error(`${what} is missing: run "apt-get update && apt-get install -y ${pkgs.join(' ')}" as root`);
    process.exit(1);
  }
  console.log(`Installing ${what} from Debian's packages...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }).status !== 0) process.exit(1);
  if (run('apt-get', ['install', '-y', '-qq', ...pkgs], { env }).status !== 0) process.exit(1);
}

if (!existsSync(process.env.BATON_CHROMIUM ?? '/usr/bin/chromium')) aptInstall('Chromium', ['chromium']);

const serverSuite = existsSync(join(root, 'server/vitest.config.ts'));
if (serverSuite && !process.env.TEST_DATABASE_URL) {
  if (!existsSync('/usr/lib/postgresql')) aptInstall('PostgreSQL', ['postgresql']);
  const pg = spawnSync('bash', [join(root, 'scripts/test-postgres.sh')], { cwd: root, encoding: 'utf8' });
  if (pg.status !== 0) {
    console.error(pg.stdout, pg.stderr);
    console.error('Could not start the test PostgreSQL (scripts/test-postgres.sh)');
    process.exit(1);
  }
  process.env.TEST_DATABASE_URL = pg.stdout.trim().split('\n').at(-1);
  console.log(`PostgreSQL for tests: ${process.env.TEST_DATABASE_URL}`);
}

const tiers = [
  { name: 'unit', args: [] },
  ...(serverSuite ? [{ name: 'server', args: ['--config', 'server/vitest.config.ts'] }] : []),
  { name: 'real-browser', args: ['--config', 'tests/e2e/vitest.config.ts'] },
];

const out = mkdtempSync(join(tmpdir(), 'baton-test-'));
// The fuzzer appends one JSON line per backend here: {backend, operations, requests, failures}.
const fuzzSummary = join(out, 'fuzz.jsonl');
process.env.BATON_FUZZ_SUMMARY = fuzzSummary;
let passed = 0;
let failed = 0;
let broken = false;

// Static checks first: CI runs only this command, so typecheck and lint must fail it too.
for (const [name, args] of [
  ['typecheck', ['tsc', '--noEmit']],
  ['lint', ['biome', 'check', '.']],
]) {
  console.log(`\n=== ${name} ===`);
  if (run('npx', args).status !== 0) {
    console.error(`--- ${name} failed`);
    broken = true;
  } else console.log(`--- ${name}: clean`);
}
for (const tier of tiers) {
  console.log(`\n=== ${tier.name} tests ===`);
  const report = join(out, `${tier.name}.json`);
  const started = Date.now();
  const result = run('npx', [
    'vitest',
    'run',
    ...tier.args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  let counted = false;
  if (existsSync(report)) {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    counted = summary.numTotalTests > 0;
    console.log(
      `--- ${tier.name}: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  if (result.status !== 0 || !counted) {
    console.error(
      `--- ${tier.name} tier did not pass (exit ${result.status}${counted ? '' : ', no tests counted'})`,
    );
    broken = true;
  }
}

if (serverSuite) {
  const runs = existsSync(fuzzSummary)
    ? readFileSync(fuzzSummary, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  console.log(
    runs.length === 0
      ? '\nAPI fuzzer: did not run'
      : `\nAPI fuzzer: ${sum('requests')} requests sent, ${sum('failures')} failures (${runs.map((r) => `${r.backend}: ${r.requests} requests over ${r.operations} operations`).join('; ')})`,
  );
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken || failed > 0 ? 1 : 0);
