import { describe, expect, it } from 'vitest';
import { businessTimeBetween } from '../calendar/business-time';
import type { BatonEvent } from '../events';
import { leadKeyString } from '../lead-key';
import { prng } from '../prng';
import { defaultRuleSet, type RuleSet } from '../rules';
import { emptyFacts, foldEvent, foldOutcome } from './facts';
import { generateHistory } from './generate';
import { computeKpis, DRIFT_MIN_VERDICTS } from './report';
import type { Drift, KpiMeasures, KpiQuery, LeadFacts, OutcomeRow } from './types';

const rules = defaultRuleSet;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const jst = (local: string) => Date.parse(`${local}+09:00`);
const NOVEMBER: KpiQuery = { from: '2026-11-01', to: '2026-12-01' };
const NOW = jst('2026-12-01T09:00:00');

let serial = 0;
function row(facts: Partial<LeadFacts>): LeadFacts {
  serial++;
  return { ...emptyFacts(`hubspot:0-1:${serial}`, 'hubspot'), rulesVersion: 1, ...facts };
}
const report = (rows: LeadFacts[], query: KpiQuery = NOVEMBER, ruleSet: RuleSet = rules) =>
  computeKpis(rows, { query, now: NOW, rules: ruleSet });

describe('computeKpis: the period', () => {
  it('counts handoffs from `from` 00:00 up to but not including `to` 00:00 in the rule set’s zone', () => {
    const rows = [
      row({ handoffAt: jst('2026-10-31T23:59:59.999') }),
      row({ handoffAt: jst('2026-11-01T00:00:00') }),
      row({ handoffAt: jst('2026-11-30T23:59:59.999') }),
      row({ handoffAt: jst('2026-12-01T00:00:00') }),
      row({ handoffAt: null, firstContactAt: jst('2026-11-10T10:00:00') }),
    ];
    expect(report(rows).totals.mqls).toBe(2);
  });

  it('reads the dates in another zone when the calendar is in it', () => {
    const newYork = { ...rules, calendar: { ...rules.calendar, timeZone: 'America/New_York' } };
    // 2026-11-01 00:30 in New York is 14:30 JST the same day; 2026-10-31 23:30 New York is 12:30 JST Nov 1.
    const rows = [
      row({ handoffAt: Date.parse('2026-11-01T00:30:00-04:00') }),
      row({ handoffAt: Date.parse('2026-10-31T23:30:00-04:00') }),
    ];
    expect(report(rows, NOVEMBER, newYork).totals.mqls).toBe(1);
    expect(report(rows, NOVEMBER, newYork).zone).toBe('America/New_York');
  });

  it('puts a handoff in the last hour of a period that ends after a fall-back switch in its own week', () => {
    const newYork = { ...rules, calendar: { ...rules.calendar, timeZone: 'America/New_York' } };
    // 1 Nov 2026 turns New York's clocks back: the period's last week is 7 days and 1 hour long.
    const lastHour = row({ handoffAt: Date.parse('2026-11-08T23:30:00-05:00'), rulesVersion: 7 });
    const result = report([lastHour], { from: '2026-10-26', to: '2026-11-09' }, newYork);
    expect(result.weeks.map((w) => [w.week, w.measures.mqls])).toEqual([
      ['2026-10-26', 0],
      ['2026-11-02', 1],
    ]);
    expect(result.breakdowns.rulesVersion.map((r) => [r.key, r.measures.mqls])).toEqual([['7', 1]]);
  });

  it('echoes the query with the default band width and the instant it judged overdue at', () => {
    const result = report([]);
    expect(result.query).toEqual({ ...NOVEMBER, bandWidth: 10 });
    expect(result.now).toBe(new Date(NOW).toISOString());
    expect(result.target).toEqual({ min: 0.2, max: 0.3 });
  });

  it('refuses dates that are not dates and band widths that are not whole numbers', () => {
    expect(() => report([], { from: '2026-11-31', to: '2026-12-01' })).toThrow(RangeError);
    expect(() => report([], { from: '2026/11/01', to: '2026-12-01' })).toThrow(RangeError);
    expect(() => report([], { ...NOVEMBER, bandWidth: 0 })).toThrow(RangeError);
    expect(() => report([], { ...NOVEMBER, bandWidth: 2.5 })).toThrow(RangeError);
  });

  it('answers zeros and nulls for a period without handoffs', () => {
    const { totals } = report([]);
    expect(totals.mqls).toBe(0);
    expect(totals.sqlRateOfVerdicts).toBeNull();
    expect(totals.contactRate).toBeNull();
    expect(totals.timeToContact.businessMedianMs).toBeNull();
  });
});

