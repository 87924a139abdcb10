import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadKeyString } from '../lead';
import { defaultRuleSet } from '../rules/defaults';
import type { RuleSet } from '../rules/schema';
import { decodeExplanation } from './explanation';
import { foldEvent } from './facts';
import { generateHistory } from './generate';
import { textDraftScorer } from './rescore-text';
import type { LeadFacts } from './types';
import { draftScorer, type ReplayLead, type ReplayScore } from './whatif';

const rules: RuleSet = { ...defaultRuleSet, version: { ...defaultRuleSet.version, number: 1 } };

/** Bit for bit: Object.is tells -0 from 0 and NaN from everything, as bytes of an answer would. */
function same(a: ReplayScore | null, b: ReplayScore | null): boolean {
  if (a === null || b === null) return a === b;
  return Object.is(a.total, b.total) && Object.is(a.fit, b.fit) && Object.is(a.engagement, b.engagement);
}

/** The decoded path: what the what-if against a draft computed before the text scorer. */
function decodedScore(
  draft: RuleSet,
  recordedFor: (v: number | null) => RuleSet | undefined,
): (text: string | null, version: number | null) => ReplayScore | null {
  const scoreOf = draftScorer(draft, recordedFor);
  return (text, rulesVersion) => {
    const lead: ReplayLead = {
      score: null,
      fit: null,
      engagement: null,
      reason: 'threshold',
      verdict: null,
      handoffAt: 0,
      explanation: decodeExplanation(text),
      rulesVersion,
    };
    const raw = scoreOf(lead);
    return typeof raw === 'number' ? { total: raw, fit: null, engagement: null } : raw;
  };
}

const [firstFit, ...otherFit] = rules.fitRules;
const [firstEngagement, ...otherEngagement] = rules.engagementRules;
/** Drafts that move every branch: scaled, removed, capped, a zero the recorded set divides by. */
const drafts: Record<string, RuleSet> = {
  unchanged: rules,
  doubled: { ...rules, fitRules: [{ ...firstFit!, points: firstFit!.points * 2 }, ...otherFit] },
  removed: { ...rules, fitRules: otherFit, engagementRules: otherEngagement },
  capped: {
    ...rules,
    engagementRules: rules.engagementRules.map((r) => ({ ...r, points: r.points * 3, cap: r.points * 2 })),
  },
  thirds: {
    ...rules,
    fitRules: rules.fitRules.map((r) => ({ ...r, points: Math.round(r.points / 3) + 1 })),
    engagementRules: [{ ...firstEngagement!, points: 7 }, ...otherEngagement],
  },
};
/** Version 1: the rules; 2: one whose first fit rule scored 0 points (the draft divides by it); else unknown. */
const zeroed: RuleSet = { ...rules, fitRules: [{ ...firstFit!, points: 0 }, ...otherFit] };
const recordedFor = (v: number | null) => (v === 0 || v === 1 ? rules : v === 2 ? zeroed : undefined);

describe('textDraftScorer', () => {
  const history = generateHistory({ leads: 3000, seed: 7, from: '2026-01-05', weeks: 6, rules });
  const facts = new Map<string, LeadFacts>();
  for (const event of history.events) {
    const key = leadKeyString(event.lead);
    facts.set(key, foldEvent(facts.get(key), event, rules.calendar));
  }
  const texts = [...facts.values()].map((f) => f.explanation);

  it('gives the decoded path’s score on every explanation of a generated history, for every draft and version', () => {
    expect(texts.filter((t) => t !== null && t.length > 0).length).toBeGreaterThan(1000);
    for (const [name, draft] of Object.entries(drafts)) {
      const fast = textDraftScorer(draft, recordedFor);
      const plain = decodedScore(draft, recordedFor);
      for (const version of [null, 0, 1, 2, 9]) {
        for (const text of texts) {
          const a = fast(text, version);
          const b = plain(text, version);
          if (!same(a, b)) expect({ name, version, text, a }).toEqual({ name, version, text, a: b });
        }
      }
    }
  });

  it('refuses damaged text whole and sums a repeated rule before capping, as decoding does', () => {
    const fast = textDraftScorer(drafts.capped!, recordedFor);
    const plain = decodedScore(drafts.capped!, recordedFor);
    const id = firstEngagement!.id;
    const fitId = firstFit!.id;
    for (const text of [
      '',
      '|',
      'f',
      'f:',
      `f:${fitId}:`,
      `f:${fitId}:x`,
      `f:${fitId}:Infinity`,
      `f:${fitId}:1e2`,
      `f:${fitId}: 5`,
      `x:${fitId}:5`,
      `f:${fitId}:5|`,
      `f:${fitId}:5||e:${id}:3`,
      `f:Bad:5|e:${id}:3`,
      `e:${id}:3|f:bad id:5`,
      `f:unknown_rule:4|e:${id}:30|e:${id}:-2.5|e:${id}:40`,
      `e:${id}:1.5|e:${id}:-1.5|f:${fitId}:-0.4`,
      `f:${fitId}:0.5|f:${fitId}:0.5|f:${fitId}:-0`,
      `f:a:b:5|e:${id}:5`,
      // Points parsed without cutting them out must be Number's, to the bit.
      ...[
        '.5',
        '5.',
        '-.5',
        '-',
        '.',
        '-0.0',
        '1.2.3',
        '+5',
        '0x10',
        '0000000000000000001',
        '123456789012345.5',
      ].map((points) => `f:${fitId}:${points}|e:${id}:${points}`),
      `e:${id}:3.3333333333333335|f:${fitId}:0.1|f:${fitId}:0.2|e:${id}:999999999999999`,
    ]) {
      for (const version of [1, 2, 7]) {
        const a = fast(text, version);
        const b = plain(text, version);
        if (!same(a, b)) expect({ text, version, a }).toEqual({ text, version, a: b });
      }
    }
  });

  it('agrees with decoding on arbitrary text made of explanation characters', () => {
    const ids = [firstFit!.id, firstEngagement!.id, 'gone', 'x', ''];
    const line = fc
      .tuple(
        fc.constantFrom('f', 'e', 'x', ''),
        fc.constantFrom(...ids),
        fc.oneof(
          fc.integer({ min: -50, max: 80 }).map(String),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
          fc.constantFrom('', '1.25', '-0', 'NaN', ':3'),
        ),
      )
      .map(([kind, id, points]) => `${kind}:${id}:${points}`);
    const text = fc.oneof(
      fc.array(line, { maxLength: 8 }).map((lines) => lines.join('|')),
      fc.string({ unit: fc.constantFrom('f', 'e', ':', '|', 'a', '_', '-', '1', '0', '.', ' ') }),
    );
    for (const draft of Object.values(drafts)) {
      const fast = textDraftScorer(draft, recordedFor);
      const plain = decodedScore(draft, recordedFor);
      fc.assert(
        fc.property(text, fc.constantFrom(1, 2, 5), (t, version) =>
          same(fast(t, version), plain(t, version)),
        ),
        { numRuns: 400 },
      );
      // The same explanation read out of a longer string (a period's explanations read as one).
      fc.assert(
        fc.property(text, text, text, fc.constantFrom(1, 2, 5), (before, t, after, version) =>
          same(fast(before + t + after, version, before.length, before.length + t.length), plain(t, version)),
        ),
        { numRuns: 400 },
      );
    }
  });
});
