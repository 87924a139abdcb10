import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { hashToken } from './auth';
import { loadConfig } from './config';
import { openStore } from './server';
import { describeBackends, TEST_ENV } from './test/harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

describeBackends('the token command', (backend) => {
  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const env = { ...process.env, ...TEST_ENV, ...backend.freshDatabase() };
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'server/main.ts', 'token', ...args], { cwd: ROOT, env });

    const created = await cli('create', '--role', 'marketer', '--name', '鈴木 花子');
    const token = created.stdout.trim();
    expect(token).toMatch(/^baton_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const id = token.split('_')[1]!;
    expect(created.stderr).toContain(id);

    const listed = await cli('list', '--json');
    const tokens = JSON.parse(listed.stdout);
    expect(tokens).toEqual([
      expect.objectContaining({ id, name: '鈴木 花子', role: 'marketer', revokedAt: null }),
    ]);
    // The secret is base64url and may itself contain "_": it is everything after "baton_<id>_".
    const secret = token.slice(`baton_${id}_`.length);
    expect(secret).toHaveLength(43);
    expect(listed.stdout).not.toContain(secret);

    const store = await openStore(loadConfig(env));
    try {
      expect(await store.tokens.byHash(hashToken(token))).toMatchObject({ role: 'marketer', revoked: false });
      await cli('revoke', id);
      expect(await store.tokens.byHash(hashToken(token))).toMatchObject({ revoked: true });
    } finally {
      await store.db.close();
    }
    expect((await cli('list')).stdout).toMatch(new RegExp(`${id}\\s+marketer\\s+\\S+\\s+\\d{4}-`));

    await expect(cli('create', '--role', 'owner', '--name', 'x')).rejects.toMatchObject({ code: 2 });
    await expect(cli('revoke', 'nosuchid')).rejects.toMatchObject({ code: 1 });
  });
});
