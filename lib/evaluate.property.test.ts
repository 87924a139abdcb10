import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLead } from './evaluate';
import { type Activity, activityTypeSchema, type LeadSnapshot } from './lead';
import { defaultRuleSet } from './rules/defaults';
import type { RuleSet } from './rules/schema';

const NOW = Date.parse('2026-12-08T10:00:00+09:00');
const DAY = 86_400_000;

const noDecay: RuleSet = { ...defaultRuleSet, engagementDecay: {} };
const halfLifeOnly: RuleSet = { ...defaultRuleSet, engagementDecay: { halfLifeDays: 7 } };
const RULE_SETS = [defaultRuleSet, noDecay, halfLifeOnly];
// Indices, not the rule sets themselves, so a counterexample prints short.
const ruleSets = fc.nat({ max: RULE_SETS.length - 1 });

const optional = (values: string[]) => fc.option(fc.constantFrom(...values), { nil: undefined });

const fields = fc
  .record({
    title: optional(['部長', '代表取締役', 'Sales Manager', '学生', '担当', 'エンジニア']),
    industry: optional(['情報通信業', 'Manufacturing', '小売', 'IT', 'Hospitality']),
    employees: optional(['1,200名', '100-499', '約30', '1000人以上', '5名', '']),
    region: optional(['東京都', '大阪府', '沖縄県', 'Tokyo']),
    email: optional(['a@baton.co.jp', 'b@gmail.com', 'c@competitor.example']),
    leadSource: optional(['展示会', 'パートナー紹介', 'Web']),
    status: optional(['未対応', '対応中', 'Closed - Converted', 'Recycled']),
    mqlAt: optional(['2026/12/01 10:00', 'Nov 20, 2026 9:00 AM', '不明']),
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

const activityArb: fc.Arbitrary<Activity> = fc.record({
  type: fc.constantFrom(...activityTypeSchema.options),
  // Mostly the last four months, a few after now (clock skew), at whole seconds as CRMs show them.
  at: fc
    .integer({ min: -120 * 86_400, max: 2 * 86_400 })
    .chain((s) => fc.constantFrom('Z', '+09:00').map((zone) => isoAt(NOW + s * 1000, zone))),
  title: fc.constantFrom('資料請求: 製品概要', '料金プラン', 'デモのお申し込み', '採用情報', 'トップ'),
  url: fc.constantFrom('https://baton.co.jp/pricing', 'https://baton.co.jp/careers', 'https://baton.co.jp/'),
});

function isoAt(epoch: number, zone: 'Z' | '+09:00'): string {
  if (zone === 'Z') return new Date(epoch).toISOString();
  return `${new Date(epoch + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

const snapshots: fc.Arbitrary<LeadSnapshot> = fc.record({
  crm: fc.constantFrom('salesforce' as const, 'hubspot' as const),
  object: fc.constant('Lead'),
  recordId: fc.constant('00Q5g00000AbCdEFGH'),
  fields,
  activities: fc.array(activityArb, { maxLength: 25 }),
});

describe('evaluateLead invariants', () => {
  it('explains every point: the contributions of each kind sum exactly to its score', () => {
    fc.assert(
      fc.property(ruleSets, snapshots, (which, snapshot) => {
        const rules = RULE_SETS[which]!;
        const result = evaluateLead(rules, snapshot, { now: NOW });
        let fit = 0;
        let engagement = 0;
        for (const c of result.explanation) {
          expect(Number.isInteger(c.points)).toBe(true);
          if (c.kind === 'fit') fit += c.points;
          else engagement += c.points;
        }
        expect(fit).toBe(result.scores.fit);
        expect(engagement).toBe(result.scores.engagement);
        expect(result.scores.total).toBe(fit + engagement);
      }),
    );
  });

  it('is deterministic: the same inputs in any activity order give the same evaluation', () => {
    fc.assert(
      fc.property(ruleSets, snapshots, fc.infiniteStream(fc.nat()), (which, snapshot, r) => {
        const rules = RULE_SETS[which]!;
        const shuffled = { ...snapshot, activities: [...snapshot.activities] };
        for (let i = shuffled.activities.length - 1; i > 0; i--) {
          const j = r.next().value % (i + 1);
          [shuffled.activities[i], shuffled.activities[j]] = [
            shuffled.activities[j]!,
            shuffled.activities[i]!,
          ];
        }
        const first = evaluateLead(rules, snapshot, { now: NOW });
        expect(evaluateLead(rules, snapshot, { now: NOW })).toEqual(first);
        expect(evaluateLead(rules, structuredClone(shuffled), { now: NOW })).toEqual(first);
      }),
    );
  });

  it('never sets a due time before the handoff, nor a handoff after now', () => {
    fc.assert(
      fc.property(ruleSets, snapshots, (which, snapshot) => {
        const rules = RULE_SETS[which]!;
        const { handoff, sla, firstContactAt, firstContactSource } = evaluateLead(rules, snapshot, {
          now: NOW,
        });
        if (handoff === null) {
          expect(sla.state).toBe('none');
          return;
        }
        expect(handoff.at).toBeLessThanOrEqual(NOW);
        if (sla.dueAt !== undefined) expect(sla.dueAt).toBeGreaterThanOrEqual(handoff.at);
        if (firstContactSource === 'activity') expect(firstContactAt).toBeGreaterThanOrEqual(handoff.at);
      }),
    );
  });

  it('keeps a reconstructed handoff when the same lead is evaluated later', () => {
    const withoutCrmHints = snapshots.map((s) => {
      const { status: _status, mqlAt: _mqlAt, ...rest } = s.fields;
      return { ...s, fields: rest };
    });
    fc.assert(
      fc.property(ruleSets, withoutCrmHints, fc.integer({ min: 1, max: 60 }), (which, snapshot, days) => {
        const rules = RULE_SETS[which]!;
        const earlier = evaluateLead(rules, snapshot, { now: NOW });
        const later = evaluateLead(rules, snapshot, { now: NOW + days * DAY });
        if (earlier.handoff !== null) expect(later.handoff).toEqual(earlier.handoff);
      }),
    );
  });
});
