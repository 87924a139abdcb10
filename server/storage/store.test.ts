import { expect, it } from 'vitest';
import type { BatonEvent } from '../../lib/events';
import { leadKeyString } from '../../lib/lead';
import { loadConfig } from '../config';
import { openDatabase } from '../server';
import { firstContact, handoff, stageChange } from '../test/fixtures';
import { describeBackends, TEST_ENV } from '../test/harness';
import { migrate, migrations } from './migrations';
import { Store } from './store';

describeBackends('storage', (backend) => {
  it('migrates a fresh database once, even when two instances start together', async () => {
    const config = loadConfig({ ...TEST_ENV, ...backend.freshDatabase() });
    const [a, b] = await Promise.all([openDatabase(config), openDatabase(config)]);
    try {
      const applied = await Promise.all([migrate(a, 1), migrate(b, 2)]);
      expect(applied.flat().sort()).toEqual(migrations.map((m) => m.version));
      expect(await migrate(a, 3)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps transactions started together apart: one failing leaves the others committed', async () => {
    const config = loadConfig({ ...TEST_ENV, ...backend.freshDatabase() });
    const db = await openDatabase(config);
    try {
      await migrate(db, 1);
      const write = (key: string, fail: boolean) =>
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', [key, 'v']);
          if (fail) throw new Error(`refused ${key}`);
          return key;
        });
      const results = await Promise.allSettled([write('a', false), write('b', true), write('c', false)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const keys = await db.all<{ key: string }>('SELECT key FROM settings ORDER BY key');
      expect(keys.map((k) => k.key)).toEqual(['a', 'c']);
    } finally {
      await db.close();
    }
  });

  it('gives split reads one snapshot: a write committed between them is seen by neither', async () => {
    const config = loadConfig({ ...TEST_ENV, ...backend.freshDatabase() });
    const db = await openDatabase(config);
    try {
      await migrate(db, 1);
      await db.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['before', 'v']);
      const counts = await db.snapshotReads(2, async (readers) => {
        const seen: number[] = [];
        for (const reader of readers) {
          seen.push(Number((await reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM settings'))!.n));
          // Committed by another connection while the snapshot is open.
          await db.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`during-${seen.length}`, 'v']);
        }
        return { seen, readers: readers.length };
      });
      expect(counts.readers).toBe(backend.name === 'postgres' ? 2 : 1);
      expect(counts.seen).toEqual(counts.seen.map(() => 1));
    } finally {
      await db.close();
    }
  });

  it('keeps the latest event per lead and slot by occurrence time, whatever the arrival order', async () => {
    const config = loadConfig({ ...TEST_ENV, ...backend.freshDatabase() });
    const db = await openDatabase(config);
    try {
      await migrate(db, 1);
      const store = new Store(db);
      const event = (key: string, occurredAt: number) => ({
        key,
        hash: key,
        type: 'stage_change',
        leadKey: 'zoho:Leads:1',
        occurredAt,
        // A real event (lead facts fold it), marked with its key to tell which one the state kept.
        body: JSON.stringify({
          ...stageChange({
            lead: { crm: 'zoho', object: 'Leads', recordId: '1' },
            occurredAt: new Date(occurredAt).toISOString(),
          }),
          key,
        }),
        slot: 'stage',
        toWebhook: false,
      });
      await store.events.record([event('b', 2000)], 't', 1);
      await store.events.record([event('a', 1000)], 't', 2);
      const kept = async () =>
        JSON.parse((await store.events.leadState(['zoho:Leads:1'])).get('zoho:Leads:1')?.get('stage') ?? '{}')
          .key;
      expect(await kept()).toBe('b');
      // Same occurrence time: the later arrival wins, within one batch as across batches.
      await store.events.record([event('c', 2000), event('d', 2000)], 't', 3);
      expect(await kept()).toBe('d');
    } finally {
      await db.close();
    }
  });

  it('folds batches arriving together for the same new lead into one row of facts, losing neither', async () => {
    const config = loadConfig({ ...TEST_ENV, ...backend.freshDatabase() });
    const db = await openDatabase(config);
    try {
      await migrate(db, 1);
      const store = new Store(db);
      const leads = Array.from({ length: 50 }, (_, i) => ({
        crm: 'zoho' as const,
        object: 'Leads',
        recordId: String(1000 + i),
      }));
      const prepared = (event: BatonEvent) => ({
        key: event.idempotencyKey,
        hash: event.idempotencyKey,
        type: event.type,
        leadKey: leadKeyString(event.lead),
        occurredAt: Date.parse(event.occurredAt),
        body: JSON.stringify(event),
        slot: event.type,
        toWebhook: false,
        event,
      });
      // One browser reports the handoffs, another the contacts, each batch in its own transaction.
      const handoffs = leads.map((lead) => prepared(handoff({ lead })));
      const contacts = leads.map((lead) => prepared(firstContact({ lead })));
      await Promise.all(
        handoffs.flatMap((e, i) => [
          store.events.record([e], 'a', 1),
          store.events.record([contacts[i]!], 'b', 1),
        ]),
      );
      const facts = await store.events.factsInPeriod(0, Number.MAX_SAFE_INTEGER);
      expect(facts).toHaveLength(leads.length);
      for (const row of facts) {
        expect(row.handoffAt, row.leadKey).toBe(Date.parse('2026-11-25T09:55:00+09:00'));
        expect(row.firstContactAt, row.leadKey).toBe(Date.parse('2026-11-25T10:00:00+09:00'));
      }
    } finally {
      await db.close();
    }
  });
});
