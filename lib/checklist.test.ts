import { describe, expect, it } from 'vitest';
import { type ChecklistSettings, checklist } from './checklist';
import { defaultRuleSet, type RuleSet, ruleSetSchema } from './rules';

const now = Date.parse('2026-11-25T10:00:00+09:00');

const signed: ChecklistSettings = {
  endpointConfigured: true,
  now,
  agreement: {
    version: 4,
    activation: 'signoffs',
    activatedAt: '2026-11-20T01:00:00.000Z',
    signoffs: [
      {
        side: 'marketing',
        by: { name: '佐藤 花子', role: 'marketer' },
        at: '2026-11-19T08:00:00.000Z',
        comment: null,
      },
      {
        side: 'sales',
        by: { name: '鈴木 一郎', role: 'manager' },
        at: '2026-11-20T01:00:00.000Z',
        comment: null,
      },
    ],
  },
};

/** A team that wrote its definitions and confirmed Baton's defaults for every other item in its agreement. */
const teamRules: RuleSet = {
  ...defaultRuleSet,
  definitions: {
    mql: { ja: '合計60点以上、または資料請求', en: 'Score 60 or more, or a document request' },
    sql: { ja: 'BANT のうち3つを確認', en: 'Three of BANT confirmed' },
  },
  checklistConfirmed: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15],
};

const byNumber = (items: ReturnType<typeof checklist>) => new Map(items.map((i) => [i.number, i]));

