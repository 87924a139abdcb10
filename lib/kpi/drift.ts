/**
 * Drift: where the MQL→SQL rate of verdicts stands against the rule set's conversion target band, and
 * what that suggests about the threshold (docs/kpis.md, "drift").
 */
import { percentText } from '../rules/describe';
import type { Drift, KpiMeasures } from './types';

/** Fewer verdicts than this in a period or week say nothing reliable about the conversion rate. */
export const DRIFT_MIN_VERDICTS = 20;

/** Where the MQL→SQL rate of verdicts stands against the target band, with what it suggests. */
export function drift(
  m: Pick<KpiMeasures, 'withVerdict' | 'acceptedSql'>,
  target: { min: number; max: number },
): Drift {
  if (m.withVerdict < DRIFT_MIN_VERDICTS) {
    return { state: 'not_enough_data', verdicts: m.withVerdict, needed: DRIFT_MIN_VERDICTS };
  }
  const rate = m.acceptedSql / m.withVerdict;
  const band = `${percentText(target.min)}–${percentText(target.max)}`;
  if (rate < target.min) {
    return {
      state: 'below',
      rate,
      message: {
        ja: `MQL→SQL 転換率 ${percentText(rate)} は目標 ${band} を下回っています。閾値が低すぎて、見込みの薄いリードまで営業に渡っている可能性があります。閾値の引き上げを検討してください。`,
        en: `MQL→SQL conversion of ${percentText(rate)} is below the target of ${band}: the threshold is likely too low, handing weak leads to sales. Consider raising it.`,
      },
    };
  }
  if (rate > target.max) {
    return {
      state: 'above',
      rate,
      message: {
        ja: `MQL→SQL 転換率 ${percentText(rate)} は目標 ${band} を上回っています。閾値が高すぎて、閾値未満のリードから生まれるはずの商談を逃している可能性があります。閾値の引き下げを検討してください。`,
        en: `MQL→SQL conversion of ${percentText(rate)} is above the target of ${band}: the threshold is likely too high, and opportunities are being lost among leads below it. Consider lowering it.`,
      },
    };
  }
  return { state: 'within', rate };
}
