import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, startTestServer, type TestServer } from './test/harness';

const { $comment: _why, ...repair } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../tests/fixtures/crm/page-maps/zoho-canvas.json'), 'utf8'),
);

describeBackends('page maps', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it('publishes numbered versions with an ETag, and answers 304 to a browser that has the current one', async () => {
    expect((await t.call('GET', '/v1/page-map')).status).toBe(404);
    const first = await t.call('PUT', '/v1/page-map', { role: 'marketer', body: repair });
    expect(first.status).toBe(200);
    expect(first.json.version).toBe(1);
    const got = await t.call('GET', '/v1/page-map');
    expect(got.status).toBe(200);
    expect(got.json.crms.zoho.fields.company.selectors).toEqual(['.zcanvas-icon-building + .zcanvas-text']);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe('"page-map-1"');
    expect((await t.call('GET', '/v1/page-map', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const second = await t.call('PUT', '/v1/page-map', { role: 'admin', body: { ...repair, note: 'v2' } });
    expect(second.json.version).toBe(2);
    expect((await t.call('GET', '/v1/page-map', { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('refuses a document with any bad entry whole, says where in ja and en, and keeps the published one', async () => {
    const bad = await t.call('PUT', '/v1/page-map', {
      role: 'marketer',
      body: {
        crms: {
          zoho: { fields: { company: { selectors: ['a { color: red }'] }, title: { run: 'alert(1)' } } },
        },
      },
    });
    expect(bad.status).toBe(400);
    const paths = bad.json.error.problems.map((p: { path: unknown[] }) => p.path.join('.'));
    expect(paths).toContain('crms.zoho.fields.company.selectors.0');
    expect(bad.json.error.problems[0].message.ja).toBeTruthy();
    expect(bad.json.error.problems[0].message.en).toBeTruthy();
    expect((await t.call('GET', '/v1/page-map')).json.version).toBe(2);
    expect((await t.call('PUT', '/v1/page-map', { role: 'rep', body: repair })).status).toBe(403);
  });
});
