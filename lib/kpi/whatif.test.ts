import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../rules/defaults';
import type { RuleSet } from '../rules/schema';
import { emptyFacts } from './facts';
import type { HandoffReason, LeadFacts, ThresholdPoint, Verdict, WhatIfQuery } from './types';
import {
  draftScorer,
  type ReplayLead,
  replayLeadsFrom,
  rescoreForDraft,
  type WhatIfOptions,
  whatIf,
} from './whatif';

const QUERY: WhatIfQuery = { from: '2026-07-01', to: '2026-10-01' };

function lead(
  score: number | null,
  verdict: Verdict | null,
  reason: HandoffReason = 'threshold',
  extra: Partial<ReplayLead> = {},
): ReplayLead {
  return {
    score,
    fit: null,
    engagement: null,
    reason,
    verdict,
    handoffAt: 0,
    explanation: null,
    rulesVersion: 1,
    ...extra,
  };
}

function options(extra: Partial<WhatIfOptions> = {}): WhatIfOptions {
  return {
    query: QUERY,
    threshold: 60,
    currentThreshold: 60,
    target: { min: 0.6, max: 0.7 },
    weeks: 1,
    ...extra,
  };
}

function facts(extra: Partial<LeadFacts>): LeadFacts {
  return {
    ...emptyFacts('salesforce:Lead:00Q000000000001AAA', 'salesforce'),
    reason: 'threshold',
    score: 70,
    fit: 30,
    engagement: 40,
    fitGrade: 'B',
    rulesVersion: 3,
    ...extra,
  };
}

describe('replayLeadsFrom', () => {
  const period = { from: '2026-10-01', to: '2027-01-01', zone: 'Asia/Tokyo' };

  it('takes handoffs on local dates from `from` up to but not including `to`', () => {
    const rows = [
      facts({ leadKey: 'a', handoffAt: Date.parse('2026-09-30T23:59:59+09:00') }),
      facts({ leadKey: 'b', handoffAt: Date.parse('2026-10-01T00:00:00+09:00') }),
      facts({ leadKey: 'c', handoffAt: Date.parse('2026-12-31T23:59:59+09:00') }),
      facts({ leadKey: 'd', handoffAt: Date.parse('2027-01-01T00:00:00+09:00') }),
      facts({ leadKey: 'e', handoffAt: null }),
    ];
    const leads = replayLeadsFrom(rows, period);
    expect(leads.map((l) => l.handoffAt)).toEqual([
      Date.parse('2026-10-01T00:00:00+09:00'),
      Date.parse('2026-12-31T23:59:59+09:00'),
    ]);
  });

  it('reads the explanation, and treats a damaged one as none', () => {
    const at = Date.parse('2026-11-02T10:00:00+09:00');
    const good = 'f:icp_industry:20|e:demo_request:30';
    const rows = [
      facts({ handoffAt: at, explanation: good }),
      facts({ handoffAt: at, explanation: 'f:icp_industry' }),
      facts({ handoffAt: at, explanation: 'b:x:5' }),
      facts({ handoffAt: at, explanation: '[{"ruleId":"x","kind":"fit","points":5}]' }),
      facts({ handoffAt: at, explanation: null }),
    ];
    const leads = replayLeadsFrom(rows, period);
    expect(leads.map((l) => l.explanation)).toEqual([
      [
        { ruleId: 'icp_industry', kind: 'fit', points: 20 },
        { ruleId: 'demo_request', kind: 'engagement', points: 30 },
      ],
      null,
      null,
      null,
      null,
    ]);
    expect(leads[0]).toMatchObject({
      score: 70,
      fit: 30,
      engagement: 40,
      reason: 'threshold',
      rulesVersion: 3,
    });
  });
});

