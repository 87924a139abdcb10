import { describe, expect, it } from 'vitest';
import { type EvaluateOptions, evaluateLead, type LeadEvaluation, recordedHandoffReason } from './evaluate';
import type { Activity, LeadSnapshot } from './lead';
import { toLeadView } from './lead-view';
import { defaultRuleSet } from './rules/defaults';
import type { FitRule, RuleSet } from './rules/schema';
import { validateRuleSet } from './rules/validate';

const at = (iso: string) => Date.parse(iso);

/** A rule set derived from the defaults, validated like a published one. */
function variant(edit: (rules: RuleSet) => void): RuleSet {
  const rules = structuredClone(defaultRuleSet);
  edit(rules);
  const result = validateRuleSet(rules);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function lead(
  fields: Record<string, string>,
  activities: Activity[] = [],
  crm: LeadSnapshot['crm'] = 'salesforce',
) {
  return { crm, object: 'Lead', recordId: '00Q5g00000AbCdEFGH', fields, activities } satisfies LeadSnapshot;
}

/** Fit 60 under the defaults: ICP industry, size and region, 1,000+ employees, a manager's title. */
const idealFields = {
  company: '株式会社バトン',
  title: '情報システム部 部長',
  industry: '情報通信業',
  employees: '1,200名',
  region: '東京都',
  email: 'taro.yamada@baton.co.jp',
};

const activity = (type: Activity['type'], iso: string, title?: string, url?: string): Activity => ({
  type,
  at: iso,
  ...(title ? { title } : {}),
  ...(url ? { url } : {}),
});

function evaluate(rules: RuleSet, snapshot: LeadSnapshot, now: string, opts: Partial<EvaluateOptions> = {}) {
  return evaluateLead(rules, snapshot, { now: at(now), ...opts });
}

function ruleIds(evaluation: LeadEvaluation): string[] {
  return evaluation.explanation.map((c) => c.ruleId);
}

function pointsOf(evaluation: LeadEvaluation, ruleId: string): number | undefined {
  return evaluation.explanation.find((c) => c.ruleId === ruleId)?.points;
}

describe('fit rule operators', () => {
  const only = (condition: FitRule['condition']) =>
    variant((r) => {
      r.fitRules = [{ id: 'probe', label: { ja: '検査', en: 'Probe' }, condition, points: 7 }];
      r.threshold = { total: 1 };
    });
  const fires = (rules: RuleSet, fields: Record<string, string>) =>
    ruleIds(evaluate(rules, lead(fields), '2026-12-07T10:00:00+09:00')).includes('probe');

  it('equals compares after NFKC, case and space folding', () => {
    const rules = only({ op: 'equals', field: 'leadSource', value: 'Web Form' });
    expect(fires(rules, { leadSource: 'ＷＥＢ　ｆｏｒｍ' })).toBe(true);
    expect(fires(rules, { leadSource: 'Web Form 2' })).toBe(false);
    expect(fires(rules, {})).toBe(false);
  });

  it('in matches any listed value exactly', () => {
    const rules = only({ op: 'in', field: 'leadSource', values: ['展示会', 'Trade Show'] });
    expect(fires(rules, { leadSource: 'trade show' })).toBe(true);
    expect(fires(rules, { leadSource: '展示会' })).toBe(true);
    expect(fires(rules, { leadSource: 'Trade' })).toBe(false);
  });

  it('contains matches any listed value inside the text', () => {
    const rules = only({ op: 'contains', field: 'leadSource', values: ['紹介', 'referral'] });
    expect(fires(rules, { leadSource: 'パートナー紹介' })).toBe(true);
    expect(fires(rules, { leadSource: 'Customer Referral' })).toBe(true);
    expect(fires(rules, { leadSource: '広告' })).toBe(false);
  });

  it('matches runs the pattern case-insensitively on the normalised text', () => {
    const rules = only({ op: 'matches', field: 'title', pattern: String.raw`部長|\bmanager\b` });
    expect(fires(rules, { title: '営業部長' })).toBe(true);
    expect(fires(rules, { title: 'Sales ＭＡＮＡＧＥＲ' })).toBe(true);
    expect(fires(rules, { title: 'Managerial assistant' })).toBe(false);
  });

  it('range requires the whole displayed range inside the bounds', () => {
    const rules = only({ op: 'range', field: 'employees', min: 100, max: 999 });
    expect(fires(rules, { employees: '１２０名' })).toBe(true);
    expect(fires(rules, { employees: '100-499' })).toBe(true);
    expect(fires(rules, { employees: '約300' })).toBe(true);
    expect(fires(rules, { employees: '500-1500' })).toBe(false);
    expect(fires(rules, { employees: '1000人以上' })).toBe(false);
    expect(fires(rules, { employees: '不明' })).toBe(false);
  });

  it('range with only a minimum accepts open-ended counts', () => {
    const rules = only({ op: 'range', field: 'employees', min: 1000 });
    expect(fires(rules, { employees: '1000人以上' })).toBe(true);
    expect(fires(rules, { employees: '1,250' })).toBe(true);
    expect(fires(rules, { employees: '999' })).toBe(false);
  });

  it('emailDomain matches the listed domains and their subdomains, in any case', () => {
    const free = only({ op: 'emailDomain', list: 'freeMail' });
    expect(fires(free, { email: 'Taro@GMAIL.com' })).toBe(true);
    expect(fires(free, { email: 'taro@notgmail.com' })).toBe(false);
    expect(fires(free, { email: 'no address' })).toBe(false);
    const competitor = only({ op: 'emailDomain', list: 'competitor' });
    expect(fires(competitor, { email: 'spy@sales.competitor.example' })).toBe(true);
  });

  it('icp tests one dimension, or all of those the ICP defines', () => {
    const industry = only({ op: 'icp', dimension: 'industry' });
    expect(fires(industry, { industry: 'IT・通信' })).toBe(true);
    expect(fires(industry, { industry: 'ソフトウェア開発' })).toBe(true);
    // "it" must stand alone as a word, not hide inside "Hospitality".
    expect(fires(industry, { industry: 'Hospitality' })).toBe(false);
    const all = only({ op: 'icp', dimension: 'all' });
    expect(fires(all, idealFields)).toBe(true);
    expect(fires(all, { ...idealFields, region: '沖縄県' })).toBe(false);
    expect(fires(all, { ...idealFields, employees: '' })).toBe(false);
  });
});

describe('scores and explanation', () => {
  const now = '2026-12-07T10:00:00+09:00';

  it('adds fit points of every matching rule, negative ones included', () => {
    const result = evaluate(defaultRuleSet, lead({ ...idealFields, email: 'taro@gmail.com' }), now);
    expect(result.scores.fit).toBe(60 - 20);
    expect(pointsOf(result, 'free_mail')).toBe(-20);
  });

  it('caps a behaviour rule and says so', () => {
    const downloads = [1, 2, 3, 4].map((d) => activity('download', `2026-12-0${d}T10:00:00+09:00`));
    const rules = variant((r) => (r.engagementDecay = {}));
    const result = evaluate(rules, lead(idealFields, downloads), now);
    const contribution = result.explanation.find((c) => c.ruleId === 'document_download');
    expect(contribution).toMatchObject({ points: 45, activities: 4, capped: true });
  });

  it('halves behaviour points after one half-life and drops them outside the window', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [
        activity('download', '2026-11-07T10:00:00+09:00'),
        activity('webinar', '2026-09-07T10:00:00+09:00'),
      ]),
      now,
    );
    expect(pointsOf(result, 'document_download')).toBe(8); // 15 × ½ = 7.5, rounded
    expect(pointsOf(result, 'webinar')).toBeUndefined(); // 91 days old, window 90
  });

  it('caps negative behaviour points at minus the cap', () => {
    const visits = [1, 2, 3, 4].map((d) =>
      activity('page_view', `2026-12-0${d}T10:00:00+09:00`, '採用情報', 'https://baton.co.jp/careers'),
    );
    const result = evaluate(defaultRuleSet, lead(idealFields, visits), now);
    expect(result.explanation.find((c) => c.ruleId === 'careers_page')).toMatchObject({
      points: -30,
      capped: true,
    });
  });

  it('ignores activities after the evaluation time', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [activity('download', '2026-12-08T10:00:00+09:00')]),
      now,
    );
    expect(result.scores.engagement).toBe(0);
  });

  it('grades fit by the bands, lowest band below C', () => {
    const grade = (fields: Record<string, string>) => evaluate(defaultRuleSet, lead(fields), now).fitGrade;
    expect(grade(idealFields)).toBe('A');
    expect(grade({ ...idealFields, title: '担当' })).toBe('B');
    expect(grade({ industry: '情報通信', employees: '60名' })).toBe('B');
    expect(grade({ industry: '情報通信' })).toBe('C');
    expect(grade({ title: '学生' })).toBe('D');
  });

  it('explains every point: contributions sum to fit and engagement', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, leadSource: 'パートナー紹介' }, [
        activity('web_visit', '2026-12-01T10:00:00+09:00', 'トップ', 'https://baton.co.jp/'),
        activity('page_view', '2026-12-02T10:00:00+09:00', '料金プラン', 'https://baton.co.jp/pricing'),
        activity('email_click', '2026-11-20T10:00:00+09:00'),
      ]),
      now,
    );
    const sum = (kind: string) =>
      result.explanation.filter((c) => c.kind === kind).reduce((total, c) => total + c.points, 0);
    expect(sum('fit')).toBe(result.scores.fit);
    expect(sum('engagement')).toBe(result.scores.engagement);
    expect(result.scores.total).toBe(result.scores.fit + result.scores.engagement);
    expect(ruleIds(result)).toEqual(
      expect.arrayContaining(['referral', 'pricing_page', 'site_visit', 'email_click']),
    );
  });
});

