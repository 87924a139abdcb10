import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { escalationStepEventSchema } from '../../lib/events';
import type { Lang } from '../../lib/i18n';
import type { LeadView } from '../../lib/lead-view';
import { defaultRuleSet } from '../../lib/rules/defaults';
import { dueAt, dueSoonAt } from '../../lib/sla/status';
import { BatonDb } from '../db';
import { ALERTS_ALARM, checkAlerts, escalationKey, startAlerts } from './alerts';

const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
const scoreMql = defaultRuleSet.sla.tiers.find((t) => t.id === 'score_mql')!;
// Handoff Monday 10:00, 24 business hours: reminder Wed 10:00, due Wed 16:00, manager Thu 11:00.
const handoffAt = jst('2026-06-08 10:00');
const due = dueAt(defaultRuleSet.calendar, scoreMql, handoffAt)!;

function view(recordId: string, contactedAt: number | null = null): LeadView {
  return {
    crm: 'hubspot',
    object: 'contact',
    recordId,
    url: `https://app.hubspot.com/contacts/1/record/0-1/${recordId}`,
    company: '株式会社テスト',
    name: '山田 太郎',
    score: 80,
    fit: 40,
    engagement: 40,
    grade: 'A',
    stage: 'mql',
    handoff: { at: handoffAt, reason: 'score', label: { ja: 'スコア', en: 'Score' } },
    why: [],
    sla: {
      state: 'running',
      tier: scoreMql.label,
      dueAt: due,
      dueIso: null,
      dueSoonAt: dueSoonAt(defaultRuleSet.calendar, defaultRuleSet.sla, scoreMql, handoffAt, due),
      contactedAt,
    },
    rulesVersion: defaultRuleSet.version.id,
  };
}

