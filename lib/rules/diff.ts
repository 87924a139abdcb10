/**
 * What changed between two rule sets, in sentences marketing and sales heads can sign ("Threshold 60 →
 * 55", "Trigger "Pricing page view" (pricing_view) removed"), not a JSON diff. Lists whose entries have
 * ids are compared by id, so reordering rules is not a change and a renamed rule reads as one change.
 */
import { WEEKDAYS } from '../calendar/schema';
import type { Lang, LocalizedText } from '../i18n';
import type { EscalationStep, SlaTier } from '../sla/schema';
import { CADENCE_TEXT, FIRST_CONTACT_TEXT, fieldLabel, WEEKDAY_TEXT } from './catalogue';
import {
  activitiesText,
  conditionText,
  durationText,
  escalationWhenText,
  percentText,
  yesNo,
} from './describe';
import type { EngagementRule, Exclusion, FeedbackReason, FitRule, RuleSet, Trigger } from './schema';

type Path = (string | number)[];

export interface RuleChange {
  /** Where the change is, as in validateRuleSet's problems (["threshold", "total"]). */
  path: Path;
  kind: 'added' | 'removed' | 'changed';
  text: LocalizedText;
}

type Text = LocalizedText;
const NONE: Text = { ja: 'なし', en: 'none' };

/** A value as a reader sees it; objects are compact JSON, long text is shortened. */
function show(value: unknown): Text {
  if (value === undefined || value === null) return NONE;
  if (typeof value === 'object' && 'ja' in value && 'en' in value) {
    const text = value as Text;
    return { ja: short(`「${text.ja}」`), en: short(`"${text.en}"`) };
  }
  if (typeof value === 'boolean') return yesNo(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    const joined = value.length ? value.join(', ') : NONE.en;
    return { ja: value.length ? value.join('・') : NONE.ja, en: joined };
  }
  const plain = typeof value === 'string' || typeof value === 'number' ? String(value) : canonical(value);
  return { ja: short(plain), en: short(plain) };
}

