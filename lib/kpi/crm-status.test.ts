/**
 * CRM statuses that mean SQL, opportunity, won or lost count in the KPIs: status histories as kintone,
 * HubSpot and Salesforce show them, mapped by the default rule set, recorded as stage_change events (as the
 * extension and intake record them), folded, and reported. Expected figures are counted by hand below.
 */
import { describe, expect, it } from 'vitest';
import { statusMeaning } from '../crm/mapping';
import type { BatonEvent } from '../events';
import type { CrmId, LeadKey, Stage } from '../lead';
import { leadKeyString } from '../lead-key';
import { defaultRuleSet } from '../rules';
import { compileRules } from '../scoring/compile';
import { stageFromStatus } from '../scoring/score';
import { foldEvent } from './facts';
import { computeKpis } from './report';
import type { LeadFacts } from './types';

const rules = defaultRuleSet;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-10T10:00:00+09:00');
const iso = (t: number) => new Date(t).toISOString();

let serial = 0;
function base(lead: LeadKey, at: number) {
  serial++;
  return {
    idempotencyKey: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    occurredAt: iso(at),
    lead,
    rulesVersion: 1,
    actor: { name: '佐藤 花子' },
  };
}

const handoff = (lead: LeadKey, at: number): BatonEvent => ({
  type: 'handoff_observed',
  ...base(lead, at),
  handoffAt: iso(at),
  dueAt: iso(at + DAY),
  reason: 'threshold',
});

const reject = (lead: LeadKey, at: number): BatonEvent => ({
  type: 'feedback',
  ...base(lead, at),
  verdict: 'reject',
  reasonCode: 'no_need',
});

/** A status history as the CRM page showed it: each change of mapped stage is one stage_change event. */
function statusHistory(lead: LeadKey, history: [status: string, at: number][]): BatonEvent[] {
  const compiled = compileRules(rules);
  const events: BatonEvent[] = [];
  let previous: Stage | undefined;
  for (const [status, at] of history) {
    const stage = stageFromStatus(compiled, lead.crm, status);
    if (stage === undefined) throw new Error(`${lead.crm} status "${status}" is not mapped`);
    if (previous !== undefined && stage !== previous) {
      events.push({ type: 'stage_change', ...base(lead, at), from: previous, to: stage });
    }
    previous = stage;
  }
  return events;
}

function fold(events: BatonEvent[]): Map<string, LeadFacts> {
  const rows = new Map<string, LeadFacts>();
  for (const event of events) {
    const key = leadKeyString(event.lead);
    rows.set(key, foldEvent(rows.get(key), event, rules.calendar));
  }
  return rows;
}

const key = (crm: CrmId, object: string, recordId: string): LeadKey => ({ crm, object, recordId });
const kintone = key('kintone', '12', '101');
const hubspotLater = key('hubspot', '0-1', '201');
const hubspotEarlier = key('hubspot', '0-1', '202');
const salesforceConverted = key('salesforce', 'Lead', '00Q5g00000AbCdEAAA');
const salesforceLost = key('salesforce', 'Lead', '00Q5g00000AbCdFAAA');

const events: BatonEvent[] = [
  handoff(kintone, T0),
  ...statusHistory(kintone, [
    ['未対応', T0],
    ['対応中', T0 + HOUR],
    ['商談化', T0 + 2 * DAY],
    ['受注', T0 + 20 * DAY],
  ]),
  // HubSpot: the CRM said SQL first, then the rep rejected it in Baton: the later one, the rejection, stands.
  handoff(hubspotLater, T0),
  ...statusHistory(hubspotLater, [
    ['New', T0],
    ['Attempted to contact', T0 + HOUR],
    ['Connected', T0 + DAY],
    ['Open deal', T0 + 2 * DAY],
  ]),
  reject(hubspotLater, T0 + 3 * DAY),
  // HubSpot: rejected in Baton first, then sales opened a deal: the CRM's later SQL stands.
  handoff(hubspotEarlier, T0),
  reject(hubspotEarlier, T0 + DAY),
  ...statusHistory(hubspotEarlier, [
    ['New', T0],
    ['In progress', T0 + 2 * HOUR],
    ['オープンな取引', T0 + 4 * DAY],
  ]),
  handoff(salesforceConverted, T0),
  ...statusHistory(salesforceConverted, [
    ['Open - Not Contacted', T0],
    ['Working - Contacted', T0 + HOUR],
    ['Closed - Converted', T0 + 5 * DAY],
  ]),
  handoff(salesforceLost, T0),
  ...statusHistory(salesforceLost, [
    ['未対応', T0],
    ['対応中', T0 + HOUR],
    ['取引不成立', T0 + 5 * DAY],
  ]),
];

