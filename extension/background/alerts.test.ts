import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { alertId } from '../../lib/alerts';
import { escalationStepEventSchema, type LeadTeamState } from '../../lib/events';
import type { Lang } from '../../lib/i18n';
import type { LeadSnapshot } from '../../lib/lead';
import type { LeadView } from '../../lib/lead-view';
import { defaultRuleSet } from '../../lib/rules/defaults';
import type { RuleSet } from '../../lib/rules/schema';
import { escalationPlan } from '../../lib/sla/escalation';
import { dueAt, dueSoonAt } from '../../lib/sla/status';
import { BatonDb, db } from '../db';
import { ALERTS_ALARM, checkAlerts, escalationKey, startAlerts } from './alerts';
import { answer } from './answer';

const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
// The worked times below count 24 business hours (the default score tier is one business day since
// issue 16): the rules in force here are the defaults with that tier.
const rules: RuleSet = {
  ...defaultRuleSet,
  sla: {
    ...defaultRuleSet.sla,
    tiers: defaultRuleSet.sla.tiers.map((t) =>
      t.id === 'score_mql' ? { ...t, duration: { amount: 24, unit: 'hours', clock: 'business' } } : t,
    ),
  },
};
const scoreMql = rules.sla.tiers.find((t) => t.id === 'score_mql')!;
// Handoff Monday 10:00, 24 business hours: reminder Wed 10:00, due Wed 16:00, manager Thu 11:00.
const handoffAt = jst('2026-06-08 10:00');
const due = dueAt(rules.calendar, scoreMql, handoffAt)!;

