import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadAlerts } from '../../lib/alerts';
import type { LeadTeamState } from '../../lib/events';
import type { LeadView } from '../../lib/lead-view';
import { defaultRuleSet } from '../../lib/rules/defaults';
import type { SlaState } from '../../lib/sla/state';
import { BatonDb, type StoredLead, type StoredTeamState } from '../db';
import { handedOverView, storedLead } from '../test/lead-rows';
import { shippedDb } from '../test/shipped-db';
import { alertLead } from './alerts';
import { alertableQueue, overdueCount, queue } from './queue';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-02T11:00:00+09:00');
const iso = (t: number) => new Date(t).toISOString();

/** A moment around NOW: the handoffs, due times and contacts of the generated leads. */
const moment = fc.integer({ min: -48, max: 6 }).map((h) => NOW + h * HOUR);
const STATES: SlaState[] = ['none', 'running', 'due_soon', 'overdue', 'met', 'missed'];
const STAGES = ['new', 'mql', 'contacted', 'sql', 'disqualified', 'recycled', 'converted'] as const;

/**
 * A stored view as any release may have written it, consistent or not: the SLA's state and its contact
 * are drawn apart, so a view whose state and contact disagree is among them.
 */
const viewOf = (recordId: string) =>
  fc
    .record({
      handoffAt: fc.option(moment),
      dueAt: fc.option(moment),
      // undefined: a stored view without the field (stored data is a boundary).
      contactedAt: fc
        .option(moment, { nil: null })
        .chain((c) => fc.constantFrom(c, c === null ? undefined : c)),
      state: fc.constantFrom(...STATES),
      stage: fc.constantFrom(...STAGES),
      partial: fc.boolean(),
      ladder: fc.boolean().map((none) => (none ? null : [])),
    })
    .map(
      (v): LeadView => ({
        crm: 'hubspot',
        object: 'contact',
        recordId,
        company: `Company ${recordId}`,
        score: 70,
        fit: 40,
        engagement: 30,
        grade: 'B',
        stage: v.stage,
        handoff:
          v.handoffAt === null
            ? null
            : { at: v.handoffAt, reason: 'score', label: { ja: '70点', en: '70 points' } },
        why: [],
        sla: {
          state: v.state,
          tierId: null,
          tier: null,
          dueAt: v.dueAt,
          dueIso: v.dueAt === null ? null : iso(v.dueAt),
          dueSoonAt: v.dueAt === null ? null : v.dueAt - HOUR / 2,
          contactedAt: v.contactedAt as number | null,
          ladder: v.ladder,
        },
        rulesVersion: '1',
        ...(v.partial ? { partial: true } : {}),
      }),
    );

const teamOf = (recordId: string) =>
  fc
    .record({
      handoff: fc.option(
        fc.record({ at: moment, dueIn: fc.integer({ min: 1, max: 8 }), scored: fc.boolean() }),
      ),
      contactAt: fc.option(moment),
      stage: fc.option(fc.constantFrom(...STAGES)),
      feedback: fc.boolean(),
    })
    .map(
      (t) =>
        ({
          lead: { crm: 'hubspot', object: 'contact', recordId },
          handoff: t.handoff && {
            type: 'handoff_observed',
            handoffAt: iso(t.handoff.at),
            dueAt: iso(t.handoff.at + t.handoff.dueIn * HOUR),
            reason: 'threshold',
            ...(t.handoff.scored ? { score: 80, fitGrade: 'A', fit: 50, engagement: 30 } : {}),
          },
          firstContact: t.contactAt === null ? null : { type: 'first_contact', occurredAt: iso(t.contactAt) },
          stage: t.stage === null ? null : { type: 'stage_change', to: t.stage },
          feedback: t.feedback ? { type: 'feedback', verdict: 'accept_sql' } : null,
          escalation: null,
        }) as unknown as LeadTeamState,
    );