describe('lead alerts in the worker', () => {
  let name: string;
  let database: BatonDb;
  let clock: number;
  let lang: Lang;
  const deps = () => ({
    database,
    now: () => clock,
    lang: () => lang,
    rules: async () => ({ rules: defaultRuleSet, eventVersion: 0 }),
    actorName: async () => '佐藤',
  });
  const shown = () =>
    Object.entries(fakeBrowser.notifications.getAllCreateOptions()) as unknown as [
      string,
      { title: string; message: string },
    ][];

  async function seen(recordId: string, contactedAt: number | null = null) {
    const v = view(recordId, contactedAt);
    await database.leads.put({
      key: `hubspot:contact:${recordId}`,
      snapshot: { crm: 'hubspot', object: 'contact', recordId, fields: {}, activities: [] },
      firstSeenAt: handoffAt,
      lastSeenAt: handoffAt,
      timesSeen: 1,
      view: v,
    });
  }

  /** A restarted worker: nothing of the old one's memory, a fresh handle on the same IndexedDB. */
  function restartWorker() {
    database.close();
    database = new BatonDb(name);
    fakeBrowser.reset();
  }

  beforeEach(() => {
    fakeBrowser.reset();
    name = `alerts-test-${Math.random()}`;
    database = new BatonDb(name);
    clock = handoffAt;
    lang = 'en';
  });

  afterEach(() => database.close());

  it('sets one alarm for the reminder and shows nothing before it', async () => {
    await seen('42');
    const check = await checkAlerts(deps());
    expect(check.notified).toEqual([]);
    expect(check.wakeAt).toBe(jst('2026-06-10 10:00'));
    const alarm = await fakeBrowser.alarms.get(ALERTS_ALARM);
    expect(alarm?.scheduledTime).toBeGreaterThan(Date.now() + (check.wakeAt! - clock) - 5_000);
    expect(shown()).toEqual([]);
  });

  it('shows due soon with the lead, company and time left, then overdue, each once across restarts', async () => {
    await seen('42');
    clock = jst('2026-06-10 10:30');
    await checkAlerts(deps());
    expect(shown()).toEqual([
      [
        'baton-alert:hubspot:contact:42:due_soon',
        expect.objectContaining({
          title: 'Due soon: 山田 太郎 · 株式会社テスト',
          message: '5h 30m left for first contact',
        }),
      ],
    ]);

    restartWorker();
    await checkAlerts(deps());
    expect(shown()).toEqual([]);

    clock = jst('2026-06-10 17:00');
    lang = 'ja';
    await checkAlerts(deps());
    expect(shown()).toEqual([
      [
        'baton-alert:hubspot:contact:42:overdue',
        expect.objectContaining({
          title: '期限超過: 山田 太郎 · 株式会社テスト',
          message: '初回対応の期限を1時間超過',
        }),
      ],
    ]);
    restartWorker();
    await checkAlerts(deps());
    expect(shown()).toEqual([]);
  });

  it('records the manager step once as an escalation event with a key every browser derives alike', async () => {
    await seen('42');
    clock = jst('2026-06-11 11:30');
    const first = await checkAlerts(deps());
    expect(first.recorded).toEqual(['hubspot:contact:42:manager']);
    await checkAlerts(deps());
    const events = (await database.outbox.toArray()).filter((e) => e.type === 'escalation_step');
    expect(events).toHaveLength(1);
    const event = escalationStepEventSchema.parse(events[0]!.event);
    expect(event).toMatchObject({
      stepId: 'manager',
      kind: 'manager',
      lead: { crm: 'hubspot', object: 'contact', recordId: '42' },
      occurredAt: new Date(jst('2026-06-11 11:00')).toISOString(),
      dueAt: new Date(due).toISOString(),
      leadLabel: '株式会社テスト / 山田 太郎',
    });
    expect(event.idempotencyKey).toBe(await escalationKey('hubspot:contact:42', 'manager'));

    // A second browser profile (another database) noticing the same step makes the same key.
    const other = new BatonDb(`${name}-other`);
    const mine = database;
    database = other;
    await seen('42');
    await checkAlerts(deps());
    const theirs = await other.outbox.toArray();
    expect(theirs.map((e) => e.idempotencyKey)).toEqual([event.idempotencyKey]);
    other.close();
    database = mine;
  });

  it('follows the rep’s choices: a kind switched off stays untold, sound off shows silently', async () => {
    await seen('42');
    const prefs = { kinds: { due_soon: false, overdue: true, step: true }, sound: false, digestTime: null };
    clock = jst('2026-06-10 10:30');
    expect((await checkAlerts({ ...deps(), prefs: async () => prefs })).notified).toEqual([]);
    clock = jst('2026-06-10 16:30');
    await checkAlerts({ ...deps(), prefs: async () => prefs });
    expect(shown()).toEqual([
      ['baton-alert:hubspot:contact:42:overdue', expect.objectContaining({ silent: true })],
    ]);
  });

  it('derives different UUID keys for different steps or leads', async () => {
    const a = await escalationKey('hubspot:contact:42', 'manager');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await escalationKey('hubspot:contact:42', 'marketing')).not.toBe(a);
    expect(await escalationKey('hubspot:contact:43', 'manager')).not.toBe(a);
  });

  it('tells nothing about a lead contacted before its due time', async () => {
    await seen('42', jst('2026-06-09 11:00'));
    clock = jst('2026-06-12 10:00');
    const check = await checkAlerts(deps());
    expect(check).toEqual({ notified: [], summarised: [], recorded: [], wakeAt: null });
    expect(shown()).toEqual([]);
    expect(await fakeBrowser.alarms.get(ALERTS_ALARM)).toBeFalsy();
  });

  it('stays quiet at night and catches up at the next working start', async () => {
    await seen('42');
    await seen('43');
    clock = jst('2026-06-10 20:00');
    const night = await checkAlerts(deps());
    expect(shown()).toEqual([]);
    expect(night.wakeAt).toBe(jst('2026-06-11 09:00'));
    clock = jst('2026-06-11 09:00');
    const morning = await checkAlerts(deps());
    expect(morning.summarised).toEqual([]);
    // Due at 16:00 (in hours) the day before: told individually, as catch-up.
    expect(morning.notified).toEqual(['hubspot:contact:42:overdue', 'hubspot:contact:43:overdue']);
  });

  it('runs the check on its alarm and then the after-hook, and opens the CRM page on click', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    await seen('42');
    const after = vi.fn(async () => {});
    const worker = startAlerts(deps(), Promise.resolve(), after);
    await worker.started;
    expect(after).toHaveBeenCalledTimes(1);
    clock = jst('2026-06-10 16:05');
    await worker.onAlarm({ name: ALERTS_ALARM });
    expect(after).toHaveBeenCalledTimes(2);
    const id = shown()[0]?.[0] ?? '';
    expect(id).toBe('baton-alert:hubspot:contact:42:overdue');
    await fakeBrowser.notifications.onClicked.trigger(id);
    expect(create).toHaveBeenCalledWith({ url: 'https://app.hubspot.com/contacts/1/record/0-1/42' });
    await worker.onAlarm({ name: 'baton-sync' });
    expect(after).toHaveBeenCalledTimes(2);
  });
});
