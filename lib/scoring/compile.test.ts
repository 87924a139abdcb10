import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../rules/defaults';
import { compileRules, interestIn, matchActivity } from './compile';

describe('compileRules', () => {
  it('compiles a rule set once and reuses it for every lead', () => {
    expect(compileRules(defaultRuleSet)).toBe(compileRules(defaultRuleSet));
    expect(compileRules(structuredClone(defaultRuleSet))).not.toBe(compileRules(defaultRuleSet));
  });

  it('answers activity types no rule reads titles or URLs of without looking at them', () => {
    const download = interestIn(compileRules(defaultRuleSet).typeTable, 'download')!;
    expect(download.fixed).not.toBeNull();
    expect(matchActivity(download, 'anything', 'https://x.example/')).toBe(download.fixed);
  });

  it('gives the same matches from memory as when first computed', () => {
    const compiled = compileRules(defaultRuleSet);
    const pageView = interestIn(compiled.typeTable, 'page_view')!;
    const ids = (title: string, url: string) => {
      const m = matchActivity(pageView, title, url);
      return [
        m.engagement.map((i) => compiled.engagementRules[i]!.id),
        m.triggers.map((i) => compiled.triggers[i]!.id),
      ];
    };
    const first = ids('料金プラン', 'https://baton.co.jp/pricing');
    expect(first).toEqual([['pricing_page', 'site_visit'], ['pricing_view']]);
    expect(ids('料金プラン', 'https://baton.co.jp/pricing')).toEqual(first);
    expect(ids('採用情報', 'https://baton.co.jp/%E6%8E%A1%E7%94%A8')).toEqual([
      ['site_visit', 'careers_page'],
      [],
    ]);
  });
});