function view(recordId: string, contactedAt: number | null = null, handoff = handoffAt): LeadView {
  const due = dueAt(rules.calendar, scoreMql, handoff)!;
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
    handoff: { at: handoff, reason: 'score', label: { ja: 'スコア', en: 'Score' } },
    why: [],
    sla: {
      state: 'running',
      tierId: scoreMql.id,
      tier: scoreMql.label,
      dueAt: due,
      dueIso: null,
      dueSoonAt: dueSoonAt(rules.calendar, rules.sla, scoreMql, handoff, due),
      contactedAt,
      // As the evaluation plans it (lib/evaluate.ts): the ladder of an uncontacted handoff.
      ladder:
        contactedAt === null
          ? escalationPlan({
              calendar: rules.calendar,
              ladder: rules.escalation,
              tier: scoreMql,
              handoffAt: handoff,
              dueAt: due,
              firstContactAt: null,
              now: handoff,
            }).steps.map(({ stepId, kind, at }) => ({ stepId, kind, at }))
          : [],
    },
    rulesVersion: rules.version.id,
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
    rules: async () => ({ rules: rules, eventVersion: 0 }),
  });
  const shown = () =>
    Object.entries(fakeBrowser.notifications.getAllCreateOptions()) as unknown as [
      string,
      { title: string; message: string },
    ][];

  async function seen(recordId: string, contactedAt: number | null = null, handoff = handoffAt) {
    await stored(view(recordId, contactedAt, handoff));
  }

  async function stored(v: LeadView) {
    const { recordId } = v;
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
        `baton-alert:${alertId('hubspot:contact:42', handoffAt, 'due_soon')}`,
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
        `baton-alert:${alertId('hubspot:contact:42', handoffAt, 'overdue')}`,
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
    expect(first.recorded).toEqual([alertId('hubspot:contact:42', handoffAt, 'manager')]);
    await checkAlerts(deps());
    const events = (await database.outbox.toArray()).filter((e) => e.type === 'escalation_step');
    expect(events).toHaveLength(1);
    const event = escalationStepEventSchema.parse(events[0]!.event);
    expect(event).toMatchObject({
      stepId: 'manager',
      kind: 'manager',
      lead: { crm: 'hubspot', object: 'contact', recordId: '42' },
      occurredAt: new Date(jst('2026-06-11 11:00')).toISOString(),
      handoffAt: new Date(handoffAt).toISOString(),
      dueAt: new Date(due).toISOString(),
      leadLabel: '株式会社テスト / 山田 太郎',
      url: 'https://app.hubspot.com/contacts/1/record/0-1/42',
    });
    expect(event.idempotencyKey).toBe(await escalationKey('hubspot:contact:42', handoffAt, 'manager'));

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

  it('times the escalation by the ladder the lead view carries, without planning it again', async () => {
    const v = view('43');
    const earlier = jst('2026-06-11 09:00');
    v.sla.ladder = v.sla.ladder!.map((s) => (s.stepId === 'manager' ? { ...s, at: earlier } : s));
    await stored(v);
    clock = jst('2026-06-11 09:30');
    const check = await checkAlerts(deps());
    expect(check.recorded).toEqual([alertId('hubspot:contact:43', handoffAt, 'manager')]);
  });

  it('plans the ladder of a view that carries none with its tier, by id', async () => {
    const v = view('44');
    v.sla.ladder = null;
    await stored(v);
    clock = jst('2026-06-11 10:59');
    expect((await checkAlerts(deps())).recorded).toEqual([]);
    clock = jst('2026-06-11 11:30');
    expect((await checkAlerts(deps())).recorded).toEqual([
      alertId('hubspot:contact:44', handoffAt, 'manager'),
    ]);
  });

  it('records the step without a link that is not an https page of the lead’s CRM (the endpoint would refuse it)', async () => {
    await seen('43');
    const row = (await database.leads.get('hubspot:contact:43'))!;
    await database.leads.put({ ...row, view: { ...row.view!, url: 'https://evil.example.com/phish' } });
    clock = jst('2026-06-11 11:30');
    expect((await checkAlerts(deps())).recorded).toHaveLength(1);
    const [entry] = (await database.outbox.toArray()).filter((e) => e.type === 'escalation_step');
    const event = escalationStepEventSchema.parse(entry!.event);
    expect(event.url).toBeUndefined();
    expect(event.kind).toBe('manager');
  });

  it('follows the rep’s choices: a kind switched off stays untold, sound off shows silently', async () => {
    await seen('42');
    const prefs = { kinds: { due_soon: false, overdue: true, step: true }, sound: false, digestTime: null };
    clock = jst('2026-06-10 10:30');
    expect((await checkAlerts({ ...deps(), prefs: async () => prefs })).notified).toEqual([]);
    clock = jst('2026-06-10 16:30');
    await checkAlerts({ ...deps(), prefs: async () => prefs });
    expect(shown()).toEqual([
      [
        `baton-alert:${alertId('hubspot:contact:42', handoffAt, 'overdue')}`,
        expect.objectContaining({ silent: true }),
      ],
    ]);
  });

  it('derives different UUID keys for different steps or leads', async () => {
    const a = await escalationKey('hubspot:contact:42', handoffAt, 'manager');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await escalationKey('hubspot:contact:42', handoffAt, 'manager')).toBe(a);
    expect(await escalationKey('hubspot:contact:42', handoffAt, 'marketing')).not.toBe(a);
    expect(await escalationKey('hubspot:contact:43', handoffAt, 'manager')).not.toBe(a);
    // The same lead handed over again escalates again: another cycle, another key.
    expect(await escalationKey('hubspot:contact:42', handoffAt + 1, 'manager')).not.toBe(a);
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
    expect(morning.notified).toEqual([
      alertId('hubspot:contact:42', handoffAt, 'overdue'),
      alertId('hubspot:contact:43', handoffAt, 'overdue'),
    ]);
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
    expect(id).toBe(`baton-alert:${alertId('hubspot:contact:42', handoffAt, 'overdue')}`);
    await fakeBrowser.notifications.onClicked.trigger(id);
    expect(create).toHaveBeenCalledWith({ url: 'https://app.hubspot.com/contacts/1/record/0-1/42' });
    await worker.onAlarm({ name: 'baton-sync' });
    expect(after).toHaveBeenCalledTimes(2);
  });

  it('alerts a lead handed over again for its new cycle, under a new id and a new escalation key', async () => {
    await seen('42');
    clock = jst('2026-06-11 11:30');
    const first = await checkAlerts(deps());
    expect(first.notified).toEqual([alertId('hubspot:contact:42', handoffAt, 'manager')]);
    // Contacted, recycled, and qualified again a week later: nobody has called since.
    const again = jst('2026-06-15 10:00');
    await seen('42', null, again);
    clock = jst('2026-06-18 11:30');
    const second = await checkAlerts(deps());
    expect(second.notified).toEqual([alertId('hubspot:contact:42', again, 'manager')]);
    const keys = (await database.outbox.toArray()).map((e) => e.idempotencyKey).sort();
    expect(keys).toEqual(
      [
        await escalationKey('hubspot:contact:42', handoffAt, 'manager'),
        await escalationKey('hubspot:contact:42', again, 'manager'),
      ].sort(),
    );
  });

  it('prunes what it told once it lies past the horizon, and never tells it again', async () => {
    await seen('42');
    await seen('43');
    clock = jst('2026-06-10 16:30');
    await checkAlerts(deps());
    await seen('43', jst('2026-06-11 10:00'));
    clock = jst('2026-06-11 11:30');
    await checkAlerts(deps());
    const told = (await database.alerts.toArray()).map((a) => a.id).sort();
    expect(told).toEqual(
      [
        alertId('hubspot:contact:42', handoffAt, 'due_soon'),
        alertId('hubspot:contact:42', handoffAt, 'overdue'),
        alertId('hubspot:contact:42', handoffAt, 'manager'),
        alertId('hubspot:contact:43', handoffAt, 'due_soon'),
        alertId('hubspot:contact:43', handoffAt, 'overdue'),
      ].sort(),
    );
    expect(await database.alerts.get(alertId('hubspot:contact:42', handoffAt, 'manager'))).toMatchObject({
      handoffAt,
      at: jst('2026-06-11 11:00'),
      toldAt: jst('2026-06-11 11:30'),
      recordedAt: jst('2026-06-11 11:30'),
    });
    // Nine days on: 43 was contacted (its cycle ended) and its moments lie past the week's horizon.
    clock = jst('2026-06-20 10:00');
    fakeBrowser.reset();
    await checkAlerts(deps());
    const left = (await database.alerts.toArray()).map((a) => a.id);
    expect(left.some((id) => id.startsWith('hubspot:contact:43'))).toBe(false);
    expect(left).toContain(alertId('hubspot:contact:42', handoffAt, 'manager'));
    // Two months on, everything is gone, and nothing was told again on the way.
    for (const day of ['2026-07-01', '2026-07-12', '2026-07-20', '2026-08-10']) {
      clock = jst(`${day} 10:00`);
      await checkAlerts(deps());
    }
    expect(await database.alerts.count()).toBe(0);
    expect(shown()).toEqual([]);
    expect((await database.outbox.toArray()).filter((e) => e.type === 'escalation_step')).toHaveLength(2);
  });

  it('checks again when the pages are told their leads changed (team news, new rules)', async () => {
    await seen('42');
    const worker = startAlerts(deps());
    await worker.started;
    expect(shown()).toEqual([]);
    clock = jst('2026-06-10 16:30');
    await fakeBrowser.storage.local.set({ batonPagesStaleAt: clock });
    await vi.waitFor(() => expect(shown().map(([id]) => id)).toHaveLength(1));
  });
});

