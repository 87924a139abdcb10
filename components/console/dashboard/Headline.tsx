import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import { RATE_DEFINITIONS, type RateDefinition } from '../../../lib/kpi/definitions';
import type { Drift, KpiMeasures, KpiReport, LeadFigure } from '../../../lib/kpi/types';
import { formatCount, formatDuration, formatShare } from './format';
import { KeepTogether } from './KeepTogether';

const UI = textTable({
  ja: {
    headline: '主な指標',
    mqls: 'MQL 数',
    duplicates: '重複（除外）',
    notAboutQuality: '質以外の判定',
    contactRate: 'コンタクト率',
    businessTime: '初回コンタクトまで（営業時間）中央値 / 90%',
    calendarTime: '初回コンタクトまで（暦時間）中央値 / 90%',
    overdue: '現在の期限超過',
    target: '目標帯',
    of: '件中',
    ofAll: '全 MQL に対して',
    openLeads: 'のリードを一覧で見る',
  },
  en: {
    headline: 'Headline figures',
    mqls: 'MQLs',
    duplicates: 'Duplicates (left out)',
    notAboutQuality: 'Verdicts not on quality',
    contactRate: 'Contact rate',
    businessTime: 'Time to first contact (business) median / p90',
    calendarTime: 'Time to first contact (calendar) median / p90',
    overdue: 'Overdue now',
    target: 'Target band',
    of: 'of',
    ofAll: 'Of all MQLs',
    openLeads: ': see the leads',
  },
});

/**
 * Which MQL→SQL rate to read, in words (docs/kpis.md, "Which MQL→SQL to read"): the rate of judged MQLs
 * is the headline, the one the target band is set on; the rate of all MQLs counts MQLs not yet judged as
 * not SQL, so it trails while verdicts are missing.
 */
export function sqlRateReading(t: KpiMeasures, lang: Lang): string {
  const unjudged = Math.max(0, t.mqls - t.withVerdict - t.notAboutQuality);
  const ofAll = formatShare(t.sqlRateOfMqls, lang);
  return lang === 'ja'
    ? `見るのはこちら: 営業がまだ判定していない MQL を除いた率で、目標帯もこの率で判断します。全 MQL に対する ${ofAll} は未判定の ${formatCount(unjudged, lang)} 件を SQL でないとして数えるため、判定が揃うまで低く出ます。`
    : `Read this one: it leaves out MQLs sales has not judged yet, and the target band is judged on it. Of all MQLs, ${ofAll} counts the ${formatCount(unjudged, lang)} not yet judged as not SQL, so it reads low until verdicts are in.`;
}

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

/** The figure id of each rate (kept stable for tests and saved links), in the catalogue's order. */
const RATE_FIGURES: Partial<Record<RateDefinition['rate'], string>> = {
  sqlRateOfMqls: 'sql-of-all',
  sqlRateOfVerdicts: 'sql-of-verdicts',
  opportunityRate: 'opportunity-rate',
  winRate: 'win-rate',
  mqlToOpportunityRate: 'mql-to-opportunity',
  mqlToWonRate: 'mql-to-won',
  contactWithinSlaRate: 'within-sla',
};

export function Headline({
  lang,
  report,
  onOpenLeads,
}: {
  lang: Lang;
  report: KpiReport;
  /** Opens the leads behind a count; without it counts are plain text. */
  onOpenLeads?: (figure: LeadFigure) => void;
}) {
  const t = report.totals;
  const band = `${UI.target[lang]} ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)}`;
  // Each rate says what it divides by what, in words and counts: "SQL 数 2 / MQL 数 10".
  const rates = RATE_DEFINITIONS.flatMap((d) => {
    const id = RATE_FIGURES[d.rate];
    // One headline MQL→SQL: the rate of all MQLs is shown inside it, explained, not as a rival tile.
    if (id === undefined || d.rate === 'sqlRateOfMqls') return [];
    const fraction = `${d.numeratorLabel[lang]} ${formatCount(t[d.numerator], lang)} / ${d.denominatorLabel[lang]} ${formatCount(t[d.denominator], lang)}`;
    return [
      {
        id,
        label: d.name,
        value: formatShare(t[d.rate], lang),
        detail: d.rate === 'sqlRateOfVerdicts' ? `${fraction} · ${band}` : fraction,
      },
    ];
  });
  const ofAll = RATE_DEFINITIONS.find((d) => d.rate === 'sqlRateOfMqls')!;
  const figures: {
    id: string;
    label: LocalizedText;
    value: string;
    detail?: string;
    leads?: LeadFigure;
  }[] = [
    {
      id: 'mqls',
      label: UI.mqls,
      value: formatCount(t.mqls, lang),
      detail: `${UI.duplicates[lang]} ${formatCount(t.duplicates, lang)} · ${UI.notAboutQuality[lang]} ${formatCount(t.notAboutQuality, lang)}`,
      leads: 'mql',
    },
    ...rates,
    {
      id: 'contact-rate',
      label: UI.contactRate,
      value: formatShare(t.contactRate, lang),
      detail: `${formatCount(t.contacted, lang)} / ${formatCount(t.mqls, lang)}`,
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
    { id: 'overdue', label: UI.overdue, value: formatCount(t.overdueNow, lang), leads: 'overdue' },
  ];
  return (
    <section aria-labelledby="kpi-headline" className="headline">
      <h3 id="kpi-headline">{UI.headline[lang]}</h3>
      <DriftBanner lang={lang} drift={report.drift} target={report.target} />
      <dl className="figures-grid">
        {figures.map((f) => (
          <div key={f.id} data-figure={f.id} data-headline={f.id === 'sql-of-verdicts' ? 'true' : undefined}>
            <dt>{f.label[lang]}</dt>
            <dd>
              {onOpenLeads && f.leads ? (
                <button
                  type="button"
                  className="figure figure-button"
                  data-testid={`figure-${f.id}`}
                  aria-label={`${f.label[lang]} ${f.value}${UI.openLeads[lang]}`}
                  onClick={() => onOpenLeads(f.leads!)}
                >
                  <KeepTogether text={f.value} />
                </button>
              ) : (
                <span className="figure" data-testid={`figure-${f.id}`}>
                  <KeepTogether text={f.value} />
                </span>
              )}
              {f.detail ? (
                <small>
                  <KeepTogether text={f.detail} />
                </small>
              ) : null}
              {f.id === 'sql-of-verdicts' ? (
                <>
                  <small className="secondary-rate">
                    {`${UI.ofAll[lang]}: `}
                    <span data-testid="figure-sql-of-all">{formatShare(t.sqlRateOfMqls, lang)}</span>
                    {` (${ofAll.numeratorLabel[lang]} ${formatCount(t.acceptedSql, lang)} / ${ofAll.denominatorLabel[lang]} ${formatCount(t.mqls, lang)})`}
                  </small>
                  <p className="reading" data-testid="sql-rate-reading">
                    {sqlRateReading(t, lang)}
                  </p>
                </>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
