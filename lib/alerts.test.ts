import { describe, expect, it } from 'vitest';
import {
  type Alert,
  type AlertLead,
  type AlertPlan,
  alertId,
  defaultAlertSettings,
  leadAlerts,
  planAlerts,
  prunableClaims,
} from './alerts';
import { defaultBusinessCalendar as cal } from './calendar/defaults';
import { defaultEscalationLadder, defaultSlaPolicy } from './sla/defaults';
import { escalationPlan } from './sla/escalation';
import type { EscalationLadder, SlaTier } from './sla/schema';
import { dueAt, dueSoonAt } from './sla/status';

const jst = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+09:00`);
// The worked times below count 24 business hours (the default tier is one business day since issue 16).
const scoreMql = {
  ...defaultSlaPolicy.tiers.find((t) => t.id === 'score_mql')!,
  duration: { amount: 24, unit: 'hours' as const, clock: 'business' as const },
};
const hot = defaultSlaPolicy.tiers.find((t) => t.id === 'hot')!;
const twoCalendarHours: SlaTier = {
  ...hot,
  id: 'two_hours',
  duration: { amount: 2, unit: 'hours', clock: 'calendar' },
};

function lead(
  key: string,
  handoffAt: number,
  opts: { tier?: SlaTier; contactedAt?: number | null; ladder?: EscalationLadder } = {},
): AlertLead {
  const tier = opts.tier ?? scoreMql;
  const due = dueAt(cal, tier, handoffAt)!;
  const plan = escalationPlan({
    calendar: cal,
    ladder: opts.ladder ?? defaultEscalationLadder,
    tier,
    handoffAt,
    dueAt: due,
    firstContactAt: null,
    now: handoffAt,
  });
  return {
    key,
    name: `Rep contact ${key}`,
    company: `Company ${key}`,
    url: `https://crm.example/${key}`,
    handoffAt,
    dueAt: due,
    dueSoonAt: dueSoonAt(cal, defaultSlaPolicy, tier, handoffAt, due),
    contactedAt: opts.contactedAt ?? null,
    steps: plan.steps.map(({ stepId, kind, at }) => ({ stepId, kind, at })),
  };
}

interface Told {
  at: number;
  notify: string[];
  summary: string[];
  escalations: string[];
}

/**
 * The worker over simulated time: wakes when the last plan asked, or at the instants in `wakes` (the
 * computer waking from sleep, a browser start). State carries across wakes exactly as Dexie would.
 */
function simulate(
  leadsAt: (t: number) => AlertLead[],
  from: number,
  until: number,
  wakes: number[] = [],
  state = { notified: new Set<string>(), recorded: new Set<string>() },
): Told[] {
  const told: Told[] = [];
  const extra = [...wakes].sort((a, b) => a - b);
  let t: number | null = from;
  let guard = 0;
  while (t !== null && t <= until) {
    if (++guard > 1000) throw new Error('the scheduler never settles');
    const plan = planAlerts({ leads: leadsAt(t), calendar: cal, ...state, now: t });
    for (const id of plan.told) state.notified.add(id);
    for (const e of plan.escalations) state.recorded.add(e.id);
    const ids = (alerts: Alert[]) => alerts.map(short);
    if (plan.notify.length + plan.summary.length + plan.escalations.length > 0) {
      told.push({
        at: t,
        notify: ids(plan.notify),
        summary: ids(plan.summary),
        escalations: ids(plan.escalations),
      });
    }
    const now: number = t;
    while (extra.length > 0 && extra[0]! <= now) extra.shift();
    const candidates = [plan.wakeAt, extra[0] ?? null].filter((x): x is number => x !== null);
    t = candidates.length > 0 ? Math.min(...candidates) : null;
  }
  return told;
}

/** An alert id without its handoff time, which every lead here shares within its test. */
const short = (alert: Alert | string) =>
  (typeof alert === 'string' ? alert : alert.id).replace(/@-?\d+:/, ':');

const plan1 = (leads: AlertLead[], now: number, notified: string[] = []): AlertPlan =>
  planAlerts({ leads, calendar: cal, notified: new Set(notified), recorded: new Set(), now });

// Handoff Monday 10:00 on the 24-business-hour tier: reminder Wed 10:00, due Wed 16:00, manager Thu 11:00,
// marketing the next Monday 13:00 (see lib/sla/escalation.test.ts).
const monday = jst('2026-06-08 10:00');

