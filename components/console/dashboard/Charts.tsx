import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import type { BreakdownRow, Drift, KpiReport, LeadFigure, WeekRow } from '../../../lib/kpi/types';
import { ChartFrame, type Column, countColumn, shareColumn, wordsColumn } from './ChartFrame';
import { formatCount, formatDuration, formatHourRange, formatShare } from './format';
import { linePath, niceMax, scale, shareAxisMax } from './svg';

export type PeriodDates = { from: string; until: string };

/** What every chart of the report is drawn from. */
export type ChartProps = { lang: Lang; report: KpiReport; period: PeriodDates };

const UI = textTable({
  ja: {
    trend: '週ごとの MQL 数と MQL→SQL 転換率',
    funnel: 'ファネル（MQL → コンタクト → SQL → 商談化 → 受注）',
    histogram: '初回コンタクトまでの時間（営業時間）',
    reasons: '判定の理由',
    qualityReasons: 'リードの質についての判定',
    otherReasons: 'リードの質以外の判定（転換率とずれの判定から除外）',
    about: '区分',
    compliance: '担当者別の SLA 内コンタクト率',
    week: '週（月曜）',
    mqls: 'MQL 数',
    sql: 'SQL 承認',
    withVerdict: '判定あり',
    rate: 'MQL→SQL（判定ありのうち）',
    drift: '目標帯との関係',
    target: '目標帯',
    stage: '段階',
    count: '件数',
    ofMqls: 'MQL に対する割合',
    hours: '営業時間',
    reason: '理由',
    verdict: '判定',
    code: 'コード',
    owner: '担当者',
    contacted: 'コンタクト済み',
    withinSla: 'SLA 内',
    withinSlaRate: 'SLA 内コンタクト率',
    overdue: '現在の期限超過',
    noWeeks: 'この期間の週データはありません',
    days: '期間内の日数',
    funnelLeads: '各段階のリードを一覧で見る',
    partial: '一部の週',
    partialNote:
      '「一部の週」は期間の始めか終わりで途切れた週です。棒はその日数分だけの件数で、転換率の線には含めていません。',
    noReasons: '理由のある判定はまだありません',
    noContacts: 'コンタクト済みのリードはまだありません',
    noOwners: '担当者の記録はありません',
  },
  en: {
    trend: 'MQLs and MQL→SQL conversion by week',
    funnel: 'Funnel (MQL → contacted → SQL → opportunity → won)',
    histogram: 'Time to first contact (business hours)',
    reasons: 'Verdict reasons',
    qualityReasons: 'Verdicts on lead quality',
    otherReasons: 'Verdicts not on lead quality (left out of conversion and drift)',
    about: 'Kind',
    compliance: 'Contact within the SLA by owner',
    week: 'Week (Monday)',
    mqls: 'MQLs',
    sql: 'Accepted as SQL',
    withVerdict: 'With a verdict',
    rate: 'MQL→SQL (of verdicts)',
    drift: 'Against the target band',
    target: 'Target band',
    stage: 'Stage',
    count: 'Count',
    ofMqls: 'Share of MQLs',
    hours: 'Business hours',
    reason: 'Reason',
    verdict: 'Verdict',
    code: 'Code',
    owner: 'Owner',
    contacted: 'Contacted',
    withinSla: 'Within SLA',
    withinSlaRate: 'Contact within SLA',
    overdue: 'Overdue now',
    noWeeks: 'No weeks in this period',
    days: 'Days in the period',
    funnelLeads: 'See the leads of each stage',
    partial: 'partial',
    partialNote:
      'Weeks marked partial are cut by the start or end of the period: their bars count only those days, and the conversion line leaves them out.',
    noReasons: 'No verdict with a reason yet',
    noContacts: 'No lead has been contacted yet',
    noOwners: 'No owners recorded',
  },
});

const ABOUT: Record<Reason['about'], LocalizedText> = textTable({
  ja: {
    lead_quality: 'リードの質',
    not_lead_quality: '質以外（転換率から除外）',
    duplicate: '重複（MQL から除外）',
  },
  en: {
    lead_quality: 'Lead quality',
    not_lead_quality: 'Not quality (out of conversion)',
    duplicate: 'Duplicate (out of MQLs)',
  },
});