function short(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** JSON with sorted keys, so two equal objects written in another key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

class Changes {
  readonly list: RuleChange[] = [];

  add(kind: RuleChange['kind'], path: Path, ja: string, en: string): void {
    this.list.push({ path, kind, text: { ja, en } });
  }

  /** "Threshold 60 → 55"; `format` turns a value into words (default: as written). */
  value<T>(path: Path, what: Text, a: T, b: T, format: (v: T) => Text = show): void {
    if (same(a, b)) return;
    const [fa, fb] = [a === undefined ? NONE : format(a), b === undefined ? NONE : format(b)];
    this.add('changed', path, `${what.ja} ${fa.ja} → ${fb.ja}`, `${what.en} ${fa.en} → ${fb.en}`);
  }

  /** A list of plain values compared as a set: "Free-mail domains: added x; removed y". */
  set(path: Path, what: Text, a: readonly string[], b: readonly string[]): void {
    const added = b.filter((v) => !a.includes(v));
    const removed = a.filter((v) => !b.includes(v));
    if (!added.length && !removed.length) return;
    const ja: string[] = [];
    const en: string[] = [];
    if (added.length) {
      ja.push(`${added.join('・')} を追加`);
      en.push(`added ${added.join(', ')}`);
    }
    if (removed.length) {
      ja.push(`${removed.join('・')} を削除`);
      en.push(`removed ${removed.join(', ')}`);
    }
    this.add('changed', path, `${what.ja}: ${ja.join('、')}`, `${what.en}: ${en.join('; ')}`);
  }

  /**
   * Entries with an id, matched by id: added, removed, or compared field by field with `compare`, which
   * gets the entry's own prefix ("Fit rule "Referral"").
   */
  keyed<T>(
    path: Path,
    a: readonly T[],
    b: readonly T[],
    spec: {
      key: (item: T) => string;
      noun: Text;
      name: (item: T) => Text;
      summary?: (item: T) => Text;
      /** False when the key is not an id a reader knows (holidays are keyed by their dates). */
      showKey?: boolean;
      compare: (x: T, y: T, at: Path, prefix: Text) => void;
    },
  ): void {
    const before = new Map(a.map((item, i) => [spec.key(item), { item, i }]));
    const after = new Map(b.map((item, i) => [spec.key(item), { item, i }]));
    const prefix = (item: T, key: string): Text => {
      const name = spec.name(item);
      if (spec.showKey === false)
        return { ja: `${spec.noun.ja}「${name.ja}」`, en: `${spec.noun.en} "${name.en}"` };
      return { ja: `${spec.noun.ja}「${name.ja}」（${key}）`, en: `${spec.noun.en} "${name.en}" (${key})` };
    };
    for (const [key, { item, i }] of before) {
      if (after.has(key)) continue;
      const p = prefix(item, key);
      this.add('removed', [...path, i], `${p.ja}を削除`, `${p.en} removed`);
    }
    for (const [key, { item, i }] of after) {
      const old = before.get(key);
      const p = prefix(item, key);
      if (!old) {
        const s = spec.summary?.(item);
        this.add(
          'added',
          [...path, i],
          `${p.ja}を追加${s ? `: ${s.ja}` : ''}`,
          `${p.en} added${s ? `: ${s.en}` : ''}`,
        );
      } else if (!same(old.item, item)) {
        spec.compare(old.item, item, [...path, i], prefix(old.item, key));
      }
    }
  }

  /** One field of an entry: "Fit rule "Referral" (referral): points 10 → 15". */
  field<T>(at: Path, prefix: Text, what: Text, a: T, b: T, format: (v: T) => Text = show): void {
    this.value(at, { ja: `${prefix.ja}: ${what.ja}`, en: `${prefix.en}: ${what.en}` }, a, b, format);
  }
}

const W = {
  label: { ja: '名前', en: 'label' },
  points: { ja: '点数', en: 'points' },
  condition: { ja: '条件', en: 'condition' },
  activities: { ja: '対象の行動', en: 'activities' },
  cap: { ja: '上限', en: 'cap' },
  decay: { ja: '減衰', en: 'decay' },
  minFit: { ja: '属性スコア下限', en: 'minimum fit' },
  synonyms: { ja: '同義語', en: 'synonyms' },
  pattern: { ja: 'パターン', en: 'pattern' },
} satisfies Record<string, Text>;

const decayText = (d: RuleSet['engagementDecay'] | undefined): Text => {
  if (!d || (d.halfLifeDays === undefined && d.windowDays === undefined)) return { ja: 'なし', en: 'none' };
  const ja: string[] = [];
  const en: string[] = [];
  if (d.halfLifeDays !== undefined) {
    ja.push(`半減期${d.halfLifeDays}日`);
    en.push(`half-life ${d.halfLifeDays} days`);
  }
  if (d.windowDays !== undefined) {
    ja.push(`${d.windowDays}日で失効`);
    en.push(`window ${d.windowDays} days`);
  }
  return { ja: ja.join('・'), en: en.join(', ') };
};

const activities = (a: EngagementRule['activities']): Text => {
  const s = activitiesText(a);
  return { ja: s, en: s };
};

const tierMatchText = (m: SlaTier['match']): Text => {
  const ja: string[] = [];
  const en: string[] = [];
  if (m.triggerIds.length) {
    ja.push(`トリガー ${m.triggerIds.join('・')}`);
    en.push(`triggers ${m.triggerIds.join(', ')}`);
  }
  if (m.fitGrades.length) {
    ja.push(`ランク ${m.fitGrades.join('・')}`);
    en.push(`grades ${m.fitGrades.join(', ')}`);
  }
  if (m.default) {
    ja.push('既定');
    en.push('default');
  }
  return { ja: ja.join('、'), en: en.join('; ') };
};

const hoursText = (hours: { start: string; end: string }[]): Text =>
  hours.length
    ? {
        ja: hours.map((h) => `${h.start}–${h.end}`).join(', '),
        en: hours.map((h) => `${h.start}–${h.end}`).join(', '),
      }
    : { ja: '休業', en: 'closed' };

/** Every change from `before` to `after`, in the order of the rule set's sections. */
export function diffRuleSets(before: RuleSet, after: RuleSet): RuleChange[] {
  const c = new Changes();

  c.value(
    ['version', 'id'],
    { ja: 'バージョン名', en: 'Revision name' },
    before.version.id,
    after.version.id,
  );
  c.value(['name'], { ja: 'ルールセット名', en: 'Rule set name' }, before.name, after.name);
  c.value(['definitions', 'mql'], fieldLabel('mql'), before.definitions.mql, after.definitions.mql);
  c.value(['definitions', 'sql'], fieldLabel('sql'), before.definitions.sql, after.definitions.sql);

  // ICP
  const synonymEntries = (key: 'industries' | 'regions', noun: Text) =>
    c.keyed(['icp', key], before.icp[key], after.icp[key], {
      key: (e) => e.id,
      noun,
      name: (e) => e.label,
      summary: (e) => show(e.synonyms),
      compare: (x, y, at, p) => {
        c.field([...at, 'label'], p, W.label, x.label, y.label);
        c.set(
          [...at, 'synonyms'],
          { ja: `${p.ja}: ${W.synonyms.ja}`, en: `${p.en}: ${W.synonyms.en}` },
          x.synonyms,
          y.synonyms,
        );
      },
    });
  synonymEntries('industries', { ja: 'ICP の業種', en: 'ICP industry' });
  c.value(
    ['icp', 'employees'],
    { ja: 'ICP の企業規模', en: 'ICP company size' },
    before.icp.employees,
    after.icp.employees,
    (r) => {
      const s = `${r?.min ?? ''}–${r?.max ?? ''}`;
      return { ja: `${s}名`, en: `${s} employees` };
    },
  );
  c.keyed(['icp', 'titles'], before.icp.titles, after.icp.titles, {
    key: (e) => e.id,
    noun: { ja: 'ICP の役職', en: 'ICP title' },
    name: (e) => e.label,
    summary: (e) => show(`/${e.pattern}/`),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'pattern'], p, W.pattern, x.pattern, y.pattern);
    },
  });
  synonymEntries('regions', { ja: 'ICP の地域', en: 'ICP region' });
  c.set(
    ['emailDomains', 'freeMail'],
    { ja: 'フリーメールのドメイン', en: 'Free-mail domains' },
    before.emailDomains.freeMail,
    after.emailDomains.freeMail,
  );
  c.set(
    ['emailDomains', 'competitor'],
    { ja: '競合企業のドメイン', en: 'Competitor domains' },
    before.emailDomains.competitor,
    after.emailDomains.competitor,
  );

  // Scoring
  c.keyed<FitRule>(['fitRules'], before.fitRules, after.fitRules, {
    key: (r) => r.id,
    noun: { ja: '属性ルール', en: 'Fit rule' },
    name: (r) => r.label,
    summary: (r) => {
      const cond = conditionText(r.condition);
      return { ja: `${cond.ja} で ${signed(r.points)}点`, en: `${signed(r.points)} when ${cond.en}` };
    },
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'condition'], p, W.condition, x.condition, y.condition, conditionText);
      c.field([...at, 'points'], p, W.points, x.points, y.points);
    },
  });
  c.keyed<EngagementRule>(['engagementRules'], before.engagementRules, after.engagementRules, {
    key: (r) => r.id,
    noun: { ja: '行動ルール', en: 'Engagement rule' },
    name: (r) => r.label,
    summary: (r) => ({
      ja: `${activitiesText(r.activities)} 1件 ${signed(r.points)}点${r.cap ? `（上限${r.cap}）` : ''}`,
      en: `${signed(r.points)} per ${activitiesText(r.activities)}${r.cap ? ` (cap ${r.cap})` : ''}`,
    }),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'activities'], p, W.activities, x.activities, y.activities, activities);
      c.field([...at, 'points'], p, W.points, x.points, y.points);
      c.field([...at, 'cap'], p, W.cap, x.cap, y.cap);
      c.field([...at, 'decay'], p, W.decay, x.decay, y.decay, decayText);
    },
  });
  c.value(
    ['engagementDecay'],
    { ja: '行動スコアの減衰', en: 'Engagement decay' },
    before.engagementDecay,
    after.engagementDecay,
    decayText,
  );
  c.value(['threshold', 'total'], fieldLabel('threshold'), before.threshold.total, after.threshold.total);
  c.value(['threshold', 'minFit'], fieldLabel('minFit'), before.threshold.minFit, after.threshold.minFit);
  c.value(
    ['threshold', 'minEngagement'],
    fieldLabel('minEngagement'),
    before.threshold.minEngagement,
    after.threshold.minEngagement,
  );
  c.value(
    ['requireIcpMatch'],
    { ja: 'ICP 一致を必須', en: 'ICP match required' },
    before.requireIcpMatch,
    after.requireIcpMatch,
  );
  for (const grade of ['A', 'B', 'C'] as const) {
    c.value(['fitGrades', grade], fieldLabel(grade), before.fitGrades[grade], after.fitGrades[grade]);
  }

  c.value(
    ['checklistConfirmed'],
    { ja: '既定値のまま決定したチェック項目', en: 'Checklist items decided as the default' },
    before.checklistConfirmed.join(', '),
    after.checklistConfirmed.join(', '),
  );
  c.value(
    ['sqlBant', 'minConfirmed'],
    { ja: 'SQL に必要な BANT の確認項目数', en: 'BANT items to confirm for SQL' },
    before.sqlBant.minConfirmed,
    after.sqlBant.minConfirmed,
  );
  c.keyed<Trigger>(['triggers'], before.triggers, after.triggers, {
    key: (t) => t.id,
    noun: { ja: '行動トリガー', en: 'Trigger' },
    name: (t) => t.label,
    summary: (t) => activities(t.activities),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'activities'], p, W.activities, x.activities, y.activities, activities);
    },
  });
  c.keyed<Exclusion>(['exclusions'], before.exclusions, after.exclusions, {
    key: (r) => r.id,
    noun: { ja: '除外ルール', en: 'Exclusion' },
    name: (r) => r.label,
    summary: (r) => conditionText(r.condition),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'condition'], p, W.condition, x.condition, y.condition, conditionText);
    },
  });
  c.value(
    ['recycle', 'coolDownDays'],
    { ja: 'ナーチャリングへ戻した後の待機日数', en: 'Cool-down after going back to nurture (days)' },
    before.recycle.coolDownDays,
    after.recycle.coolDownDays,
  );

  // Calendar
  const cal = (k: Path) => ['calendar', ...k];
  c.value(cal(['timeZone']), fieldLabel('timeZone'), before.calendar.timeZone, after.calendar.timeZone);
  for (const day of WEEKDAYS) {
    const w = WEEKDAY_TEXT[day];
    c.value(
      cal(['workingHours', day]),
      { ja: `営業時間（${w.ja}）`, en: `Working hours ${w.en}` },
      before.calendar.workingHours[day],
      after.calendar.workingHours[day],
      hoursText,
    );
  }
  c.value(
    cal(['nationalHolidays']),
    fieldLabel('nationalHolidays'),
    before.calendar.nationalHolidays,
    after.calendar.nationalHolidays,
  );
  const holidayKey = (h: { from?: string; to?: string; date?: string }) => canonical(h);
  const holidayName = (h: { from?: string; to?: string; date?: string; name?: Text }): Text => {
    const span = h.date ?? `${h.from}${h.to ? `〜${h.to}` : ''}`;
    return h.name ? { ja: `${h.name.ja} ${span}`, en: `${h.name.en} ${span}` } : { ja: span, en: span };
  };
  const holidays = (key: 'companyHolidays' | 'yearlyHolidays' | 'extraWorkingDays', noun: Text) =>
    c.keyed<{ from?: string; to?: string; date?: string; name?: Text }>(
      cal([key]),
      before.calendar[key],
      after.calendar[key],
      { key: holidayKey, noun, name: holidayName, showKey: false, compare: () => {} },
    );
  holidays('companyHolidays', { ja: '会社の休業日', en: 'Company holiday' });
  holidays('yearlyHolidays', { ja: '毎年の休業日', en: 'Yearly holiday' });
  holidays('extraWorkingDays', { ja: '臨時営業日', en: 'Extra working day' });

  // SLA and escalation
  c.keyed<SlaTier>(['sla', 'tiers'], before.sla.tiers, after.sla.tiers, {
    key: (t) => t.id,
    noun: { ja: 'SLA ティア', en: 'SLA tier' },
    name: (t) => t.label,
    summary: (t) => {
      const d = durationText(t.duration);
      const m = tierMatchText(t.match);
      return { ja: `${m.ja}: ${d.ja}`, en: `${m.en}: ${d.en}` };
    },
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'match'], p, { ja: '対象', en: 'applies to' }, x.match, y.match, tierMatchText);
      c.field([...at, 'duration'], p, { ja: '期限', en: 'deadline' }, x.duration, y.duration, durationText);
    },
  });
  c.value(['sla', 'dueSoon'], fieldLabel('dueSoon'), before.sla.dueSoon, after.sla.dueSoon, (d) => {
    const ja: string[] = [];
    const en: string[] = [];
    if (d.share !== undefined) {
      ja.push(`${percentText(d.share)} 経過`);
      en.push(`at ${percentText(d.share)}`);
    }
    if (d.before) {
      const t = durationText({ ...d.before, clock: 'calendar' });
      ja.push(`期限の${t.ja}前`);
      en.push(`${t.en} before`);
    }
    return { ja: ja.join('・'), en: en.join(', ') };
  });
  c.keyed<EscalationStep>(['escalation', 'steps'], before.escalation.steps, after.escalation.steps, {
    key: (s) => s.id,
    noun: { ja: 'エスカレーション', en: 'Escalation step' },
    name: (s) => s.label,
    summary: (s) => escalationWhenText(s.when),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'kind'], p, { ja: '通知先', en: 'who' }, x.kind, y.kind);
      c.field([...at, 'when'], p, { ja: 'タイミング', en: 'when' }, x.when, y.when, escalationWhenText);
    },
  });
  c.value(
    ['firstContactMethods'],
    fieldLabel('firstContactMethods'),
    before.firstContactMethods,
    after.firstContactMethods,
    (list) => ({
      ja: list.map((m) => FIRST_CONTACT_TEXT[m].ja).join('・'),
      en: list.map((m) => FIRST_CONTACT_TEXT[m].en).join(', '),
    }),
  );

  // CRM statuses, feedback, field mappings
  const crms = [
    ...new Set([...Object.keys(before.statusMapping), ...Object.keys(after.statusMapping)]),
  ] as (keyof RuleSet['statusMapping'])[];
  for (const crm of crms) {
    const a = before.statusMapping[crm] ?? {};
    const b = after.statusMapping[crm] ?? {};
    for (const value of new Set([...Object.keys(a), ...Object.keys(b)])) {
      c.value(
        ['statusMapping', crm, value],
        { ja: `${crm} のステータス「${value}」`, en: `${crm} status "${value}"` },
        a[value],
        b[value],
      );
    }
  }
  c.keyed<FeedbackReason>(['feedbackReasons'], before.feedbackReasons, after.feedbackReasons, {
    key: (r) => r.code,
    noun: { ja: '評価の理由', en: 'Feedback reason' },
    name: (r) => r.label,
    summary: (r) => show(r.appliesTo),
    compare: (x, y, at, p) => {
      c.field([...at, 'label'], p, W.label, x.label, y.label);
      c.field([...at, 'appliesTo'], p, { ja: '対象', en: 'applies to' }, x.appliesTo, y.appliesTo);
    },
  });
  const mappedCrms = new Set([...Object.keys(before.fieldMappings), ...Object.keys(after.fieldMappings)]);
  for (const crm of mappedCrms as Set<keyof RuleSet['fieldMappings']>) {
    const a = before.fieldMappings[crm] ?? {};
    const b = after.fieldMappings[crm] ?? {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      c.value(
        ['fieldMappings', crm, key],
        { ja: `${crm} の項目マッピング「${key}」`, en: `${crm} field mapping "${key}"` },
        a[key],
        b[key],
      );
    }
  }

  // Review
  c.value(
    ['review', 'cadence'],
    fieldLabel('cadence'),
    before.review.cadence,
    after.review.cadence,
    (v) => CADENCE_TEXT[v],
  );
  c.value(
    ['review', 'thresholdReviewEveryDays'],
    fieldLabel('thresholdReviewEveryDays'),
    before.review.thresholdReviewEveryDays,
    after.review.thresholdReviewEveryDays,
  );
  c.value(
    ['review', 'lastReviewedAt'],
    { ja: '前回の見直し日', en: 'Last reviewed' },
    before.review.lastReviewedAt,
    after.review.lastReviewedAt,
  );
  c.value(
    ['conversionTarget'],
    fieldLabel('conversionTarget'),
    before.conversionTarget,
    after.conversionTarget,
    (t) => ({
      ja: `${percentText(t.min)}〜${percentText(t.max)}`,
      en: `${percentText(t.min)}–${percentText(t.max)}`,
    }),
  );
  return c.list;
}

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

/** The changes as lines of text in one language, e.g. for a draft's change summary. */
export function diffText(changes: readonly RuleChange[], lang: Lang): string {
  if (changes.length === 0) return lang === 'ja' ? '変更はありません' : 'No changes';
  return changes.map((change) => `- ${change.text[lang]}`).join('\n');
}