describe('whatIf on a small history', () => {
  // Scores handed over by threshold: 50 reject, 55 SQL, 60 SQL, 60 reject, 70 SQL, 80 no verdict;
  // plus a trigger lead (SQL, no score) and a manual handoff (score 30, rejected): 4 SQLs in all.
  const history = [
    lead(50, 'reject'),
    lead(55, 'accept_sql'),
    lead(60, 'accept_sql'),
    lead(60, 'reject'),
    lead(70, 'accept_sql'),
    lead(80, null),
    lead(null, 'accept_sql', 'trigger'),
    lead(30, 'reject', 'manual'),
  ];

  it('keeps leads handed over by trigger or by hand at every threshold', () => {
    // 81, one past the highest score (80): every handoff by score is cut.
    const report = whatIf(history, options({ threshold: 81 }));
    expect(report.proposed).toMatchObject({ mqls: 2, sqlRate: 0.5, sqlsKept: 1, sqlsLost: 3 });
  });

  it('refuses to predict a threshold below the lowest score handed over, and says why', () => {
    // Scores by threshold run 50–80: at 45 or 49 every one would be kept, the figures of 50, stated as if
    // leads scoring 45–49 had been seen.
    for (const threshold of [45, 49]) {
      const report = whatIf(history, options({ threshold }));
      expect(report.proposed).toBeNull();
      expect(report.refused.proposed).toMatchObject({ threshold, reason: 'below_evidence' });
      expect(report.refused.proposed?.message.en).toMatch(
        /lowest score handed over by score was 50.*Try 50 or more/,
      );
      expect(report.refused.proposed?.message.ja).toMatch(/最低でも 50 点.*50 点以上で試してください/);
      // The current threshold (60) is on the curve and still predicted.
      expect(report.current?.threshold).toBe(60);
      expect(report.refused.current).toBeNull();
    }
    expect(whatIf(history, options({ threshold: 50 })).proposed).toMatchObject({ threshold: 50, mqls: 8 });
  });

  it('refuses to predict past one above the highest score, and a current threshold outside the range', () => {
    const report = whatIf(history, options({ threshold: 1000, currentThreshold: 40 }));
    expect(report.proposed).toBeNull();
    expect(report.refused.proposed).toMatchObject({ threshold: 1000, reason: 'above_evidence' });
    expect(report.refused.proposed?.message.en).toMatch(/highest score handed over by score was 80/);
    expect(report.current).toBeNull();
    expect(report.refused.current).toMatchObject({ threshold: 40, reason: 'below_evidence' });
  });

  it('counts MQLs, SQL rate, kept and lost SQLs at a threshold, by hand', () => {
    const report = whatIf(history, options({ weeks: 2, capacityPerWeek: 4 }));
    // At 60: 60, 60, 70, 80 plus the trigger and manual leads; verdicts 5, SQLs 3 (60, 70, trigger).
    expect(report.current).toEqual({
      threshold: 60,
      mqls: 6,
      mqlsPerWeek: 3,
      sqlRate: 0.6,
      sqlsKept: 3,
      sqlsLost: 1,
      load: 0.75,
      withinTarget: true,
    });
    expect(report.evidenceFrom).toBe(50);
    expect(report.replayed).toBe(8);
    expect(report.unscored).toBe(1);
    expect(report.weeks).toBe(2);
    expect(report.query).toBe(QUERY);
  });

  it('draws the curve from the lowest score handed over to one past the highest', () => {
    const report = whatIf(history, options());
    expect(report.curve.map((p) => p.threshold)).toEqual(Array.from({ length: 32 }, (_, i) => 50 + i));
    const rateAt = (t: number) => report.curve.find((p) => p.threshold === t)?.sqlRate;
    expect(rateAt(50)).toBeCloseTo(4 / 7);
    expect(rateAt(51)).toBeCloseTo(4 / 6);
    expect(rateAt(56)).toBeCloseTo(3 / 5);
    expect(rateAt(61)).toBeCloseTo(2 / 3);
    expect(rateAt(71)).toBeCloseTo(1 / 2);
    expect(report.curve.at(-1)).toMatchObject({ threshold: 81, mqls: 2 });
  });

  it('suggests the lowest threshold in the band that keeps the most SQLs', () => {
    // 50 gives 4/7 (below 0.6); 51–55 give 4/6 with all 4 SQLs kept.
    expect(whatIf(history, options()).suggested).toMatchObject({ threshold: 51, sqlsKept: 4 });
    // With a band that 4/7 meets, 50 keeps as many SQLs and is lower.
    expect(whatIf(history, options({ target: { min: 0.55, max: 0.7 } })).suggested?.threshold).toBe(50);
  });

  it('prefers a threshold the team can work when a capacity is given', () => {
    // At 51 there are 7 MQLs a week for 6 contacts; at 56 there are 6, rate 3/5 still in the band.
    const workable = whatIf(history, options({ capacityPerWeek: 6 }));
    expect(workable.suggested).toMatchObject({ threshold: 56, sqlsKept: 3, load: 1 });
    // When nothing in the band can be worked, the best is still suggested and its load shows the excess.
    const overloaded = whatIf(history, options({ capacityPerWeek: 1 }));
    expect(overloaded.suggested).toMatchObject({ threshold: 51, load: 7 });
  });

  it('suggests nothing when no threshold meets the band', () => {
    expect(whatIf(history, options({ target: { min: 0.9, max: 1 } })).suggested).toBeNull();
  });

  it('applies the minimum fit and engagement at every threshold', () => {
    const leads = [
      lead(70, 'accept_sql', 'threshold', { fit: 10, engagement: 60 }),
      lead(70, 'reject', 'threshold', { fit: 30, engagement: 40 }),
      lead(70, 'accept_sql', 'threshold', { fit: 30, engagement: 5 }),
      lead(70, 'accept_sql', 'threshold', { fit: null, engagement: null }),
    ];
    // At 70, the one score recorded: inside the evidence.
    const report = whatIf(
      leads,
      options({ threshold: 70, currentThreshold: 70, minFit: 20, minEngagement: 10 }),
    );
    expect(report.current).toMatchObject({ mqls: 2, sqlsKept: 1, sqlsLost: 2, sqlRate: 0.5 });
  });

  it('gives an empty curve and no suggestion when no lead was handed over by score', () => {
    const report = whatIf([lead(null, 'accept_sql', 'trigger')], options());
    expect(report).toMatchObject({ curve: [], suggested: null, evidenceFrom: null });
    // No threshold changes anything recorded: nothing to predict.
    expect(report.current).toBeNull();
    expect(report.refused.current).toMatchObject({ threshold: 60, reason: 'no_evidence' });
  });

  it('keeps the curve near 200 points for a wide score range, with current, proposed and suggested on it', () => {
    const leads = Array.from({ length: 2000 }, (_, i) => lead(i * 3, i % 4 === 0 ? 'accept_sql' : 'reject'));
    const report = whatIf(
      leads,
      options({ currentThreshold: 1001, threshold: 2999, target: { min: 0.2, max: 0.3 } }),
    );
    expect(report.curve.length).toBeLessThanOrEqual(205);
    const thresholds = report.curve.map((p) => p.threshold);
    expect(thresholds).toEqual([...thresholds].sort((a, b) => a - b));
    expect(thresholds).toContain(1001);
    expect(thresholds).toContain(2999);
    expect(report.suggested).not.toBeNull();
    expect(thresholds).toContain(report.suggested?.threshold);
    expect(report.curve[0]?.threshold).toBe(0);
    expect(report.curve.at(-1)?.threshold).toBe(5998);
  });
});

