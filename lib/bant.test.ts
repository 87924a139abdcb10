import { describe, expect, it } from 'vitest';
import { bantShortfall } from './bant';

describe('the SQL definition’s BANT rule', () => {
  it('refuses 2 of 4 under a 3-of-4 rule, naming what was and was not confirmed', () => {
    const reason = bantShortfall({ budget: 'yes', authority: 'no', need: 'yes', timing: 'unknown' }, 3);
    expect(reason).toEqual({
      ja: 'SQL として受け入れるには BANT の4項目中3項目以上の確認が必要です。確認できたのは2項目（予算・ニーズ）で、未確認は 決裁権・導入時期 です。',
      en: 'Accepting as SQL needs at least 3 of the 4 BANT items confirmed. 2 are confirmed (budget, need); not confirmed: authority, timing.',
    });
  });

  it('accepts 3 of 4 under a 3-of-4 rule, and 2 of 4 under a 2-of-4 rule', () => {
    expect(bantShortfall({ budget: 'yes', authority: 'yes', need: 'yes', timing: 'no' }, 3)).toBeNull();
    expect(bantShortfall({ budget: 'yes', authority: 'no', need: 'yes', timing: 'unknown' }, 2)).toBeNull();
  });

  it('counts only "yes" as confirmed: unknown is not a confirmation', () => {
    expect(
      bantShortfall({ budget: 'unknown', authority: 'unknown', need: 'unknown', timing: 'unknown' }, 1),
    ).not.toBeNull();
    expect(
      bantShortfall({ budget: 'unknown', authority: 'unknown', need: 'unknown', timing: 'unknown' }, 0),
    ).toBeNull();
  });
});
