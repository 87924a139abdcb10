import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeBetween } from '../calendar/business-time';
import type { BatonEvent, FeedbackEvent, HandoffObservedEvent } from '../events';
import type { LeadKey } from '../lead';
import { leadKeyString } from '../lead-key';
import { defaultRuleSet } from '../rules';
import { decodeExplanation } from './explanation';
import { emptyFacts, foldEvent, foldOutcome, TIMELINE_MAX_ENTRIES } from './facts';
import type { LeadFacts, OutcomeRow } from './types';

const calendar = defaultRuleSet.calendar;
const lead: LeadKey = { crm: 'salesforce', object: 'Lead', recordId: '00Q5g00000AbCdEFGH' };
const key = leadKeyString(lead);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2026-11-25 10:00 JST. */
const T0 = Date.parse('2026-11-25T10:00:00+09:00');
const iso = (t: number) => new Date(t).toISOString();

let uuidCounter = 0;
function base(at: number, rulesVersion = 2) {
  uuidCounter++;
  return {
    idempotencyKey: `00000000-0000-4000-8000-${String(uuidCounter).padStart(12, '0')}`,
    occurredAt: iso(at),
    lead,
    rulesVersion,
    actor: { name: '田中 太郎' },
  };
}

function handoff(at: number, extra: Partial<HandoffObservedEvent> = {}): HandoffObservedEvent {
  return {
    type: 'handoff_observed',
    ...base(at + 60_000),
    handoffAt: iso(at),
    dueAt: iso(at + 2 * HOUR),
    reason: 'threshold',
    ...extra,
  };
}
const contact = (at: number): BatonEvent => ({
  type: 'first_contact',
  ...base(at),
  method: 'phone',
  source: 'crm_activity',
});
function feedback(at: number, verdict: FeedbackEvent['verdict'], reasonCode?: string): FeedbackEvent {
  return {
    type: 'feedback',
    ...base(at),
    verdict,
    ...(reasonCode ? { reasonCode } : {}),
    ...(verdict === 'accept_sql'
      ? { bant: { budget: 'yes', authority: 'yes', need: 'yes', timing: 'no' } }
      : {}),
  };
}
const converted = (at: number): BatonEvent => ({
  type: 'stage_change',
  ...base(at),
  from: 'sql',
  to: 'converted',
});
const escalation = (at: number): BatonEvent => ({
  type: 'escalation_step',
  ...base(at),
  stepId: 'owner',
  kind: 'owner',
  dueAt: iso(at),
});
const outcome = (kind: OutcomeRow['outcome'], at: number): OutcomeRow => ({
  leadKey: key,
  crm: 'salesforce',
  outcome: kind,
  at,
});

type Item = BatonEvent | OutcomeRow;
const isOutcome = (item: Item): item is OutcomeRow => 'outcome' in item;

function fold(items: readonly Item[], start?: LeadFacts): LeadFacts {
  let facts = start;
  for (const item of items) {
    facts = isOutcome(item) ? foldOutcome(facts, item, calendar) : foldEvent(facts, item, calendar);
  }
  return facts ?? emptyFacts(key, lead.crm);
}

describe('emptyFacts', () => {
  it('starts a row with nothing known and no handoff, which reports do not count', () => {
    const facts = emptyFacts(key, 'salesforce');
    expect(facts).toMatchObject({
      leadKey: key,
      crm: 'salesforce',
      handoffAt: null,
      fitGrade: 'unknown',
      owner: '',
    });
    expect(facts.escalations).toBe(0);
  });
});

