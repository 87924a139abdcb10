import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../lib/rules/defaults';
import { BatonDb } from './db';

describe('the extension database', () => {
  it('upgrades a browser on the shipped version 3 to the current version and keeps its rules and sync state', async () => {
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
    expect(upgraded.verno).toBe(5);
    upgraded.close();
  });

  it('upgrades a browser on the shipped version 4 to version 5 with an empty alerts table', async () => {
    const name = `db-upgrade-${Math.random()}`;
    const shipped = new Dexie(name);
    shipped.version(1).stores({ leads: '&key, lastSeenAt' });
    shipped.version(2).stores({ rules: '&slot' });
    shipped.version(3).stores({
      outbox: '&idempotencyKey, [state+createdAt], leadKey',
      syncChannels: '&channel',
      teamState: '&key, fetchedAt',
    });
    shipped.version(4).stores({ reminders: '&kind' });
    await shipped.table('reminders').put({ kind: 'review', shownFor: 'due', shownAt: 6 });
    shipped.close();

    const upgraded = new BatonDb(name);
    expect(await upgraded.reminders.get('review')).toMatchObject({ shownFor: 'due' });
    expect(await upgraded.alerts.count()).toBe(0);
    await upgraded.alerts.put({ id: 'hubspot:contact:1:overdue', leadKey: 'hubspot:contact:1', toldAt: 7 });
    expect(await upgraded.alerts.where('leadKey').equals('hubspot:contact:1').count()).toBe(1);
    expect(upgraded.verno).toBe(5);
    upgraded.close();
  });
});
