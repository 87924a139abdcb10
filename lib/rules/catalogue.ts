/**
 * The rule set's vocabulary in one place: what each member is called in ja and en, what kind of value it
 * holds, the choices it may take (read from the zod schemas' own `.options`, so a new enum value shows up
 * here without a second list) and what each choice is called. The console's editor, the change list
 * (diff.ts) and the printed SLA document draw their words from here.
 */
import { businessCalendarSchema, type WEEKDAYS } from '../calendar/schema';
import type { LocalizedText } from '../i18n';
import { activityTypeSchema, crmIdSchema, stageSchema } from '../lead';
import { escalationLadderSchema, fitGradeSchema, slaDurationSchema } from '../sla/schema';
import { type RuleSet, ruleSetSchema } from './schema';
import { feedbackReasonSchema } from './schema-operations';
import { fitConditionSchema } from './schema-scoring';

type Text = LocalizedText;

/** How the editor asks for a member's value. Members without a kind are edited by the shape of their value. */
export type FieldKind =
  /** A number typed as text, so "5." survives while typing. */
  | 'number'
  /** A list of plain texts, one per line. */
  | 'lines'
  /** One of `choices`. */
  | 'choice'
  /** Any of `choices`, as checkboxes. */
  | 'choices';

export interface RuleField {
  label: Text;
  kind?: FieldKind;
  choices?: readonly string[];
}

type Conditions = (typeof fitConditionSchema.options)[number];
const conditionVariant = <Op extends Conditions['shape']['op']['value']>(op: Op) =>
  fitConditionSchema.options.find((o) => o.shape.op.value === op) as Extract<
    Conditions,
    { shape: { op: { value: Op } } }
  >;

/** Choices of each member, taken from the schema that validates it. */
export const CHOICES = {
  op: fitConditionSchema.options.map((o) => o.shape.op.value),
  dimension: conditionVariant('icp').shape.dimension.options,
  list: conditionVariant('emailDomain').shape.list.options,
  unit: slaDurationSchema.shape.unit.options,
  clock: slaDurationSchema.shape.clock.options,
  kind: escalationLadderSchema.shape.steps.element.shape.kind.options,
  cadence: ruleSetSchema.shape.review.shape.cadence.options,
  nationalHolidays: businessCalendarSchema.shape.nationalHolidays.options,
  about: feedbackReasonSchema.shape.about.unwrap().options,
  types: activityTypeSchema.options,
  appliesTo: feedbackReasonSchema.shape.appliesTo.element.options,
  firstContactMethods: ruleSetSchema.shape.firstContactMethods.element.options,
  fitGrades: fitGradeSchema.options,
  stage: stageSchema.options,
  crm: crmIdSchema.options,
} as const;

type ChoiceSet = Exclude<keyof typeof CHOICES, 'stage' | 'crm'>;

export const CADENCE_TEXT: Record<RuleSet['review']['cadence'], Text> = {
  monthly: { ja: '毎月', en: 'monthly' },
  quarterly: { ja: '四半期ごと', en: 'quarterly' },
  semiannual: { ja: '半年ごと', en: 'every six months' },
  annual: { ja: '毎年', en: 'yearly' },
};

export const FIRST_CONTACT_TEXT: Record<RuleSet['firstContactMethods'][number], Text> = {
  call: { ja: '電話', en: 'call' },
  email_sent: { ja: 'メール送信', en: 'email' },
  meeting: { ja: '面談', en: 'meeting' },
};

export const WEEKDAY_TEXT: Record<(typeof WEEKDAYS)[number], Text> = {
  mon: { ja: '月曜', en: 'Monday' },
  tue: { ja: '火曜', en: 'Tuesday' },
  wed: { ja: '水曜', en: 'Wednesday' },
  thu: { ja: '木曜', en: 'Thursday' },
  fri: { ja: '金曜', en: 'Friday' },
  sat: { ja: '土曜', en: 'Saturday' },
  sun: { ja: '日曜', en: 'Sunday' },
};

/**
 * Each choice as a marketer reads it. Stages and CRMs are named where they live (lib/lead-view.ts
 * stageLabel, lib/crm crmName), as the rep's screens name them too.
 */
