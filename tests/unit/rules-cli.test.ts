import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../lib/rules';
import { runRulesCli } from '../../scripts/rules';
import { startTestServer, type TestServer } from '../../server/test/harness';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-rules-cli-'));

function file(name: string, content: unknown): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return at;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRulesCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const lowered = { ...defaultRuleSet, threshold: { ...defaultRuleSet.threshold, total: 55 } };
const broken = {
  ...defaultRuleSet,
  threshold: { total: 'sixty', minFit: 20 },
  fitRules: [{ ...defaultRuleSet.fitRules[0], points: 0 }],
};

describe('npm run rules -- validate', () => {
  it('accepts a valid file', async () => {
    const result = await cli(['validate', file('ok.json', defaultRuleSet)]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /ok\.json: valid \(baton-default-1; 12 fit rules, 8 behaviour rules, 3 triggers\)/,
    );
  });

  it('exits 1 with every problem, its path and message, in English by default', async () => {
    const result = await cli(['validate', file('bad.json', broken)], { LANG: 'en_US.UTF-8' });
    expect(result.code).toBe(1);
    expect(result.err).toContain('bad.json: 2 problems');
    expect(result.err).toContain('  threshold.total: Give a whole number');
    expect(result.err).toContain('  fitRules[0].points: A rule worth 0 points does nothing');
  });

  it('speaks Japanese when LANG says so, and says when the file is not JSON', async () => {
    const result = await cli(['validate', file('bad.json', broken)], { LANG: 'ja_JP.UTF-8' });
    expect(result.err).toContain('2 件の問題があります');
    expect(result.err).toContain('  fitRules[0].points: 0 点のルールは意味がありません');
    const notJson = await cli(['validate', file('torn.json', '{"version": ')], { LANG: 'ja_JP.UTF-8' });
    expect(notJson.code).toBe(1);
    expect(notJson.err).toMatch(/torn\.json は正しい JSON ではありません/);
  });

  it('prints its usage and exits 2 for an unknown command', async () => {
    const result = await cli(['publish', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^Usage: npm run rules -- validate FILE/);
  });

  it('runs as a command with the exit code and language of the shell', async () => {
    const bad = file('bad-cli.json', broken);
    const run = promisify(execFile);
    const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/rules.ts', 'validate', bad], {
      cwd: ROOT,
      env: { ...process.env, LANG: 'ja_JP.UTF-8', LC_ALL: '' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('  threshold.total: 整数で指定してください');
  });
});

describe('npm run rules -- push and diff, against the real endpoint', () => {
  let server: TestServer;
  const env = (role: 'marketer' | 'rep') => ({
    BATON_ENDPOINT: `${server.url}/`,
    BATON_TOKEN: server.tokens[role],
    LANG: 'en_US.UTF-8',
  });

  beforeAll(async () => {
    server = await startTestServer(
      { name: 'sqlite', freshDatabase: () => ({ BATON_DATA_DIR: fs.mkdtempSync(path.join(dir, 'db-')) }) },
      { BATON_SEED_DEMO: '1', BATON_LOG_LEVEL: 'silent' },
    );
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the changes against the active rules in words', async () => {
    const result = await cli(['diff', file('lowered.json', lowered)], env('marketer'));
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      `${dir}/lowered.json against active version 1: 1 change\n  threshold.total: Threshold 60 → 55`,
    );
  });

  it('creates a draft that waits for both sign-offs, with its note', async () => {
    const result = await cli(
      ['push', file('lowered.json', lowered), '--note', 'Lower to 55 after Q3 review'],
      env('marketer'),
    );
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^Created draft version 2;/);
    const draft = await server.call('GET', '/v1/rules/versions/2');
    expect(draft.json).toMatchObject({ status: 'draft', note: 'Lower to 55 after Q3 review', signoffs: [] });
    expect(draft.json.rules.threshold.total).toBe(55);
    // The active version is untouched until both sides sign.
    expect((await server.call('GET', '/v1/rules/active')).json.version).toBe(1);
  });

  it('does not send an invalid file, and reports the endpoint refusing a rep', async () => {
    const invalid = await cli(['push', file('bad.json', broken)], env('marketer'));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('threshold.total');
    expect((await server.call('GET', '/v1/rules/versions')).json.versions).toHaveLength(2);

    const refused = await cli(['push', file('lowered.json', lowered)], env('rep'));
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('This needs the role marketer, manager, admin (your role: rep) (403)');
  });

  it('asks for the endpoint settings when they are missing', async () => {
    const result = await cli(['diff', file('lowered.json', lowered)], { LANG: 'ja_JP' });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/BATON_ENDPOINT/);
  });
});
