import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { SyncDeps } from '../../extension/background/sync';
import {
  type FaultProxy,
  type LoopbackEndpoint,
  startFaultProxy,
  startLoopbackEndpoint,
} from './fault-proxy';

/*
 * 10,000 events from the extension's own outbox and sync code (run in Node on fake-indexeddb: the
 * browser adds nothing to this path but IndexedDB itself) through a proxy that drops, delays, answers
 * 500 and resets connections after the endpoint committed. Every event must arrive, none twice.
 * The clock is virtual so the backoff is obeyed without waiting for it.
 */
const EVENTS = 10_000;

describe('sync through a faulty network', () => {
  let endpoint: LoopbackEndpoint;
  let proxy: FaultProxy;
  // The sync modules reach extension storage through WXT's `browser` (read when first imported): give
  // them WXT's in-memory fake, then import them.
  Object.assign(globalThis, { chrome: fakeBrowser });
  let modules: {
    BatonDb: typeof import('../../extension/db').BatonDb;
    record: typeof import('../../extension/background/outbox').record;
    sendEvents: typeof import('../../extension/background/sync').sendEvents;
  };
  beforeAll(async () => {
    const [{ BatonDb }, { record }, { sendEvents }] = await Promise.all([
      import('../../extension/db'),
      import('../../extension/background/outbox'),
      import('../../extension/background/sync'),
    ]);
    modules = { BatonDb, record, sendEvents };
    endpoint = await startLoopbackEndpoint();
    proxy = await startFaultProxy(() => endpoint.url, {
      drop: 0.1,
      error500: 0.1,
      resetAfter: 0.15,
      delay: 0.3,
      maxDelayMs: 200,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await endpoint?.dispose();
  });

  it('delivers every one of 10,000 events exactly once', { timeout: 110_000 }, async () => {
    const { BatonDb, record, sendEvents } = modules;
    const database = new BatonDb(`fault-${randomUUID()}`);
    let clock = Date.parse('2026-11-24T09:00:00+09:00');
    const keys = new Set<string>();
    const events = Array.from({ length: EVENTS }, (_, i) => {
      const idempotencyKey = randomUUID();
      keys.add(idempotencyKey);
      return {
        type: 'feedback',
        idempotencyKey,
        occurredAt: new Date(clock + i).toISOString(),
        lead: { crm: 'hubspot', object: '0-1', recordId: String(100_000 + (i % 2_000)) },
        rulesVersion: 1,
        actor: { name: '山田 太郎' },
        verdict: i % 2 ? 'wrong_owner' : 'duplicate',
        rating: (i % 5) + 1,
        comment: `event ${i}`,
      };
    });
    for (let i = 0; i < EVENTS; i += 1_000) await record(database, events.slice(i, i + 1_000), clock);

    const deps: SyncDeps = {
      database,
      config: async () => ({ url: proxy.url, token: endpoint.tokens.rep, source: 'user' }),
      canReach: async () => true,
      now: () => clock,
    };
    const started = performance.now();
    let runs = 0;
    let failedRuns = 0;
    while ((await database.outbox.where('state').equals('pending').count()) > 0) {
      runs += 1;
      const report = await sendEvents(deps);
      if (report.stopped === 'failed') failedRuns += 1;
      // Time passes to the next attempt the backoff wrote down (a worker woken by its alarm).
      const channel = await database.syncChannels.get('events');
      clock = Math.max(clock + 1, channel?.nextAttemptAt ?? 0);
      expect(runs).toBeLessThan(5_000);
    }
    const seconds = (performance.now() - started) / 1000;

    const db = endpoint.sqlite();
    const stored = db
      .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT idempotency_key) AS d FROM events')
      .get() as {
      n: number;
      d: number;
    };
    const storedKeys = (db.prepare('SELECT idempotency_key AS k FROM events').all() as { k: string }[]).map(
      (r) => r.k,
    );
    db.close();
    const metrics = await fetch(`${endpoint.url}/metrics`, {
      headers: { authorization: `Bearer ${endpoint.tokens.admin}` },
    }).then((r) => r.text());
    const replayed = Number(/^baton_events_replayed_total\s+(\d+)/m.exec(metrics)?.[1] ?? 'NaN');

    expect(stored).toEqual({ n: EVENTS, d: EVENTS });
    expect(storedKeys.every((k) => keys.has(k))).toBe(true);
    expect(await database.outbox.where('state').equals('sent').count()).toBe(EVENTS);
    expect(await database.outbox.where('state').equals('refused').count()).toBe(0);
    // The faults really struck, including answers lost after the endpoint had committed.
    expect(proxy.counts.resetAfter).toBeGreaterThan(0);
    expect(proxy.counts.drop + proxy.counts.error500).toBeGreaterThan(0);
    // Answers lost after a commit were retried and answered from the endpoint's receipts.
    expect(replayed).toBeGreaterThan(0);

    console.info(
      `[fault] ${EVENTS} events, ${stored.n} stored (${stored.d} distinct) in ${seconds.toFixed(1)} s; ` +
        `${runs} sync runs (${failedRuns} stopped by a fault); proxy: ${JSON.stringify(proxy.counts)}; ` +
        `endpoint replays answered from receipts: ${replayed}`,
    );
  });
});
