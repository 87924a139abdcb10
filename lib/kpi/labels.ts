/**
 * Order and labels (ja/en) of what the KPI report names: breakdown rows, funnel stages, speed bands and
 * the verdicts that are not a reason code.
 */
import type { LocalizedText } from '../i18n';
import type { CrmId } from '../lead';
import type { BreakdownDimension, GradeOrUnknown, HandoffReason, SpeedBand } from './types';

export const SPEED_LABELS: Record<SpeedBand, LocalizedText> = {
  within_5_minutes: { ja: '5分以内', en: 'Within 5 minutes' },
  within_1_hour: { ja: '1時間以内', en: 'Within 1 hour' },
  within_sla: { ja: 'SLA の期限内', en: 'Within the SLA' },
  later: { ja: '期限後', en: 'After the due time' },
  never: { ja: '未コンタクト', en: 'Not contacted' },
};

export const VERDICT_LABELS = {
  wrong_owner: { ja: '担当者違い', en: 'Wrong owner' },
  duplicate: { ja: '重複', en: 'Duplicate' },
} as const satisfies Record<string, LocalizedText>;

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

const REASON_LABELS: Record<HandoffReason, LocalizedText> = {
  threshold: { ja: 'スコア到達', en: 'Score threshold' },
  trigger: { ja: 'トリガー', en: 'Trigger' },
  // The extension reports a handoff dated by the CRM's own MQL field as manual: someone set it there.
  manual: { ja: '手動・CRM の MQL 日付', en: 'By hand or the CRM’s MQL date' },
};

export const FUNNEL_LABELS = {
  mql: { ja: 'MQL', en: 'MQL' },
  contacted: { ja: '初回コンタクト済み', en: 'Contacted' },
  sql: { ja: 'SQL として受け入れ', en: 'Accepted as SQL' },
  opportunity: { ja: '商談化', en: 'Opportunity' },
  won: { ja: '受注', en: 'Won' },
} as const satisfies Record<string, LocalizedText>;

const UNKNOWN: Record<BreakdownDimension, LocalizedText> = {
  rulesVersion: { ja: 'バージョン不明', en: 'Unknown version' },
  owner: { ja: '担当者不明', en: 'No owner' },
  crm: { ja: 'CRM 不明', en: 'Unknown CRM' },
  reason: { ja: '理由不明', en: 'Unknown reason' },
  fitGrade: { ja: '属性ランク不明', en: 'Fit grade unknown' },
  scoreBand: { ja: 'スコアなし', en: 'No score' },
};

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