/** Up to 12 leads, each seen here (with or without a view), known to the team, or both. */
const storedState = fc
  .array(
    fc.record({
      seen: fc.boolean(),
      team: fc.boolean(),
      verdict: fc.option(fc.constantFrom('accept_sql', 'reject', 'recycle', 'duplicate' as const)),
    }),
    { maxLength: 12 },
  )
  .chain((leads) =>
    fc.tuple(
      ...leads.map((l, i) => {
        const recordId = String(i + 1);
        return fc.record({
          lead: l.seen ? fc.option(viewOf(recordId), { nil: undefined }) : fc.constant(undefined),
          team: l.team ? teamOf(recordId).map((s) => s as LeadTeamState | undefined) : fc.constant(undefined),
          seen: fc.constant(l.seen),
          verdict: fc.constant(l.verdict),
        });
      }),
    ),
  );

interface Generated {
  seen: boolean;
  lead: LeadView | undefined;
  team: LeadTeamState | undefined;
  verdict: 'accept_sql' | 'reject' | 'recycle' | 'duplicate' | null;
}

/**
 * A database holding `state`, written by this release, or (`upgraded`) by release 8, before the marks,
 * and opened by this one, whose upgrade marks the rows.
 */
async function databaseWith(state: readonly Generated[], upgraded = false) {
  const leads: StoredLead[] = [];
  const team: StoredTeamState[] = [];
  state.forEach((s, i) => {
    const key = `hubspot:contact:${i + 1}`;
    if (s.seen)
      leads.push({
        ...storedLead(key, String(i + 1), s.lead),
        ...(s.verdict ? { reported: { feedbackAt: NOW - HOUR, verdict: s.verdict } } : {}),
      });
    if (s.team) team.push({ key, state: s.team, fetchedAt: 1 });
  });
  if (!upgraded) {
    const database = new BatonDb(`queue-${Math.random()}`);
    await database.leads.bulkPut(leads);
    await database.teamState.bulkPut(team);
    return database;
  }
  const shipped = shippedDb(8);
  await shipped.table('leads').bulkPut(leads);
  await shipped.table('teamState').bulkPut(team);
  shipped.close();
  return new BatonDb(shipped.name);
}

/** Every moment the alert planner could tell or escalate, as lib/alerts.ts derives them from the queue. */
const moments = (items: Awaited<ReturnType<typeof queue>>) =>
  items
    .flatMap((item) => alertLead(defaultRuleSet, item, NOW) ?? [])
    .flatMap(leadAlerts)
    .sort((a, b) => a.id.localeCompare(b.id));

describe('the alertable part of the queue', () => {
  it('gives the alert planner and the badge what the whole queue gives them, written now or before the marks', async () => {
    await fc.assert(
      fc.asyncProperty(storedState, fc.boolean(), async (state, upgraded) => {
        const database = await databaseWith(state, upgraded);
        try {
          const whole = await queue(database, NOW);
          const part = await alertableQueue(database, NOW);
          expect(moments(part)).toEqual(moments(whole));
          expect(overdueCount(part, NOW)).toBe(overdueCount(whole, NOW));
          // Each item it keeps is the queue's own, team facts and verdict merged alike.
          const byKey = new Map(whole.map((item) => [item.key, item]));
          for (const item of part) expect(item).toEqual(byKey.get(item.key));
        } finally {
          database.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out the leads whose first contact closed their SLA, and keeps those only the team knows', async () => {
    const database = await databaseWith([
      { seen: true, lead: handedOverView('1', NOW - 2 * HOUR, null), team: undefined, verdict: null },
      { seen: true, lead: handedOverView('2', NOW - 2 * HOUR, NOW - HOUR), team: undefined, verdict: null },
      {
        seen: false,
        lead: undefined,
        team: {
          lead: { crm: 'hubspot', object: 'contact', recordId: '3' },
          handoff: { handoffAt: iso(NOW - 2 * HOUR), dueAt: iso(NOW - HOUR) },
          firstContact: null,
          stage: null,
          feedback: null,
          escalation: null,
        } as unknown as LeadTeamState,
        verdict: null,
      },
    ]);
    expect((await queue(database, NOW)).map((i) => i.key).sort()).toEqual([
      'hubspot:contact:1',
      'hubspot:contact:2',
      'hubspot:contact:3',
    ]);
    expect((await alertableQueue(database, NOW)).map((i) => i.key).sort()).toEqual([
      'hubspot:contact:1',
      'hubspot:contact:3',
    ]);
    database.close();
  });
});
