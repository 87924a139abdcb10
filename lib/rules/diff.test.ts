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

  // Written from the diff as it stood before the rule-field catalogue (issue 19): one edit in every part of
  // the rule set, so drawing the labels from the catalogue cannot change a word unnoticed.
  it('words one change in every part of the rule set as before, in both languages', () => {
    const after = edited((r) => {
      r.version.id = 'team-2026-12';
      r.name = { ja: 'チームのルール', en: 'Team rules' };
      r.definitions.sql = { ja: 'BANT を2つ確認', en: 'Two BANT items confirmed' };
      r.sqlBant.minConfirmed = 2;
      r.icp.industries[0]!.synonyms = [...r.icp.industries[0]!.synonyms.slice(1), 'クラウド'];
      r.icp.industries[1]!.label = { ja: 'ものづくり', en: 'Makers' };
      r.icp.employees = { min: 100 };
      r.icp.titles[0]!.pattern = 'CEO';
      r.icp.regions = [];
      r.emailDomains.freeMail = [...r.emailDomains.freeMail, 'example.jp'];
      r.fitRules[0]!.condition = { op: 'icp', dimension: 'all' };
      r.fitRules[1]!.label = { ja: '大企業', en: 'Large company' };
      r.engagementRules[0]!.activities = [{ types: ['demo_request', 'form_submit'], titlePattern: 'demo' }];
      r.engagementRules[1]!.cap = 60;
      r.engagementRules[2]!.decay = { halfLifeDays: 14 };
      r.engagementRules.push({
        id: 'webinar_live',
        label: { ja: 'ライブ参加', en: 'Live attendance' },
        activities: [{ types: ['webinar'] }],
        points: 12,
      });
      r.engagementDecay = { windowDays: 120 };
      r.threshold = { total: 60, minFit: 25 };
      r.fitGrades.C = 10;
      r.checklistConfirmed = [3, 7];
      r.triggers[2]!.label = { ja: '資料請求（全般）', en: 'Any document request' };
      r.exclusions[1]!.condition = { op: 'in', field: 'title', values: ['学生', 'student'] };
      r.exclusions.push({
        id: 'free_mail',
        label: { ja: 'フリーメール', en: 'Free mail' },
        condition: { op: 'emailDomain', list: 'freeMail' },
      });
      r.recycle.coolDownDays = 45;
      r.calendar.timeZone = 'Asia/Seoul';
      r.calendar.workingHours.fri = [];
      r.calendar.nationalHolidays = 'none';
      r.calendar.yearlyHolidays = [];
      r.calendar.extraWorkingDays = [{ date: '2026-12-26', hours: [{ start: '10:00', end: '16:00' }] }];
      r.sla.tiers[2]!.label = { ja: 'スコアで MQL', en: 'Scored MQL' };
      r.sla.tiers.push({
        id: 'partner',
        label: { ja: 'パートナー', en: 'Partner' },
        match: { triggerIds: ['document_request'], fitGrades: ['A', 'B'], default: false },
        duration: { amount: 30, unit: 'minutes', clock: 'calendar' },
      });
      r.sla.dueSoon = { share: 0.5, before: { amount: 2, unit: 'hours' } };
      r.escalation.steps[0]!.kind = 'manager';
      r.firstContactMethods = ['call'];
      r.statusMapping.kintone = { ...r.statusMapping.kintone, MQL: 'new' };
      r.feedbackReasons[0]!.appliesTo = ['reject'];
      r.feedbackReasons.pop();
      r.fieldMappings = { kintone: { company: { codes: ['会社'], labels: { ja: ['会社'], en: [] } } } };
      r.review.thresholdReviewEveryDays = 60;
      r.review.lastReviewedAt = '2026-11-30';
    });
    const changes = diffRuleSets(defaultRuleSet, after);
    expect(changes.map((c) => [c.kind, c.path.join('.')])).toEqual(expectedKinds);
    expect(changes.map((c) => c.text.en)).toEqual(expectedEn);
    expect(changes.map((c) => c.text.ja)).toEqual(expectedJa);
  });
});

