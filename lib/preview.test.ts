import { describe, expect, it } from 'vitest';
import type { LeadSnapshot } from './lead';
import { previewRules } from './preview';
import { defaultRuleSet, type RuleSet } from './rules';

const now = Date.parse('2026-11-25T10:00:00+09:00');

/** Fit 45 (IT, 300 staff, a manager), engagement 12 (a form and a visit this morning): 57 points. */
const nearThreshold: LeadSnapshot = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q000000000001AAA',
  fields: { company: '株式会社ニアミス', industry: 'ソフトウェア', employees: '300', title: '営業部長' },
  activities: [
    { type: 'form_submit', title: 'お問い合わせ', at: '2026-11-25T09:00:00+09:00' },
    { type: 'web_visit', url: 'https://example.co.jp/', at: '2026-11-25T09:10:00+09:00' },
  ],
};

/** Asked for a demo at 09:30: handed over by trigger under any threshold. */
const demo: LeadSnapshot = {
  crm: 'hubspot',
  object: '0-1',
  recordId: '51',
  fields: { company: 'Acme KK', industry: 'Manufacturing', employees: '1200' },
  activities: [{ type: 'demo_request', title: 'Demo', at: '2026-11-25T09:30:00+09:00' }],
};

const student: LeadSnapshot = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q000000000003AAA',
  fields: { name: '学生 太郎', title: '学生', email: 'taro@gmail.com' },
  activities: [],
};

function draft(change: (rules: RuleSet) => void): RuleSet {
  const copy = structuredClone(defaultRuleSet);
  change(copy);
  return copy;
}

describe('previewRules', () => {
  it('shows a lead becoming an MQL when the threshold drops below its score', () => {
    const lower = draft((r) => {
      r.threshold.total = 55;
    });
    const preview = previewRules(
      defaultRuleSet,
      lower,
      [{ snapshot: student }, { snapshot: nearThreshold }],
      now,
    );
    expect(preview.mqlBefore).toBe(0);
    expect(preview.mqlAfter).toBe(1);
    expect(preview.became).toBe(1);
    const [first] = preview.rows;
    expect(first!.label).toBe('株式会社ニアミス');
    expect(first!.change).toBe('became_mql');
    expect(first!.before).toMatchObject({ score: 57, mql: false, dueAt: null });
    expect(first!.after.mql).toBe(true);
    // Score MQLs get the default 24-business-hour tier.
    expect(first!.after.dueAt).not.toBeNull();
    expect(preview.rows[1]!.change).toBe('unchanged');
  });

  it('shows the lead stopping being an MQL when the threshold goes back up', () => {
    const lower = draft((r) => {
      r.threshold.total = 55;
    });
    const preview = previewRules(lower, defaultRuleSet, [{ snapshot: nearThreshold }], now);
    expect(preview).toMatchObject({ mqlBefore: 1, mqlAfter: 0, became: 0, stopped: 1 });
    expect(preview.rows[0]!.change).toBe('stopped_mql');
  });

  it('reports a moved deadline when a tier gets more time', () => {
    const slower = draft((r) => {
      r.sla.tiers[0]!.duration = { amount: 2, unit: 'hours', clock: 'business' };
    });
    const preview = previewRules(
      defaultRuleSet,
      slower,
      [{ snapshot: demo }, { snapshot: nearThreshold }],
      now,
    );
    expect(preview.dueChanged).toBe(1);
    const row = preview.rows[0]!;
    expect(row.label).toBe('Acme KK');
    expect(row.change).toBe('unchanged');
    expect(row.dueShiftMs).toBe(60 * 60 * 1000);
  });

  it('lists per lead only the rules whose points changed', () => {
    const richer = draft((r) => {
      r.fitRules.find((f) => f.id === 'title_manager')!.points = 15;
      r.fitRules = r.fitRules.filter((f) => f.id !== 'icp_company_size');
    });
    const [row] = previewRules(defaultRuleSet, richer, [{ snapshot: nearThreshold }], now).rows;
    expect(row!.explanation).toEqual([
      {
        ruleId: 'icp_company_size',
        kind: 'fit',
        label: { ja: 'ICP の企業規模（50〜5000名）', en: 'ICP company size (50 to 5,000)' },
        before: 15,
        after: null,
      },
      {
        ruleId: 'title_manager',
        kind: 'fit',
        label: { ja: '部課長・マネージャー', en: 'Manager or head' },
        before: 10,
        after: 15,
      },
    ]);
    expect(row!.after.score).toBe(row!.before.score - 10);
  });

  it('keeps a rep’s contacted mark under both rule sets', () => {
    const lower = draft((r) => {
      r.threshold.total = 55;
    });
    const marked = now - 5 * 60 * 1000;
    const [row] = previewRules(
      defaultRuleSet,
      lower,
      [{ snapshot: demo, markedContactedAt: marked }],
      now,
    ).rows;
    expect(row!.before.stage).toBe('contacted');
    expect(row!.after.stage).toBe('contacted');
  });
});