describe('computeKpis: measures', () => {
  const handoffAt = jst('2026-11-10T10:00:00');
  const dueAt = handoffAt + 2 * HOUR;

  it('counts verdicts, SQL rates, opportunities and wins as the types define them', () => {
    const rows = [
      row({
        handoffAt,
        verdict: 'accept_sql',
        opportunityAt: handoffAt + 5 * DAY,
        wonAt: handoffAt + 30 * DAY,
      }),
      row({ handoffAt, verdict: 'accept_sql', opportunityAt: handoffAt + 5 * DAY }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_budget' }),
      row({ handoffAt, verdict: 'recycle', reasonCode: 'bad_timing' }),
      row({ handoffAt, verdict: 'wrong_owner' }),
      row({ handoffAt }),
    ];
    const { totals } = report(rows);
    // Wrong owner is a verdict on routing, not on the lead: an MQL, but not among the judged ones.
    expect(totals).toMatchObject({
      mqls: 6,
      duplicates: 0,
      withVerdict: 4,
      notAboutQuality: 1,
      acceptedSql: 2,
      rejected: 1,
      recycled: 1,
      sqlRateOfVerdicts: 2 / 4,
      sqlRateOfMqls: 2 / 6,
      opportunities: 2,
      won: 1,
      opportunityRate: 2 / 2,
      winRate: 1 / 2,
      mqlToOpportunityRate: 2 / 6,
      mqlToWonRate: 1 / 6,
    });
  });

  it('counts a contact exactly at the due time as within the SLA', () => {
    const rows = [
      row({ handoffAt, dueAt, firstContactAt: dueAt, firstContactBusinessMs: 2 * HOUR }),
      row({ handoffAt, dueAt, firstContactAt: dueAt + 1, firstContactBusinessMs: 2 * HOUR + 1 }),
      row({ handoffAt, dueAt }),
    ];
    const { totals } = report(rows);
    expect(totals).toMatchObject({
      contacted: 2,
      contactedWithinSla: 1,
      contactRate: 2 / 3,
      contactWithinSlaRate: 1 / 3,
    });
  });

  it('counts as overdue now only untouched leads past due without a closing verdict', () => {
    const past = NOW - HOUR;
    const rows = [
      row({ handoffAt, dueAt: past }),
      row({ handoffAt, dueAt: past, verdict: 'wrong_owner' }),
      row({ handoffAt, dueAt: past, verdict: 'reject', reasonCode: 'no_need' }),
      row({ handoffAt, dueAt: past, firstContactAt: past + 1 }),
      row({ handoffAt, dueAt: NOW }),
      row({ handoffAt, dueAt: null }),
    ];
    expect(report(rows).totals.overdueNow).toBe(2);
  });

  it('takes nearest-rank percentiles: the lower middle for an even count, rank ceil(0.9·n) for p90', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      row({
        handoffAt,
        firstContactAt: handoffAt + (10 - i) * HOUR,
        firstContactBusinessMs: (10 - i) * 60_000,
      }),
    );
    const times = report(rows).totals.timeToContact;
    expect(times).toEqual({
      businessMedianMs: 5 * 60_000,
      businessP90Ms: 9 * 60_000,
      calendarMedianMs: 5 * HOUR,
      calendarP90Ms: 9 * HOUR,
    });
    const one = report([row({ handoffAt, firstContactAt: handoffAt + HOUR, firstContactBusinessMs: HOUR })]);
    expect(one.totals.timeToContact.businessP90Ms).toBe(HOUR);
    expect(one.totals.timeToContact.businessMedianMs).toBe(HOUR);
  });

  it('finds percentiles among many equal and unordered values', () => {
    const random = prng(3);
    const values = Array.from({ length: 1001 }, () => Math.floor(random() * 20) * 60_000);
    const rows = values.map((ms) =>
      row({ handoffAt, firstContactAt: handoffAt + ms, firstContactBusinessMs: ms }),
    );
    const sorted = [...values].sort((a, b) => a - b);
    const times = report(rows).totals.timeToContact;
    expect(times.businessMedianMs).toBe(sorted[500]);
    expect(times.businessP90Ms).toBe(sorted[Math.ceil(0.9 * 1001) - 1]);
  });
});