// ---------------------------------------------------------------------------------------------------
// Against a naive replay

const verdicts: (Verdict | null)[] = [null, 'accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate'];
const reasons: HandoffReason[] = ['threshold', 'threshold', 'threshold', 'trigger', 'manual'];

const leadArb = fc.record({
  score: fc.option(fc.integer({ min: -20, max: 120 }), { freq: 8 }),
  fit: fc.option(fc.integer({ min: -10, max: 60 }), { freq: 4 }),
  engagement: fc.option(fc.integer({ min: -10, max: 60 }), { freq: 4 }),
  reason: fc.constantFrom(...reasons),
  verdict: fc.constantFrom(...verdicts),
});

function naivePoint(leads: readonly ReplayLead[], t: number, o: WhatIfOptions): ThresholdPoint {
  let mqls = 0;
  let withVerdict = 0;
  let accepted = 0;
  let history = 0;
  for (const l of leads) {
    // docs/kpis.md: a duplicate is not an MQL; a wrong owner is not a verdict on lead quality.
    if (l.verdict === 'duplicate') continue;
    if (l.verdict === 'accept_sql') history++;
    const isMql =
      l.reason !== 'threshold' ||
      l.score === null ||
      (l.score >= t &&
        (o.minFit === undefined || l.fit === null || l.fit >= o.minFit) &&
        (o.minEngagement === undefined || l.engagement === null || l.engagement >= o.minEngagement));
    if (!isMql) continue;
    mqls++;
    if (l.verdict !== null && l.verdict !== 'wrong_owner') withVerdict++;
    if (l.verdict === 'accept_sql') accepted++;
  }
  const sqlRate = withVerdict > 0 ? accepted / withVerdict : null;
  const mqlsPerWeek = mqls / o.weeks;
  return {
    threshold: t,
    mqls,
    mqlsPerWeek,
    sqlRate,
    sqlsKept: accepted,
    sqlsLost: history - accepted,
    load: o.capacityPerWeek === undefined ? null : mqlsPerWeek / o.capacityPerWeek,
    withinTarget: sqlRate !== null && sqlRate >= o.target.min - 1e-9 && sqlRate <= o.target.max + 1e-9,
  };
}