const expectedKinds = [
  ['changed', 'version.id'],
  ['changed', 'name'],
  ['changed', 'definitions.sql'],
  ['changed', 'icp.industries.0.synonyms'],
  ['changed', 'icp.industries.1.label'],
  ['changed', 'icp.employees'],
  ['changed', 'icp.titles.0.pattern'],
  ['removed', 'icp.regions.0'],
  ['removed', 'icp.regions.1'],
  ['removed', 'icp.regions.2'],
  ['changed', 'emailDomains.freeMail'],
  ['changed', 'fitRules.0.condition'],
  ['changed', 'fitRules.1.label'],
  ['changed', 'engagementRules.0.activities'],
  ['changed', 'engagementRules.1.cap'],
  ['changed', 'engagementRules.2.decay'],
  ['added', 'engagementRules.8'],
  ['changed', 'engagementDecay'],
  ['changed', 'threshold.minFit'],
  ['changed', 'threshold.minEngagement'],
  ['changed', 'fitGrades.C'],
  ['changed', 'checklistConfirmed'],
  ['changed', 'sqlBant.minConfirmed'],
  ['changed', 'triggers.2.label'],
  ['changed', 'exclusions.1.condition'],
  ['added', 'exclusions.3'],
  ['changed', 'recycle.coolDownDays'],
  ['changed', 'calendar.timeZone'],
  ['changed', 'calendar.workingHours.fri'],
  ['changed', 'calendar.nationalHolidays'],
  ['removed', 'calendar.yearlyHolidays.0'],
  ['added', 'calendar.extraWorkingDays.0'],
  ['changed', 'sla.tiers.2.label'],
  ['added', 'sla.tiers.3'],
  ['changed', 'sla.dueSoon'],
  ['changed', 'escalation.steps.0.kind'],
  ['changed', 'firstContactMethods'],
  ['changed', 'statusMapping.kintone.MQL'],
  ['removed', 'feedbackReasons.9'],
  ['changed', 'feedbackReasons.0.appliesTo'],
  ['changed', 'fieldMappings.kintone.company'],
  ['changed', 'review.thresholdReviewEveryDays'],
  ['changed', 'review.lastReviewedAt'],
];

const expectedEn = [
  'Revision name baton-default-1 → team-2026-12',
  'Rule set name "Baton default rules (B2B SaaS)" → "Team rules"',
  'SQL definition "A lead for which inside sales confirmed at least three of BANT (budget, authority, need, timing) in a conversation a… → "Two BANT items confirmed"',
  'ICP industry "IT and software" (it): synonyms: added クラウド; removed 情報通信',
  'ICP industry "Manufacturing" (manufacturing): label "Manufacturing" → "Makers"',
  'ICP company size 50–5000 employees → 100– employees',
  'ICP title "Executives" (executive): pattern 社長|代表|取締役|役員|執行役|\\bc[eotfim]o\\b|(?<!vice )president|founder → CEO',
  'ICP region "Kanto" (kanto) removed',
  'ICP region "Kansai" (kansai) removed',
  'ICP region "Chubu" (chubu) removed',
  'Free-mail domains: added example.jp',
  'Fit rule "ICP industry" (icp_industry): condition matches the ICP industry → matches the ICP',
  'Fit rule "ICP company size (50 to 5,000)" (icp_company_size): label "ICP company size (50 to 5,000)" → "Large company"',
  'Engagement rule "Demo request" (demo_request): activities demo_request → demo_request / form_submit title~/demo/',
  'Engagement rule "Document request or download" (document_download): cap 45 → 60',
  'Engagement rule "Pricing page view" (pricing_page): decay none → half-life 14 days',
  'Engagement rule "Live attendance" (webinar_live) added: +12 per webinar',
  'Engagement decay half-life 30 days, window 90 days → window 120 days',
  'Minimum fit 20 → 25',
  'Minimum engagement 10 → none',
  'Grade C minimum 15 → 10',
  'Checklist items decided as the default  → 3, 7',
  'BANT items to confirm for SQL 3 → 2',
  'Trigger "Document request" (document_request): label "Document request" → "Any document request"',
  'Exclusion "Student" (student): condition title matches /学生|院生|インターン|\\bstudent\\b|\\bintern\\b/ → title is one of 学生, student',
  'Exclusion "Free mail" (free_mail) added: email on a free-mail domain',
  'Cool-down after going back to nurture (days) 30 → 45',
  'Time zone Asia/Tokyo → Asia/Seoul',
  'Working hours Friday 09:00–18:00 → closed',
  'National holidays jp → none',
  'Yearly holiday "Year-end holidays 12-29〜01-03" removed',
  'Extra working day "2026-12-26" added',
  'SLA tier "MQL by score" (score_mql): label "MQL by score" → "Scored MQL"',
  'SLA tier "Partner" (partner) added: triggers document_request; grades A, B: 30 calendar minutes',
  'Due-soon warning at 75% → at 50%, 2 calendar hours before',
  'Escalation step "Reminder to the owner" (reminder): who reminder → manager',
  'First-contact methods call, email, meeting → call',
  'kintone status "MQL" mql → new',
  'Feedback reason "Invalid contact details" (invalid_contact) removed',
  'Feedback reason "No budget" (no_budget): applies to reject, recycle → reject',
  'kintone field mapping "company" none → {"codes":["会社"],"labels":{"en":[],"ja":["会社"]}}',
  'Threshold review every (days) 90 → 60',
  'Last reviewed none → 2026-11-30',
];

