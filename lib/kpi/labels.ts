/**
 * Order and labels (ja/en) of what the KPI report names: breakdown rows, funnel stages, speed bands and
 * the verdicts that are not a reason code.
 */
import type { LocalizedText } from '../i18n';
import type { CrmId } from '../lead';
import { textTable } from '../text-table';
import type { BreakdownDimension, GradeOrUnknown, HandoffReason, SpeedBand } from './types';

export const SPEED_LABELS: Record<SpeedBand, LocalizedText> = textTable({
  ja: {
    within_5_minutes: '5分以内',
    within_1_hour: '1時間以内',
    within_sla: 'SLA の期限内',
    later: '期限後',
    never: '未コンタクト',
  },
  en: {
    within_5_minutes: 'Within 5 minutes',
    within_1_hour: 'Within 1 hour',
    within_sla: 'Within the SLA',
    later: 'After the due time',
    never: 'Not contacted',
  },
});

export const VERDICT_LABELS = textTable({
  ja: {
    wrong_owner: '担当者違い',
    duplicate: '重複',
  },
  en: {
    wrong_owner: 'Wrong owner',
    duplicate: 'Duplicate',
  },
});

const REASON_ORDER: Record<HandoffReason, number> = { threshold: 0, trigger: 1, manual: 2 };
const GRADE_ORDER: Record<GradeOrUnknown, number> = { A: 0, B: 1, C: 2, D: 3, unknown: 4 };

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Dimensions with a natural order keep it (versions and score bands ascending, reasons and grades in
 * their own order); owners and CRMs go by MQLs, most first. The unknown group is always last.
 */
export function compareKeys(
  dimension: BreakdownDimension,
  a: string | number | null,
  b: string | number | null,
  mqlsA: number,
  mqlsB: number,
): number {
  const unknownA = a === null || a === '' || a === 'unknown';
  const unknownB = b === null || b === '' || b === 'unknown';
  if (unknownA || unknownB) return Number(unknownA) - Number(unknownB);
  switch (dimension) {
    case 'rulesVersion':
    case 'scoreBand':
      return (a as number) - (b as number);
    case 'reason':
      return REASON_ORDER[a as HandoffReason] - REASON_ORDER[b as HandoffReason];
    case 'fitGrade':
      return GRADE_ORDER[a as GradeOrUnknown] - GRADE_ORDER[b as GradeOrUnknown];
    case 'owner':
    case 'crm':
      return mqlsB - mqlsA || compareText(String(a), String(b));
  }
}

export function keyText(
  dimension: BreakdownDimension,
  key: string | number | null,
  bandWidth: number,
): string {
  if (key === null || key === 'unknown') return '';
  if (dimension === 'scoreBand') return `${key}-${(key as number) + bandWidth - 1}`;
  return String(key);
}

export const CRM_NAMES: Record<CrmId, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics: 'Dynamics 365',
  zoho: 'Zoho CRM',
  pipedrive: 'Pipedrive',
  kintone: 'kintone',
};

// The extension reports a handoff dated by the CRM's own MQL field as manual: someone set it there.
const REASON_LABELS: Record<HandoffReason, LocalizedText> = textTable({
  ja: { threshold: 'スコア到達', trigger: 'トリガー', manual: '手動・CRM の MQL 日付' },
  en: { threshold: 'Score threshold', trigger: 'Trigger', manual: 'By hand or the CRM’s MQL date' },
});

export const FUNNEL_LABELS = textTable({
  ja: {
    mql: 'MQL',
    contacted: '初回コンタクト済み',
    sql: 'SQL として受け入れ',
    opportunity: '商談化',
    won: '受注',
  },
  en: {
    mql: 'MQL',
    contacted: 'Contacted',
    sql: 'Accepted as SQL',
    opportunity: 'Opportunity',
    won: 'Won',
  },
});

const UNKNOWN: Record<BreakdownDimension, LocalizedText> = textTable({
  ja: {
    rulesVersion: 'バージョン不明',
    owner: '担当者不明',
    crm: 'CRM 不明',
    reason: '理由不明',
    fitGrade: '属性ランク不明',
    scoreBand: 'スコアなし',
  },
  en: {
    rulesVersion: 'Unknown version',
    owner: 'No owner',
    crm: 'Unknown CRM',
    reason: 'Unknown reason',
    fitGrade: 'Fit grade unknown',
    scoreBand: 'No score',
  },
});

export function labelOf(
  dimension: BreakdownDimension,
  key: string | number | null,
  bandWidth: number,
): LocalizedText {
  if (key === null || key === '' || key === 'unknown') return UNKNOWN[dimension];
  switch (dimension) {
    case 'rulesVersion':
      return key === 0
        ? { ja: '既定ルール', en: 'Built-in default' }
        : { ja: `バージョン ${key}`, en: `Version ${key}` };
    case 'owner':
      return { ja: String(key), en: String(key) };
    case 'crm': {
      const name = CRM_NAMES[key as CrmId] ?? String(key);
      return { ja: name, en: name };
    }
    case 'reason':
      return REASON_LABELS[key as HandoffReason];
    case 'fitGrade':
      return { ja: `属性ランク ${key}`, en: `Fit grade ${key}` };
    case 'scoreBand': {
      const text = `${key}–${(key as number) + bandWidth - 1}`;
      return { ja: text, en: text };
    }
  }
}

/**
 * A reason code by its label in the rule set; a code the rule set no longer lists (feedback given under
 * older rules) by a label saying so, never the raw code, which means nothing to a reader.
 */
export function reasonLabelOf(code: string, labels: ReadonlyMap<string, LocalizedText>): LocalizedText {
  return labels.get(code) ?? UNLISTED_REASON;
}

export const UNLISTED_REASON: LocalizedText = {
  ja: 'その他（今のルールにない理由）',
  en: 'Other (a reason no longer in the rules)',
};
