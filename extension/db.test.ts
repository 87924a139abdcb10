import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../lib/rules/defaults';
import { BatonDb } from './db';

describe('the extension database', () => {
  it('upgrades a browser on the shipped version 3 to version 4 and keeps its rules and sync state', async () => {
    const name = `db-upgrade-${Math.random()}`;
    // The schema release 3 shipped, as such a browser has it on disk.
    const shipped = new Dexie(name);
    shipped.version(1).stores({ leads: '&key, lastSeenAt' });
    shipped.version(2).stores({ rules: '&slot' });
    shipped.version(3).stores({
      outbox: '&idempotencyKey, [state+createdAt], leadKey',
      syncChannels: '&channel',
      teamState: '&key, fetchedAt',
    });
    await shipped
      .table('rules')
      .put({ slot: 'active', rules: defaultRuleSet, source: 'endpoint', receivedAt: 5 });
    await shipped.table('syncChannels').put({
      channel: 'rules',
      failures: 0,
      nextAttemptAt: 0,
      lastSuccessAt: 5,
      lastError: null,
    });
    shipped.close();

    const upgraded = new BatonDb(name);
    expect(await upgraded.rules.get('active')).toMatchObject({ source: 'endpoint', receivedAt: 5 });
    expect((await upgraded.rules.get('active'))?.activatedAt).toBeUndefined();
    expect(await upgraded.syncChannels.get('rules')).toMatchObject({ lastSuccessAt: 5 });
    await upgraded.reminders.put({ kind: 'review', shownFor: 'meeting:2026-11-01', shownAt: 6 });
    expect(await upgraded.reminders.count()).toBe(1);
    expect(upgraded.verno).toBe(4);
    upgraded.close();
  });
});