describe('handoff', () => {
  it('uses the mapped MQL date when the CRM shows one', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, mqlAt: '2026/12/07 14:05' }),
      '2026-12-08T10:00:00+09:00',
    );
    expect(result.handoff).toEqual({ at: at('2026-12-07T14:05:00+09:00'), reason: 'crm_field' });
  });

  it('keeps the trigger behind a CRM MQL date written shortly after it', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, mqlAt: '2026/12/07 14:20' }, [
        activity('demo_request', '2026-12-07T14:00:00+09:00'),
      ]),
      '2026-12-07T14:30:00+09:00',
    );
    expect(result.handoff).toEqual({
      at: at('2026-12-07T14:20:00+09:00'),
      reason: 'crm_field',
      triggerId: 'demo_request',
    });
    expect(result.sla.tierId).toBe('hot');
  });

  it('hands over at a trigger at once, whatever the score', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ email: 'someone@smallshop.jp' }, [
        activity('form_submit', '2026-12-08T10:00:00+09:00', '無料トライアルのお申し込み'),
      ]),
      '2026-12-08T10:30:00+09:00',
    );
    expect(result.scores.total).toBeLessThan(60);
    expect(result.handoff).toEqual({
      at: at('2026-12-08T10:00:00+09:00'),
      reason: 'trigger',
      triggerId: 'demo_request',
    });
    expect(result.trigger).toMatchObject({ id: 'demo_request', at: at('2026-12-08T10:00:00+09:00') });
    expect(result.stage).toBe('mql');
  });

  it('keeps leads an exclusion rule names from being handed over, even by a trigger (competitors, students)', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ email: 'spy@competitor.example' }, [activity('demo_request', '2026-12-08T10:00:00+09:00')]),
      '2026-12-08T10:30:00+09:00',
    );
    expect(result.handoff).toBeNull();
    expect(result.trigger).toBeNull();
    expect(result.stage).toBe('new');
    expect(result.exclusion?.id).toBe('competitor');
    const student = evaluate(
      defaultRuleSet,
      lead({ title: '大学院生', email: 'hanako@example.ac.jp' }, [
        activity('demo_request', '2026-12-08T10:00:00+09:00'),
      ]),
      '2026-12-08T10:30:00+09:00',
    );
    expect(student.handoff).toBeNull();
    expect(student.exclusion?.id).toBe('student');
  });

  it('hands a demo request from a free-mail address with nothing else known over at once', () => {
    // Fit: free mail −20 and nothing else, so −20; engagement: the demo request 30. Below the score
    // threshold (60, fit at least 20), but a trigger hands over whatever the score.
    const result = evaluate(
      defaultRuleSet,
      lead({ email: 'taro@gmail.com' }, [activity('demo_request', '2026-12-08T10:00:00+09:00')]),
      '2026-12-08T10:30:00+09:00',
    );
    expect(result.scores.fit).toBe(-20);
    expect(result.exclusion).toBeNull();
    expect(result.handoff).toEqual({
      at: at('2026-12-08T10:00:00+09:00'),
      reason: 'trigger',
      triggerId: 'demo_request',
    });
    expect(result.stage).toBe('mql');
  });

  it('keeps an excluded lead from a score handoff too, however high its score', () => {
    const rules = variant((r) => {
      r.exclusions = [
        {
          id: 'existing_partner',
          label: { ja: 'パートナー企業', en: 'Partner' },
          condition: { op: 'contains', field: 'company', values: ['バトン'] },
        },
      ];
    });
    const result = evaluate(
      rules,
      lead(idealFields, [
        activity('download', '2026-12-07T15:00:00+09:00', 'ホワイトペーパー'),
        activity('webinar', '2026-12-08T15:00:00+09:00'),
      ]),
      '2026-12-09T10:00:00+09:00',
    );
    expect(result.scores.total).toBeGreaterThanOrEqual(60);
    expect(result.handoff).toBeNull();
    expect(result.stage).toBe('new');
    expect(result.exclusion?.id).toBe('existing_partner');
  });

  it('reconstructs the moment the running score crossed the threshold', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [
        activity('web_visit', '2026-12-07T10:00:00+09:00', 'トップ', 'https://baton.co.jp/'),
        activity('download', '2026-12-07T15:00:00+09:00', 'ホワイトペーパー'),
        activity('webinar', '2026-12-08T15:00:00+09:00'),
      ]),
      '2026-12-09T10:00:00+09:00',
    );
    // Fit 60 meets the total, but engagement must reach 10: the download (2 + 15) is the moment.
    expect(result.handoff).toEqual({ at: at('2026-12-07T15:00:00+09:00'), reason: 'score' });
  });

  it('keeps the handoff once made, even after the score decays below the threshold', () => {
    const snapshot = lead(idealFields, [activity('download', '2026-06-01T10:00:00+09:00')]);
    const result = evaluate(defaultRuleSet, snapshot, '2026-12-01T10:00:00+09:00');
    expect(result.scores.engagement).toBe(0);
    expect(result.handoff?.at).toBe(at('2026-06-01T10:00:00+09:00'));
    expect(result.stage).toBe('mql');
  });

  it('hands over at creation a lead whose fit alone qualifies', () => {
    const rules = variant((r) => (r.threshold = { total: 50 }));
    const result = evaluate(
      rules,
      lead({ ...idealFields, createdAt: '2026/12/07 9:30' }),
      '2026-12-07T12:00:00+09:00',
    );
    expect(result.handoff).toEqual({ at: at('2026-12-07T09:30:00+09:00'), reason: 'score' });
  });

  it('requires an ICP match when the rules say so, for triggers too', () => {
    const rules = variant((r) => (r.requireIcpMatch = true));
    const snapshot = lead({ ...idealFields, region: '沖縄県' }, [
      activity('demo_request', '2026-12-08T10:00:00+09:00'),
    ]);
    expect(evaluate(rules, snapshot, '2026-12-08T11:00:00+09:00').handoff).toBeNull();
    expect(evaluate(defaultRuleSet, snapshot, '2026-12-08T11:00:00+09:00').handoff?.reason).toBe('trigger');
  });
});