export const CHOICE_TEXT: { [S in ChoiceSet]: Record<(typeof CHOICES)[S][number], Text> } = {
  op: {
    equals: { ja: '次の値と同じ', en: 'is exactly' },
    in: { ja: '次のいずれか', en: 'is one of' },
    contains: { ja: '次のいずれかを含む', en: 'contains one of' },
    matches: { ja: '正規表現に一致', en: 'matches a pattern' },
    range: { ja: '数値の範囲内', en: 'is within a range' },
    emailDomain: { ja: 'メールのドメインが一覧にある', en: 'email domain is on a list' },
    icp: { ja: 'ICP に一致', en: 'matches the ICP' },
  },
  dimension: {
    all: { ja: 'ICP のすべての観点', en: 'Every ICP dimension' },
    industry: { ja: '業種', en: 'Industry' },
    employees: { ja: '企業規模', en: 'Company size' },
    title: { ja: '役職', en: 'Title' },
    region: { ja: '地域', en: 'Region' },
  },
  list: {
    freeMail: { ja: 'フリーメール', en: 'Free mail' },
    competitor: { ja: '競合企業', en: 'Competitors' },
  },
  unit: {
    minutes: { ja: '分', en: 'Minutes' },
    hours: { ja: '時間', en: 'Hours' },
    days: { ja: '日', en: 'Days' },
  },
  clock: {
    business: { ja: '営業時間で数える', en: 'Business hours' },
    calendar: { ja: '暦どおりに数える', en: 'Calendar time' },
  },
  kind: {
    reminder: { ja: '担当者へのリマインド', en: 'Reminder to the owner' },
    owner: { ja: '担当者への期限超過の通知', en: 'Overdue notice to the owner' },
    manager: { ja: '営業マネージャー', en: 'Sales manager' },
    marketing: { ja: 'マーケティング', en: 'Marketing' },
  },
  cadence: CADENCE_TEXT,
  nationalHolidays: {
    jp: { ja: '日本の祝日は休み', en: 'Closed on Japanese national holidays' },
    none: { ja: '祝日も営業', en: 'Open on national holidays' },
  },
  about: {
    lead_quality: { ja: 'リードの質の判定', en: 'Judges the lead’s quality' },
    not_lead_quality: { ja: 'リードの質とは関係ない', en: 'Not about the lead’s quality' },
    duplicate: { ja: '重複リード', en: 'A duplicate lead' },
  },
  types: {
    web_visit: { ja: 'サイト訪問', en: 'Website visit' },
    page_view: { ja: 'ページ閲覧', en: 'Page view' },
    form_submit: { ja: 'フォーム送信', en: 'Form submission' },
    document_request: { ja: '資料請求', en: 'Document request' },
    download: { ja: '資料ダウンロード', en: 'Download' },
    demo_request: { ja: 'デモ依頼', en: 'Demo request' },
    webinar: { ja: 'ウェビナー', en: 'Webinar' },
    event: { ja: 'イベント', en: 'Event' },
    email_open: { ja: 'メール開封', en: 'Email opened' },
    email_click: { ja: 'メール内のクリック', en: 'Email link clicked' },
    call: { ja: '電話', en: 'Call' },
    email_sent: { ja: 'メール送信', en: 'Email sent' },
    meeting: { ja: '面談', en: 'Meeting' },
    other: { ja: 'その他', en: 'Other' },
  },
  appliesTo: {
    reject: { ja: '却下するとき', en: 'When rejecting' },
    recycle: { ja: 'ナーチャリングへ戻すとき', en: 'When recycling' },
  },
  firstContactMethods: FIRST_CONTACT_TEXT,
  fitGrades: {
    A: { ja: 'ランク A', en: 'Grade A' },
    B: { ja: 'ランク B', en: 'Grade B' },
    C: { ja: 'ランク C', en: 'Grade C' },
    D: { ja: 'ランク D', en: 'Grade D' },
  },
};

const choice = (set: keyof typeof CHOICES, label: Text, kind: FieldKind = 'choice'): RuleField => ({
  label,
  kind,
  choices: CHOICES[set],
});
const number = (label: Text): RuleField => ({ label, kind: 'number' });
const lines = (label: Text): RuleField => ({ label, kind: 'lines' });

/**
 * Members of the rule set by name: the same name means the same thing wherever it appears (a `points` is
 * points in a fit rule and in a behaviour rule). A name not listed is shown as written.
 */
