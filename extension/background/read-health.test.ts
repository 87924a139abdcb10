import { beforeEach, describe, expect, it } from 'vitest';
import { BatonDb } from '../db';
import { countPageRead, readHealthRows, sendReadHealth } from './read-health';
import type { SyncDeps } from './sync';

const NOW = Date.parse('2026-12-04T01:00:00Z');
const REPORTER = '7b0e9a52-4c1d-4f3e-9a8b-1c2d3e4f5a6b';
const zoho = { crm: 'zoho', pageKind: 'record' } as const;

describe('read health in the worker', () => {
  let database: BatonDb;
  let posted: { path: string; body: { reporter: string; counts: unknown[] } }[];
  let answer: number;
  let deps: SyncDeps;
  beforeEach(() => {
    database = new BatonDb(`read-health-${Math.random()}`);
    posted = [];
    answer = 200;
    deps = {
      database,
      config: async () => ({ url: 'https://baton.example.co.jp', token: 't', source: 'user' as const }),
      canReach: async () => true,
      now: () => NOW,
      transport: (async (input: string | URL | Request, init?: RequestInit) => {
        posted.push({ path: new URL(String(input)).pathname, body: JSON.parse(String(init?.body)) });
        return new Response('{"accepted":1}', { status: answer });
      }) as typeof fetch,
    };
  });

  it('counts pages into one bucket per day, CRM and page kind', async () => {
    await countPageRead(database, { ...zoho, selector: 0, hook: 9, label: 1, nothingRead: false }, NOW);
    await countPageRead(database, { ...zoho, selector: 0, hook: 0, label: 0, nothingRead: true }, NOW);
    expect(await readHealthRows(database)).toEqual([
      { day: '2026-12-04', ...zoho, pages: 2, nothingRead: 1, selector: 0, hook: 9, label: 1 },
    ]);
  });

  it('sends totals once, again only after they change, and keeps them when the endpoint fails', async () => {
    await countPageRead(database, { ...zoho, selector: 0, hook: 9, label: 1, nothingRead: false }, NOW);
    expect(await sendReadHealth(deps, async () => REPORTER)).toBe(1);
    expect(posted.map((p) => p.path)).toEqual(['/v1/read-health']);
    expect(posted[0]!.body).toEqual({
      reporter: REPORTER,
      counts: [{ day: '2026-12-04', ...zoho, pages: 1, nothingRead: 0, selector: 0, hook: 9, label: 1 }],
    });
    expect(await sendReadHealth(deps, async () => REPORTER)).toBe(0);

    await countPageRead(database, { ...zoho, selector: 0, hook: 0, label: 0, nothingRead: true }, NOW + 1);
    answer = 503;
    await expect(sendReadHealth(deps, async () => REPORTER)).rejects.toThrow();
    answer = 200;
    expect(await sendReadHealth(deps, async () => REPORTER)).toBe(1);
    expect(posted.at(-1)!.body.counts).toEqual([
      { day: '2026-12-04', ...zoho, pages: 2, nothingRead: 1, selector: 0, hook: 9, label: 1 },
    ]);
  });
});
