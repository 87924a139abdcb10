/**
 * Seeded lead histories that reach into every corner a faster scoring path could get wrong: Japanese and
 * full-width text, half-width kana, percent-encoded slugs, every ISO shape an activity time may take (and
 * some it may not), days that do not exist, DST switches in the calendar's zone, and a few rule sets.
 * Tests evaluate them to prove an optimisation changes no result (lib/evaluate.equality.test.ts).
 */
import type { EvaluateOptions } from './evaluate';
import type { Activity, ActivityType, LeadSnapshot } from './lead';
import { activityTypeSchema } from './lead';
import { prng } from './prng';
import { defaultRuleSet } from './rules/defaults';
import type { RuleSet } from './rules/schema';

export interface EvaluationCase {
  rules: RuleSet;
  snapshot: LeadSnapshot;
  options: EvaluateOptions;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const newYork: RuleSet = {
  ...defaultRuleSet,
  version: { id: 'equality-new-york', number: 2 },
  calendar: { ...defaultRuleSet.calendar, timeZone: 'America/New_York', nationalHolidays: 'none' },
  engagementDecay: { halfLifeDays: 7 },
};

const london: RuleSet = {
  ...defaultRuleSet,
  version: { id: 'equality-london', number: 3 },
  calendar: { ...defaultRuleSet.calendar, timeZone: 'Europe/London' },
  requireIcpMatch: true,
  engagementDecay: { windowDays: 30 },
  sla: {
    ...defaultRuleSet.sla,
    tiers: defaultRuleSet.sla.tiers.map((tier) =>
      tier.id === 'document_request'
        ? { ...tier, duration: { amount: 2, unit: 'days' as const, clock: 'business' as const } }
        : tier.id === 'hot'
          ? { ...tier, duration: { amount: 90, unit: 'minutes' as const, clock: 'calendar' as const } }
          : tier,
    ),
  },
};

const noDecay: RuleSet = {
  ...defaultRuleSet,
  version: { id: 'equality-no-decay', number: 4 },
  engagementDecay: {},
};

export const RULE_SETS: readonly RuleSet[] = [defaultRuleSet, newYork, london, noDecay];

/** Evaluation times: an ordinary Tuesday in Tokyo, the morning after New York springs forward, and London's fall back. */
const NOWS = [
  Date.parse('2026-12-08T10:00:00+09:00'),
  Date.parse('2026-03-09T09:30:00-04:00'),
  Date.parse('2026-10-26T08:15:00Z'),
];

const titles = [
  '部長',
  '営業部 課長',
  '代表取締役',
  'ＣＴＯ',
  'Sales  Manager',
  'ﾏﾈｰｼﾞｬｰ',
  '学生',
  '転職希望',
  'Vice President',
  'エンジニア',
  '  ',
];
const industries = ['情報通信業', 'ＩＴ', 'Manufacturing', 'Hospitality', '金融・保険業', 'ｿﾌﾄｳｪｱ', '不動産'];
const employees = [
  '１，２００名',
  '100-499',
  '約300',
  '1000人以上',
  '10～50名',
  '5,000',
  '30',
  '不明',
  '1.2万人',
  '',
];
const regions = ['東京都', '大阪府', '沖縄県', 'Tokyo', 'ﾄｳｷｮｳ', '名古屋市'];
const emails = [
  'a@baton.co.jp',
  'b@gmail.com',
  'c@mail.competitor.example',
  'd＠ｙａｈｏｏ．ｃｏ．ｊｐ',
  'e@Example.CO.JP.',
  'no-at-sign',
];
const sources = ['展示会', 'パートナー紹介', 'Referral', 'Web', 'Trade  Show'];
const statuses = [
  '未対応',
  'Open - Not Contacted',
  '対応中',
  'Working - Contacted',
  'Recycled',
  'Closed - Converted',
  'MQL',
];
const mqlDates = [
  '2026/12/01 10:00',
  '2026年11月25日(水) 14時05分',
  'Nov 20, 2026 9:00 AM',
  '２０２６/１１/３０',
  '11月25日',
  '2026/02/30',
  '昨日 18:20',
  '2026-03-08T02:30:00',
  '不明',
];
const activityTitles = [
  '資料請求: 製品概要',
  '料金プラン',
  'ﾘｮｳｷﾝ',
  'デモのお申し込み',
  'ＤＥＭＯ申込',
  '採用情報',
  'Pricing  Page',
  'Request a brochure',
  'トップ',
  '',
];
const urls = [
  'https://www.baton.co.jp/pricing',
  'https://www.baton.co.jp/plans/',
  'https://www.baton.co.jp/%E6%96%99%E9%87%91',
  'https://www.baton.co.jp/careers?x=1',
  'https://www.baton.co.jp/demo',
  'https://www.baton.co.jp/%E0%A4%A',
  'https://www.baton.co.jp/',
];

/** An ISO time of instant t in one of the shapes activities arrive in, or a malformed one. */
function isoShape(t: number, shape: number): string {
  const utc = new Date(t).toISOString();
  const at = (offsetMinutes: number) => new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 19);
  switch (shape) {
    case 0:
      return `${at(540)}+09:00`;
    case 1:
      return utc;
    case 2:
      return `${at(-300)}-05:00`;
    case 3:
      return `${at(540).slice(0, 16)}+0900`;
    case 4:
      return `${utc.slice(0, 19)}.5Z`;
    case 5:
      return `${utc.slice(0, 19)}.123456+00:00`;
    case 6:
      return `${at(330)}+05:30`;
    case 7:
      return `${utc.slice(0, 16)}Z`;
    case 8:
      return '2026-02-30T10:00:00+09:00';
    case 9:
      return '2024-02-29T23:59:59+09:00';
    case 10:
      return '1969-12-31T23:00:00Z';
    case 11:
      return `${utc.slice(0, 10)} ${utc.slice(11, 19)}Z`;
    case 12:
      return `${at(540)}+09:00`.replace('T', 't');
    default:
      return `${utc.slice(0, 19)}+24:00`;
  }
}