export const RULE_FIELDS: Record<string, RuleField> = {
  version: { label: { ja: 'バージョン', en: 'Version' } },
  id: { label: { ja: 'ID', en: 'Id' } },
  number: number({ ja: '番号', en: 'Number' }),
  name: { label: { ja: '名前', en: 'Name' } },
  definitions: { label: { ja: '定義', en: 'Definitions' } },
  mql: { label: { ja: 'MQL の定義', en: 'MQL definition' } },
  sql: { label: { ja: 'SQL の定義', en: 'SQL definition' } },
  icp: { label: { ja: 'ICP（理想的な顧客像）', en: 'ICP (ideal customer profile)' } },
  industries: { label: { ja: '業種', en: 'Industries' } },
  employees: { label: { ja: '企業規模（従業員数）', en: 'Company size (employees)' } },
  titles: { label: { ja: '役職', en: 'Titles' } },
  regions: { label: { ja: '地域', en: 'Regions' } },
  synonyms: lines({ ja: '同義語（1行に1つ）', en: 'Synonyms (one per line)' }),
  label: { label: { ja: '表示名', en: 'Label' } },
  pattern: { label: { ja: '正規表現', en: 'Regular expression' } },
  emailDomains: { label: { ja: 'メールドメイン', en: 'Email domains' } },
  freeMail: lines({ ja: 'フリーメール（1行に1つ）', en: 'Free mail (one per line)' }),
  competitor: lines({ ja: '競合企業（1行に1つ）', en: 'Competitors (one per line)' }),
  fitRules: { label: { ja: '属性ルール', en: 'Fit rules' } },
  engagementRules: { label: { ja: '行動ルール', en: 'Behaviour rules' } },
  condition: { label: { ja: '条件', en: 'Condition' } },
  op: choice('op', { ja: '比較', en: 'Test' }),
  field: { label: { ja: '項目', en: 'Field' } },
  value: { label: { ja: '値', en: 'Value' } },
  values: lines({ ja: '値（1行に1つ）', en: 'Values (one per line)' }),
  list: choice('list', { ja: '一覧', en: 'List' }),
  dimension: choice('dimension', { ja: 'ICP の観点', en: 'ICP dimension' }),
  points: number({ ja: '点数', en: 'Points' }),
  cap: number({ ja: '上限', en: 'Cap' }),
  decay: { label: { ja: '減衰', en: 'Decay' } },
  engagementDecay: { label: { ja: '行動スコアの減衰（既定）', en: 'Engagement decay (default)' } },
  halfLifeDays: number({ ja: '半減期（日）', en: 'Half-life (days)' }),
  windowDays: number({ ja: '有効期間（日）', en: 'Window (days)' }),
  activities: { label: { ja: '対象の行動', en: 'Activities' } },
  types: choice('types', { ja: '行動の種類', en: 'Activity types' }, 'choices'),
  titlePattern: { label: { ja: '件名の正規表現', en: 'Title pattern' } },
  urlPattern: { label: { ja: 'URL の正規表現', en: 'URL pattern' } },
  threshold: { label: { ja: '閾値', en: 'Threshold' } },
  total: number({ ja: '合計の閾値', en: 'Total threshold' }),
  minFit: number({ ja: '属性スコアの下限', en: 'Minimum fit' }),
  minEngagement: number({ ja: '行動スコアの下限', en: 'Minimum engagement' }),
  requireIcpMatch: { label: { ja: 'ICP 一致を必須にする', en: 'Require an ICP match' } },
  fitGrades: choice(
    'fitGrades',
    { ja: '属性のランク（下限点）', en: 'Fit grades (minimum points)' },
    'choices',
  ),
  A: number({ ja: 'ランク A の下限', en: 'Grade A minimum' }),
  B: number({ ja: 'ランク B の下限', en: 'Grade B minimum' }),
  C: number({ ja: 'ランク C の下限', en: 'Grade C minimum' }),
  triggers: { label: { ja: '行動トリガー', en: 'Triggers' } },
  exclusions: { label: { ja: '除外ルール（引き渡さないリード）', en: 'Exclusions (never handed over)' } },
  sqlBant: { label: { ja: 'SQL の BANT 条件', en: 'SQL BANT rule' } },
  about: choice('about', { ja: '判定の区分（リードの質か）', en: 'What the verdict judges' }),
  minConfirmed: number({ ja: '確認が必要な項目数（4項目中）', en: 'Items to confirm (of 4)' }),
  recycle: { label: { ja: 'ナーチャリングへ戻す', en: 'Send back to nurture' } },
  coolDownDays: number({ ja: '再 MQL までの日数', en: 'Cool-down (days)' }),
  calendar: { label: { ja: '営業カレンダー', en: 'Business calendar' } },
  timeZone: { label: { ja: 'タイムゾーン', en: 'Time zone' } },
  workingHours: { label: { ja: '営業時間', en: 'Working hours' } },
  ...Object.fromEntries(Object.entries(WEEKDAY_TEXT).map(([day, label]) => [day, { label }])),
  start: { label: { ja: '開始', en: 'Start' } },
  end: { label: { ja: '終了', en: 'End' } },
  nationalHolidays: choice('nationalHolidays', { ja: '祝日', en: 'National holidays' }),
  companyHolidays: { label: { ja: '会社の休業日', en: 'Company holidays' } },
  yearlyHolidays: { label: { ja: '毎年の休業日', en: 'Yearly holidays' } },
  extraWorkingDays: { label: { ja: '臨時営業日', en: 'Extra working days' } },
  from: { label: { ja: '開始日', en: 'From' } },
  to: { label: { ja: '終了日', en: 'To' } },
  date: { label: { ja: '日付', en: 'Date' } },
  hours: { label: { ja: '時間帯', en: 'Hours' } },
  sla: { label: { ja: 'SLA（対応期限）', en: 'SLA (response deadlines)' } },
  tiers: { label: { ja: 'ティア', en: 'Tiers' } },
  match: { label: { ja: '対象', en: 'Applies to' } },
  triggerIds: { label: { ja: '対象のトリガー', en: 'Matching triggers' } },
  default: { label: { ja: '既定のティア', en: 'Default tier' } },
  duration: { label: { ja: '期限', en: 'Deadline' } },
  amount: number({ ja: '長さ', en: 'Length' }),
  unit: choice('unit', { ja: '単位', en: 'Unit' }),
  clock: choice('clock', { ja: '時間の数え方', en: 'Counted in' }),
  dueSoon: { label: { ja: '期限間近の基準', en: 'Due-soon warning' } },
  share: number({ ja: '経過割合（0〜1）', en: 'Share elapsed (0–1)' }),
  before: { label: { ja: '期限の前', en: 'Before the due time' } },
  escalation: { label: { ja: 'エスカレーション', en: 'Escalation ladder' } },
  steps: { label: { ja: '段階', en: 'Steps' } },
  kind: choice('kind', { ja: '通知先', en: 'Who' }),
  when: { label: { ja: 'タイミング', en: 'When' } },
  afterDue: { label: { ja: '期限超過後', en: 'After the due time' } },
  firstContactMethods: choice(
    'firstContactMethods',
    { ja: '初回コンタクトの手段', en: 'First-contact methods' },
    'choices',
  ),
  statusMapping: { label: { ja: 'CRM ステータスの対応', en: 'CRM status mapping' } },
  feedbackReasons: { label: { ja: '評価の理由', en: 'Feedback reasons' } },
  code: { label: { ja: 'コード', en: 'Code' } },
  appliesTo: choice('appliesTo', { ja: '使う場面', en: 'Used when' }, 'choices'),
  fieldMappings: { label: { ja: '項目マッピング', en: 'Field mappings' } },
  codes: lines({ ja: 'API 名・フィールドコード（1行に1つ）', en: 'API names or field codes (one per line)' }),
  labels: { label: { ja: '画面の表示名', en: 'Labels on screen' } },
  review: { label: { ja: '見直し', en: 'Review' } },
  cadence: choice('cadence', { ja: '見直し会議の頻度', en: 'Review meeting cadence' }),
  thresholdReviewEveryDays: number({ ja: '閾値の見直し周期（日）', en: 'Threshold review every (days)' }),
  lastReviewedAt: { label: { ja: '前回の見直し日', en: 'Last reviewed on' } },
  conversionTarget: { label: { ja: 'MQL→SQL 転換率の目標', en: 'MQL→SQL conversion target' } },
  min: number({ ja: '最小', en: 'Minimum' }),
  max: number({ ja: '最大', en: 'Maximum' }),
  ja: lines({ ja: '日本語', en: 'Japanese' }),
  en: lines({ ja: '英語', en: 'English' }),
};