const VERDICT: Record<Reason['verdict'], LocalizedText> = textTable({
  ja: {
    wrong_owner: '担当者違い',
    duplicate: '重複',
    reject: '却下',
    recycle: 'ナーチャリングへ戻し',
  },
  en: {
    wrong_owner: 'Wrong owner',
    duplicate: 'Duplicate',
    reject: 'Rejected',
    recycle: 'Back to nurture',
  },
});

/** A percentage as a number for spreadsheets (25.5 for 25.5 %); null stays empty. */
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));

export function driftWords(drift: Drift, lang: Lang): string {
  switch (drift.state) {
    case 'not_enough_data':
      return lang === 'ja'
        ? `判定が少なく判断できません（${drift.verdicts} / ${drift.needed} 件）`
        : `Too few verdicts to judge (${drift.verdicts} of ${drift.needed})`;
    case 'within':
      return lang === 'ja' ? '目標帯の中' : 'Within the target band';
    case 'below':
      return lang === 'ja' ? '目標帯より低い' : 'Below the target band';
    case 'above':
      return lang === 'ja' ? '目標帯より高い' : 'Above the target band';
  }
}

/** "partial, 1 of 7 days" / 「一部の週・7日中1日」. */
function partialText(w: WeekRow, lang: Lang): string {
  return lang === 'ja' ? `${UI.partial.ja}・7日中${w.days}日` : `${UI.partial.en}, ${w.days} of 7 days`;
}

function shortDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-US', {
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
}

const W = 640;