describe('SLA tier through evaluation', () => {
  const now = '2026-12-08T10:30:00+09:00';

  it('gives a demo request the 1-business-hour tier', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [activity('demo_request', '2026-12-08T10:00:00+09:00')]),
      now,
    );
    expect(result.sla).toMatchObject({
      state: 'running',
      tierId: 'hot',
      dueAt: at('2026-12-08T11:00:00+09:00'),
    });
  });

  it('gives a document request the 4-business-hour tier', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [activity('document_request', '2026-12-08T10:00:00+09:00', '資料請求: 製品概要')]),
      now,
    );
    expect(result.sla).toMatchObject({ tierId: 'document_request', dueAt: at('2026-12-08T14:00:00+09:00') });
  });

  it('gives a score-based MQL the one-business-day default tier', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [activity('download', '2026-12-07T15:00:00+09:00')]),
      '2026-12-08T10:00:00+09:00',
    );
    // Mon 7 Dec 15:00 + 1 business day → the same time on the next working day, Tue 8 Dec 15:00.
    expect(result.sla).toMatchObject({ tierId: 'score_mql', dueAt: at('2026-12-08T15:00:00+09:00') });
  });

  it('chooses by fit grade when a tier lists grades', () => {
    const rules = variant((r) => {
      r.sla.tiers.splice(2, 0, {
        id: 'grade_a',
        label: { ja: 'A ランク', en: 'Grade A' },
        match: { triggerIds: [], fitGrades: ['A'], default: false },
        duration: { amount: 2, unit: 'hours', clock: 'business' },
      });
    });
    const snapshot = lead(idealFields, [activity('download', '2026-12-07T15:00:00+09:00')]);
    expect(evaluate(rules, snapshot, '2026-12-08T10:00:00+09:00').sla.tierId).toBe('grade_a');
  });

  it('counts a lead handed over on Friday night from Monday morning', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [activity('download', '2026-12-11T20:00:00+09:00')]),
      '2026-12-12T10:00:00+09:00',
    );
    // Fri 11 Dec 20:00 is after hours: the clock starts Mon 14 Dec 09:00, due one working day later.
    expect(result.sla).toMatchObject({ state: 'running', dueAt: at('2026-12-15T09:00:00+09:00') });
  });
});

