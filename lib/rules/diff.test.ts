import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from './defaults';
import { diffRuleSets, diffText } from './diff';
import type { RuleSet } from './schema';

function edited(change: (rules: RuleSet) => void): RuleSet {
  const copy = structuredClone(defaultRuleSet);
  change(copy);
  return copy;
}

const texts = (before: RuleSet, after: RuleSet, lang: 'ja' | 'en' = 'en') =>
  diffRuleSets(before, after).map((c) => c.text[lang]);

describe('diffRuleSets', () => {
  it('finds nothing between a rule set and its copy', () => {
    expect(diffRuleSets(defaultRuleSet, structuredClone(defaultRuleSet))).toEqual([]);
    expect(diffText([], 'en')).toBe('No changes');
  });

  it('says a threshold change in words, in both languages, with its path', () => {
    const after = edited((r) => {
      r.threshold.total = 55;
    });
    const [change, ...rest] = diffRuleSets(defaultRuleSet, after);
    expect(rest).toEqual([]);
    expect(change).toEqual({
      path: ['threshold', 'total'],
      kind: 'changed',
      text: { ja: '閾値 60 → 55', en: 'Threshold 60 → 55' },
    });
  });

  it('names a removed trigger by its label and id', () => {
    const after = edited((r) => {
      r.triggers = r.triggers.filter((t) => t.id !== 'pricing_view');
      r.sla.tiers[0]!.match.triggerIds = ['demo_request'];
    });
    const lines = texts(defaultRuleSet, after);
    expect(lines).toContain('Trigger "Pricing page view" (pricing_view) removed');
    expect(
      lines.some((l) => l.startsWith('SLA tier "Hot lead (demo request, pricing page)" (hot): applies to')),
    ).toBe(true);
    expect(texts(defaultRuleSet, after, 'ja')).toContain(
      '行動トリガー「料金ページ閲覧」（pricing_view）を削除',
    );
  });

  it('states an SLA deadline change as durations people say', () => {
    const after = edited((r) => {
      r.sla.tiers[0]!.duration = { amount: 2, unit: 'hours', clock: 'business' };
    });
    expect(texts(defaultRuleSet, after)).toEqual([
      'SLA tier "Hot lead (demo request, pricing page)" (hot): deadline 1 business hour → 2 business hours',
    ]);
    expect(texts(defaultRuleSet, after, 'ja')[0]).toContain('営業時間で1時間 → 営業時間で2時間');
  });

  it('compares rules by id, so reordering is no change and an edit is one line per field', () => {
    const reordered = edited((r) => {
      r.fitRules.reverse();
    });
    expect(diffRuleSets(defaultRuleSet, reordered)).toEqual([]);
    const after = edited((r) => {
      r.fitRules.reverse();
      r.fitRules.find((f) => f.id === 'referral')!.points = 15;
    });
    const changes = diffRuleSets(defaultRuleSet, after);
    expect(changes.map((c) => c.text.en)).toEqual(['Fit rule "Referral" (referral): points 10 → 15']);
    // The path points into the edited rule set, where the editor shows the field.
    expect(changes[0]!.path).toEqual([
      'fitRules',
      after.fitRules.findIndex((f) => f.id === 'referral'),
      'points',
    ]);
  });

  it('describes an added rule with what it scores', () => {
    const after = edited((r) => {
      r.fitRules.push({
        id: 'budget_known',
        label: { ja: '予算あり', en: 'Budget known' },
        condition: { op: 'equals', field: 'leadSource', value: 'Partner' },
        points: 5,
      });
    });
    expect(texts(defaultRuleSet, after)).toEqual([
      'Fit rule "Budget known" (budget_known) added: +5 when leadSource equals "Partner"',
    ]);
  });

  it('lists set changes, calendar, status mapping, review and the conversion target', () => {
    const after = edited((r) => {
      r.emailDomains.competitor = ['rival.co.jp'];
      r.calendar.workingHours.sat = [{ start: '10:00', end: '15:00' }];
      r.calendar.companyHolidays = [
        { from: '2026-08-13', to: '2026-08-16', name: { ja: '夏季休業', en: 'Summer break' } },
      ];
      Object.assign(r.statusMapping.salesforce!, { 商談中: 'sql' });
      r.review.cadence = 'quarterly';
      r.conversionTarget = { min: 0.25, max: 0.35 };
      r.escalation.steps[2]!.when = { afterDue: { amount: 8, unit: 'hours', clock: 'business' } };
    });
    expect(texts(defaultRuleSet, after)).toEqual([
      'Competitor domains: added rival.co.jp; removed competitor.example',
      'Working hours Saturday closed → 10:00–15:00',
      'Company holiday "Summer break 2026-08-13〜2026-08-16" added',
      'Escalation step "Escalate to the sales manager" (manager): when 4 business hours after the due time → 8 business hours after the due time',
      'salesforce status "商談中" none → sql',
      'Review meeting cadence monthly → quarterly',
      'MQL→SQL conversion target 20%–30% → 25%–35%',
    ]);
  });

  it('joins the changes into a summary a draft can carry', () => {
    const after = edited((r) => {
      r.threshold.total = 55;
      r.requireIcpMatch = true;
    });
    expect(diffText(diffRuleSets(defaultRuleSet, after), 'ja')).toBe(
      '- 閾値 60 → 55\n- ICP 一致を必須 いいえ → はい',
    );
  });
});