describe('foldEvent: the handoff', () => {
  it('records the handoff with its score, grade, owner and encoded explanation', () => {
    const explanation = [{ ruleId: 'icp_industry', kind: 'fit' as const, points: 20 }];
    const facts = fold([
      handoff(T0, { score: 72, fit: 40, engagement: 32, fitGrade: 'B', owner: '佐藤 花子', explanation }),
    ]);
    expect(facts).toMatchObject({
      handoffAt: T0,
      dueAt: T0 + 2 * HOUR,
      reason: 'threshold',
      score: 72,
      fit: 40,
      engagement: 32,
      fitGrade: 'B',
      owner: '佐藤 花子',
      rulesVersion: 2,
    });
    expect(facts.explanation).toBe('f:icp_industry:20');
    expect(decodeExplanation(facts.explanation)).toEqual(explanation);
  });

  it('keeps a missing owner as "" and a missing grade as unknown', () => {
    const facts = fold([handoff(T0)]);
    expect(facts.owner).toBe('');
    expect(facts.fitGrade).toBe('unknown');
    expect(facts.score).toBeNull();
  });

  it('fills fields one browser lacked from another browser’s report of the same handoff, in either order', () => {
    const full = handoff(T0, {
      owner: '佐藤 花子',
      score: 70,
      explanation: [{ ruleId: 'x', kind: 'fit', points: 70 }],
    });
    const bare = handoff(T0, { triggerId: 'demo_request' });
    for (const order of [
      [full, bare],
      [bare, full],
    ]) {
      const facts = fold(order);
      expect(facts.owner).toBe('佐藤 花子');
      expect(facts.score).toBe(70);
      expect(facts.triggerId).toBe('demo_request');
      expect(facts.explanation).not.toBeNull();
    }
  });

  it('settles disagreeing reports of the same handoff the same way whatever arrives first', () => {
    const a = handoff(T0, { owner: 'Emily Clark', score: 60, fitGrade: 'C' });
    const b = handoff(T0, { owner: '田中 太郎', score: 65, fitGrade: 'B' });
    expect(fold([a, b])).toEqual(fold([b, a]));
    expect(fold([a, b]).fitGrade).toBe('B');
  });

  it('keeps a report’s score, explanation and rules version together when two browsers disagree', () => {
    const older = handoff(T0, {
      rulesVersion: 2,
      score: 72,
      fit: 40,
      engagement: 32,
      explanation: [{ ruleId: 'icp_industry', kind: 'fit', points: 72 }],
    });
    const newer = handoff(T0, {
      rulesVersion: 3,
      score: 61,
      fit: 30,
      engagement: 31,
      explanation: [{ ruleId: 'webinar', kind: 'engagement', points: 61 }],
    });
    for (const facts of [fold([older, newer]), fold([newer, older])]) {
      expect(facts).toMatchObject({ rulesVersion: 3, score: 61, fit: 30, engagement: 31 });
      expect(decodeExplanation(facts.explanation)).toEqual([
        { ruleId: 'webinar', kind: 'engagement', points: 61 },
      ]);
    }
  });

  it('ignores a report of an earlier handoff once a later one is known', () => {
    const facts = fold([handoff(T0, { owner: 'new owner' }), handoff(T0 - 30 * DAY, { owner: 'old owner' })]);
    expect(facts.handoffAt).toBe(T0);
    expect(facts.owner).toBe('new owner');
  });

  it('starts a new cycle at a later handoff and drops what happened before it', () => {
    const earlier = T0 - 30 * DAY;
    const facts = fold([
      handoff(earlier, { owner: 'old owner', score: 90 }),
      contact(earlier + HOUR),
      feedback(earlier + 2 * HOUR, 'recycle', 'bad_timing'),
      converted(earlier + 3 * HOUR),
      escalation(earlier + 4 * HOUR),
      outcome('lost', earlier + 5 * HOUR),
      handoff(T0, { reason: 'trigger', triggerId: 'demo_request' }),
    ]);
    expect(facts).toMatchObject({
      handoffAt: T0,
      reason: 'trigger',
      owner: '',
      score: null,
      firstContactAt: null,
      firstContactBusinessMs: null,
      verdict: null,
      reasonCode: null,
      opportunityAt: null,
      lostAt: null,
      escalations: 0,
    });
  });

  it('keeps a contact that arrived before its handoff when it happened at or after it', () => {
    const facts = fold([contact(T0 + HOUR), handoff(T0)]);
    expect(facts.firstContactAt).toBe(T0 + HOUR);
    expect(facts.firstContactBusinessMs).toBe(HOUR);
  });

  it('drops a contact that arrived first but happened before the handoff', () => {
    const facts = fold([contact(T0 - HOUR), handoff(T0)]);
    expect(facts.firstContactAt).toBeNull();
  });

  it('finds the new cycle’s contact even when it arrived before the new handoff, behind the old cycle’s', () => {
    const earlier = T0 - 30 * DAY;
    const facts = fold([handoff(earlier), contact(earlier + HOUR), contact(T0 + 3 * HOUR), handoff(T0)]);
    expect(facts.firstContactAt).toBe(T0 + 3 * HOUR);
  });
});