describe('first contact, stages and escalation', () => {
  const handedOver = [activity('demo_request', '2026-12-08T10:00:00+09:00')];

  it('counts the first call after handoff as first contact: stage contacted, SLA met', () => {
    const result = evaluate(
      defaultRuleSet,
      lead(idealFields, [
        activity('call', '2026-12-07T09:00:00+09:00'),
        ...handedOver,
        activity('email_sent', '2026-12-08T10:40:00+09:00'),
        activity('call', '2026-12-08T10:50:00+09:00'),
      ]),
      '2026-12-08T12:00:00+09:00',
    );
    expect(result.firstContactAt).toBe(at('2026-12-08T10:40:00+09:00'));
    expect(result.firstContactSource).toBe('activity');
    expect(result.stage).toBe('contacted');
    expect(result.sla.state).toBe('met');
    expect(result.escalation).toEqual({ next: null, reached: [], steps: [] });
  });

  it('only counts the methods the rules name', () => {
    const rules = variant((r) => (r.firstContactMethods = ['call']));
    const result = evaluate(
      rules,
      lead(idealFields, [...handedOver, activity('email_sent', '2026-12-08T10:40:00+09:00')]),
      '2026-12-08T12:00:00+09:00',
    );
    expect(result.firstContactAt).toBeNull();
    expect(result.sla.state).toBe('overdue');
  });

  it('takes a rep’s mark as first contact, and a late one misses the SLA', () => {
    const result = evaluate(defaultRuleSet, lead(idealFields, handedOver), '2026-12-08T12:00:00+09:00', {
      markedContactedAt: at('2026-12-08T11:30:00+09:00'),
    });
    expect(result.firstContactSource).toBe('mark');
    expect(result.sla.state).toBe('missed');
  });

  it('treats a status mapped to contacted as contact no later than now', () => {
    const now = '2026-12-08T10:20:00+09:00';
    const result = evaluate(defaultRuleSet, lead({ ...idealFields, status: '対応中' }, handedOver), now);
    expect(result).toMatchObject({
      firstContactAt: at(now),
      firstContactSource: 'status',
      stage: 'contacted',
    });
    expect(result.stageSource).toBe('crm_status');
  });

  it('lets a mapped CRM status override the computed stage', () => {
    const converted = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, status: 'Closed - Converted' }, handedOver),
      '2026-12-09T10:00:00+09:00',
    );
    expect(converted).toMatchObject({ stage: 'converted', stageSource: 'crm_status' });
    const disqualified = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, status: '見込みなし' }, [], 'hubspot'),
      '2026-12-09T10:00:00+09:00',
    );
    expect(disqualified.stage).toBe('disqualified');
  });

  it('keeps the computed stage when the CRM still calls the lead new', () => {
    const result = evaluate(
      defaultRuleSet,
      lead({ ...idealFields, status: '未対応' }, handedOver),
      '2026-12-08T10:30:00+09:00',
    );
    expect(result).toMatchObject({ stage: 'mql', stageSource: 'computed' });
  });

  it('names the next escalation step and the steps already reached', () => {
    const result = evaluate(defaultRuleSet, lead(idealFields, handedOver), '2026-12-08T11:30:00+09:00');
    expect(result.sla.state).toBe('overdue');
    expect(result.escalation.reached).toEqual(['reminder', 'owner']);
    expect(result.escalation.next).toEqual({
      stepId: 'manager',
      kind: 'manager',
      at: at('2026-12-08T15:00:00+09:00'),
    });
    // Every step's moment, reached or not, for the worker's alerts (lib/lead-view.ts carries them).
    expect(result.escalation.steps.map((s) => s.stepId)).toEqual(
      defaultRuleSet.escalation.steps.map((s) => s.id),
    );
    expect(result.escalation.steps).toContainEqual({
      stepId: 'manager',
      kind: 'manager',
      at: at('2026-12-08T15:00:00+09:00'),
    });
  });

  it("hands the lead view the SLA tier by id and the ladder it planned, for the worker's alerts", () => {
    const snapshot = lead(idealFields, handedOver);
    const result = evaluate(defaultRuleSet, snapshot, '2026-12-08T10:30:00+09:00');
    const view = toLeadView(defaultRuleSet, snapshot, result);
    expect(view.sla.tierId).toBe('hot');
    expect(view.sla.ladder).toEqual(result.escalation.steps);
    expect(view.sla.ladder).toHaveLength(defaultRuleSet.escalation.steps.length);
  });

  it('moves the SLA clock from running to due_soon to overdue as time passes', () => {
    const state = (now: string) => evaluate(defaultRuleSet, lead(idealFields, handedOver), now).sla.state;
    expect(state('2026-12-08T10:30:00+09:00')).toBe('running');
    expect(state('2026-12-08T10:50:00+09:00')).toBe('due_soon'); // 75% of the hour gone
    expect(state('2026-12-08T11:00:00+09:00')).toBe('due_soon');
    expect(state('2026-12-08T11:01:00+09:00')).toBe('overdue');
  });

  it('shows no SLA clock for a lead never handed over', () => {
    const result = evaluate(defaultRuleSet, lead({ title: '担当' }), '2026-12-08T10:30:00+09:00');
    expect(result).toMatchObject({
      handoff: null,
      stage: 'new',
      sla: { state: 'none' },
      firstContactAt: null,
    });
  });
});

