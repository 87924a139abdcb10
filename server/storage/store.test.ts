import { expect, it } from 'vitest';
import { loadConfig } from '../config';
import { openDatabase } from '../server';
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
        body: JSON.stringify({ key }),
        slot: 'stage',
        toWebhook: false,
      });
      await store.recordEvents([event('b', 2000)], 't', 1);
      await store.recordEvents([event('a', 1000)], 't', 2);
      expect((await store.leadState(['zoho:Leads:1'])).get('zoho:Leads:1')?.get('stage')).toBe('{"key":"b"}');
      // Same occurrence time: the later arrival wins, within one batch as across batches.
      await store.recordEvents([event('c', 2000), event('d', 2000)], 't', 3);
      expect((await store.leadState(['zoho:Leads:1'])).get('zoho:Leads:1')?.get('stage')).toBe('{"key":"d"}');
    } finally {
      await db.close();
    }
  });
});