describe('computeKpis: rates as the practice defines them (docs/kpis.md)', () => {
  const handoffAt = jst('2026-11-10T10:00:00');

  it('divides 商談化率 by SQLs, not MQLs: 1 SQL of 3 MQLs that became an opportunity is 100%', () => {
    const rows = [
      row({ handoffAt, verdict: 'accept_sql', opportunityAt: handoffAt + 5 * DAY }),
      row({ handoffAt }),
      row({ handoffAt }),
    ];
    const { totals } = report(rows);
    // MQL→SQL 1/3, SQL→opportunity 1/1, opportunity→won 0/1, MQL→opportunity 1/3, MQL→won 0/3.
    expect(totals.sqlRateOfMqls).toBe(1 / 3);
    expect(totals.opportunityRate).toBe(1);
    expect(totals.winRate).toBe(0);
    expect(totals.mqlToOpportunityRate).toBe(1 / 3);
    expect(totals.mqlToWonRate).toBe(0);
  });

  it('counts an opportunity or a win without any verdict as an SQL', () => {
    const rows = [
      row({ handoffAt, opportunityAt: handoffAt + DAY, wonAt: handoffAt + 9 * DAY }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_need', opportunityAt: handoffAt + DAY }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_need' }),
      row({ handoffAt }),
    ];
    const { totals } = report(rows);
    // SQLs: the two opportunities; judged: those two and the rejection.
    expect(totals).toMatchObject({ mqls: 4, acceptedSql: 2, withVerdict: 3, rejected: 1 });
    expect(totals.sqlRateOfVerdicts).toBe(2 / 3);
    expect(totals.opportunityRate).toBe(2 / 2);
    expect(totals.winRate).toBe(1 / 2);
    expect(totals.mqlToWonRate).toBe(1 / 4);
  });

  it('leaves wrong owners out of drift and duplicates out of MQLs: 8 SQLs of 24 judged is above a 20–30% band', () => {
    const rows = [
      ...Array.from({ length: 8 }, () => row({ handoffAt, verdict: 'accept_sql' })),
      ...Array.from({ length: 16 }, () => row({ handoffAt, verdict: 'reject', reasonCode: 'no_need' })),
      ...Array.from({ length: 4 }, () => row({ handoffAt, verdict: 'wrong_owner' })),
      ...Array.from({ length: 2 }, () => row({ handoffAt, verdict: 'duplicate' })),
      // The default reason "duplicate" says it is about duplicates.
      ...Array.from({ length: 2 }, () => row({ handoffAt, verdict: 'reject', reasonCode: 'duplicate' })),
    ];
    const result = report(rows);
    // 32 handoffs − 4 duplicates = 28 MQLs; 8 SQL + 16 rejected = 24 judged; 8 / 24 = 33.3% > 30%.
    // Counting every verdict as before would read 8 / 32 = 25%, "within".
    expect(result.totals).toMatchObject({
      mqls: 28,
      duplicates: 4,
      withVerdict: 24,
      notAboutQuality: 4,
      acceptedSql: 8,
      rejected: 16,
    });
    expect(result.totals.sqlRateOfMqls).toBe(8 / 28);
    expect(result.drift).toMatchObject({ state: 'above', rate: 8 / 24 });
    const about = Object.fromEntries(
      result.reasons.map((r) => [`${r.verdict} ${r.code}`, [r.count, r.about]]),
    );
    expect(about).toEqual({
      'reject no_need': [16, 'lead_quality'],
      'wrong_owner wrong_owner': [4, 'not_lead_quality'],
      'duplicate duplicate': [2, 'duplicate'],
      'reject duplicate': [2, 'duplicate'],
    });
  });

  it('reads a reason the team marked as not about lead quality from the rule set', () => {
    const custom: RuleSet = {
      ...rules,
      feedbackReasons: [
        ...rules.feedbackReasons,
        {
          code: 'existing_customer',
          label: { ja: '既存顧客', en: 'Existing customer' },
          appliesTo: ['reject'],
          about: 'not_lead_quality',
        },
      ],
    };
    const rows = [
      row({ handoffAt, verdict: 'accept_sql' }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_budget' }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'existing_customer' }),
    ];
    const { totals } = report(rows, NOVEMBER, custom);
    // 3 MQLs, 2 judged on quality, 1 SQL: 1/2 of judged, 1/3 of MQLs.
    expect(totals).toMatchObject({ mqls: 3, withVerdict: 2, notAboutQuality: 1, rejected: 1 });
    expect(totals.sqlRateOfVerdicts).toBe(1 / 2);
    expect(totals.sqlRateOfMqls).toBe(1 / 3);
  });

  it('bands speed to lead by calendar time from handoff: 5 minutes, 1 hour, the due time, later, never', () => {
    const MIN = 60_000;
    const dueAt = handoffAt + 4 * HOUR;
    const at = (ms: number | null, extra: Partial<LeadFacts> = {}) =>
      row({ handoffAt, dueAt, firstContactAt: ms === null ? null : handoffAt + ms, ...extra });
    const rows = [
      at(3 * MIN, { verdict: 'accept_sql', wonAt: handoffAt + 20 * DAY }),
      at(5 * MIN, { verdict: 'accept_sql' }),
      at(5 * MIN + 1),
      at(60 * MIN, { verdict: 'accept_sql' }),
      at(2 * HOUR, { verdict: 'reject', reasonCode: 'no_need' }),
      at(4 * HOUR, { verdict: 'accept_sql' }),
      at(4 * HOUR + 1),
      at(null),
      at(null),
      // A duplicate says nothing about speed.
      at(MIN, { verdict: 'duplicate' }),
    ];
    const bands = Object.fromEntries(
      report(rows).speedToLead.map((b) => [b.band, [b.mqls, b.sqls, b.won, b.sqlRate, b.winRate]]),
    );
    // won implies an opportunity implies SQL in the fold; here the row says SQL itself.
    expect(bands).toEqual({
      within_5_minutes: [2, 2, 1, 1, 1 / 2],
      within_1_hour: [2, 1, 0, 1 / 2, 0],
      within_sla: [2, 1, 0, 1 / 2, 0],
      later: [1, 0, 0, 0, 0],
      never: [2, 0, 0, 0, 0],
    });
  });
});