describe('CRM statuses that mean SQL, opportunity, won or lost', () => {
  it('names what a stage means to the KPIs, and nothing for the CRM’s bookkeeping stages', () => {
    expect(statusMeaning('sql')).toBe('sql');
    expect(statusMeaning('converted')).toBe('opportunity');
    expect(statusMeaning('won')).toBe('won');
    expect(statusMeaning('lost')).toBe('lost');
    for (const stage of ['new', 'mql', 'contacted', 'disqualified', 'recycled'] as const) {
      expect(statusMeaning(stage)).toBeNull();
    }
  });

  it('makes kintone’s 商談化 an SQL when first seen and 受注 a win (and so an opportunity)', () => {
    const row = fold(events).get(leadKeyString(kintone))!;
    expect(row.verdict).toBe('accept_sql');
    expect(row.verdictAt).toBe(T0 + 2 * DAY);
    expect(row.wonAt).toBe(T0 + 20 * DAY);
    expect(row.opportunityAt).toBe(T0 + 20 * DAY);
  });

  it('keeps the first sighting of an SQL status when a second browser reports it later', () => {
    const again: BatonEvent = {
      type: 'stage_change',
      ...base(kintone, T0 + 3 * DAY),
      from: 'contacted',
      to: 'sql',
    };
    for (const order of [
      [...events, again],
      [again, ...events],
    ]) {
      expect(fold(order).get(leadKeyString(kintone))!.verdictAt).toBe(T0 + 2 * DAY);
    }
  });

  it('lets the later of Baton’s feedback and the CRM’s SQL be the verdict, whatever order they arrive in', () => {
    for (const order of [events, [...events].reverse()]) {
      const rows = fold(order);
      expect(rows.get(leadKeyString(hubspotLater))).toMatchObject({
        verdict: 'reject',
        verdictAt: T0 + 3 * DAY,
        reasonCode: 'no_need',
      });
      expect(rows.get(leadKeyString(hubspotEarlier))).toMatchObject({
        verdict: 'accept_sql',
        verdictAt: T0 + 4 * DAY,
        reasonCode: null,
      });
    }
  });

  it('reports the three CRMs’ outcomes in the rates', () => {
    const report = computeKpis(fold(events).values(), {
      query: { from: '2026-11-01', to: '2026-12-01' },
      now: T0 + 30 * DAY,
      rules,
    });
    // 5 MQLs. SQLs: kintone (商談化), HubSpot 202 (Open deal after the rejection), Salesforce converted
    // (an opportunity) = 3. Judged on quality: those 3 and HubSpot 201's rejection = 4. Opportunities:
    // kintone (won) and Salesforce converted = 2; won: kintone = 1. 取引不成立 is no outcome.
    expect(report.totals).toMatchObject({
      mqls: 5,
      acceptedSql: 3,
      withVerdict: 4,
      rejected: 1,
      opportunities: 2,
      won: 1,
    });
    expect(report.totals.sqlRateOfMqls).toBe(3 / 5);
    expect(report.totals.sqlRateOfVerdicts).toBe(3 / 4);
    expect(report.totals.opportunityRate).toBe(2 / 3);
    expect(report.totals.winRate).toBe(1 / 2);
    expect(report.totals.mqlToOpportunityRate).toBe(2 / 5);
    expect(report.totals.mqlToWonRate).toBe(1 / 5);
  });
});
