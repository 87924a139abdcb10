import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../lib/rules/defaults';
import { validateRuleSet } from '../lib/rules/validate';
import { BatonDb } from './db';
import { shippedDb } from './test/shipped-db';

/** The default rule set as releases before exclusion rules shipped it: a fit floor of 0 on every trigger. */
function shippedWithTriggerFloor(): Record<string, unknown> {
  const { exclusions: _exclusions, ...rest } = defaultRuleSet;
  return { ...rest, triggers: defaultRuleSet.triggers.map((t) => ({ ...t, minFit: 0 })) };
}

describe('the extension database', () => {
  it('marks the leads and team-state rows the alert check reads on the version 9 upgrade', async () => {
    const shipped = shippedDb(8);
    const sla = (contactedAt: number | null) => ({
      state: contactedAt === null ? 'running' : 'met',
      dueAt: 3_600_000,
      dueSoonAt: null,
      contactedAt,
      ladder: null,
    });
    await shipped.table('leads').bulkPut([
      { key: 'waiting', view: { handoff: { at: 1000 }, sla: sla(null) } },
      { key: 'contacted', view: { handoff: { at: 1000 }, sla: sla(2000) } },
      {
        key: 'not handed over',
        view: { handoff: null, sla: { ...sla(null), state: 'none', dueAt: null } },
      },
      { key: 'no view' },
      // Stored data is a boundary: a view without the SLA the judgment reads is marked, read rather than missed.
      { key: 'view without sla', view: { handoff: { at: 1000 } } },
    ]);
    await shipped.table('teamState').bulkPut([
      { key: 'team handoff', state: { handoff: { handoffAt: '2026-12-01T01:00:00Z' } }, fetchedAt: 1 },
      { key: 'team contact only', state: { handoff: null, firstContact: {} }, fetchedAt: 1 },
      { key: 'team handoff, date unreadable', state: { handoff: { handoffAt: 'soon' } }, fetchedAt: 1 },
    ]);
    shipped.close();

    const upgraded = new BatonDb(shipped.name);
    expect(await upgraded.leads.where('awaitingContact').equals(1).primaryKeys()).toEqual([
      'view without sla',
      'waiting',
    ]);
    expect(await upgraded.teamState.where('handedOver').equals(1).primaryKeys()).toEqual([
      'team handoff',
      'team handoff, date unreadable',
    ]);
    expect(await upgraded.leads.count()).toBe(5);
    expect(upgraded.verno).toBe(9);
    upgraded.close();
  });

  it('rewrites a stored rule set with trigger fit floors into exclusion rules on the version 7 upgrade', async () => {
    const shipped = shippedDb(6);
    const old = shippedWithTriggerFloor();
    await shipped
      .table('rules')
      .put({ slot: 'active', rules: old, source: 'endpoint', etag: '"v3"', receivedAt: 5 });
    shipped.close();

    const upgraded = new BatonDb(shipped.name);
    const stored = await upgraded.rules.get('active');
    expect(stored).toMatchObject({ source: 'endpoint', etag: '"v3"', receivedAt: 5 });
    const rules = stored!.rules as typeof defaultRuleSet;
    expect(rules.triggers.some((t) => 'minFit' in t)).toBe(false);
    // Fit rules of −50 or fewer points: competitor (−100), student (−50), job seeker (−50); not free mail (−20).
    expect(rules.exclusions.map((x) => x.id)).toEqual(['competitor', 'student', 'job_seeker']);
    expect(validateRuleSet(stored!.rules).ok).toBe(true);
    upgraded.close();
  });

  it('upgrades a browser on the shipped version 3 to the current version and keeps its rules and sync state', async () => {
    const shipped = shippedDb(3);
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

    const upgraded = new BatonDb(shipped.name);
    expect(await upgraded.rules.get('active')).toMatchObject({ source: 'endpoint', receivedAt: 5 });
    expect((await upgraded.rules.get('active'))?.activatedAt).toBeUndefined();
    expect(await upgraded.syncChannels.get('rules')).toMatchObject({ lastSuccessAt: 5 });
    await upgraded.reminders.put({ kind: 'review', shownFor: 'meeting:2026-11-01', shownAt: 6 });
    expect(await upgraded.reminders.count()).toBe(1);
    expect(upgraded.verno).toBe(9);
    expect(upgraded.tables.map((t) => t.name)).toContain('readHealth');
    upgraded.close();
  });

  it('upgrades a browser on the shipped version 4 with an empty alerts table', async () => {
    const shipped = shippedDb(4);
    await shipped.table('reminders').put({ kind: 'review', shownFor: 'due', shownAt: 6 });
    shipped.close();

    const upgraded = new BatonDb(shipped.name);
    expect(await upgraded.reminders.get('review')).toMatchObject({ shownFor: 'due' });
    expect(await upgraded.alerts.count()).toBe(0);
    await upgraded.alerts.put({ id: 'hubspot:contact:1:overdue', leadKey: 'hubspot:contact:1', toldAt: 7 });
    expect(await upgraded.alerts.where('leadKey').equals('hubspot:contact:1').count()).toBe(1);
    expect(upgraded.verno).toBe(9);
    expect(upgraded.tables.map((t) => t.name)).toContain('readHealth');
    upgraded.close();
  });

  it('renames version 5 alert rows to the handoff their lead has now, so an upgrade repeats nothing', async () => {
    const shipped = shippedDb(5);
    const seen = 'hubspot:contact:1';
    const teamOnly = 'hubspot:contact:2';
    await shipped.table('leads').put({ key: seen, view: { handoff: { at: 1000 } } });
    await shipped.table('teamState').put({
      key: teamOnly,
      state: { handoff: { handoffAt: new Date(2000).toISOString() } },
      fetchedAt: 1,
    });
    await shipped.table('alerts').bulkPut([
      { id: `${seen}:due_soon`, leadKey: seen, toldAt: 5 },
      { id: `${seen}:manager`, leadKey: seen, toldAt: 6, recordedAt: 6, url: 'https://crm.example/1' },
      { id: `${teamOnly}:overdue`, leadKey: teamOnly, toldAt: 7 },
      { id: 'hubspot:contact:3:overdue', leadKey: 'hubspot:contact:3', toldAt: 8 },
    ]);
    shipped.close();

    const upgraded = new BatonDb(shipped.name);
    const rows = await upgraded.alerts.toArray();
    expect(rows.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: `${seen}@1000:due_soon`, leadKey: seen, handoffAt: 1000, toldAt: 5 },
      {
        id: `${seen}@1000:manager`,
        leadKey: seen,
        handoffAt: 1000,
        toldAt: 6,
        recordedAt: 6,
        url: 'https://crm.example/1',
      },
      { id: `${teamOnly}@2000:overdue`, leadKey: teamOnly, handoffAt: 2000, toldAt: 7 },
      // No lead row, no handoff: kept as it was, for pruning to end.
      { id: 'hubspot:contact:3:overdue', leadKey: 'hubspot:contact:3', toldAt: 8 },
    ]);
    expect(upgraded.verno).toBe(9);
    expect(upgraded.tables.map((t) => t.name)).toContain('readHealth');
    upgraded.close();
  });
});