describe('checklist', () => {
  it('has the fifteen items in order, each titled and explained in both languages', () => {
    const items = checklist(teamRules, signed);
    expect(items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    for (const item of items) {
      expect(item.title.ja).not.toBe('');
      expect(item.title.en).not.toBe(item.title.ja);
      expect(item.reason.en.length).toBeGreaterThan(0);
    }
  });

  it('is all met for a team with its own definitions, an endpoint and a signed version', () => {
    const items = checklist(teamRules, signed);
    expect(items.filter((i) => !i.met).map((i) => i.number)).toEqual([]);
    const item = byNumber(items);
    expect(item.get(4)!.reason.en).toBe('60 points or more (fit at least 20, engagement at least 10)');
    expect(item.get(7)!.reason.en).toContain('Hot lead (demo request, pricing page): 1 business hour');
    expect(item.get(9)!.reason.ja).toBe('20%〜30%');
    expect(item.get(13)!.reason.en).toBe(
      'Version 4: signed by 佐藤 花子 (marketing) and 鈴木 一郎 (sales), active since 2026-11-20',
    );
    expect(item.get(15)!.reason.en).toBe('Every 90 days (next 2027-02-18)');
  });

  it('dates the activation in the team’s zone, not in UTC', () => {
    // 23:30 UTC on the 19th is 08:30 on the 20th in Tokyo.
    const early = { ...signed, agreement: { ...signed.agreement!, activatedAt: '2026-11-19T23:30:00.000Z' } };
    expect(byNumber(checklist(teamRules, early)).get(13)!.reason.en).toContain('active since 2026-11-20');
  });

  it('marks the default definitions as not yet the team’s own and links to where they are written', () => {
    const item = byNumber(checklist(defaultRuleSet, signed));
    expect(item.get(1)!.met).toBe(false);
    expect(item.get(1)!.reason.en).toMatch(/default wording/);
    expect(item.get(1)!.place).toEqual({ tab: 'rules', section: 'definitions' });
    expect(item.get(2)!.met).toBe(false);
  });

  it('says what is missing without an endpoint: tracking, feedback and the agreement', () => {
    const item = byNumber(checklist(teamRules, { endpointConfigured: false, agreement: null, now }));
    for (const n of [10, 12, 13]) expect(item.get(n)!.met).toBe(false);
    expect(item.get(10)!.place).toEqual({ tab: 'options' });
    expect(item.get(13)!.place).toEqual({ tab: 'agreement' });
    expect(item.get(13)!.reason.en).toMatch(/No signed rule set/);
  });

  it('does not count a seeded or admin-activated version as agreed', () => {
    const seeded = checklist(teamRules, {
      ...signed,
      agreement: { version: 1, activation: 'seed', activatedAt: '2026-11-01T00:00:00.000Z', signoffs: [] },
    });
    expect(byNumber(seeded).get(13)!).toMatchObject({ met: false });
    expect(byNumber(seeded).get(13)!.reason.en).toMatch(/seeded default/);
  });

  it('reads unmet items from the rules: no ICP, no triggers, no alerts, one-sided feedback reasons', () => {
    const bare: RuleSet = {
      ...teamRules,
      icp: { industries: [], titles: [], regions: [] },
      fitRules: teamRules.fitRules.filter((r) => r.condition.op !== 'icp'),
      triggers: [],
      sla: { ...teamRules.sla, tiers: [teamRules.sla.tiers[2]!] },
      escalation: { steps: teamRules.escalation.steps.filter((s) => s.kind === 'manager') },
      feedbackReasons: teamRules.feedbackReasons.filter((r) => !r.appliesTo.includes('recycle')),
    };
    const item = byNumber(checklist(bare, signed));
    expect([5, 6, 11, 12].map((n) => item.get(n)!.met)).toEqual([false, false, false, false]);
    expect(item.get(6)!.reason.en).toBe('No behaviour trigger: handoff by score only');
    expect(item.get(11)!.place).toEqual({ tab: 'rules', section: 'escalation' });
  });

  it('meets no item on Baton’s untouched defaults but the signed agreement, the same way for all', () => {
    const items = checklist(defaultRuleSet, signed);
    expect(items.filter((i) => i.met).map((i) => i.number)).toEqual([13]);
    const item = byNumber(items);
    for (const n of [3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15]) {
      expect(item.get(n)!.reason.en, String(n)).toMatch(/^Still Baton's default: .* \(now: .+\)$/);
    }
    expect(item.get(4)!.reason.en).toBe(
      "Still Baton's default: change it to what the team decided, or confirm the default as decided (now: 60 points or more (fit at least 20, engagement at least 10))",
    );
    // The conversion target says where a target should come from.
    expect(item.get(9)!.reason.en).toBe(
      'The 20–30% often quoted varies by industry, product and channel: set the target from your own history (now: 20%–30%)',
    );
  });

  it('meets an item once its part is changed, or once the team confirms the default', () => {
    const changed: RuleSet = {
      ...defaultRuleSet,
      threshold: { ...defaultRuleSet.threshold, total: 55 },
      conversionTarget: { min: 0.15, max: 0.25 },
      checklistConfirmed: [1, 14],
    };
    const item = byNumber(checklist(changed, signed));
    expect([4, 9, 1, 14].map((n) => item.get(n)!.met)).toEqual([true, true, true, true]);
    expect(item.get(1)!.reason.en).toMatch(/^"A lead whose fit plus engagement/);
    // Untouched and unconfirmed: still not met.
    expect([2, 3, 15].map((n) => item.get(n)!.met)).toEqual([false, false, false]);
    // Reordering keys is not a decision.
    const reordered: RuleSet = {
      ...defaultRuleSet,
      threshold: { minEngagement: 10, minFit: 20, total: 60 },
    };
    expect(byNumber(checklist(reordered, signed)).get(4)!.met).toBe(false);
  });

  it('refuses a confirmation of an item that does not exist', () => {
    const result = ruleSetSchema.safeParse({ ...defaultRuleSet, checklistConfirmed: [16] });
    expect(result.success).toBe(false);
  });

  it('tells when the review meeting is due', () => {
    const item = byNumber(checklist(teamRules, { ...signed, now: Date.parse('2027-01-05T10:00:00+09:00') }));
    expect(item.get(14)!.reason.en).toBe('monthly (the next meeting is due)');
  });
});