describe('foldEvent: contacts', () => {
  it('keeps the earliest contact at or after the handoff', () => {
    const facts = fold([handoff(T0), contact(T0 + 5 * HOUR), contact(T0 + HOUR), contact(T0 - HOUR)]);
    expect(facts.firstContactAt).toBe(T0 + HOUR);
  });

  it('counts a contact at the handoff instant as immediate', () => {
    const facts = fold([handoff(T0), contact(T0)]);
    expect(facts.firstContactAt).toBe(T0);
    expect(facts.firstContactBusinessMs).toBe(0);
  });

  it('measures the time to contact in working time on the rule set’s calendar', () => {
    // Friday 17:00 JST to Monday 10:00 JST: one hour on Friday, one on Monday.
    const friday = Date.parse('2026-11-27T17:00:00+09:00');
    const monday = Date.parse('2026-11-30T10:00:00+09:00');
    const facts = fold([handoff(friday), contact(monday)]);
    expect(facts.firstContactBusinessMs).toBe(2 * HOUR);
    expect(facts.firstContactBusinessMs).toBe(businessTimeBetween(calendar, friday, monday));
  });

  it('counts the same contact reported by two browsers once', () => {
    const facts = fold([handoff(T0), contact(T0 + HOUR), contact(T0 + HOUR)]);
    expect(facts.timeline.contacts).toEqual([T0 + HOUR]);
  });
});

describe('foldEvent: feedback', () => {
  it('keeps the latest verdict by when it was given, not by when it arrived', () => {
    const facts = fold([
      handoff(T0),
      feedback(T0 + 2 * DAY, 'accept_sql'),
      feedback(T0 + DAY, 'wrong_owner'),
    ]);
    expect(facts.verdict).toBe('accept_sql');
    expect(facts.verdictAt).toBe(T0 + 2 * DAY);
    expect(facts.reasonCode).toBeNull();
  });

  it('records the reason code of a rejection', () => {
    const facts = fold([handoff(T0), feedback(T0 + DAY, 'reject', 'no_budget')]);
    expect(facts).toMatchObject({ verdict: 'reject', reasonCode: 'no_budget' });
  });

  it('leaves the row as it is when the same feedback is replayed', () => {
    const once = fold([handoff(T0), feedback(T0 + DAY, 'recycle', 'bad_timing')]);
    const replay = foldEvent(once, feedback(T0 + DAY, 'recycle', 'bad_timing'), calendar);
    expect(replay).toBe(once);
  });

  it('picks the same one of two different verdicts given at the same instant whatever the order', () => {
    const a = feedback(T0 + DAY, 'reject', 'no_need');
    const b = feedback(T0 + DAY, 'accept_sql');
    expect(fold([handoff(T0), a, b])).toEqual(fold([handoff(T0), b, a]));
  });

  it('ignores feedback given before the handoff', () => {
    expect(fold([handoff(T0), feedback(T0 - DAY, 'reject', 'no_need')]).verdict).toBeNull();
  });
});

describe('foldEvent: conversion and escalation', () => {
  it('takes the earliest conversion to an opportunity and ignores other stage changes', () => {
    const facts = fold([
      handoff(T0),
      { type: 'stage_change', ...base(T0 + HOUR), from: 'mql', to: 'contacted' },
      converted(T0 + 5 * DAY),
      converted(T0 + 3 * DAY),
    ]);
    expect(facts.opportunityAt).toBe(T0 + 3 * DAY);
  });

  it('counts each escalation step of the cycle', () => {
    const facts = fold([handoff(T0), escalation(T0 + 2 * HOUR), escalation(T0 + 6 * HOUR)]);
    expect(facts.escalations).toBe(2);
  });
});

describe('foldOutcome', () => {
  it('makes a won deal an opportunity when the conversion was never seen', () => {
    const facts = fold([handoff(T0), outcome('won', T0 + 40 * DAY)]);
    expect(facts.wonAt).toBe(T0 + 40 * DAY);
    expect(facts.opportunityAt).toBe(T0 + 40 * DAY);
  });

  it('keeps the earlier of a conversion and a win as the opportunity', () => {
    const facts = fold([handoff(T0), outcome('won', T0 + 40 * DAY), outcome('opportunity', T0 + 10 * DAY)]);
    expect(facts.opportunityAt).toBe(T0 + 10 * DAY);
    expect(fold([handoff(T0), outcome('lost', T0 + 9 * DAY)]).lostAt).toBe(T0 + 9 * DAY);
  });

  it('takes a history from before Baton: the handoff time with nothing else guessed, then the verdict', () => {
    const facts = fold([
      outcome('mql', T0),
      outcome('sql', T0 + 2 * DAY),
      outcome('opportunity', T0 + 9 * DAY),
    ]);
    expect(facts).toMatchObject({
      handoffAt: T0,
      dueAt: null,
      score: null,
      owner: '',
      fitGrade: 'unknown',
      verdict: 'accept_sql',
      verdictAt: T0 + 2 * DAY,
      opportunityAt: T0 + 9 * DAY,
    });
    // The same file again changes nothing; the rows in another order give the same row.
    const again = fold(
      [outcome('mql', T0), outcome('sql', T0 + 2 * DAY), outcome('opportunity', T0 + 9 * DAY)],
      facts,
    );
    expect(again).toEqual(facts);
    expect(
      fold([outcome('opportunity', T0 + 9 * DAY), outcome('sql', T0 + 2 * DAY), outcome('mql', T0)]),
    ).toEqual(facts);
    expect(fold([outcome('mql', T0), outcome('rejected', T0 + DAY)]).verdict).toBe('reject');
  });

  it('keeps what Baton saw of a handoff when the history names the same one', () => {
    const seen = fold([handoff(T0, { score: 72, owner: '田中 太郎' })]);
    expect(fold([outcome('mql', T0)], seen)).toBe(seen);
    // A later MQL in the history is a new cycle, whose score nobody knows.
    expect(fold([outcome('mql', T0 + 30 * DAY)], seen)).toMatchObject({
      handoffAt: T0 + 30 * DAY,
      score: null,
    });
  });

  it('refuses an outcome of another lead', () => {
    const other = { ...outcome('won', T0), leadKey: 'hubspot:0-1:51', crm: 'hubspot' as const };
    expect(() => foldOutcome(fold([handoff(T0)]), other, calendar)).toThrow(RangeError);
  });
});

