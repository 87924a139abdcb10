import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Builds the e2e flavour of the extension (injectable clock) once per run. */
export default function setup(): void {
  if (process.env.BATON_E2E_SKIP_BUILD === '1') return;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], { cwd: root, stdio: 'ignore' });
}
