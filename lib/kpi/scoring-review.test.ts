import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../rules';
import { validateRuleSet } from '../rules/validate';
import { type ExplanationLine, encodeExplanation } from './explanation';
import { emptyFacts } from './facts';
import { scoringReview, suggestPoints, withPoints } from './scoring-review';
import type { LeadFacts } from './types';

const T = Date.parse('2026-11-10T10:00:00+09:00');
let serial = 0;
const f = (ruleId: string, points: number): ExplanationLine => ({ ruleId, kind: 'fit', points });
const e = (ruleId: string, points: number): ExplanationLine => ({ ruleId, kind: 'engagement', points });

function rows(n: number, lines: ExplanationLine[], over: Partial<LeadFacts> = {}): LeadFacts[] {
  return Array.from({ length: n }, () => ({
    ...emptyFacts(`hubspot:0-1:${++serial}`, 'hubspot'),
    handoffAt: T,
    reason: 'threshold' as const,
    score: lines.reduce((sum, l) => sum + l.points, 0),
    explanation: encodeExplanation(lines),
    ...over,
  }));
}

/**
 * 20 MQLs handed over by score at the default threshold 60, 8 of them SQLs:
 * G1 6 SQL  [icp_industry 20, demo_request 30, site_visit 20] = 70
 * G2 4      [icp_industry 20, webinar 10, document_download 32] = 62
 * G3 2 SQL  [title_manager 10, webinar 10, document_download 45] = 65
 * G4 6      [title_manager 10, webinar 10, site_visit 20, document_download 30] = 70
 * G5 2      [title_manager 10, demo_request 30, form_submit 20] = 60
 * plus a duplicate and an MQL without an explanation, both left out.
 */
const history = [
  ...rows(6, [f('icp_industry', 20), e('demo_request', 30), e('site_visit', 20)], { verdict: 'accept_sql' }),
  ...rows(4, [f('icp_industry', 20), e('webinar', 10), e('document_download', 32)]),
  ...rows(2, [f('title_manager', 10), e('webinar', 10), e('document_download', 45)], {
    opportunityAt: T + 86_400_000,
    wonAt: T + 10 * 86_400_000,
  }),
  ...rows(6, [f('title_manager', 10), e('webinar', 10), e('site_visit', 20), e('document_download', 30)]),
  ...rows(2, [f('title_manager', 10), e('demo_request', 30), e('form_submit', 20)]),
  ...rows(1, [f('icp_industry', 20), e('demo_request', 30), e('site_visit', 20)], { verdict: 'duplicate' }),
  ...rows(1, [], { explanation: null }),
];

describe('scoringReview', () => {
  const review = scoringReview(history, defaultRuleSet);
  const row = (id: string) => review.rows.find((r) => r.ruleId === id)!;

  it('counts the explained MQLs, their SQLs (an opportunity is one) and wins', () => {
    expect(review).toMatchObject({ mqls: 20, sqls: 8, won: 2, unexplained: 1, threshold: 60 });
  });

  it('gives a rule that marks converting leads a lift above 1 and more points: ICP industry 10 of 20, 6 of 8 SQLs', () => {
    // Shares 10/20 = 0.5 of MQLs, 6/8 = 0.75 of SQLs: lift 1.5; 20 × 1.5 = 30 points.
    expect(row('icp_industry')).toMatchObject({
      firedMqls: 10,
      firedSqls: 6,
      firedWon: 0,
      shareOfMqls: 0.5,
      shareOfSqls: 0.75,
      shareOfWon: 0,
      lift: 1.5,
      suggestedPoints: 30,
    });
    // Raising points cuts nothing: all 20 stay, 8 SQLs, 40%.
    expect(row('icp_industry').whatIf).toEqual({
      current: { points: 20, mqls: 20, sqls: 8, sqlRate: 0.4 },
      suggested: { points: 30, mqls: 20, sqls: 8, sqlRate: 0.4 },
    });
  });

  it('gives a rule that marks weak leads fewer points, with what it would cut: webinar 12 of 20, 2 of 8 SQLs', () => {
    // Shares 12/20 = 0.6 and 2/8 = 0.25: lift 0.25 / 0.6 = 0.4167; 10 × 0.4167 = 4.17 → 5 points.
    const webinar = row('webinar');
    expect(webinar).toMatchObject({
      firedMqls: 12,
      firedSqls: 2,
      firedWon: 2,
      shareOfMqls: 0.6,
      shareOfSqls: 0.25,
    });
    expect(webinar.lift).toBeCloseTo(0.25 / 0.6, 12);
    expect(webinar.suggestedPoints).toBe(5);
    // At 5 points: G2 62 → 57 falls below 60 (4 non-SQLs cut); G3 65 → 60 and G4 70 → 65 stay.
    expect(webinar.whatIf).toEqual({
      current: { points: 10, mqls: 20, sqls: 8, sqlRate: 0.4 },
      suggested: { points: 5, mqls: 16, sqls: 8, sqlRate: 0.5 },
    });
  });

  it('suggests nothing for a rule that never fired or fired too rarely to say', () => {
    expect(row('enterprise')).toMatchObject({
      firedMqls: 0,
      lift: null,
      suggestedPoints: null,
      whatIf: null,
    });
    // form_submit fired on 2 MQLs, below MIN_FIRED (10).
    expect(row('form_submit')).toMatchObject({ firedMqls: 2, suggestedPoints: null });
  });

  it('rounds a suggestion to 5, never to 0, and softens a penalty whose leads convert better', () => {
    expect(suggestPoints(20, 1)).toBeNull();
    expect(suggestPoints(10, 0.1)).toBe(5);
    expect(suggestPoints(-20, 2)).toBe(-10);
    expect(suggestPoints(-20, 0.5)).toBe(-40);
  });

  it('turns a suggestion into a valid draft with the rule’s points (and a behaviour rule’s cap) changed', () => {
    const draft = withPoints(defaultRuleSet, 'engagement', 'webinar', 5);
    const webinar = draft.engagementRules.find((r) => r.id === 'webinar')!;
    // Cap 30 at 10 points becomes 15 at 5.
    expect([webinar.points, webinar.cap]).toEqual([5, 15]);
    expect(validateRuleSet(draft).ok).toBe(true);
    expect(withPoints(defaultRuleSet, 'fit', 'icp_industry', 30).fitRules[0]!.points).toBe(30);
  });
});
