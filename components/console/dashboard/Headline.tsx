import type { Lang, LocalizedText } from '../../../lib/i18n';
import type { Drift, KpiReport } from '../../../lib/kpi/types';
import { formatCount, formatDuration, formatShare } from './format';

const UI = {
  headline: { ja: '主な指標', en: 'Headline figures' },
  mqls: { ja: 'MQL 数', en: 'MQLs' },
  sqlOfVerdicts: { ja: 'MQL→SQL 転換率（判定ありのうち）', en: 'MQL→SQL (of MQLs with a verdict)' },
  sqlOfAll: { ja: 'MQL→SQL 転換率（全 MQL のうち）', en: 'MQL→SQL (of all MQLs)' },
  withinSla: { ja: 'SLA 内の初回コンタクト', en: 'Contacted within the SLA' },
  contactRate: { ja: 'コンタクト率', en: 'Contact rate' },
  businessTime: {
    ja: '初回コンタクトまで（営業時間）中央値 / 90%',
    en: 'Time to first contact (business) median / p90',
  },
  calendarTime: {
    ja: '初回コンタクトまで（暦時間）中央値 / 90%',
    en: 'Time to first contact (calendar) median / p90',
  },
  overdue: { ja: '現在の期限超過', en: 'Overdue now' },
  opportunityRate: { ja: '商談化率（MQL のうち）', en: 'Opportunity rate (of MQLs)' },
  winRate: { ja: '受注率（商談のうち）', en: 'Win rate (of opportunities)' },
  target: { ja: '目標帯', en: 'Target band' },
  of: { ja: '件中', en: 'of' },
} satisfies Record<string, LocalizedText>;

/** The drift in words: where the rate is against the band, and what that suggests. */
export function DriftBanner({
  lang,
  drift,
  target,
}: {
  lang: Lang;
  drift: Drift;
  target: KpiReport['target'];
}) {
  const band = `${formatShare(target.min, lang)}–${formatShare(target.max, lang)}`;
  const text: string = (() => {
    switch (drift.state) {
      case 'not_enough_data':
        return lang === 'ja'
          ? `ずれの判定にはまだ判定済みの MQL が足りません（${formatCount(drift.verdicts, lang)} / ${formatCount(drift.needed, lang)} 件）。目標帯は ${band} です`
          : `Not enough MQLs with a verdict to judge drift yet (${formatCount(drift.verdicts, lang)} of ${formatCount(drift.needed, lang)}). The target band is ${band}`;
      case 'within':
        return lang === 'ja'
          ? `MQL→SQL 転換率 ${formatShare(drift.rate, lang)} は目標帯 ${band} の中です`
          : `MQL→SQL conversion ${formatShare(drift.rate, lang)} is within the target band ${band}`;
      // The report's own words already say the rate, the band, which way and what it suggests.
      case 'below':
      case 'above':
        return drift.message[lang];
    }
  })();
  const mark =
    drift.state === 'below' ? '▼ ' : drift.state === 'above' ? '▲ ' : drift.state === 'within' ? '✓ ' : '';
  return (
    <p className="drift" data-drift={drift.state} role="status">
      {mark}
      {text}
    </p>
  );
}

export function Headline({ lang, report }: { lang: Lang; report: KpiReport }) {
  const t = report.totals;
  const figures: { id: string; label: LocalizedText; value: string; detail?: string }[] = [
    { id: 'mqls', label: UI.mqls, value: formatCount(t.mqls, lang) },
    {
      id: 'sql-of-verdicts',
      label: UI.sqlOfVerdicts,
      value: formatShare(t.sqlRateOfVerdicts, lang),
      detail: `${formatCount(t.acceptedSql, lang)} / ${formatCount(t.withVerdict, lang)} · ${UI.target[lang]} ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)}`,
    },
    {
      id: 'sql-of-all',
      label: UI.sqlOfAll,
      value: formatShare(t.sqlRateOfMqls, lang),
      detail: `${formatCount(t.acceptedSql, lang)} / ${formatCount(t.mqls, lang)}`,
    },
    {
      id: 'within-sla',
      label: UI.withinSla,
      value: formatShare(t.contactWithinSlaRate, lang),
      detail: `${UI.contactRate[lang]} ${formatShare(t.contactRate, lang)} (${formatCount(t.contacted, lang)})`,
    },
    {
      id: 'business-time',
      label: UI.businessTime,
      value: `${formatDuration(t.timeToContact.businessMedianMs, lang)} / ${formatDuration(t.timeToContact.businessP90Ms, lang)}`,
    },
    {
      id: 'calendar-time',
      label: UI.calendarTime,
      value: `${formatDuration(t.timeToContact.calendarMedianMs, lang)} / ${formatDuration(t.timeToContact.calendarP90Ms, lang)}`,
    },
    { id: 'overdue', label: UI.overdue, value: formatCount(t.overdueNow, lang) },
    {
      id: 'opportunity-rate',
      label: UI.opportunityRate,
      value: formatShare(t.opportunityRate, lang),
      detail: `${formatCount(t.opportunities, lang)} / ${formatCount(t.mqls, lang)}`,
    },
    {
      id: 'win-rate',
      label: UI.winRate,
      value: formatShare(t.winRate, lang),
      detail: `${formatCount(t.won, lang)} / ${formatCount(t.opportunities, lang)}`,
    },
  ];
  return (
    <section aria-labelledby="kpi-headline" className="headline">
      <h3 id="kpi-headline">{UI.headline[lang]}</h3>
      <DriftBanner lang={lang} drift={report.drift} target={report.target} />
      <dl className="figures-grid">
        {figures.map((f) => (
          <div key={f.id} data-figure={f.id}>
            <dt>{f.label[lang]}</dt>
            <dd>
              <span className="figure" data-testid={`figure-${f.id}`}>
                {f.value}
              </span>
              {f.detail ? <small>{f.detail}</small> : null}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
