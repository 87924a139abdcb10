/**
 * The threshold review over a quarter of a large team's handoffs: 100,000 replayed leads, the full curve
 * and the suggestion, with and without a draft rule set to re-weigh. Target: under 500 ms each.
 * Leads come from a seeded PRNG so every run measures the same work.
 * Run: npx vitest bench --run lib/kpi/whatif.bench.ts
 */

import { bench, describe } from 'vitest';
import { prng } from '../prng';
import { defaultRuleSet } from '../rules/defaults';
import { type ExplanationLine, encodeExplanation } from './explanation';
import { emptyFacts } from './facts';
import type { LeadFacts, Verdict } from './types';
import { draftScorer, type ReplayLead, replayLeadsFrom, whatIf } from './whatif';

const random = prng(20261125);
const START = Date.parse('2026-07-01T00:00:00+09:00');

function makeLead(): ReplayLead {
  const explanation: ExplanationLine[] = [];
  let fit = 0;
  for (const rule of defaultRuleSet.fitRules) {
    if (random() < 0.25) {
      explanation.push({ ruleId: rule.id, kind: 'fit', points: rule.points });
      fit += rule.points;
    }
  }
  let engagement = 0;
  for (const rule of defaultRuleSet.engagementRules) {
    if (random() < 0.4) {
      const points = Math.min(rule.cap ?? 1000, Math.round(rule.points * (1 + random() * 3)));
      explanation.push({ ruleId: rule.id, kind: 'engagement', points });
      engagement += points;
    }
  }
  const score = fit + engagement;
  const roll = random();
  const reason = roll < 0.8 ? 'threshold' : roll < 0.95 ? 'trigger' : 'manual';
  // Higher scores convert more often, as a review hopes to find.
  const verdictRoll = random();
  const verdict: Verdict | null =
    verdictRoll < 0.2
      ? null
      : random() < Math.min(0.6, Math.max(0.02, score / 250))
        ? 'accept_sql'
        : 'reject';
  return {
    score,
    fit,
    engagement,
    reason,
    verdict,
    handoffAt: START + Math.floor(random() * 92 * 86_400_000),
    explanation,
    rulesVersion: 1,
  };
}

const leads = Array.from({ length: 100_000 }, makeLead);
// The same history as the endpoint stores it, explanations encoded.
const rows: LeadFacts[] = leads.map((lead, i) => ({
  ...emptyFacts(`hubspot:contact:${i}`, 'hubspot'),
  handoffAt: lead.handoffAt,
  reason: lead.reason,
  score: lead.score,
  fit: lead.fit,
  engagement: lead.engagement,
  rulesVersion: lead.rulesVersion,
  explanation: lead.explanation && encodeExplanation(lead.explanation),
  verdict: lead.verdict,
}));
const draft = structuredClone(defaultRuleSet);
for (const rule of draft.engagementRules) rule.points *= 2;
const query = { from: '2026-07-01', to: '2026-10-01' };
const base = {
  query,
  threshold: 70,
  currentThreshold: 60,
  target: { min: 0.2, max: 0.3 },
  weeks: 13,
  capacityPerWeek: 5000,
  minFit: 0,
};

describe('threshold what-if over 100,000 leads', () => {
  bench('recorded scores: curve and suggestion', () => {
    whatIf(leads, base);
  });

  bench('draft re-weighed: curve and suggestion', () => {
    whatIf(leads, { ...base, scoreOf: draftScorer(draft, () => defaultRuleSet) });
  });

  bench('from stored rows: period filter, explanation parsing, draft re-weighed', () => {
    const replayed = replayLeadsFrom(rows, { ...query, zone: 'Asia/Tokyo' });
    whatIf(replayed, { ...base, scoreOf: draftScorer(draft, () => defaultRuleSet) });
  });
});