describe('planning desktop alerts for handed-over leads', () => {
  it('tells due soon, overdue and each further step once, at their times, and wakes exactly then', () => {
    const told = simulate(() => [lead('a', monday)], monday, jst('2026-06-20 00:00'));
    expect(told).toEqual([
      { at: jst('2026-06-10 10:00'), notify: ['a:due_soon'], summary: [], escalations: [] },
      { at: jst('2026-06-10 16:00'), notify: ['a:overdue'], summary: [], escalations: [] },
      { at: jst('2026-06-11 11:00'), notify: ['a:manager'], summary: [], escalations: ['a:manager'] },
      { at: jst('2026-06-15 13:00'), notify: ['a:marketing'], summary: [], escalations: ['a:marketing'] },
    ]);
  });

  it('never tells the same step twice, however often the worker wakes', () => {
    const wakes = Array.from({ length: 200 }, (_, i) => monday + i * 1_800_000);
    const told = simulate(() => [lead('a', monday)], monday, jst('2026-06-20 00:00'), wakes);
    const all = told.flatMap((t) => [...t.notify, ...t.summary]);
    expect(all).toEqual(['a:due_soon', 'a:overdue', 'a:manager', 'a:marketing']);
    expect(told.flatMap((t) => t.escalations)).toEqual(['a:manager', 'a:marketing']);
  });

  it('after a long sleep tells only where the lead stands now, and records the missed steps in order', () => {
    // The computer slept from Monday to Friday 14:00: due soon, overdue and the manager step all passed.
    const plan = plan1([lead('a', monday)], jst('2026-06-12 14:00'));
    expect(plan.notify.map(short)).toEqual(['a:manager']);
    expect(plan.told.map(short)).toEqual(['a:due_soon', 'a:overdue', 'a:manager']);
    expect(plan.escalations.map(short)).toEqual(['a:manager']);
    expect(plan.wakeAt).toBe(jst('2026-06-15 13:00'));
  });

  it('catches up once after sleep and then carries on with the steps still ahead', () => {
    // The worker last ran at handoff; the next time it runs is Friday 14:00.
    const slept = simulate(() => [lead('a', monday)], jst('2026-06-12 14:00'), jst('2026-06-20 00:00'));
    expect(slept).toEqual([
      { at: jst('2026-06-12 14:00'), notify: ['a:manager'], summary: [], escalations: ['a:manager'] },
      { at: jst('2026-06-15 13:00'), notify: ['a:marketing'], summary: [], escalations: ['a:marketing'] },
    ]);
  });

  it('tells nothing for a lead contacted before it came due, and stops waking for it', () => {
    const contacted = lead('a', monday, { contactedAt: jst('2026-06-09 11:00') });
    const told = simulate(() => [contacted], monday, jst('2026-06-20 00:00'));
    expect(told).toEqual([]);
    expect(plan1([contacted], jst('2026-06-09 12:00')).wakeAt).toBeNull();
  });

  it('stops the ladder once contact is made after due soon was told', () => {
    const contactAt = jst('2026-06-10 12:00');
    const leadsAt = (t: number) => [lead('a', monday, { contactedAt: t >= contactAt ? contactAt : null })];
    const told = simulate(leadsAt, monday, jst('2026-06-20 00:00'), [contactAt]);
    expect(told.flatMap((t) => [...t.notify, ...t.escalations])).toEqual(['a:due_soon']);
  });

  it('follows a rules change that moves the due time', () => {
    // The rule set is changed on Monday 11:00 to put the lead on the 1-hour hot tier: overdue at 11:00.
    const change = jst('2026-06-08 10:30');
    const leadsAt = (t: number) => [lead('a', monday, { tier: t >= change ? hot : scoreMql })];
    const told = simulate(leadsAt, monday, jst('2026-06-08 12:00'), [change]);
    expect(told).toEqual([
      { at: jst('2026-06-08 10:45'), notify: ['a:due_soon'], summary: [], escalations: [] },
      { at: jst('2026-06-08 11:00'), notify: ['a:overdue'], summary: [], escalations: [] },
    ]);
    // Before the change the next wake-up was Wednesday's reminder.
    expect(plan1([lead('a', monday)], monday).wakeAt).toBe(jst('2026-06-10 10:00'));
  });

  it('holds what falls due on a weekend evening and summarises it at the next working start', () => {
    // Calendar-clock SLA of 2 hours from Friday 17:00: due soon 18:30 and due 19:00, both after hours.
    const friday = jst('2026-06-12 17:00');
    const a = lead('a', friday, { tier: twoCalendarHours });
    const saturday = plan1([a], jst('2026-06-13 10:00'));
    expect(saturday.notify).toEqual([]);
    expect(saturday.summary).toEqual([]);
    expect(saturday.held.map(short)).toEqual(['a:overdue']);
    expect(saturday.told.map(short)).toEqual([]);
    expect(saturday.wakeAt).toBe(jst('2026-06-15 09:00'));

    const told = simulate(() => [a], friday, jst('2026-06-15 12:00'));
    expect(told).toEqual([
      { at: jst('2026-06-15 09:00'), notify: [], summary: ['a:overdue'], escalations: [] },
    ]);
  });

  it('sums up what fell due overnight at the rep’s digest time instead of the working start', () => {
    const friday = jst('2026-06-12 17:00');
    const a = lead('a', friday, { tier: twoCalendarHours });
    const settings = { ...defaultAlertSettings, digestTime: '10:30' };
    const early = planAlerts({
      leads: [a],
      calendar: cal,
      notified: new Set(),
      recorded: new Set(),
      settings,
      now: jst('2026-06-15 09:30'),
    });
    expect(early.held.map(short)).toEqual(['a:overdue']);
    expect(early.summary).toEqual([]);
    expect(early.wakeAt).toBe(jst('2026-06-15 10:30'));
    const digest = planAlerts({
      leads: [a],
      calendar: cal,
      notified: new Set(),
      recorded: new Set(),
      settings,
      now: jst('2026-06-15 10:30'),
    });
    expect(digest.summary.map(short)).toEqual(['a:overdue']);
    // A digest time before the office opens changes nothing: the summary waits for working time.
    const beforeOpening = planAlerts({
      leads: [a],
      calendar: cal,
      notified: new Set(),
      recorded: new Set(),
      settings: { ...settings, digestTime: '07:00' },
      now: jst('2026-06-13 10:00'),
    });
    expect(beforeOpening.wakeAt).toBe(jst('2026-06-15 09:00'));
  });

  it('keeps a digest time set after office hours', () => {
    const friday = jst('2026-06-12 17:00');
    const told = (() => {
      const state = { notified: new Set<string>(), recorded: new Set<string>() };
      const out: { at: number; summary: string[] }[] = [];
      let t: number | null = friday;
      while (t !== null && t <= jst('2026-06-15 21:00')) {
        const plan = planAlerts({
          leads: [lead('a', friday, { tier: twoCalendarHours })],
          calendar: cal,
          ...state,
          settings: {
            ...defaultAlertSettings,
            kinds: { due_soon: true, overdue: true, step: false },
            digestTime: '20:00',
          },
          now: t,
        });
        for (const id of plan.told) state.notified.add(id);
        if (plan.summary.length + plan.notify.length > 0) {
          out.push({ at: t, summary: [...plan.summary, ...plan.notify].map(short) });
        }
        t = plan.wakeAt;
      }
      return out;
    })();
    // Due Friday 19:00: summed up on Monday at 20:00, the first digest after the next working start.
    expect(told).toEqual([{ at: jst('2026-06-15 20:00'), summary: ['a:overdue'] }]);
  });

  it('stays quiet through a run of holidays and summarises on the first working day', () => {
    // Friday 2026-09-18 17:00; Mon 21 (敬老の日), Tue 22 (国民の休日) and Wed 23 (秋分の日) are holidays.
    const friday = jst('2026-09-18 17:00');
    const a = lead('a', friday, { tier: twoCalendarHours });
    const told = simulate(() => [a], friday, jst('2026-09-24 12:00'), [
      jst('2026-09-21 09:00'),
      jst('2026-09-22 09:00'),
    ]);
    expect(told).toEqual([
      { at: jst('2026-09-24 09:00'), notify: [], summary: ['a:overdue'], escalations: [] },
    ]);
  });

  it('turns many leads due at once into one summary', () => {
    const leads = Array.from({ length: 12 }, (_, i) => lead(`l${String(i).padStart(2, '0')}`, monday));
    const plan = plan1(leads, jst('2026-06-10 16:00'));
    expect(plan.notify).toEqual([]);
    expect(plan.summary).toHaveLength(12);
    expect(new Set(plan.summary.map((a) => a.leadKey)).size).toBe(12);
    expect(plan.told).toHaveLength(24);
    const next = planAlerts({
      leads,
      calendar: cal,
      notified: new Set(plan.told),
      recorded: new Set(),
      now: jst('2026-06-10 16:00'),
    });
    expect([...next.notify, ...next.summary]).toEqual([]);
  });

  it('shows a few leads due at once one by one', () => {
    const leads = ['x', 'y', 'z'].map((k) => lead(k, monday));
    const plan = plan1(leads, jst('2026-06-10 16:00'));
    expect(plan.notify.map(short)).toEqual(['x:overdue', 'y:overdue', 'z:overdue']);
    expect(plan.summary).toEqual([]);
  });

  it('leaves kinds the rep switched off untold but still records escalations', () => {
    const settings = { ...defaultAlertSettings, kinds: { due_soon: false, overdue: true, step: false } };
    const plan = planAlerts({
      leads: [lead('a', monday)],
      calendar: cal,
      notified: new Set(),
      recorded: new Set(),
      settings,
      now: jst('2026-06-11 11:00'),
    });
    expect(plan.notify.map(short)).toEqual(['a:overdue']);
    expect(plan.told.map(short)).toEqual(['a:overdue']);
    expect(plan.escalations.map(short)).toEqual(['a:manager']);
  });

  it('records an escalation step once even when its notification was already told', () => {
    const now = jst('2026-06-11 12:00');
    const plan = planAlerts({
      leads: [lead('a', monday)],
      calendar: cal,
      notified: new Set(['due_soon', 'overdue', 'manager'].map((m) => alertId('a', monday, m))),
      recorded: new Set([alertId('a', monday, 'manager')]),
      now,
    });
    expect(plan.notify).toEqual([]);
    expect(plan.escalations).toEqual([]);
    expect(plan.wakeAt).toBe(jst('2026-06-15 13:00'));
  });

  it('gives each alert the lead name, company, CRM page and due time', () => {
    const [alert] = plan1([lead('a', monday)], jst('2026-06-10 10:30')).notify;
    expect(alert).toMatchObject({
      kind: 'due_soon',
      leadKey: 'a',
      name: 'Rep contact a',
      company: 'Company a',
      url: 'https://crm.example/a',
      stepId: 'reminder',
      at: jst('2026-06-10 10:00'),
      dueAt: jst('2026-06-10 16:00'),
    });
  });

  it('neither tells nor escalates moments older than a week, when alerts first run on an old backlog', () => {
    const plan = plan1([lead('a', monday)], jst('2026-06-19 14:00'));
    expect(plan.notify.map(short)).toEqual(['a:marketing']);
    expect(plan.escalations.map(short)).toEqual(['a:marketing']);
    // The reminder, breach and manager step lie more than a week back: dropped, not even remembered.
    expect(plan.told.map(short)).toEqual(['a:marketing']);
    const later = plan1([lead('a', monday)], jst('2026-07-01 10:00'));
    expect(later).toEqual({ notify: [], summary: [], held: [], told: [], escalations: [], wakeAt: null });
  });

  it('ignores leads with no handoff and sleeps when nothing lies ahead', () => {
    const none: AlertLead = { ...lead('a', monday), handoffAt: null };
    const plan = plan1([none], jst('2026-06-20 10:00'));
    expect(plan).toEqual({ notify: [], summary: [], held: [], told: [], escalations: [], wakeAt: null });
  });

  it('tells a lead handed over again (recycled, then qualified anew) again, under new ids', () => {
    // First cycle: handed over Monday, contacted Tuesday after its reminder; recycled and qualified again
    // the next Monday, when nobody calls.
    const second = jst('2026-06-15 10:00');
    const contactAt = jst('2026-06-10 12:00');
    const leadsAt = (t: number) =>
      t < second
        ? [lead('a', monday, { contactedAt: t >= contactAt ? contactAt : null })]
        : // The team still reports the first cycle's contact: it predates this handoff, so it does not count.
          [lead('a', second, { contactedAt: contactAt })];
    const told = simulate(leadsAt, monday, jst('2026-06-30 00:00'), [contactAt, second]);
    // simulate() shows ids without their handoff: due soon twice is the first cycle's, then the second's.
    expect(told.map((t) => [t.at, t.notify])).toEqual([
      [jst('2026-06-10 10:00'), ['a:due_soon']],
      [jst('2026-06-17 10:00'), ['a:due_soon']],
      [jst('2026-06-17 16:00'), ['a:overdue']],
      [jst('2026-06-18 11:00'), ['a:manager']],
      [jst('2026-06-22 13:00'), ['a:marketing']],
    ]);
    expect(told.flatMap((t) => t.escalations)).toEqual(['a:manager', 'a:marketing']);
  });

  it('keeps one id per lead, handoff and moment', () => {
    expect(alertId('a', monday, 'overdue')).toBe(alertId('a', monday, 'overdue'));
    expect(alertId('a', monday, 'overdue')).not.toBe(alertId('a', monday + 1, 'overdue'));
    expect(alertId('a', monday, 'overdue')).not.toBe(alertId('b', monday, 'overdue'));
  });
});

