import { beforeEach, describe, expect, it } from 'vitest';
import { BatonDb } from '../db';
import { pageMapFor, pullPageMap } from './page-map-sync';
import type { SyncDeps } from './sync';

const map = (version: number, selector = '.company') => ({
  version,
  crms: { zoho: { fields: { company: { selectors: [selector], labels: { ja: [], en: [] } } }, outside: [] } },
});

describe('pulling the page map', () => {
  let database: BatonDb;
  let answers: Response[];
  let sentEtags: (string | undefined)[];
  let deps: SyncDeps;
  beforeEach(() => {
    database = new BatonDb(`page-map-${Math.random()}`);
    answers = [];
    sentEtags = [];
    deps = {
      database,
      config: async () => ({ url: 'https://baton.example.co.jp', token: 't', source: 'user' as const }),
      canReach: async () => true,
      now: () => 1_000,
      transport: (async (_input: string | URL | Request, init?: RequestInit) => {
        sentEtags.push((init?.headers as Record<string, string> | undefined)?.['if-none-match']);
        return answers.shift()!;
      }) as typeof fetch,
    };
  });

  it('stores a valid map with its ETag, then asks with it and keeps the copy on 304', async () => {
    answers.push(
      Response.json(map(1), { headers: { etag: '"page-map-1"' } }),
      new Response(null, { status: 304 }),
    );
    expect(await pullPageMap(deps)).toBe('updated');
    expect(await pageMapFor(database, 'zoho')).toEqual(map(1).crms.zoho);
    expect(await pullPageMap(deps)).toBe('unchanged');
    expect(sentEtags).toEqual([undefined, '"page-map-1"']);
  });

  it('refuses an invalid map whole and never goes back to an older version', async () => {
    answers.push(Response.json(map(2), { headers: { etag: '"page-map-2"' } }));
    await pullPageMap(deps);
    answers.push(Response.json({ ...map(3, 'a { color: red }') }));
    expect(await pullPageMap(deps)).toBe('refused');
    answers.push(Response.json(map(1, '.older')));
    expect(await pullPageMap(deps)).toBe('stale');
    expect((await pageMapFor(database, 'zoho'))?.fields.company?.selectors).toEqual(['.company']);
  });

  it('has nothing to apply while the endpoint has no page map', async () => {
    answers.push(
      Response.json({ error: { code: 'no_page_map', message: { ja: 'なし', en: 'none' } } }, { status: 404 }),
    );
    expect(await pullPageMap(deps)).toBe('none');
    expect(await pageMapFor(database, 'zoho')).toBeUndefined();
  });
});
