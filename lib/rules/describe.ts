/**
 * Parts of a rule set in words, ja and en: the diff, the checklist and the printable SLA document all
 * say "1 business hour" or "score 60 or more" the same way.
 */
import type { LocalizedText } from '../i18n';
import type { EscalationStep, SlaDuration } from '../sla/schema';
import type { ActivityMatch, FitCondition, RuleSet } from './schema';

const UNIT = {
  minutes: { ja: '分', en: ['minute', 'minutes'] },
  hours: { ja: '時間', en: ['hour', 'hours'] },
  days: { ja: '日', en: ['day', 'days'] },
} as const;

/** "1 business hour", "24 calendar hours", "3 business days"; 「営業時間で1時間」「3営業日」. */
export function durationText(d: Pick<SlaDuration, 'amount' | 'unit' | 'clock'>): LocalizedText {
  const unit = UNIT[d.unit];
  const en = `${d.amount} ${d.clock} ${unit.en[d.amount === 1 ? 0 : 1]}`;
  if (d.unit === 'days') {
    if (d.clock === 'calendar') return { ja: `${d.amount}日（暦日）`, en };
    // Said in words, as the printed SLA is read by people who never saw the rule set.
    return d.amount === 1
      ? {
          ja: '1営業日（翌営業日の同じ時刻まで）',
          en: '1 business day (by the same time on the next working day)',
        }
      : {
          ja: `${d.amount}営業日（${d.amount}営業日後の同じ時刻まで）`,
          en: `${d.amount} business days (by the same time ${d.amount} working days later)`,
        };
  }
  return { ja: `${d.clock === 'business' ? '営業時間で' : '暦時間で'}${d.amount}${unit.ja}`, en };
}

/** 0.2 → "20%". */
export function percentText(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** "60 or more (fit at least 20, engagement at least 10)". */
export function thresholdText(threshold: RuleSet['threshold']): LocalizedText {
  const ja: string[] = [];
  const en: string[] = [];
  if (threshold.minFit !== undefined) {
    ja.push(`属性${threshold.minFit}点以上`);
    en.push(`fit at least ${threshold.minFit}`);
  }
  if (threshold.minEngagement !== undefined) {
    ja.push(`行動${threshold.minEngagement}点以上`);
    en.push(`engagement at least ${threshold.minEngagement}`);
  }
  return {
    ja: `合計${threshold.total}点以上${ja.length ? `（${ja.join('・')}）` : ''}`,
    en: `${threshold.total} points or more${en.length ? ` (${en.join(', ')})` : ''}`,
  };
}

export function activityText(match: ActivityMatch): string {
  let out = match.types.join(' / ');
  if (match.titlePattern) out += ` title~/${match.titlePattern}/`;
  if (match.urlPattern) out += ` url~/${match.urlPattern}/`;
  return out;
}

export function activitiesText(matches: readonly ActivityMatch[]): string {
  return matches.map(activityText).join('; ');
}

export function conditionText(c: FitCondition): LocalizedText {
  switch (c.op) {
    case 'equals':
      return { ja: `${c.field} が「${c.value}」`, en: `${c.field} equals "${c.value}"` };
    case 'in':
      return {
        ja: `${c.field} が ${c.values.join('・')} のいずれか`,
        en: `${c.field} is one of ${c.values.join(', ')}`,
      };
    case 'contains':
      return {
        ja: `${c.field} に ${c.values.join('・')} を含む`,
        en: `${c.field} contains ${c.values.join(', ')}`,
      };
    case 'matches':
      return { ja: `${c.field} が /${c.pattern}/ に一致`, en: `${c.field} matches /${c.pattern}/` };
    case 'range': {
      const span = `${c.min ?? ''}–${c.max ?? ''}`;
      return { ja: `${c.field} が ${span} の範囲`, en: `${c.field} within ${span}` };
    }
    case 'emailDomain':
      return c.list === 'freeMail'
        ? { ja: 'メールがフリーメールのドメイン', en: 'email on a free-mail domain' }
        : { ja: 'メールが競合企業のドメイン', en: "email on a competitor's domain" };
    case 'icp':
      return c.dimension === 'all'
        ? { ja: 'ICP に一致', en: 'matches the ICP' }
        : { ja: `ICP の ${c.dimension} に一致`, en: `matches the ICP ${c.dimension}` };
  }
}

/** "at 75% of the SLA", "4 business hours after the due time". */
export function escalationWhenText(when: EscalationStep['when']): LocalizedText {
  if ('share' in when) {
    const p = percentText(when.share);
    return { ja: `SLA の ${p} 経過時`, en: `at ${p} of the SLA` };
  }
  if (when.afterDue.amount === 0) return { ja: '期限超過時', en: 'at the due time' };
  const d = durationText(when.afterDue);
  return { ja: `期限の${d.ja}後`, en: `${d.en} after the due time` };
}

export function yesNo(value: boolean): LocalizedText {
  return value ? { ja: 'はい', en: 'yes' } : { ja: 'いいえ', en: 'no' };
}