describe('pruning the record of what was told', () => {
  const day = 24 * 3_600_000;
  const claim = (l: AlertLead, moment: string, at: number) => ({
    id: alertId(l.key, l.handoffAt!, moment),
    leadKey: l.key,
    handoffAt: l.handoffAt!,
    at,
    toldAt: at,
  });

  it('keeps every claim the planner could still act on', () => {
    const a = lead('a', monday);
    const overdue = claim(a, 'overdue', jst('2026-06-10 16:00'));
    // Still open and inside the planner's horizon: pruning it would tell overdue again.
    expect(prunableClaims([overdue], [a], jst('2026-06-12 10:00'))).toEqual([]);
    // Past the horizon the planner drops it; an open cycle keeps it 30 days for a clock set back.
    expect(prunableClaims([overdue], [a], overdue.at + 20 * day)).toEqual([]);
    expect(prunableClaims([overdue], [a], overdue.at + 31 * day)).toEqual([overdue.id]);
  });

  it('drops the claims of a cycle that ended a day after they pass the horizon', () => {
    const contacted = lead('a', monday, { contactedAt: jst('2026-06-11 10:00') });
    const overdue = claim(contacted, 'overdue', jst('2026-06-10 16:00'));
    const horizon = overdue.at + defaultAlertSettings.maxAgeMs;
    expect(prunableClaims([overdue], [contacted], horizon)).toEqual([]);
    expect(prunableClaims([overdue], [contacted], horizon + day + 1)).toEqual([overdue.id]);
    // A lead no longer planned at all (gone from the queue) counts as ended too.
    expect(prunableClaims([overdue], [], horizon + day + 1)).toEqual([overdue.id]);
  });

  it('judges a row without its moment by when it was told', () => {
    const legacy = { id: 'a:overdue', leadKey: 'a', toldAt: monday };
    expect(prunableClaims([legacy], [], monday + 7 * day)).toEqual([]);
    expect(prunableClaims([legacy], [], monday + 9 * day)).toEqual(['a:overdue']);
    expect(prunableClaims([{ id: 'x', leadKey: 'x' }], [], monday + 400 * day)).toEqual([]);
  });

  it('never lets a pruned moment fire again, over two months of wakes, recycles and contacts', () => {
    // Three leads: one never contacted, one contacted mid-ladder, one recycled and qualified again.
    const second = jst('2026-06-22 10:00');
    const leadsAt = (t: number) => [
      lead('open', monday),
      lead('met', monday, { contactedAt: t >= jst('2026-06-11 09:30') ? jst('2026-06-11 09:30') : null }),
      t < second ? lead('again', monday) : lead('again', second),
    ];
    const claims = new Map<string, { id: string; leadKey: string; at: number; toldAt: number }>();
    const toldOnce: string[] = [];
    const recordedOnce: string[] = [];
    let maxClaims = 0;
    for (let t = monday; t <= jst('2026-08-20 00:00'); t += 5 * 3_600_000) {
      const leads = leadsAt(t);
      for (const id of prunableClaims([...claims.values()], leads, t)) claims.delete(id);
      const notified = new Set(claims.keys());
      const plan = planAlerts({ leads, calendar: cal, notified, recorded: notified, now: t });
      const due = new Map(leads.flatMap((l) => leadAlerts(l)).map((a) => [a.id, a.at]));
      for (const id of plan.told) {
        toldOnce.push(id);
        claims.set(id, { id, leadKey: id.split('@')[0]!, at: due.get(id)!, toldAt: t });
      }
      for (const e of plan.escalations) {
        recordedOnce.push(e.id);
        claims.set(e.id, { id: e.id, leadKey: e.leadKey, at: e.at, toldAt: t });
      }
      maxClaims = Math.max(maxClaims, claims.size);
    }
    expect(new Set(toldOnce).size).toBe(toldOnce.length);
    expect(new Set(recordedOnce).size).toBe(recordedOnce.length);
    expect(toldOnce).toContain(alertId('again', second, 'overdue'));
    expect(toldOnce).toContain(alertId('again', monday, 'overdue'));
    // Everything told lies more than 30 days back by the end: nothing is left.
    expect(claims.size).toBe(0);
    expect(maxClaims).toBeGreaterThan(0);
  });
});
