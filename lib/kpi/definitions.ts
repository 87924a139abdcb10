/**
 * The rates a team acts on, each named with its numerator and denominator in both languages: one
 * catalogue the dashboard labels figures from and docs/kpis.md states with formulas (a test keeps the two
 * in step). Definitions follow the handoff practice (/work/shared/DOMAIN.md): each stage's rate is of the
 * stage before it, and the whole funnel is of MQLs.
 */
import type { LocalizedText } from '../i18n';
import type { KpiMeasures } from './types';

type CountOf = { [K in keyof KpiMeasures]: KpiMeasures[K] extends number ? K : never }[keyof KpiMeasures];
type RateOf = {
  [K in keyof KpiMeasures]: KpiMeasures[K] extends number | null ? (K extends CountOf ? never : K) : never;
}[keyof KpiMeasures];

export interface RateDefinition {
  /** The measure holding the rate. */
  rate: RateOf;
  numerator: CountOf;
  denominator: CountOf;
  name: LocalizedText;
  /** What is counted above and below the line, in words. */
  numeratorLabel: LocalizedText;
  denominatorLabel: LocalizedText;
}

const COUNT_LABELS = {
  mqls: { ja: 'MQL 数（重複を除く）', en: 'MQLs (duplicates left out)' },
  withVerdict: { ja: 'リードの質の判定がある MQL', en: 'MQLs with a verdict on lead quality' },
  acceptedSql: { ja: 'SQL 数', en: 'SQLs' },
  contacted: { ja: '初回コンタクト済み', en: 'Contacted' },
  contactedWithinSla: { ja: 'SLA 内に初回コンタクト', en: 'Contacted within the SLA' },
  opportunities: { ja: '商談数', en: 'Opportunities' },
  won: { ja: '受注数', en: 'Won' },
} as const satisfies Partial<Record<CountOf, LocalizedText>>;

function rate(
  rate: RateOf,
  numerator: keyof typeof COUNT_LABELS,
  denominator: keyof typeof COUNT_LABELS,
  name: LocalizedText,
): RateDefinition {
  return {
    rate,
    numerator,
    denominator,
    name,
    numeratorLabel: COUNT_LABELS[numerator],
    denominatorLabel: COUNT_LABELS[denominator],
  };
}

/** In the funnel's order. */
export const RATE_DEFINITIONS: readonly RateDefinition[] = [
  rate('sqlRateOfMqls', 'acceptedSql', 'mqls', { ja: 'MQL→SQL 転換率', en: 'MQL→SQL conversion' }),
  rate('sqlRateOfVerdicts', 'acceptedSql', 'withVerdict', {
    ja: 'MQL→SQL 転換率（判定済みのうち）',
    en: 'MQL→SQL conversion (of judged MQLs)',
  }),
  rate('opportunityRate', 'opportunities', 'acceptedSql', {
    ja: '商談化率（SQL→商談）',
    en: 'Opportunity rate (SQL→opportunity)',
  }),
  rate('winRate', 'won', 'opportunities', { ja: '受注率（商談→受注）', en: 'Win rate (opportunity→won)' }),
  rate('mqlToOpportunityRate', 'opportunities', 'mqls', {
    ja: 'MQL→商談 の割合',
    en: 'MQL→opportunity',
  }),
  rate('mqlToWonRate', 'won', 'mqls', { ja: 'MQL→受注 の割合', en: 'MQL→won' }),
  rate('contactRate', 'contacted', 'mqls', { ja: 'コンタクト率', en: 'Contact rate' }),
  rate('contactWithinSlaRate', 'contactedWithinSla', 'mqls', {
    ja: 'SLA 内コンタクト率',
    en: 'Contacted within the SLA',
  }),
];

export function rateDefinition(rate: RateOf): RateDefinition {
  const found = RATE_DEFINITIONS.find((d) => d.rate === rate);
  if (!found) throw new RangeError(`No definition for ${rate}`);
  return found;
}