const expectedJa = [
  'バージョン名 baton-default-1 → team-2026-12',
  'ルールセット名 「Baton 標準ルール（B2B SaaS）」 → 「チームのルール」',
  'SQL の定義 「インサイドセールスがヒアリングで BANT（予算・決裁権・ニーズ・導入時期）のうち3つ以上を確認し、商談化できると判断したリード。」 → 「BANT を2つ確認」',
  'ICP の業種「情報通信・ソフトウェア」（it）: 同義語: クラウド を追加、情報通信 を削除',
  'ICP の業種「製造業」（manufacturing）: 名前 「製造業」 → 「ものづくり」',
  'ICP の企業規模 50–5000名 → 100–名',
  'ICP の役職「経営層」（executive）: パターン 社長|代表|取締役|役員|執行役|\\bc[eotfim]o\\b|(?<!vice )president|founder → CEO',
  'ICP の地域「関東」（kanto）を削除',
  'ICP の地域「関西」（kansai）を削除',
  'ICP の地域「中部」（chubu）を削除',
  'フリーメールのドメイン: example.jp を追加',
  '属性ルール「ICP の業種」（icp_industry）: 条件 ICP の industry に一致 → ICP に一致',
  '属性ルール「ICP の企業規模（50〜5000名）」（icp_company_size）: 名前 「ICP の企業規模（50〜5000名）」 → 「大企業」',
  '行動ルール「デモ依頼」（demo_request）: 対象の行動 demo_request → demo_request / form_submit title~/demo/',
  '行動ルール「資料請求・資料DL」（document_download）: 上限 45 → 60',
  '行動ルール「料金ページ閲覧」（pricing_page）: 減衰 なし → 半減期14日',
  '行動ルール「ライブ参加」（webinar_live）を追加: webinar 1件 +12点',
  '行動スコアの減衰 半減期30日・90日で失効 → 120日で失効',
  '属性スコアの下限 20 → 25',
  '行動スコアの下限 10 → なし',
  'ランク C の下限 15 → 10',
  '既定値のまま決定したチェック項目  → 3, 7',
  'SQL に必要な BANT の確認項目数 3 → 2',
  '行動トリガー「資料請求」（document_request）: 名前 「資料請求」 → 「資料請求（全般）」',
  '除外ルール「学生」（student）: 条件 title が /学生|院生|インターン|\\bstudent\\b|\\bintern\\b/ に一致 → title が 学生・student のいずれか',
  '除外ルール「フリーメール」（free_mail）を追加: メールがフリーメールのドメイン',
  'ナーチャリングへ戻した後の待機日数 30 → 45',
  'タイムゾーン Asia/Tokyo → Asia/Seoul',
  '営業時間（金曜） 09:00–18:00 → 休業',
  '祝日 jp → none',
  '毎年の休業日「年末年始 12-29〜01-03」を削除',
  '臨時営業日「2026-12-26」を追加',
  'SLA ティア「スコアによる MQL」（score_mql）: 名前 「スコアによる MQL」 → 「スコアで MQL」',
  'SLA ティア「パートナー」（partner）を追加: トリガー document_request、ランク A・B: 暦時間で30分',
  '期限間近の基準 75% 経過 → 50% 経過・期限の暦時間で2時間前',
  'エスカレーション「担当者へのリマインド」（reminder）: 通知先 reminder → manager',
  '初回コンタクトの手段 電話・メール送信・面談 → 電話',
  'kintone のステータス「MQL」 mql → new',
  '評価の理由「連絡先が不正」（invalid_contact）を削除',
  '評価の理由「予算がない」（no_budget）: 対象 reject・recycle → reject',
  'kintone の項目マッピング「company」 なし → {"codes":["会社"],"labels":{"en":[],"ja":["会社"]}}',
  '閾値の見直し周期（日） 90 → 60',
  '前回の見直し日 なし → 2026-11-30',
];