describe('recycled leads', () => {
  const history = [
    activity('demo_request', '2026-09-01T10:00:00+09:00'),
    activity('call', '2026-09-01T11:00:00+09:00'),
    activity('call', '2026-09-10T11:00:00+09:00'),
  ];
  const recycled = { ...idealFields, status: 'Recycled' };

  it('stays recycled when it qualifies again inside the cool-down', () => {
    const snapshot = lead(recycled, [...history, activity('demo_request', '2026-09-30T10:00:00+09:00')]);
    const result = evaluate(defaultRuleSet, snapshot, '2026-10-01T10:00:00+09:00');
    expect(result.stage).toBe('recycled');
    expect(result.handoff?.at).toBe(at('2026-09-01T10:00:00+09:00'));
  });

  it('becomes an MQL again on a qualifying activity after the cool-down, with a new clock', () => {
    const snapshot = lead(recycled, [...history, activity('demo_request', '2026-10-12T10:00:00+09:00')]);
    const result = evaluate(defaultRuleSet, snapshot, '2026-10-12T10:30:00+09:00');
    expect(result.stage).toBe('mql');
    expect(result.handoff).toEqual({
      at: at('2026-10-12T10:00:00+09:00'),
      reason: 'trigger',
      triggerId: 'demo_request',
    });
    expect(result.firstContactAt).toBeNull();
    expect(result.sla.state).toBe('running');
  });

  it('counts the cool-down from the recycle time the caller saw, when given', () => {
    const snapshot = lead(recycled, [...history, activity('demo_request', '2026-10-12T10:00:00+09:00')]);
    const result = evaluate(defaultRuleSet, snapshot, '2026-10-12T10:30:00+09:00', {
      recycledAt: at('2026-10-01T00:00:00+09:00'),
    });
    expect(result.stage).toBe('recycled');
  });

  it('needs a new activity after the cool-down, not the old score lingering on', () => {
    const rules = variant((r) => (r.engagementDecay = {}));
    const snapshot = lead(recycled, [activity('download', '2026-09-01T10:00:00+09:00'), ...history.slice(1)]);
    expect(evaluate(rules, snapshot, '2026-12-01T10:00:00+09:00').stage).toBe('recycled');
  });
});

describe('the reason a handoff event records', () => {
  it('says who decided the handoff: the score threshold, a trigger, or someone by hand (a CRM MQL date)', () => {
    expect(recordedHandoffReason('score')).toBe('threshold');
    expect(recordedHandoffReason('trigger')).toBe('trigger');
    expect(recordedHandoffReason('crm_field')).toBe('manual');
  });
});