describe('computeKpis: weeks and drift', () => {
  it('lists every Monday-based week of the period, empty ones too, starting before `from` when needed', () => {
    // 2026-11-01 is a Sunday: its week starts on Monday 2026-10-26.
    const result = report([
      row({ handoffAt: jst('2026-11-02T00:00:00') }),
      row({ handoffAt: jst('2026-11-01T23:59:00') }),
    ]);
    expect(result.weeks.map((w) => w.week)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
    expect(result.weeks.map((w) => w.measures.mqls)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('marks a first or last week the period cuts as partial, with the days it has', () => {
    // November 2026: Sun 1 Nov is the only day of the week of 26 Oct in it; Mon 30 Nov the only one of
    // the week of 30 Nov (the period ends at 1 Dec 00:00). The four weeks between are whole.
    const november = report([]);
    expect(november.weeks.map((w) => [w.week, w.days, w.partial])).toEqual([
      ['2026-10-26', 1, true],
      ['2026-11-02', 7, false],
      ['2026-11-09', 7, false],
      ['2026-11-16', 7, false],
      ['2026-11-23', 7, false],
      ['2026-11-30', 1, true],
    ]);
    // Wed 4 Nov to Sat 14 Nov: Wed–Sun is 5 days, then Mon–Fri 9–13 is 5 days.
    const cut = report([], { from: '2026-11-04', to: '2026-11-14' });
    expect(cut.weeks.map((w) => [w.week, w.days, w.partial])).toEqual([
      ['2026-11-02', 5, true],
      ['2026-11-09', 5, true],
    ]);
    // Monday to Monday: whole weeks only.
    const whole = report([], { from: '2026-11-02', to: '2026-11-16' });
    expect(whole.weeks.map((w) => w.partial)).toEqual([false, false]);
  });

  const withVerdicts = (accepted: number, others: number) => [
    ...Array.from({ length: accepted }, () =>
      row({ handoffAt: jst('2026-11-10T10:00:00'), verdict: 'accept_sql' }),
    ),
    ...Array.from({ length: others }, () =>
      row({ handoffAt: jst('2026-11-10T10:00:00'), verdict: 'reject', reasonCode: 'no_need' }),
    ),
  ];

  it(`says there is not enough data below ${DRIFT_MIN_VERDICTS} verdicts`, () => {
    expect(report(withVerdicts(1, DRIFT_MIN_VERDICTS - 2)).drift).toEqual({
      state: 'not_enough_data',
      verdicts: DRIFT_MIN_VERDICTS - 1,
      needed: DRIFT_MIN_VERDICTS,
    });
  });

  it('says a rate below the target suggests the threshold is too low', () => {
    const drift = report(withVerdicts(2, 18)).drift;
    expect(drift).toMatchObject({ state: 'below', rate: 0.1 });
    const message = (drift as Extract<Drift, { state: 'below' }>).message;
    expect(message.en).toMatch(/below the target of 20%–30%.*threshold is likely too low/);
    expect(message.ja).toMatch(/下回って.*閾値が低すぎ/);
  });

  it('says a rate above the target suggests the threshold is too high and opportunities are lost below it', () => {
    const drift = report(withVerdicts(8, 12)).drift;
    expect(drift).toMatchObject({ state: 'above', rate: 0.4 });
    const message = (drift as Extract<Drift, { state: 'above' }>).message;
    expect(message.en).toMatch(
      /above the target.*threshold is likely too high.*opportunities are being lost/,
    );
    expect(message.ja).toMatch(/上回って.*閾値が高すぎ.*商談を逃して/);
  });

  it('is within the band at its edges', () => {
    expect(report(withVerdicts(4, 16)).drift).toEqual({ state: 'within', rate: 0.2 });
    expect(report(withVerdicts(6, 14)).drift).toEqual({ state: 'within', rate: 0.3 });
  });

  it('judges each week on its own verdicts', () => {
    const result = report(withVerdicts(2, 18));
    const week = result.weeks.find((w) => w.week === '2026-11-09')!;
    expect(week.drift.state).toBe('below');
    expect(result.weeks.find((w) => w.week === '2026-11-16')!.drift.state).toBe('not_enough_data');
  });
});

describe('computeKpis: breakdowns, funnel, histogram, reasons', () => {
  const handoffAt = jst('2026-11-10T10:00:00');

  it('labels groups in Japanese and English and puts the unknown group last', () => {
    const rows = [
      row({ handoffAt, reason: 'threshold', owner: '田中 太郎', rulesVersion: 0, score: 65, fitGrade: 'A' }),
      row({ handoffAt, reason: 'trigger', owner: '', rulesVersion: 3, score: 69.5, fitGrade: 'unknown' }),
      row({ handoffAt, reason: 'manual', owner: 'Emily Clark', rulesVersion: 2, score: null }),
      row({ handoffAt, reason: 'trigger', owner: 'Emily Clark', rulesVersion: 2, score: -5 }),
    ];
    const { breakdowns } = report(rows);
    expect(breakdowns.reason.map((r) => [r.key, r.label])).toEqual([
      ['threshold', { ja: 'スコア到達', en: 'Score threshold' }],
      ['trigger', { ja: 'トリガー', en: 'Trigger' }],
      ['manual', { ja: '手動・CRM の MQL 日付', en: 'By hand or the CRM’s MQL date' }],
    ]);
    expect(breakdowns.owner.map((r) => [r.key, r.label.en, r.measures.mqls])).toEqual([
      ['Emily Clark', 'Emily Clark', 2],
      ['田中 太郎', '田中 太郎', 1],
      ['', 'No owner', 1],
    ]);
    expect(breakdowns.owner.at(-1)!.label.ja).toBe('担当者不明');
    expect(breakdowns.rulesVersion.map((r) => [r.key, r.label])).toEqual([
      ['0', { ja: '既定ルール', en: 'Built-in default' }],
      ['2', { ja: 'バージョン 2', en: 'Version 2' }],
      ['3', { ja: 'バージョン 3', en: 'Version 3' }],
    ]);
    expect(breakdowns.scoreBand.map((r) => [r.key, r.label.en, r.measures.mqls])).toEqual([
      ['-10--1', '-10–-1', 1],
      ['60-69', '60–69', 2],
      ['', 'No score', 1],
    ]);
    expect(breakdowns.fitGrade.map((r) => r.key)).toEqual(['A', '']);
    expect(breakdowns.crm).toEqual([
      expect.objectContaining({ key: 'hubspot', label: { ja: 'HubSpot', en: 'HubSpot' } }),
    ]);
  });

  it('bands scores by the width asked for', () => {
    const rows = [
      row({ handoffAt, score: 60 }),
      row({ handoffAt, score: 79 }),
      row({ handoffAt, score: 80 }),
    ];
    const bands = report(rows, { ...NOVEMBER, bandWidth: 20 }).breakdowns.scoreBand;
    expect(bands.map((b) => [b.key, b.measures.mqls])).toEqual([
      ['60-79', 2],
      ['80-99', 1],
    ]);
  });

  it('builds the funnel from the period’s counts', () => {
    const rows = [
      row({
        handoffAt,
        firstContactAt: handoffAt + HOUR,
        verdict: 'accept_sql',
        opportunityAt: handoffAt + DAY,
        wonAt: handoffAt + 9 * DAY,
      }),
      row({ handoffAt, firstContactAt: handoffAt + HOUR, verdict: 'reject', reasonCode: 'no_need' }),
      row({ handoffAt }),
    ];
    expect(report(rows).funnel.map((f) => [f.stage, f.label.en, f.count])).toEqual([
      ['mql', 'MQL', 3],
      ['contacted', 'Contacted', 2],
      ['sql', 'Accepted as SQL', 1],
      ['opportunity', 'Opportunity', 1],
      ['won', 'Won', 1],
    ]);
  });

  it('puts a business time on a bucket edge into the bucket that starts there', () => {
    const hours = [0, 0.99, 1, 3.5, 48, 200];
    const rows = hours.map((h) =>
      row({ handoffAt, firstContactAt: handoffAt + h * HOUR, firstContactBusinessMs: h * HOUR }),
    );
    expect(report(rows).timeToContactHistogram).toEqual([
      { fromHours: 0, toHours: 1, count: 2 },
      { fromHours: 1, toHours: 2, count: 1 },
      { fromHours: 2, toHours: 4, count: 1 },
      { fromHours: 4, toHours: 8, count: 0 },
      { fromHours: 8, toHours: 16, count: 0 },
      { fromHours: 16, toHours: 24, count: 0 },
      { fromHours: 24, toHours: 48, count: 0 },
      { fromHours: 48, toHours: null, count: 2 },
    ]);
  });

  it('lists rejection and recycle reasons most frequent first, labelled from the rule set, never by a raw code', () => {
    const rows = [
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_need' }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_need' }),
      row({ handoffAt, verdict: 'recycle', reasonCode: 'no_budget' }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'no_budget' }),
      row({ handoffAt, verdict: 'reject', reasonCode: 'legacy_other' }),
      row({ handoffAt, verdict: 'accept_sql' }),
    ];
    expect(report(rows).reasons).toEqual([
      {
        verdict: 'reject',
        code: 'no_need',
        label: { ja: 'ニーズがない', en: 'No need' },
        count: 2,
        about: 'lead_quality',
      },
      {
        verdict: 'recycle',
        code: 'no_budget',
        label: { ja: '予算がない', en: 'No budget' },
        count: 1,
        about: 'lead_quality',
      },
      {
        verdict: 'reject',
        code: 'legacy_other',
        // A code the rule set no longer lists is named as such, never shown raw.
        label: { ja: 'その他（今のルールにない理由）', en: 'Other (a reason no longer in the rules)' },
        count: 1,
        about: 'lead_quality',
      },
      {
        verdict: 'reject',
        code: 'no_budget',
        label: { ja: '予算がない', en: 'No budget' },
        count: 1,
        about: 'lead_quality',
      },
    ]);
  });

  it('reads rows from any iterable, once', () => {
    const rows = [row({ handoffAt }), row({ handoffAt })];
    function* stream() {
      yield* rows;
    }
    expect(computeKpis(stream(), { query: NOVEMBER, now: NOW, rules }).totals.mqls).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------------
// Done when: a generated history folded in a shuffled order gives exactly what a naive computation,
// written here from the events themselves, gives.

interface NaiveLead {
  handoffAt: number;
  dueAt: number | null;
  reason: string;
  owner: string;
  crm: string;
  rulesVersion: number;
  score: number | null;
  fitGrade: string;
  contactAt: number | null;
  /** Working ms from handoff to first contact. */
  businessMs: number | null;
  verdict: string | null;
  reasonCode: string | null;
  opportunity: boolean;
  won: boolean;
}

/** Every lead's current cycle, decided from all its events at once. */
function naiveLeads(events: BatonEvent[], outcomes: OutcomeRow[]): NaiveLead[] {
  const byLead = new Map<string, { events: BatonEvent[]; outcomes: OutcomeRow[] }>();
  const entry = (key: string) => {
    let found = byLead.get(key);
    if (!found) {
      found = { events: [], outcomes: [] };
      byLead.set(key, found);
    }
    return found;
  };
  for (const event of events) entry(leadKeyString(event.lead)).events.push(event);
  for (const outcome of outcomes) entry(outcome.leadKey).outcomes.push(outcome);

  const leads: NaiveLead[] = [];
  for (const lead of byLead.values()) {
    const handoffs = lead.events.filter((e) => e.type === 'handoff_observed');
    if (handoffs.length === 0) continue;
    const handoffAt = Math.max(...handoffs.map((h) => Date.parse(h.handoffAt)));
    const reports = handoffs.filter((h) => Date.parse(h.handoffAt) === handoffAt);
    const field = <K extends keyof (typeof reports)[number]>(k: K) =>
      reports.find((r) => r[k] !== undefined)?.[k];
    const inCycle = (at: number) => at >= handoffAt;
    let contactAt: number | null = null;
    let verdictAt = -1;
    let verdict: string | null = null;
    let reasonCode: string | null = null;
    let opportunity = false;
    let won = false;
    let crmSqlAt: number | null = null;
    for (const event of lead.events) {
      const at = Date.parse(event.occurredAt);
      if (!inCycle(at)) continue;
      if (event.type === 'first_contact' && (contactAt === null || at < contactAt)) contactAt = at;
      if (event.type === 'feedback' && at > verdictAt) {
        verdictAt = at;
        verdict = event.verdict;
        reasonCode = event.reasonCode ?? null;
      }
      if (event.type === 'stage_change' && event.to === 'converted') opportunity = true;
      if (event.type === 'stage_change' && event.to === 'won') won = opportunity = true;
      if (event.type === 'stage_change' && event.to === 'sql' && (crmSqlAt === null || at < crmSqlAt)) {
        crmSqlAt = at;
      }
    }
    // The CRM's SQL, first seen after the last feedback, is the verdict.
    if (crmSqlAt !== null && (verdict === null || crmSqlAt > verdictAt)) {
      verdict = 'accept_sql';
      reasonCode = null;
    }
    for (const outcome of lead.outcomes) {
      if (!inCycle(outcome.at)) continue;
      if (outcome.outcome === 'won') {
        won = true;
        opportunity = true;
      }
      if (outcome.outcome === 'opportunity') opportunity = true;
    }
    const first = reports[0]!;
    leads.push({
      handoffAt,
      dueAt: Date.parse(first.dueAt),
      reason: first.reason,
      owner: field('owner') ?? '',
      crm: first.lead.crm,
      rulesVersion: first.rulesVersion,
      score: field('score') ?? null,
      fitGrade: field('fitGrade') ?? '',
      contactAt,
      businessMs: contactAt === null ? null : businessTimeBetween(rules.calendar, handoffAt, contactAt),
      verdict,
      reasonCode,
      opportunity,
      won,
    });
  }
  return leads;
}

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}

const reasonAbout = new Map(rules.feedbackReasons.map((r) => [r.code, r.about ?? 'lead_quality']));

/** docs/kpis.md in plain code: an opportunity is an SQL; duplicates are not MQLs; wrong owners not verdicts on quality. */
function naiveCode(l: NaiveLead): 'none' | 'sql' | 'reject' | 'recycle' | 'other' | 'duplicate' {
  if (l.opportunity || l.verdict === 'accept_sql') return 'sql';
  if (l.verdict === null) return 'none';
  if (l.verdict === 'duplicate') return 'duplicate';
  if (l.verdict === 'wrong_owner') return 'other';
  const about = reasonAbout.get(l.reasonCode ?? '') ?? 'lead_quality';
  if (about === 'duplicate') return 'duplicate';
  if (about === 'not_lead_quality') return 'other';
  return l.verdict === 'reject' ? 'reject' : 'recycle';
}

function naiveMeasures(all: NaiveLead[], now: number): KpiMeasures {
  const leads = all.filter((l) => naiveCode(l) !== 'duplicate');
  const count = (test: (l: NaiveLead) => boolean) => leads.filter(test).length;
  const rate = (a: number, b: number) => (b === 0 ? null : a / b);
  const contacted = leads.filter((l) => l.contactAt !== null);
  const business = contacted.map((l) => l.businessMs!);
  const calendarMs = contacted.map((l) => l.contactAt! - l.handoffAt);
  const mqls = leads.length;
  const withVerdict = count((l) => ['sql', 'reject', 'recycle'].includes(naiveCode(l)));
  const acceptedSql = count((l) => naiveCode(l) === 'sql');
  const contactedWithinSla = count((l) => l.contactAt !== null && l.dueAt !== null && l.contactAt <= l.dueAt);
  const opportunities = count((l) => l.opportunity);
  const won = count((l) => l.won);
  return {
    mqls,
    duplicates: all.length - leads.length,
    withVerdict,
    notAboutQuality: count((l) => naiveCode(l) === 'other'),
    acceptedSql,
    rejected: count((l) => naiveCode(l) === 'reject'),
    recycled: count((l) => naiveCode(l) === 'recycle'),
    sqlRateOfVerdicts: rate(acceptedSql, withVerdict),
    sqlRateOfMqls: rate(acceptedSql, mqls),
    contacted: contacted.length,
    contactedWithinSla,
    contactRate: rate(contacted.length, mqls),
    contactWithinSlaRate: rate(contactedWithinSla, mqls),
    timeToContact: {
      businessMedianMs: nearestRank(business, 50),
      businessP90Ms: nearestRank(business, 90),
      calendarMedianMs: nearestRank(calendarMs, 50),
      calendarP90Ms: nearestRank(calendarMs, 90),
    },
    overdueNow: count(
      (l) =>
        l.contactAt === null &&
        l.dueAt !== null &&
        l.dueAt < now &&
        (l.verdict === null || l.verdict === 'wrong_owner'),
    ),
    opportunities,
    won,
    opportunityRate: rate(opportunities, acceptedSql),
    winRate: rate(won, opportunities),
    mqlToOpportunityRate: rate(opportunities, mqls),
    mqlToWonRate: rate(won, mqls),
  };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = prng(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('computeKpis over a generated history', () => {
  it('agrees with a naive computation from the events on every total, week, breakdown, funnel, histogram and reason', () => {
    const history = generateHistory({ leads: 100_000, seed: 20261125, from: '2026-06-01', weeks: 26, rules });
    const now = history.until;
    const query: KpiQuery = { from: '2026-06-03', to: '2026-11-27' };

    const rows = new Map<string, LeadFacts>();
    for (const event of shuffled(history.events, 1)) {
      const key = leadKeyString(event.lead);
      rows.set(key, foldEvent(rows.get(key), event, rules.calendar));
    }
    for (const outcome of shuffled(history.outcomes, 2)) {
      rows.set(outcome.leadKey, foldOutcome(rows.get(outcome.leadKey), outcome, rules.calendar));
    }
    const result = computeKpis(rows.values(), { query, now, rules });

    // The period and weeks from the local date as Intl prints it in the zone, not from zone arithmetic.
    const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: rules.calendar.timeZone });
    const dateOf = (t: number) => localDate.format(t);
    const mondayOf = (date: string) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return d.toISOString().slice(0, 10);
    };
    const leads = naiveLeads(history.events, history.outcomes).filter((l) => {
      const date = dateOf(l.handoffAt);
      return date >= query.from && date < query.to;
    });
    expect(leads.length).toBeGreaterThan(90_000);

    const totals = naiveMeasures(leads, now);
    expect(result.totals).toEqual(totals);

    const naiveDrift = (m: KpiMeasures) =>
      m.withVerdict < DRIFT_MIN_VERDICTS
        ? 'not_enough_data'
        : m.sqlRateOfVerdicts! < rules.conversionTarget.min
          ? 'below'
          : m.sqlRateOfVerdicts! > rules.conversionTarget.max
            ? 'above'
            : 'within';
    const byWeek = groupBy(leads, (l) => mondayOf(dateOf(l.handoffAt)));
    expect(result.weeks.map((w) => w.week)).toEqual([...byWeek.keys()].sort());
    for (const week of result.weeks) {
      const expected = naiveMeasures(byWeek.get(week.week)!, now);
      expect(week.measures, week.week).toEqual(expected);
      expect(week.drift.state, week.week).toBe(naiveDrift(expected));
    }
    // The generated history has rule version 1 converting worse: early weeks fall below the target.
    expect(result.weeks.some((w) => w.drift.state === 'below')).toBe(true);
    expect(result.weeks.some((w) => w.drift.state === 'within')).toBe(true);

    const keyOf: Record<keyof typeof result.breakdowns, (l: NaiveLead) => string> = {
      rulesVersion: (l) => String(l.rulesVersion),
      owner: (l) => l.owner,
      crm: (l) => l.crm,
      reason: (l) => l.reason,
      fitGrade: (l) => l.fitGrade,
      scoreBand: (l) => {
        if (l.score === null) return '';
        const low = Math.floor(l.score / 10) * 10;
        return `${low}-${low + 9}`;
      },
    };
    for (const [dimension, key] of Object.entries(keyOf) as [
      keyof typeof keyOf,
      (l: NaiveLead) => string,
    ][]) {
      const expected = Object.fromEntries(
        [...groupBy(leads, key)].map(([k, group]) => [k, naiveMeasures(group, now)]),
      );
      const actual = Object.fromEntries(result.breakdowns[dimension].map((r) => [r.key, r.measures]));
      expect(actual, dimension).toEqual(expected);
    }
    expect(result.breakdowns.owner.length).toBeGreaterThanOrEqual(12);

    expect(result.funnel.map((f) => f.count)).toEqual([
      totals.mqls,
      totals.contacted,
      totals.acceptedSql,
      totals.opportunities,
      totals.won,
    ]);

    const hoursToContact = leads
      .filter((l) => l.contactAt !== null && naiveCode(l) !== 'duplicate')
      .map((l) => l.businessMs! / HOUR);
    const edges = [0, 1, 2, 4, 8, 16, 24, 48, Number.POSITIVE_INFINITY];
    expect(result.timeToContactHistogram.map((b) => b.count)).toEqual(
      edges.slice(0, -1).map((low, i) => hoursToContact.filter((h) => h >= low && h < edges[i + 1]!).length),
    );

    const reasonLabel = new Map<string, string>(rules.feedbackReasons.map((r) => [r.code, r.label.en]));
    const verdictLabel = new Map([
      ['wrong_owner', 'Wrong owner'],
      ['duplicate', 'Duplicate'],
    ]);
    const reasons = groupBy(
      leads
        .filter((l) => l.verdict !== null && l.verdict !== 'accept_sql')
        .map((l) =>
          l.verdict === 'wrong_owner' || l.verdict === 'duplicate' ? { ...l, reasonCode: l.verdict } : l,
        ),
      (l) => `${l.verdict} ${l.reasonCode}`,
    );
    expect(
      Object.fromEntries(result.reasons.map((r) => [`${r.verdict} ${r.code}`, [r.count, r.label.en]])),
    ).toEqual(
      Object.fromEntries(
        [...reasons].map(([k, group]) => [
          k,
          [
            group.length,
            verdictLabel.get(group[0]!.verdict!) ??
              reasonLabel.get(group[0]!.reasonCode!) ??
              'Other (a reason no longer in the rules)',
          ],
        ]),
      ),
    );
    const counts = result.reasons.map((r) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  }, 60_000);
});
