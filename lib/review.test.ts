import { describe, expect, it } from 'vitest';
import { reviewDue } from './review';
import { defaultRuleSet, type RuleSet } from './rules';

function rules(review: Partial<RuleSet['review']>): RuleSet {
  return { ...defaultRuleSet, review: { ...defaultRuleSet.review, ...review } };
}

const at = (iso: string) => Date.parse(iso);

describe('reviewDue', () => {
  it('is not due within a month of the last monthly review', () => {
    const result = reviewDue(rules({ lastReviewedAt: '2026-10-31' }), null, at('2026-11-29T12:00:00+09:00'));
    expect(result).toMatchObject({
      due: false,
      lastReviewedOn: '2026-10-31',
      // 31 October + one month is the last day of November.
      meeting: { dueOn: '2026-11-30', due: false },
      threshold: { dueOn: '2027-01-29', due: false },
      message: null,
    });
  });

  it('is due from the meeting date on, counted in the calendar’s time zone', () => {
    const r = rules({ lastReviewedAt: '2026-10-31' });
    // 2026-11-29T15:00Z is already 30 November 00:00 in Tokyo.
    const result = reviewDue(r, null, at('2026-11-29T15:00:00Z'));
    expect(result.due).toBe(true);
    expect(result.meeting.due).toBe(true);
    expect(result.threshold.due).toBe(false);
    expect(result.message?.en).toBe('The review meeting with sales is due (since 2026-11-30)');
    expect(result.message?.ja).toContain('レビュー会議');
  });

  it('counts the threshold review in days and names both when both are due', () => {
    const r = rules({ cadence: 'quarterly', thresholdReviewEveryDays: 30 });
    const signed = at('2026-08-01T10:00:00+09:00');
    const result = reviewDue(r, signed, at('2026-11-02T09:00:00+09:00'));
    expect(result.threshold).toEqual({ dueOn: '2026-08-31', due: true });
    expect(result.meeting).toEqual({ dueOn: '2026-11-01', due: true });
    expect(result.message?.en).toContain(
      'review meeting with sales (due 2026-11-01) and the threshold review',
    );
  });

  it('counts from the later of the recorded review and the signing', () => {
    const r = rules({ lastReviewedAt: '2026-01-10' });
    const result = reviewDue(r, at('2026-11-20T10:00:00+09:00'), at('2026-11-25T10:00:00+09:00'));
    expect(result.lastReviewedOn).toBe('2026-11-20');
    expect(result.due).toBe(false);
  });

  it('asks for a first review when none is on record', () => {
    const result = reviewDue(rules({}), null, at('2026-11-25T10:00:00+09:00'));
    expect(result.due).toBe(true);
    expect(result.lastReviewedOn).toBeNull();
    expect(result.message?.en).toMatch(/No review is on record/);
  });
});