export function evaluationCases(count: number, seed: number): EvaluationCase[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const types: readonly ActivityType[] = activityTypeSchema.options;
  const cases: EvaluationCase[] = [];
  for (let i = 0; i < count; i++) {
    const now = pick(NOWS);
    const activities: Activity[] = [];
    const many = Math.floor(random() * 30);
    for (let k = 0; k < many; k++) {
      // Mostly the last four months, some within hours of now (and of a DST switch), a few after now, a
      // few at now itself.
      const span = random() < 0.3 ? 3 * DAY : 120 * DAY;
      const t = random() < 0.03 ? now : now - Math.floor(random() * span) + (random() < 0.05 ? 2 * DAY : 0);
      const shape = random() < 0.7 ? Math.floor(random() * 3) : Math.floor(random() * 14);
      const activity: Activity = { type: pick(types), at: isoShape(Math.floor(t / 1000) * 1000, shape) };
      if (random() < 0.9) activity.title = pick(activityTitles);
      if (random() < 0.8) activity.url = pick(urls);
      activities.push(activity);
      // Several activities at one instant: they count together.
      if (random() < 0.1) activities.push({ ...activity, type: pick(types) });
    }
    const fields: Record<string, string> = { company: `株式会社サンプル${i}` };
    if (random() < 0.9) fields.title = pick(titles);
    if (random() < 0.8) fields.industry = pick(industries);
    if (random() < 0.8) fields.employees = pick(employees);
    if (random() < 0.7) fields.region = pick(regions);
    if (random() < 0.9) fields.email = pick(emails);
    if (random() < 0.3) fields.leadSource = pick(sources);
    if (random() < 0.5) fields.status = pick(statuses);
    if (random() < 0.3) fields.mqlAt = pick(mqlDates);
    if (random() < 0.2) fields.createdAt = isoShape(now - Math.floor(random() * 200 * DAY), 0);
    const options: EvaluateOptions = { now };
    if (random() < 0.15) options.markedContactedAt = now - Math.floor(random() * 10 * DAY);
    if (random() < 0.1) options.recycledAt = now - Math.floor(random() * 60 * DAY);
    if (random() < 0.2) options.locale = pick(['en-GB', 'en-US', 'ja']);
    cases.push({
      rules: pick(RULE_SETS),
      snapshot: {
        crm: pick(['salesforce', 'hubspot'] as const),
        object: 'Lead',
        recordId: `00Q${i}`,
        fields,
        activities,
      },
      options,
    });
  }
  return cases;
}