describe('foldEvent: purity and bounds', () => {
  it('does not modify the row it was given', () => {
    const row = fold([handoff(T0), contact(T0 + HOUR)]);
    const snapshot = structuredClone(row);
    foldEvent(row, handoff(T0 + DAY), calendar);
    foldEvent(row, contact(T0 + 30 * 60_000), calendar);
    expect(row).toEqual(snapshot);
  });

  it('keeps at most TIMELINE_MAX_ENTRIES instants per list, the earliest among them', () => {
    const contacts = Array.from({ length: TIMELINE_MAX_ENTRIES + 10 }, (_, i) =>
      contact(T0 + (i + 1) * HOUR),
    );
    const facts = fold([handoff(T0), ...contacts]);
    expect(facts.timeline.contacts).toHaveLength(TIMELINE_MAX_ENTRIES);
    expect(facts.firstContactAt).toBe(T0 + HOUR);
  });
});

describe('foldEvent: any arrival order', () => {
  // Instants from a small set on a few days, so equal handoffAt values (one handoff, several browsers) and
  // events on both sides of a later handoff come up often.
  const instant = fc.integer({ min: 0, max: 40 }).map((k) => T0 + k * 7 * HOUR);
  const handoffArb = fc
    .record({
      at: instant,
      owner: fc.option(fc.constantFrom('田中 太郎', 'Emily Clark'), { nil: undefined }),
      score: fc.option(fc.integer({ min: 40, max: 120 }), { nil: undefined }),
      grade: fc.option(fc.constantFrom('A' as const, 'B' as const, 'D' as const), { nil: undefined }),
      reason: fc.constantFrom('threshold' as const, 'trigger' as const),
      version: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      ({ at, owner, score, grade, reason, version }): Item => ({
        ...handoff(at, {
          reason,
          ...(owner ? { owner } : {}),
          ...(score !== undefined ? { score } : {}),
          ...(grade ? { fitGrade: grade } : {}),
        }),
        rulesVersion: version,
      }),
    );
  const itemArb: fc.Arbitrary<Item> = fc.oneof(
    handoffArb,
    instant.map(contact),
    fc
      .tuple(instant, fc.constantFrom('accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate' as const))
      .map(([at, verdict]) =>
        feedback(at, verdict, verdict === 'reject' || verdict === 'recycle' ? 'no_budget' : undefined),
      ),
    instant.map(converted),
    // CRM statuses meaning SQL, won or lost, competing with the feedback above.
    fc
      .tuple(instant, fc.constantFrom('sql' as const, 'won' as const, 'lost' as const))
      .map(([at, to]): Item => ({ type: 'stage_change', ...base(at), from: 'contacted', to })),
    instant.map(escalation),
    fc
      .tuple(fc.constantFrom('opportunity' as const, 'won' as const, 'lost' as const), instant)
      .map(([kind, at]) => outcome(kind, at)),
  );

  it('gives the same facts for every permutation of a lead’s events', () => {
    fc.assert(
      fc.property(
        fc
          .array(itemArb, { minLength: 1, maxLength: 14 })
          .chain((items) =>
            fc.tuple(
              fc.constant(items),
              fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
            ),
          ),
        ([items, shuffled]) => {
          expect(fold(shuffled)).toEqual(fold(items));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