/** The label of a member (its last path part); a list entry is "#n". */
export function fieldLabel(key: string | number): Text {
  if (typeof key === 'number') return { ja: `#${key + 1}`, en: `#${key + 1}` };
  return RULE_FIELDS[key]?.label ?? { ja: key, en: key };
}

/** A choice's words; a value no choice set knows (a typo in imported JSON) is shown as written. */
export function choiceText(set: string, value: string): Text {
  const texts = (CHOICE_TEXT as Record<string, Record<string, Text>>)[set];
  return texts?.[value] ?? { ja: value, en: value };
}

/** A section of the console's rules editor; its anchor is `rules-<section>`. */
export type RulesSection =
  | 'definitions'
  | 'icp'
  | 'fitRules'
  | 'engagementRules'
  | 'threshold'
  | 'triggers'
  | 'exclusions'
  | 'sla'
  | 'calendar'
  | 'escalation'
  | 'firstContactMethods'
  | 'statusMapping'
  | 'feedbackReasons'
  | 'fieldMappings'
  | 'review'
  | 'conversionTarget';

/**
 * The editor's sections in the order a marketer agrees them: who the ideal customer is, how a lead scores,
 * when it is handed over, how fast sales answers, then the housekeeping. The version's name and number are
 * not here: the editor keeps them out of the way at the end.
 */