describe('which leads are alerted: seen in a list, and the team’s facts', () => {
  const OWN_ID = 'baton-test-id';
  const listSender = {
    id: OWN_ID,
    tab: { id: 7 } as never,
    url: 'https://app.hubspot.com/contacts/1/objects/0-1/views/all/list',
  };
  const listRow = (recordId: string, fields: Record<string, string> = {}): LeadSnapshot => ({
    crm: 'hubspot',
    object: 'contact',
    recordId,
    url: `https://app.hubspot.com/contacts/1/record/0-1/${recordId}`,
    fields: { company: `Company ${recordId}`, name: `Lead ${recordId}`, owner: '佐藤 花子', ...fields },
    activities: [],
  });
  const teamState = (recordId: string, facts: { handoffAt?: number; dueAt?: number; contactAt?: number }) => {
    const lead = { crm: 'hubspot' as const, object: 'contact', recordId };
    const base = (at: number) => ({
      idempotencyKey: crypto.randomUUID(),
      occurredAt: new Date(at).toISOString(),
      lead,
      rulesVersion: 0,
      actor: { name: '同僚' },
    });
    const state = {
      lead,
      handoff:
        facts.handoffAt !== undefined
          ? {
              type: 'handoff_observed',
              ...base(facts.handoffAt),
              handoffAt: new Date(facts.handoffAt).toISOString(),
              dueAt: new Date(facts.dueAt!).toISOString(),
              reason: 'threshold',
            }
          : null,
      firstContact:
        facts.contactAt !== undefined
          ? { type: 'first_contact', ...base(facts.contactAt), method: 'phone', source: 'manual' }
          : null,
      stage: null,
      feedback: null,
      escalation: null,
    } as LeadTeamState;
    return { key: `hubspot:contact:${recordId}`, state, fetchedAt: 0 };
  };
  const check = (at: number) =>
    checkAlerts({
      database: db(),
      now: () => at,
      lang: () => 'en',
      rules: async () => ({ rules: rules, eventVersion: 0 }),
    });
  const mqlAt = new Date(handoffAt).toISOString();

  beforeEach(async () => {
    fakeBrowser.reset();
    await Promise.all([db().leads.clear(), db().outbox.clear(), db().teamState.clear(), db().alerts.clear()]);
    // The listed rows are evaluated under the rules in force, the 24-business-hour ones of these examples.
    await db().rules.put({ slot: 'active', rules, source: 'import', receivedAt: 1 });
  });
  afterEach(async () => {
    await db().rules.clear();
  });

  it('alerts a lead this browser saw only as a row of a CRM list', async () => {
    const listed = await answer(
      { type: 'leads.listed', snapshots: [listRow('7', { mqlAt })] },
      listSender,
      OWN_ID,
      handoffAt,
    );
    expect(listed.ok).toBe(true);
    const check1 = await check(jst('2026-06-10 16:30'));
    expect(check1.notified).toEqual([alertId('hubspot:contact:7', handoffAt, 'overdue')]);
  });

  it('alerts a listed lead whose handoff only the team recorded, and not one a colleague contacted', async () => {
    // The rows show no MQL date: Baton here sees no handoff; another rep's browser recorded one.
    await answer(
      { type: 'leads.listed', snapshots: [listRow('8'), listRow('9'), listRow('10', { mqlAt })] },
      listSender,
      OWN_ID,
      handoffAt,
    );
    await db().teamState.bulkPut([
      teamState('8', { handoffAt, dueAt: due }),
      teamState('9', { handoffAt, dueAt: due, contactAt: jst('2026-06-10 15:00') }),
      teamState('10', { contactAt: jst('2026-06-09 11:00') }),
    ]);
    const result = await check(jst('2026-06-10 16:30'));
    expect(result.notified).toEqual([alertId('hubspot:contact:8', handoffAt, 'overdue')]);
  });

  it('does not let a colleague’s contact from before a new handoff silence the new cycle', async () => {
    const again = jst('2026-06-15 10:00');
    await answer(
      { type: 'leads.listed', snapshots: [listRow('11', { mqlAt: new Date(again).toISOString() })] },
      listSender,
      OWN_ID,
      again,
    );
    await db().teamState.put(teamState('11', { contactAt: jst('2026-06-09 11:00') }));
    const result = await check(jst('2026-06-17 16:30'));
    expect(result.notified).toEqual([alertId('hubspot:contact:11', again, 'overdue')]);
  });

  it('names the lead’s CRM owner as the escalation’s actor, the same in every browser', async () => {
    await answer(
      { type: 'leads.listed', snapshots: [listRow('12', { mqlAt })] },
      listSender,
      OWN_ID,
      handoffAt,
    );
    await check(jst('2026-06-11 11:30'));
    const [entry] = (await db().outbox.toArray()).filter((e) => e.type === 'escalation_step');
    expect(entry?.event).toMatchObject({ actor: { name: '佐藤 花子' }, stepId: 'manager' });
  });
});
