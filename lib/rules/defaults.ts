import { defaultBusinessCalendar } from '../calendar/defaults';
import { defaultStatusMapping } from '../crm';
import { defaultEscalationLadder, defaultSlaPolicy } from '../sla/defaults';
import type { RuleSet } from './schema';

/**
 * What a team starts from on day one: a Japanese B2B SaaS seller selling to mid-size and larger companies.
 * Every figure here is a starting point to review with the team's own won-deal history.
 */
export const defaultRuleSet: RuleSet = {
  version: { id: 'baton-default-1', number: 1 },
  name: { ja: 'Baton 標準ルール（B2B SaaS）', en: 'Baton default rules (B2B SaaS)' },
  definitions: {
    mql: {
      ja: '属性スコアと行動スコアの合計が60点以上（属性20点以上・行動10点以上）、またはデモ依頼・料金ページ閲覧・資料請求のいずれかの行動トリガーが発生したリード。',
      en: 'A lead whose fit plus engagement score is 60 or more (fit at least 20, engagement at least 10), or who fired a behaviour trigger: demo request, pricing-page view or document request.',
    },
    sql: {
      ja: 'インサイドセールスがヒアリングで BANT（予算・決裁権・ニーズ・導入時期）のうち3つ以上を確認し、商談化できると判断したリード。',
      en: 'A lead for which inside sales confirmed at least three of BANT (budget, authority, need, timing) in a conversation and judged it can become an opportunity.',
    },
  },
  sqlBant: { minConfirmed: 3 },
  icp: {
    industries: [
      {
        id: 'it',
        label: { ja: '情報通信・ソフトウェア', en: 'IT and software' },
        synonyms: [
          '情報通信',
          'ソフトウェア',
          'インターネット',
          'IT',
          'software',
          'SaaS',
          'internet',
          'technology',
        ],
      },
      {
        id: 'manufacturing',
        label: { ja: '製造業', en: 'Manufacturing' },
        synonyms: ['製造', 'メーカー', 'manufacturing'],
      },
      {
        id: 'professional_services',
        label: { ja: 'コンサルティング・専門サービス', en: 'Consulting and professional services' },
        synonyms: ['コンサル', '専門サービス', 'consulting', 'professional services'],
      },
      {
        id: 'finance',
        label: { ja: '金融・保険', en: 'Finance and insurance' },
        synonyms: ['金融', '銀行', '証券', '保険', 'finance', 'financial', 'banking', 'insurance'],
      },
    ],
    employees: { min: 50, max: 5000 },
    titles: [
      {
        id: 'executive',
        label: { ja: '経営層', en: 'Executives' },
        pattern: String.raw`社長|代表|取締役|役員|執行役|\bc[eotfim]o\b|(?<!vice )president|founder`,
      },
      {
        id: 'manager',
        label: { ja: '部課長・マネージャー', en: 'Managers and heads' },
        pattern: String.raw`部長|室長|課長|マネージャー|マネジャー|\bmanager\b|head of|\bdirector\b|\bvp\b|vice president`,
      },
    ],
    regions: [
      {
        id: 'kanto',
        label: { ja: '関東', en: 'Kanto' },
        synonyms: ['関東', '東京', '神奈川', '埼玉', '千葉', 'Tokyo', 'Kanagawa', 'Saitama', 'Chiba'],
      },
      {
        id: 'kansai',
        label: { ja: '関西', en: 'Kansai' },
        synonyms: ['関西', '大阪', '京都', '兵庫', 'Osaka', 'Kyoto', 'Hyogo'],
      },
      {
        id: 'chubu',
        label: { ja: '中部', en: 'Chubu' },
        synonyms: ['中部', '愛知', '名古屋', '静岡', 'Aichi', 'Nagoya', 'Shizuoka'],
      },
    ],
  },
  emailDomains: {
    freeMail: [
      'gmail.com',
      'googlemail.com',
      'yahoo.co.jp',
      'yahoo.com',
      'ymail.ne.jp',
      'hotmail.com',
      'hotmail.co.jp',
      'outlook.com',
      'outlook.jp',
      'live.jp',
      'msn.com',
      'icloud.com',
      'me.com',
      'aol.com',
      'docomo.ne.jp',
      'ezweb.ne.jp',
      'au.com',
      'softbank.ne.jp',
      'i.softbank.jp',
      'nifty.com',
      'biglobe.ne.jp',
      'ocn.ne.jp',
      'so-net.ne.jp',
      'protonmail.com',
      'proton.me',
    ],
    // A reserved .example domain: replace it with the competitors' real domains.
    competitor: ['competitor.example'],
  },
  fitRules: [
    {
      id: 'icp_industry',
      label: { ja: 'ICP の業種', en: 'ICP industry' },
      condition: { op: 'icp', dimension: 'industry' },
      points: 20,
    },
    {
      id: 'icp_company_size',
      label: { ja: 'ICP の企業規模（50〜5000名）', en: 'ICP company size (50 to 5,000)' },
      condition: { op: 'icp', dimension: 'employees' },
      points: 15,
    },
    {
      id: 'enterprise',
      label: { ja: '大企業（1000名以上）', en: 'Enterprise (1,000 or more)' },
      condition: { op: 'range', field: 'employees', min: 1000 },
      points: 10,
    },
    {
      id: 'title_executive',
      label: { ja: '経営層', en: 'Executive' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: String.raw`社長|代表|取締役|役員|執行役|\bc[eotfim]o\b|(?<!vice )president|founder`,
      },
      points: 20,
    },
    {
      id: 'title_manager',
      label: { ja: '部課長・マネージャー', en: 'Manager or head' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: String.raw`部長|室長|課長|マネージャー|マネジャー|\bmanager\b|head of|\bdirector\b|\bvp\b|vice president`,
      },
      points: 10,
    },
    {
      id: 'icp_region',
      label: { ja: '重点地域（関東・関西・中部）', en: 'Focus region (Kanto, Kansai, Chubu)' },
      condition: { op: 'icp', dimension: 'region' },
      points: 5,
    },
    {
      id: 'referral',
      label: { ja: '紹介経由', en: 'Referral' },
      condition: { op: 'contains', field: 'leadSource', values: ['紹介', 'referral'] },
      points: 10,
    },
    {
      id: 'trade_show',
      label: { ja: '展示会', en: 'Trade show' },
      condition: { op: 'in', field: 'leadSource', values: ['展示会', 'Trade Show', 'Exhibition'] },
      points: 5,
    },
    {
      id: 'free_mail',
      label: { ja: 'フリーメール', en: 'Free email address' },
      condition: { op: 'emailDomain', list: 'freeMail' },
      points: -20,
    },
    {
      id: 'competitor',
      label: { ja: '競合企業', en: 'Competitor' },
      condition: { op: 'emailDomain', list: 'competitor' },
      points: -100,
    },
    {
      id: 'student',
      label: { ja: '学生', en: 'Student' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: String.raw`学生|院生|インターン|\bstudent\b|\bintern\b`,
      },
      points: -50,
    },
    {
      id: 'job_seeker',
      label: { ja: '求職者', en: 'Job seeker' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: '求職|転職希望|就職活動|就活|job seeker|job hunting|looking for work',
      },
      points: -50,
    },
  ],
  engagementRules: [
    {
      id: 'demo_request',
      label: { ja: 'デモ依頼', en: 'Demo request' },
      activities: [{ types: ['demo_request'] }],
      points: 30,
      cap: 30,
    },
    {
      id: 'document_download',
      label: { ja: '資料請求・資料DL', en: 'Document request or download' },
      activities: [{ types: ['document_request', 'download'] }],
      points: 15,
      cap: 45,
    },
    {
      id: 'pricing_page',
      label: { ja: '料金ページ閲覧', en: 'Pricing page view' },
      activities: [
        { types: ['page_view', 'web_visit'], urlPattern: '/(pricing|price|plans?)(?:[/?#]|$)' },
        { types: ['page_view', 'web_visit'], titlePattern: '料金|価格|pricing' },
      ],
      points: 10,
      cap: 30,
    },
    {
      id: 'webinar',
      label: { ja: 'ウェビナー・イベント参加', en: 'Webinar or event' },
      activities: [{ types: ['webinar', 'event'] }],
      points: 10,
      cap: 30,
    },
    {
      id: 'form_submit',
      label: { ja: 'フォーム送信', en: 'Form submission' },
      activities: [{ types: ['form_submit'] }],
      points: 10,
      cap: 20,
    },
    {
      id: 'site_visit',
      label: { ja: 'サイト訪問', en: 'Site visit' },
      activities: [{ types: ['web_visit', 'page_view'] }],
      points: 2,
      cap: 20,
    },
    {
      id: 'email_click',
      label: { ja: 'メールのクリック', en: 'Email click' },
      activities: [{ types: ['email_click'] }],
      points: 3,
      cap: 15,
    },
    {
      id: 'careers_page',
      label: { ja: '採用ページ閲覧', en: 'Careers page view' },
      activities: [
        { types: ['page_view', 'web_visit'], urlPattern: '/(careers?|recruit|jobs)(?:[/?#]|$)' },
        { types: ['page_view', 'web_visit'], titlePattern: '採用|求人|careers|jobs' },
      ],
      points: -10,
      cap: 30,
      decay: { windowDays: 180 },
    },
  ],
  engagementDecay: { halfLifeDays: 30, windowDays: 90 },
  threshold: { total: 60, minFit: 20, minEngagement: 10 },
  requireIcpMatch: false,
  fitGrades: { A: 55, B: 35, C: 15 },
  triggers: [
    {
      id: 'demo_request',
      label: { ja: 'デモ依頼', en: 'Demo request' },
      activities: [
        { types: ['demo_request'] },
        { types: ['form_submit'], titlePattern: 'デモ|トライアル|お試し|demo|trial' },
        { types: ['form_submit'], urlPattern: '/(demo|trial)(?:[/?#]|$)' },
      ],
    },
    {
      id: 'pricing_view',
      label: { ja: '料金ページ閲覧', en: 'Pricing page view' },
      activities: [
        { types: ['page_view', 'web_visit'], urlPattern: '/(pricing|price|plans?)(?:[/?#]|$)' },
        { types: ['page_view', 'web_visit'], titlePattern: '料金|価格|pricing' },
      ],
    },
    {
      id: 'document_request',
      label: { ja: '資料請求', en: 'Document request' },
      activities: [
        { types: ['document_request'] },
        {
          types: ['form_submit'],
          titlePattern: '資料請求|document request|request (a|the) (brochure|document)',
        },
      ],
    },
  ],
  // Who is never handed over, even by a trigger. Free mail is not here: a demo request from a Gmail address
  // is often a real buyer, and its lower fit already shows in the score.
  exclusions: [
    {
      id: 'competitor',
      label: { ja: '競合企業', en: 'Competitor' },
      condition: { op: 'emailDomain', list: 'competitor' },
    },
    {
      id: 'student',
      label: { ja: '学生', en: 'Student' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: String.raw`学生|院生|インターン|\bstudent\b|\bintern\b`,
      },
    },
    {
      id: 'job_seeker',
      label: { ja: '求職者', en: 'Job seeker' },
      condition: {
        op: 'matches',
        field: 'title',
        pattern: '求職|転職希望|就職活動|就活|job seeker|job hunting|looking for work',
      },
    },
  ],
  recycle: { coolDownDays: 30 },
  calendar: defaultBusinessCalendar,
  sla: defaultSlaPolicy,
  escalation: defaultEscalationLadder,
  firstContactMethods: ['call', 'email_sent', 'meeting'],
  // Each CRM's standard status values, as its ja and en UIs show them, from its adapter; a team's own
  // values are added in the rule set.
  statusMapping: defaultStatusMapping,
  feedbackReasons: [
    { code: 'no_budget', label: { ja: '予算がない', en: 'No budget' }, appliesTo: ['reject', 'recycle'] },
    {
      code: 'no_authority',
      label: { ja: '決裁権がない', en: 'No decision authority' },
      appliesTo: ['recycle'],
    },
    { code: 'no_need', label: { ja: 'ニーズがない', en: 'No need' }, appliesTo: ['reject'] },
    {
      code: 'bad_timing',
      label: { ja: '導入時期が先・未定', en: 'Timing too far out' },
      appliesTo: ['recycle'],
    },
    { code: 'unreachable', label: { ja: '連絡がつかない', en: 'Could not reach' }, appliesTo: ['recycle'] },
    { code: 'not_icp', label: { ja: 'ICP の対象外', en: 'Outside the ICP' }, appliesTo: ['reject'] },
    {
      code: 'competitor_or_partner',
      label: { ja: '競合・パートナー企業', en: 'Competitor or partner' },
      appliesTo: ['reject'],
    },
    {
      code: 'student_or_job_seeker',
      label: { ja: '学生・求職者', en: 'Student or job seeker' },
      appliesTo: ['reject'],
    },
    {
      code: 'duplicate',
      label: { ja: '重複リード', en: 'Duplicate lead' },
      appliesTo: ['reject'],
      about: 'duplicate',
    },
    {
      code: 'invalid_contact',
      label: { ja: '連絡先が不正', en: 'Invalid contact details' },
      appliesTo: ['reject'],
    },
  ],
  fieldMappings: {},
  review: { cadence: 'monthly', thresholdReviewEveryDays: 90 },
  // Nothing is decided on day one: each checklist item is met once the team changes or confirms it.
  checklistConfirmed: [],
  conversionTarget: { min: 0.2, max: 0.3 },
};