describe('whatIf against a naive per-threshold replay', () => {
  it('gives the same curve, current, proposed and suggestion', () => {
    fc.assert(
      fc.property(
        fc.array(leadArb, { maxLength: 60 }),
        fc.record({
          threshold: fc.integer({ min: -30, max: 130 }),
          currentThreshold: fc.integer({ min: -30, max: 130 }),
          band: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
          weeks: fc.integer({ min: 1, max: 13 }),
          capacityPerWeek: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
          minFit: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
          minEngagement: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        }),
        (raw, o) => {
          const leads = raw.map((r) =>
            lead(r.score, r.verdict, r.reason, { fit: r.fit, engagement: r.engagement }),
          );
          const [a, b] = o.band;
          const opts = options({
            threshold: o.threshold,
            currentThreshold: o.currentThreshold,
            target: { min: Math.min(a, b) / 100, max: Math.max(a, b) / 100 },
            weeks: o.weeks,
            ...(o.capacityPerWeek !== undefined && { capacityPerWeek: o.capacityPerWeek }),
            ...(o.minFit !== undefined && { minFit: o.minFit }),
            ...(o.minEngagement !== undefined && { minEngagement: o.minEngagement }),
          });
          const report = whatIf(leads, opts);
          for (const point of report.curve) expect(point).toEqual(naivePoint(leads, point.threshold, opts));
          // Predicted exactly on the curve's range, refused outside it.
          const range =
            report.curve.length === 0 ? null : [report.curve[0]!.threshold, report.curve.at(-1)!.threshold];
          for (const [t, point, refusal] of [
            [o.currentThreshold, report.current, report.refused.current],
            [o.threshold, report.proposed, report.refused.proposed],
          ] as const) {
            if (range && t >= range[0]! && t <= range[1]!) {
              expect(point).toEqual(naivePoint(leads, t, opts));
              expect(refusal).toBeNull();
            } else {
              expect(point).toBeNull();
              expect(refusal?.reason).toBe(
                range === null ? 'no_evidence' : t < range[0]! ? 'below_evidence' : 'above_evidence',
              );
            }
          }

          const scored = leads
            .filter((l) => l.reason === 'threshold' && l.score !== null && l.verdict !== 'duplicate')
            .map((l) => l.score!);
          if (scored.length === 0) {
            expect(report.evidenceFrom).toBeNull();
            expect(report.suggested).toBeNull();
            return;
          }
          const from = Math.min(...scored);
          expect(report.evidenceFrom).toBe(from);
          const every: ThresholdPoint[] = [];
          for (let t = from; t <= Math.max(...scored) + 1; t++) every.push(naivePoint(leads, t, opts));
          expect(report.curve).toEqual(every);
          const inBand = every.filter((p) => p.withinTarget);
          const workable = inBand.filter((p) => p.load !== null && p.load <= 1);
          const pool = workable.length > 0 ? workable : inBand;
          const most = Math.max(...pool.map((p) => p.sqlsKept));
          expect(report.suggested).toEqual(pool.find((p) => p.sqlsKept === most) ?? null);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// A large history built so the answer is known

describe('whatIf on 115,000 leads whose conversion steps up at a known score', () => {
  // Leads scoring 70 or more convert at exactly 30% of those with a verdict, below 70 at exactly 5%.
  // Per score 70–99: 400 leads, 300 with a verdict, 90 SQLs. Per score 40–69: 3,400 leads, 3,000 with
  // a verdict, 150 SQLs. Plus 1,000 trigger handoffs, all with a verdict, 300 SQLs (30%).
  // At 70: (30·90 + 300) / (30·300 + 1,000) = 3,000 / 10,000 = 30%, inside 25–35%.
  // At 69: (3,000 + 150) / (10,000 + 3,000) ≈ 24.2%, below the band; above 70 the rate stays 30% but
  // fewer SQLs are kept. So the suggestion must be exactly 70.
  const T_STAR = 70;

  function level(score: number, leads: number, withVerdict: number, sqls: number, out: ReplayLead[]): void {
    for (let i = 0; i < leads; i++) {
      // Spread evenly and deterministically: (i·sqls) mod withVerdict falls below sqls for exactly `sqls`
      // of the first withVerdict leads; the other verdicts alternate reject and recycle.
      const verdict: Verdict | null =
        i >= withVerdict
          ? null
          : (i * sqls) % withVerdict < sqls
            ? 'accept_sql'
            : i % 2
              ? 'reject'
              : 'recycle';
      out.push(lead(score, verdict));
    }
  }

  function history(): ReplayLead[] {
    const out: ReplayLead[] = [];
    for (let score = 40; score < T_STAR; score++) level(score, 3_400, 3_000, 150, out);
    for (let score = T_STAR; score <= 99; score++) level(score, 400, 300, 90, out);
    for (let i = 0; i < 1_000; i++) out.push(lead(null, i % 10 < 3 ? 'accept_sql' : 'reject', 'trigger'));
    // A fixed shuffle, so the input is not already in score order.
    let seed = 7;
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  it('suggests exactly the score where conversion steps up', () => {
    const leads = history();
    expect(leads.length).toBe(115_000);
    const report = whatIf(
      leads,
      options({ threshold: 60, currentThreshold: 50, target: { min: 0.25, max: 0.35 }, weeks: 13 }),
    );
    expect(report.suggested).toMatchObject({
      threshold: T_STAR,
      mqls: 13_000,
      sqlsKept: 3_000,
      sqlRate: 0.3,
    });
    expect(report.curve.find((p) => p.threshold === T_STAR - 1)?.sqlRate).toBeCloseTo(3_150 / 13_000);
    // At 50: scores 50–99 plus the triggers; SQLs 20·150 + 2,700 + 300.
    expect(report.current).toMatchObject({ mqls: 20 * 3_400 + 12_000 + 1_000, sqlsKept: 6_000 });
    expect(report.current?.sqlsLost).toBe(10 * 150);
    expect(report.evidenceFrom).toBe(40);
  });
});

// ---------------------------------------------------------------------------------------------------
// Draft re-weighing

function draftOf(edit: (rules: RuleSet) => void): RuleSet {
  const draft = structuredClone(defaultRuleSet);
  edit(draft);
  return draft;
}

function rule<T extends { id: string }>(list: T[], id: string): T {
  const found = list.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

describe('rescoreForDraft', () => {
  // Recorded under the default rules: industry 20, referral 10, demo request 30 (capped at 30),
  // site visits 6 after decay (2 points each).
  const recorded = lead(66, 'accept_sql', 'threshold', {
    fit: 30,
    engagement: 36,
    explanation: [
      { ruleId: 'icp_industry', kind: 'fit', points: 20 },
      { ruleId: 'referral', kind: 'fit', points: 10 },
      { ruleId: 'demo_request', kind: 'engagement', points: 30 },
      { ruleId: 'site_visit', kind: 'engagement', points: 6 },
    ],
  });

  it('gives the recorded score back under an unchanged rule set', () => {
    expect(rescoreForDraft(recorded, defaultRuleSet, defaultRuleSet)).toEqual({
      total: 66,
      fit: 30,
      engagement: 36,
    });
  });

  it('scales each line by the draft points over the recorded points, drops removed rules and applies draft caps', () => {
    const draft = draftOf((r) => {
      rule(r.fitRules, 'icp_industry').points = 25;
      r.fitRules = r.fitRules.filter((x) => x.id !== 'referral');
      Object.assign(rule(r.engagementRules, 'demo_request'), { points: 60, cap: 60 });
      Object.assign(rule(r.engagementRules, 'site_visit'), { points: 4, cap: 10 });
    });
    // 25 + 0 fit; 30·60/30 = 60 and 6·4/2 = 12 capped at 10.
    expect(rescoreForDraft(recorded, defaultRuleSet, draft)).toEqual({ total: 95, fit: 25, engagement: 70 });
  });

  it('caps a doubled rule at the cap the draft keeps', () => {
    const draft = draftOf((r) => {
      rule(r.engagementRules, 'demo_request').points = 60;
    });
    expect(rescoreForDraft(recorded, defaultRuleSet, draft)).toMatchObject({ engagement: 36 });
  });

  it('uses the lines as recorded while their rules exist when the recorded rule set is unknown', () => {
    const draft = draftOf((r) => {
      r.fitRules = r.fitRules.filter((x) => x.id !== 'referral');
      rule(r.engagementRules, 'site_visit').cap = 4;
    });
    expect(rescoreForDraft(recorded, undefined, draft)).toEqual({ total: 54, fit: 20, engagement: 34 });
  });

  it('sums the lines of a rule repeated in the explanation before capping it', () => {
    const repeated = lead(30, null, 'threshold', {
      explanation: [
        { ruleId: 'site_visit', kind: 'engagement', points: 4 },
        { ruleId: 'icp_industry', kind: 'fit', points: 20 },
        { ruleId: 'site_visit', kind: 'engagement', points: 6 },
      ],
    });
    const draft = draftOf((r) => {
      Object.assign(rule(r.engagementRules, 'site_visit'), { points: 3, cap: 12 });
    });
    // (4 + 6)·3/2 = 15, capped at 12 once for the rule (not 6 + 9 capped line by line).
    expect(rescoreForDraft(repeated, defaultRuleSet, draft)).toEqual({ total: 32, fit: 20, engagement: 12 });
  });

  it('cannot rescore a lead without an explanation', () => {
    expect(rescoreForDraft(lead(66, null), defaultRuleSet, defaultRuleSet)).toBeNull();
  });

  it('lets whatIf judge leads by their draft scores', () => {
    // Doubling demo requests lifts the lead above 80; the other lead, without demo requests, stays below.
    const draft = draftOf((r) => {
      Object.assign(rule(r.engagementRules, 'demo_request'), { points: 60, cap: 60 });
    });
    const other = lead(60, 'reject', 'threshold', {
      fit: 20,
      engagement: 40,
      explanation: [
        { ruleId: 'icp_industry', kind: 'fit', points: 20 },
        { ruleId: 'document_download', kind: 'engagement', points: 40 },
      ],
    });
    const noExplanation = lead(90, 'reject');
    const leads = [recorded, other, noExplanation];
    const recordedFor = (version: number | null) => (version === 1 ? defaultRuleSet : undefined);
    const report = whatIf(leads, options({ threshold: 80, scoreOf: draftScorer(draft, recordedFor) }));
    // recorded → 96 (kept), other → 60 (dropped), the unexplained lead kept as it was.
    expect(report.proposed).toMatchObject({ mqls: 2, sqlsKept: 1, sqlRate: 0.5 });
    expect(report.unscored).toBe(1);
    expect(report.evidenceFrom).toBe(60);
    const withRecorded = whatIf(leads, options({ threshold: 80 }));
    expect(withRecorded.proposed).toMatchObject({ mqls: 1, sqlsKept: 0 });
  });
});

describe('whatIf with the handoffs not by score counted beforehand', () => {
  it('answers as the replay of every lead does', () => {
    const verdicts = [null, 'accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate'] as const;
    const reasons = ['threshold', 'trigger', 'manual', null] as const;
    const leads: ReplayLead[] = [];
    for (let i = 0; i < 600; i++) {
      const reason = reasons[i % 4]!;
      leads.push(
        lead(i % 7 === 0 ? null : 40 + ((i * 37) % 60), verdicts[(i * 5) % 6]!, reason as HandoffReason, {
          reason,
          fit: (i * 3) % 40,
          engagement: (i * 11) % 50,
        }),
      );
    }
    const notByScore = leads.filter((l) => l.reason !== 'threshold');
    const kept = notByScore.filter((l) => l.verdict !== 'duplicate');
    const counted = {
      handoffs: notByScore.length,
      mqls: kept.length,
      withVerdict: kept.filter((l) => l.verdict !== null && l.verdict !== 'wrong_owner').length,
      accepted: kept.filter((l) => l.verdict === 'accept_sql').length,
      unscored: kept.filter((l) => l.score === null).length,
    };
    for (const extra of [{}, { minFit: 10, minEngagement: 20, capacityPerWeek: 30, threshold: 70 }]) {
      const byScore = leads.filter((l) => l.reason === 'threshold');
      expect(whatIf(byScore, options({ ...extra, counted }))).toEqual(whatIf(leads, options(extra)));
    }
    expect(() => whatIf(leads, options({ counted, scoreOf: () => 1 }))).toThrow(TypeError);
  });
});