export function TrendChart({ lang, report, period }: ChartProps) {
  const weeks = report.weeks;
  const columns: Column<WeekRow>[] = [
    {
      label: UI.week,
      csv: (w) => w.week,
      text: (w) => `${w.week}${w.partial ? ` (${partialText(w, lang)})` : ''}`,
    },
    countColumn(UI.days, (w) => w.days, lang),
    countColumn(UI.mqls, (w) => w.measures.mqls, lang),
    countColumn(UI.withVerdict, (w) => w.measures.withVerdict, lang),
    countColumn(UI.sql, (w) => w.measures.acceptedSql, lang),
    shareColumn(UI.rate, (w) => w.measures.sqlRateOfVerdicts, lang),
    { label: UI.drift, csv: (w) => w.drift.state, text: (w) => driftWords(w.drift, lang) },
  ];
  const H = 240;
  const m = { l: 40, r: 48, t: 24, b: 36 };
  const n = Math.max(weeks.length, 1);
  const band = (W - m.l - m.r) / n;
  const mqlMax = niceMax(Math.max(0, ...weeks.map((w) => w.measures.mqls)));
  const rateMax = shareAxisMax(
    weeks.map((w) => w.measures.sqlRateOfVerdicts),
    report.target,
  );
  const y = scale(0, mqlMax, H - m.b, m.t);
  const yRate = scale(0, rateMax, H - m.b, m.t);
  const cx = (i: number) => m.l + band * i + band / 2;
  // A partial week's rate is over a few days' verdicts: joined to the line it reads as a dip or a spike.
  const line = linePath(
    weeks.map((w, i) =>
      w.partial || w.measures.sqlRateOfVerdicts === null
        ? null
        : { x: cx(i), y: yRate(w.measures.sqlRateOfVerdicts) },
    ),
  );
  const targetText = `${UI.target[lang]} ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)}`;
  // Every other label when weeks are many, so dates never overlap.
  const labelEvery = Math.ceil(n / 12);
  return (
    <ChartFrame
      lang={lang}
      title={UI.trend}
      slug="weekly"
      period={period}
      rows={weeks}
      columns={columns}
      note={weeks.some((w) => w.partial) ? <p className="partial-note">{UI.partialNote[lang]}</p> : undefined}
    >
      {weeks.length === 0 ? (
        <p>{UI.noWeeks[lang]}</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={UI.trend[lang]}>
          <rect
            className="target-band"
            x={m.l}
            width={W - m.l - m.r}
            y={yRate(report.target.max)}
            height={Math.max(0, yRate(report.target.min) - yRate(report.target.max))}
          />
          <line className="axis" x1={m.l} x2={W - m.r} y1={H - m.b} y2={H - m.b} />
          <text className="axis-label" x={m.l - 6} y={y(mqlMax) + 4} textAnchor="end">
            {formatCount(mqlMax, lang)}
          </text>
          <text className="axis-label" x={m.l - 6} y={H - m.b + 4} textAnchor="end">
            0
          </text>
          <text className="axis-label" x={W - m.r + 6} y={yRate(rateMax) + 4}>
            {formatShare(rateMax, lang)}
          </text>
          {weeks.map((w, i) => (
            <g key={w.week}>
              <rect
                className={w.partial ? 'bar mql partial' : 'bar mql'}
                data-week={w.week}
                data-partial={w.partial ? 'true' : undefined}
                x={cx(i) - band * 0.3}
                width={band * 0.6}
                y={y(w.measures.mqls)}
                height={H - m.b - y(w.measures.mqls)}
              >
                <title>
                  {`${w.week}${w.partial ? ` (${partialText(w, lang)})` : ''}: ${UI.mqls[lang]} ${formatCount(w.measures.mqls, lang)}, ${UI.rate[lang]} ${formatShare(w.measures.sqlRateOfVerdicts, lang)}`}
                </title>
              </rect>
              {i % labelEvery === 0 || w.partial ? (
                <text className="axis-label" x={cx(i)} y={H - m.b + 14} textAnchor="middle">
                  {shortDate(w.week, lang)}
                </text>
              ) : null}
              {w.partial ? (
                <text className="axis-label partial-label" x={cx(i)} y={H - m.b + 26} textAnchor="middle">
                  {UI.partial[lang]}
                </text>
              ) : null}
              {w.measures.sqlRateOfVerdicts === null ? null : (
                <circle
                  className={w.partial ? 'rate-point partial' : 'rate-point'}
                  cx={cx(i)}
                  cy={yRate(w.measures.sqlRateOfVerdicts)}
                  r={3}
                />
              )}
            </g>
          ))}
          <path className="rate-line" d={line} />
          {/* Drawn after the bars, with a halo (style.css), so a tall week never hides it. */}
          <text className="band-label" x={W - m.r - 4} y={yRate(report.target.max) - 4} textAnchor="end">
            {targetText}
          </text>
          <g className="legend" transform={`translate(${m.l}, 12)`}>
            <rect className="bar mql" width={10} height={10} y={-9} />
            <text x={14}>{UI.mqls[lang]}</text>
            <line className="rate-line" x1={90} x2={110} y1={-4} y2={-4} />
            <text x={114}>{UI.rate[lang]}</text>
          </g>
        </svg>
      )}
    </ChartFrame>
  );
}

type FunnelStep = KpiReport['funnel'][number];