export const RULE_SECTIONS: { id: RulesSection; title: Text; keys: (keyof RuleSet)[] }[] = [
  {
    id: 'definitions',
    title: { ja: '名前と定義', en: 'Name and definitions' },
    keys: ['name', 'definitions', 'sqlBant'],
  },
  {
    id: 'icp',
    title: { ja: 'ICP（理想的な顧客像）', en: 'ICP: the ideal customer' },
    keys: ['icp', 'emailDomains'],
  },
  { id: 'fitRules', title: { ja: '属性スコア', en: 'Fit: who the lead is' }, keys: ['fitRules'] },
  {
    id: 'engagementRules',
    title: { ja: '行動スコア', en: 'Behaviour: what the lead did' },
    keys: ['engagementRules', 'engagementDecay'],
  },
  {
    id: 'threshold',
    title: { ja: '閾値（MQL になる点数）', en: 'Threshold: when a lead becomes an MQL' },
    keys: ['threshold', 'requireIcpMatch', 'fitGrades'],
  },
  {
    id: 'triggers',
    title: { ja: '行動トリガーと除外', en: 'Triggers and exclusions' },
    keys: ['triggers', 'exclusions', 'recycle'],
  },
  {
    id: 'sla',
    title: { ja: 'SLA（初回コンタクトの期限）', en: 'SLA: first-contact deadlines' },
    keys: ['sla'],
  },
  {
    id: 'firstContactMethods',
    title: { ja: '初回コンタクトの手段', en: 'First contact' },
    keys: ['firstContactMethods'],
  },
  { id: 'escalation', title: { ja: 'エスカレーション', en: 'Escalation' }, keys: ['escalation'] },
  { id: 'calendar', title: { ja: '営業カレンダー', en: 'Business calendar' }, keys: ['calendar'] },
  {
    id: 'feedbackReasons',
    title: { ja: '営業が選ぶ理由', en: 'Reasons sales give' },
    keys: ['feedbackReasons'],
  },
  { id: 'statusMapping', title: { ja: 'CRM のステータス', en: 'CRM statuses' }, keys: ['statusMapping'] },
  { id: 'fieldMappings', title: { ja: 'CRM の項目', en: 'CRM fields' }, keys: ['fieldMappings'] },
  { id: 'review', title: { ja: '見直し', en: 'Review' }, keys: ['review'] },
  {
    id: 'conversionTarget',
    title: { ja: '転換率の目標', en: 'Conversion target' },
    keys: ['conversionTarget'],
  },
];

/** Members kept out of the way (a version is named and numbered when proposed), shown last and folded. */
export const REVISION_KEYS: (keyof RuleSet)[] = ['version'];

const isText = (value: unknown): value is Text =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as Text).ja === 'string' &&
  typeof (value as Text).en === 'string';

/** A list entry as a reader knows it: its label (or name), else its id or code, else its place "#n". */
export function entryName(entry: unknown, index: number): Text {
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const o = entry as Record<string, unknown>;
    const label = isText(o.label) ? o.label : isText(o.name) ? o.name : null;
    if (label && (label.ja || label.en)) return { ja: label.ja || label.en, en: label.en || label.ja };
    const id = typeof o.id === 'string' ? o.id : typeof o.code === 'string' ? o.code : '';
    if (id) return { ja: id, en: id };
    if (typeof o.start === 'string') {
      const span = `${o.start}–${typeof o.end === 'string' ? o.end : ''}`;
      return { ja: span, en: span };
    }
  }
  return fieldLabel(index);
}

/**
 * Where in the rule set a problem is, in words ("Fit rules › Referral › Points"), read against the draft
 * so an entry is named by its label, not by "fitRules[6].points".
 */
export function pathText(path: readonly (string | number)[], root: unknown): Text {
  const ja: string[] = [];
  const en: string[] = [];
  let at: unknown = root;
  for (const part of path) {
    const next = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[part] : undefined;
    const words = typeof part === 'number' ? entryName(next, part) : fieldLabel(part);
    ja.push(words.ja);
    en.push(words.en);
    at = next;
  }
  return { ja: ja.join(' › '), en: en.join(' › ') };
}
