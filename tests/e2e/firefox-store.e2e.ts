import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What addons.mozilla.org's validator says of the Firefox build, run here with Mozilla's own linter
 * (web-ext lint): no errors, and the only warnings are React DOM's own innerHTML paths (it sets innerHTML
 * for `dangerouslySetInnerHTML`, which Baton never uses, and for a <script> placeholder). Named in the README.
 */
const root = resolve(import.meta.dirname, '../..');
const output = join(root, '.output/firefox-mv3');

interface LintMessage {
  code: string;
  file?: string;
  message: string;
}
interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

describe('the Firefox build, as the add-on store lints it', () => {
  let report: LintReport;

  beforeAll(() => {
    // vitest sets NODE_ENV=test, which would bundle React's development build: build as the store gets it.
    const env = { ...process.env, NODE_ENV: 'production' };
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], { cwd: root, stdio: 'ignore', env });
    // web-ext lint exits non-zero when it finds errors; the report is on stdout either way.
    let stdout: string;
    try {
      stdout = execFileSync('npx', ['web-ext', 'lint', '--source-dir', output, '--output', 'json'], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      stdout = (error as { stdout: string }).stdout;
    }
    report = JSON.parse(stdout) as LintReport;
  }, 120_000);

  it('has no errors', () => {
    expect(report.errors.map((m) => `${m.code} ${m.file ?? ''}`)).toEqual([]);
  });

  it('warns only about React DOM’s own innerHTML, never eval (zod is built without its JIT)', () => {
    const others = report.warnings.filter((m) => {
      if (m.code !== 'UNSAFE_VAR_ASSIGNMENT' || !m.file) return true;
      const source = readFileSync(join(output, m.file), 'utf8');
      // React DOM's production build: its error decoder URL and the dangerouslySetInnerHTML key.
      return !(source.includes('react.dev/errors') && source.includes('__html'));
    });
    expect(others.map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`)).toEqual([]);
    expect(report.warnings.some((m) => m.code === 'DANGEROUS_EVAL')).toBe(false);
  });

  it('declares what data it sends, as new Firefox add-ons must', () => {
    const manifest = JSON.parse(readFileSync(join(output, 'manifest.json'), 'utf8'));
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions.required).toEqual([
      'websiteContent',
      'personallyIdentifyingInfo',
    ]);
  });
});