export function FunnelChart({
  lang,
  report,
  period,
  onOpenLeads,
}: ChartProps & {
  /** Opens the leads behind a stage's count; without it the counts are text only. */
  onOpenLeads?: (figure: LeadFigure) => void;
}) {
  const steps = report.funnel;
  const mqls = steps.find((s) => s.stage === 'mql')?.count ?? 0;
  const share = (s: FunnelStep) => (mqls ? s.count / mqls : null);
  const columns: Column<FunnelStep>[] = [
    wordsColumn(UI.stage, (s) => s.label[lang]),
    countColumn(UI.count, (s) => s.count, lang),
    shareColumn(UI.ofMqls, share, lang),
  ];
  const row = 34;
  const H = steps.length * row + 8;
  const labelW = 150;
  const x = scale(0, Math.max(1, mqls), 0, W - labelW - 130);
  return (
    <ChartFrame lang={lang} title={UI.funnel} slug="funnel" period={period} rows={steps} columns={columns}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={UI.funnel[lang]}>
        {steps.map((s, i) => (
          <g key={s.stage} transform={`translate(0, ${i * row + 4})`}>
            <text className="bar-label" x={labelW - 8} y={row / 2 + 4} textAnchor="end">
              {s.label[lang]}
            </text>
            <rect className={`bar funnel-${s.stage}`} x={labelW} y={4} height={row - 10} width={x(s.count)}>
              <title>{`${s.label[lang]}: ${formatCount(s.count, lang)}`}</title>
            </rect>
            <text className="bar-value" x={labelW + x(s.count) + 6} y={row / 2 + 4}>
              {`${formatCount(s.count, lang)} (${formatShare(share(s), lang)})`}
            </text>
          </g>
        ))}
      </svg>
      {onOpenLeads ? (
        <ul className="funnel-leads" aria-label={UI.funnelLeads[lang]}>
          {steps.map((s) => (
            <li key={s.stage}>
              <button type="button" data-leads={s.stage} onClick={() => onOpenLeads(s.stage)}>
                {`${s.label[lang]} ${formatCount(s.count, lang)}`}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </ChartFrame>
  );
}

type Bucket = KpiReport['timeToContactHistogram'][number];

export function HistogramChart({ lang, report, period }: ChartProps) {
  const buckets = report.timeToContactHistogram;
  const columns: Column<Bucket>[] = [
    {
      label: UI.hours,
      csv: (b) => formatHourRange(b.fromHours, b.toHours, lang),
      text: (b) => formatHourRange(b.fromHours, b.toHours, lang),
    },
    countColumn(UI.count, (b) => b.count, lang),
  ];
  const H = 200;
  const m = { l: 16, r: 16, t: 20, b: 36 };
  const n = Math.max(buckets.length, 1);
  const band = (W - m.l - m.r) / n;
  const top = niceMax(Math.max(0, ...buckets.map((b) => b.count)));
  const y = scale(0, top, H - m.b, m.t);
  const empty = buckets.every((b) => b.count === 0);
  return (
    <ChartFrame
      lang={lang}
      title={UI.histogram}
      slug="time-to-contact"
      period={period}
      rows={buckets}
      columns={columns}
      nothing={empty ? UI.noContacts : null}
    >
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={UI.histogram[lang]}>
        <line className="axis" x1={m.l} x2={W - m.r} y1={H - m.b} y2={H - m.b} />
        {buckets.map((b, i) => {
          const x = m.l + band * i;
          const label = formatHourRange(b.fromHours, b.toHours, lang);
          return (
            <g key={b.fromHours}>
              <rect
                className="bar contact"
                x={x + band * 0.1}
                width={band * 0.8}
                y={y(b.count)}
                height={H - m.b - y(b.count)}
              >
                <title>{`${label}: ${formatCount(b.count, lang)}`}</title>
              </rect>
              <text className="bar-value" x={x + band / 2} y={y(b.count) - 4} textAnchor="middle">
                {formatCount(b.count, lang)}
              </text>
              <text className="axis-label" x={x + band / 2} y={H - m.b + 14} textAnchor="middle">
                {label}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}

type Reason = KpiReport['reasons'][number];

/** Horizontal bars with the label at the left and the figure at the end: for reasons and owners. */
function HorizontalBars<R>({
  rows,
  label,
  value,
  max,
  text,
  className,
  ariaLabel,
}: {
  rows: R[];
  label: (r: R) => string;
  value: (r: R) => number;
  max: number;
  text: (r: R) => string;
  className: string;
  ariaLabel: string;
}) {
  const row = 26;
  const labelW = 200;
  const H = rows.length * row + 8;
  const x = scale(0, max || 1, 0, W - labelW - 120);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={ariaLabel}>
      {rows.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional after sorting
        <g key={i} transform={`translate(0, ${i * row + 4})`}>
          <text className="bar-label" x={labelW - 8} y={row / 2 + 3} textAnchor="end">
            {label(r)}
          </text>
          <rect className={`bar ${className}`} x={labelW} y={3} height={row - 8} width={x(value(r))}>
            <title>{`${label(r)}: ${text(r)}`}</title>
          </rect>
          <text className="bar-value" x={labelW + x(value(r)) + 6} y={row / 2 + 3}>
            {text(r)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function ReasonsChart({ lang, report, period }: ChartProps) {
  const reasons = report.reasons;
  const columns: Column<Reason>[] = [
    wordsColumn(UI.reason, (r) => r.label[lang]),
    wordsColumn(UI.verdict, (r) => VERDICT[r.verdict][lang]),
    { ...wordsColumn(UI.code, (r) => r.code), csvOnly: true },
    wordsColumn(UI.about, (r) => ABOUT[r.about][lang]),
    countColumn(UI.count, (r) => r.count, lang),
  ];
  // Shown apart: verdicts that do not judge lead quality must not read as marketing's problem.
  const groups = [
    { id: 'quality', title: UI.qualityReasons, rows: reasons.filter((r) => r.about === 'lead_quality') },
    { id: 'other', title: UI.otherReasons, rows: reasons.filter((r) => r.about !== 'lead_quality') },
  ];
  const max = Math.max(...reasons.map((r) => r.count));
  return (
    <ChartFrame
      lang={lang}
      title={UI.reasons}
      slug="reasons"
      period={period}
      rows={reasons}
      columns={columns}
      nothing={reasons.length === 0 ? UI.noReasons : null}
    >
      {groups.map((group) =>
        group.rows.length === 0 ? null : (
          <div key={group.id} data-reasons={group.id}>
            <h4>{group.title[lang]}</h4>
            <HorizontalBars
              rows={group.rows}
              label={(r) => `${r.label[lang]}（${VERDICT[r.verdict][lang]}）`}
              value={(r) => r.count}
              max={max}
              text={(r) => formatCount(r.count, lang)}
              className={`reason reason-${group.id}`}
              ariaLabel={group.title[lang]}
            />
          </div>
        ),
      )}
    </ChartFrame>
  );
}

/** Owners by their share contacted within the SLA, best first; owners with no figure last. */
export function ownersByCompliance(rows: BreakdownRow[]): BreakdownRow[] {
  return [...rows].sort((a, b) => {
    const ra = a.measures.contactWithinSlaRate;
    const rb = b.measures.contactWithinSlaRate;
    if (ra === null || rb === null) return ra === rb ? 0 : ra === null ? 1 : -1;
    return rb - ra || b.measures.mqls - a.measures.mqls || a.key.localeCompare(b.key);
  });
}

export function ComplianceChart({ lang, report, period }: ChartProps) {
  const owners = ownersByCompliance(report.breakdowns.owner);
  const columns: Column<BreakdownRow>[] = [
    wordsColumn(UI.owner, (r) => r.label[lang]),
    countColumn(UI.mqls, (r) => r.measures.mqls, lang),
    countColumn(UI.contacted, (r) => r.measures.contacted, lang),
    countColumn(UI.withinSla, (r) => r.measures.contactedWithinSla, lang),
    shareColumn(UI.withinSlaRate, (r) => r.measures.contactWithinSlaRate, lang),
    {
      label: { ja: '初回コンタクト中央値（営業時間・分）', en: 'Median time to contact (business, min)' },
      csv: (r) => minutes(r.measures.timeToContact.businessMedianMs),
      text: (r) => formatDuration(r.measures.timeToContact.businessMedianMs, lang),
    },
    countColumn(UI.overdue, (r) => r.measures.overdueNow, lang),
  ];
  return (
    <ChartFrame
      lang={lang}
      title={UI.compliance}
      slug="owners"
      period={period}
      rows={owners}
      columns={columns}
      nothing={owners.length === 0 ? UI.noOwners : null}
    >
      <HorizontalBars
        rows={owners}
        label={(r) => r.label[lang]}
        value={(r) => r.measures.contactWithinSlaRate ?? 0}
        max={1}
        text={(r) =>
          `${formatShare(r.measures.contactWithinSlaRate, lang)} (${formatCount(r.measures.contactedWithinSla, lang)} / ${formatCount(r.measures.mqls, lang)})`
        }
        className="owner"
        ariaLabel={UI.compliance[lang]}
      />
    </ChartFrame>
  );
}

/** Verdicts in words, for the lists of leads behind a count too. */
export { VERDICT };
