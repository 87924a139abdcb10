import { describe, expect, it } from 'vitest';
import { evaluationCases } from '../evaluate.cases';
import { defaultRuleSet } from '../rules/defaults';
import { compileFields, fieldMasks, holds } from './fields';

const idsHeld = (rules: typeof defaultRuleSet, values: Record<string, string>) => {
  const fields = compileFields(rules);
  const masks = fieldMasks(fields, values);
  return {
    fit: rules.fitRules.filter((_, i) => holds(masks, fields.fitRules[i]!)).map((r) => r.id),
    exclusions: rules.exclusions.filter((_, i) => holds(masks, fields.exclusions[i]!)).map((x) => x.id),
    icp: holds(masks, fields.icp),
  };
};

describe('fit rules as field masks', () => {
  it('reads full-width text, a full-width ＠ and subdomains as the rules mean them', () => {
    expect(
      idsHeld(defaultRuleSet, {
        title: 'ＣＴＯ',
        industry: 'ｿﾌﾄｳｪｱ',
        employees: '１，２００名',
        region: '東京都',
        email: 'a＠ｍａｉｌ．ｃｏｍｐｅｔｉｔｏｒ．ｅｘａｍｐｌｅ',
      }),
    ).toEqual({
      fit: ['icp_industry', 'icp_company_size', 'enterprise', 'title_executive', 'icp_region', 'competitor'],
      exclusions: ['competitor'],
      icp: true,
    });
  });

  it('treats a blank field as a missing one', () => {
    expect(idsHeld(defaultRuleSet, { title: '  ', email: 'b@gmail.com' })).toEqual({
      fit: ['free_mail'],
      exclusions: [],
      icp: false,
    });
  });

  it('gives the same masks from memory as a freshly compiled rule set computes', () => {
    const warm = compileFields(defaultRuleSet);
    const leads = evaluationCases(300, 7).map((c) => c.snapshot.fields);
    const first = leads.map((values) => fieldMasks(warm, values));
    for (const [i, values] of leads.entries()) {
      expect(fieldMasks(warm, values), `lead ${i}`).toEqual(first[i]);
      expect(fieldMasks(compileFields(structuredClone(defaultRuleSet)), values), `lead ${i}`).toEqual(
        first[i],
      );
    }
  });
});
