import { describe, expect, it } from 'vitest';
import { periodBounds } from '../calendar/zone';
import { leadKeyString } from '../lead-key';
import { defaultRuleSet } from '../rules';
import { emptyFacts, foldEvent, foldOutcome } from './facts';
import { generateHistory } from './generate';
import { leadsBehind } from './leads';
import { computeKpis } from './report';
import type { LeadFacts, LeadFigure } from './types';

const rules = defaultRuleSet;
const HOUR = 3_600_000;
const jst = (local: string) => Date.parse(`${local}+09:00`);
const start = jst('2026-11-01T00:00:00');
const end = jst('2026-12-01T00:00:00');
const NOW = jst('2026-11-20T12:00:00');

const row = (id: string, facts: Partial<LeadFacts>): LeadFacts => ({
  ...emptyFacts(`salesforce:Lead:${id}`, 'salesforce'),
  ...facts,
});

/**
 * By docs/kpis.md: overdue now = not contacted, due before now, no closing verdict (wrong_owner does not
 * close); a duplicate is not an MQL and is in no list.
 * a: contacted within the SLA, accepted as SQL, opportunity and won
 * b: untouched, due 10 Nov: overdue (due longest ago)
 * c: untouched, due 18 Nov, wrong owner: still overdue
 * d: untouched, due 15 Nov, rejected for an older reason: closed, not overdue
 * e: untouched, due 12 Nov, duplicate: not an MQL
 * f: untouched, due 25 Nov: not yet due
 * g: handed over in October: outside the period
 */
const rows = [
  row('a', {
    handoffAt: jst('2026-11-02T10:00:00'),
    dueAt: jst('2026-11-03T10:00:00'),
    firstContactAt: jst('2026-11-02T11:00:00'),
    verdict: 'accept_sql',
    opportunityAt: jst('2026-11-10T10:00:00'),
    wonAt: jst('2026-11-18T10:00:00'),
    owner: '田中 太郎',
    score: 72,
  }),
  row('b', { handoffAt: jst('2026-11-09T10:00:00'), dueAt: jst('2026-11-10T10:00:00') }),
  row('c', {
    handoffAt: jst('2026-11-17T10:00:00'),
    dueAt: jst('2026-11-18T10:00:00'),
    verdict: 'wrong_owner',
  }),
  row('d', {
    handoffAt: jst('2026-11-14T10:00:00'),
    dueAt: jst('2026-11-15T10:00:00'),
    verdict: 'reject',
    reasonCode: 'legacy_other',
  }),
  row('e', {
    handoffAt: jst('2026-11-11T10:00:00'),
    dueAt: jst('2026-11-12T10:00:00'),
    verdict: 'duplicate',
  }),
  row('f', { handoffAt: jst('2026-11-20T10:00:00'), dueAt: jst('2026-11-25T10:00:00') }),
  row('g', { handoffAt: jst('2026-10-20T10:00:00'), dueAt: jst('2026-10-21T10:00:00') }),
];
const ctx = { start, end, now: NOW, rules };
const keys = (figure: LeadFigure) =>
  leadsBehind(rows, figure, ctx).leads.map((l) => l.leadKey.replace('salesforce:Lead:', ''));

describe('leadsBehind', () => {
  it('lists the overdue leads, longest overdue first, a wrong owner still waiting among them', () => {
    expect(keys('overdue')).toEqual(['b', 'c']);
    expect(leadsBehind(rows, 'overdue', ctx).total).toBe(2);
  });

  it('lists each funnel stage’s leads, newest handoff first, duplicates in none', () => {
    expect(keys('mql')).toEqual(['f', 'c', 'd', 'b', 'a']);
    expect(keys('contacted')).toEqual(['a']);
    expect(keys('sql')).toEqual(['a']);
    expect(keys('opportunity')).toEqual(['a']);
    expect(keys('won')).toEqual(['a']);
  });

  it('gives each lead’s times, owner, score and verdict reason by its label, never a raw code', () => {
    const [a] = leadsBehind(rows, 'won', ctx).leads;
    expect(a).toEqual({
      leadKey: 'salesforce:Lead:a',
      crm: 'salesforce',
      owner: '田中 太郎',
      score: 72,
      handoffAt: '2026-11-02T01:00:00.000Z',
      dueAt: '2026-11-03T01:00:00.000Z',
      firstContactAt: '2026-11-02T02:00:00.000Z',
      verdict: 'accept_sql',
      reasonLabel: null,
      url: null,
    });
    const d = leadsBehind(rows, 'mql', ctx).leads.find((l) => l.leadKey.endsWith(':d'))!;
    expect(d.reasonLabel).toEqual({
      ja: 'その他（今のルールにない理由）',
      en: 'Other (a reason no longer in the rules)',
    });
    const c = leadsBehind(rows, 'mql', ctx).leads.find((l) => l.leadKey.endsWith(':c'))!;
    expect(c.reasonLabel?.en).toBe('Wrong owner');
  });

  it('holds exactly as many leads as the report counts, on a generated history', () => {
    const history = generateHistory({ leads: 4000, seed: 7, from: '2026-09-07', weeks: 8, rules });
    const facts = new Map<string, LeadFacts>();
    for (const event of history.events) {
      const key = leadKeyString(event.lead);
      facts.set(key, foldEvent(facts.get(key), event, rules.calendar));
    }
    for (const o of history.outcomes)
      facts.set(o.leadKey, foldOutcome(facts.get(o.leadKey), o, rules.calendar));
    const query = { from: '2026-09-09', to: '2026-11-01' };
    // Judged a day before the end, so some leads are still overdue.
    const now = history.until - 24 * HOUR;
    const report = computeKpis(facts.values(), { query, now, rules });
    const [from, to] = periodBounds(query, rules.calendar.timeZone);
    const count = (figure: LeadFigure) =>
      leadsBehind(facts.values(), figure, { start: from, end: to, now, rules }).total;
    expect(report.totals.overdueNow).toBeGreaterThan(0);
    expect(count('overdue')).toBe(report.totals.overdueNow);
    for (const stage of report.funnel) expect(count(stage.stage), stage.stage).toBe(stage.count);
  });
});
