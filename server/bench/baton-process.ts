/**
 * An endpoint in its own process for the benchmarks, as in production: started from server/main.ts with
 * the demo tokens (printed to its log), its output in a file so reading it costs the measuring process
 * nothing, stopped with SIGTERM like a process manager would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Running {
  url: string;
  tokens: Record<string, string>;
  process: ChildProcess;
  log: string;
}

export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The Node flags `npm run server` starts the endpoint with ("tsx [node flags] server/main.ts" in
 * package.json), so the benchmark measures the server as it is started.
 */
export function serverNodeFlags(root: string): string[] {
  const script = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts
    .server as string;
  const [runner, ...rest] = script.split(' ');
  if (runner !== 'tsx' || rest.at(-1) !== 'server/main.ts') {
    throw new Error(`package.json "server" is no longer "tsx [node flags] server/main.ts": ${script}`);
  }
  return rest.slice(0, -1);
}

/** No rate limit: a benchmark measures the server, not its brakes. */
export async function startBaton(env: Record<string, string>): Promise<Running> {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-log-')), 'server.log');
  const out = fs.openSync(log, 'w');
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when stopped (open it in DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_NODE_ARGS: more flags for the server's node (e.g. --trace-gc, its lines go to the server log),
  // after package.json's, so one of them can be overridden.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // BENCH_SERVER_ROOT: a checkout of another commit, so old and new servers meet the very same client.
  const root = process.env.BENCH_SERVER_ROOT ?? ROOT;
  const child = spawn(
    process.execPath,
    [...profile, ...serverNodeFlags(root), ...extra, '--import', 'tsx', 'server/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        BATON_SEED_DEMO: '1',
        BATON_RATE_LIMIT_PER_SECOND: '1000000',
        BATON_RATE_LIMIT_BURST: '1000000',
        // The SLA watch would plan the seeded history while reads are timed; server/bench/watch.ts times it.
        BATON_WATCH_POLL_MS: '0',
        ...env,
      },
      stdio: ['ignore', out, out],
    },
  );
  const url = await waitFor('the server to listen', () => {
    const line = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .find((l) => l.includes('"msg":"listening"'));
    return line ? (JSON.parse(line).url as string) : undefined;
  });
  const tokens: Record<string, string> = {};
  for (const match of fs.readFileSync(log, 'utf8').matchAll(/demo token \((\w+)\): (\S+)/g)) {
    tokens[match[1]!] = match[2]!;
  }
  return { url, tokens, process: child, log };
}

export async function stopBaton(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.process.once('exit', resolve));
  running.process.kill('SIGTERM');
  await exited;
  // BENCH_KEEP_LOG=<dir>: the server's log is kept there (with --trace-gc in BENCH_NODE_ARGS, its pauses).
  const keep = process.env.BENCH_KEEP_LOG;
  if (keep) fs.copyFileSync(running.log, path.join(keep, `server-${running.process.pid}.log`));
  fs.rmSync(path.dirname(running.log), { recursive: true, force: true });
}
