import { textTable } from '../../../lib/i18n';
import type { SpeedToLeadRow } from '../../../lib/kpi/types';
import { ChartFrame, type Column, countColumn, shareColumn, wordsColumn } from './ChartFrame';
import type { ChartProps } from './Charts';
import { formatCount, formatShare } from './format';
import { scale, shareAxisMax } from './svg';

const UI = textTable({
  ja: {
    title: '初回コンタクトの速さ別の SQL 化率・受注率（自社データ）',
    band: '初回コンタクトまで',
    mqls: 'MQL 数',
    sqls: 'SQL 数',
    won: '受注数',
    sqlRate: 'SQL 化率（SQL 数 / MQL 数）',
    winRate: '受注率（受注数 / MQL 数）',
    none: 'この期間の MQL はありません',
  },
  en: {
    title: 'SQL and win rates by speed to first contact (your own data)',
    band: 'Time to first contact',
    mqls: 'MQLs',
    sqls: 'SQLs',
    won: 'Won',
    sqlRate: 'SQL rate (SQLs / MQLs)',
    winRate: 'Win rate (won / MQLs)',
    none: 'No MQLs in this period',
  },
});

const W = 640;

/** Pairs of bars per band: what answering fast has been worth to this team, with the counts behind it. */
export function SpeedToLeadChart({ lang, report, period }: ChartProps) {
  const rows = report.speedToLead;
  const columns: Column<SpeedToLeadRow>[] = [
    wordsColumn(UI.band, (r) => r.label[lang]),
    countColumn(UI.mqls, (r) => r.mqls, lang),
    countColumn(UI.sqls, (r) => r.sqls, lang),
    countColumn(UI.won, (r) => r.won, lang),
    shareColumn(UI.sqlRate, (r) => r.sqlRate, lang),
    shareColumn(UI.winRate, (r) => r.winRate, lang),
  ];
  const total = rows.reduce((n, r) => n + r.mqls, 0);
  const row = 44;
  const labelW = 150;
  const H = rows.length * row + 8;
  const top = shareAxisMax(
    rows.flatMap((r) => [r.sqlRate, r.winRate]),
    { max: 0 },
  );
  const x = scale(0, top, 0, W - labelW - 190);
  return (
    <ChartFrame
      lang={lang}
      title={UI.title}
      slug="speed-to-lead"
      period={period}
      rows={rows}
      columns={columns}
      nothing={total === 0 ? UI.none : null}
    >
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={UI.title[lang]}>
        {rows.map((r, i) => (
          <g key={r.band} data-band={r.band} transform={`translate(0, ${i * row + 4})`}>
            <text className="bar-label" x={labelW - 8} y={row / 2 + 2} textAnchor="end">
              {`${r.label[lang]} (${formatCount(r.mqls, lang)})`}
            </text>
            <rect className="bar speed-sql" x={labelW} y={4} height={16} width={x(r.sqlRate ?? 0)}>
              <title>{`${r.label[lang]}: ${UI.sqlRate[lang]} ${formatShare(r.sqlRate, lang)}`}</title>
            </rect>
            <text className="bar-value" x={labelW + x(r.sqlRate ?? 0) + 6} y={17}>
              {`SQL ${formatShare(r.sqlRate, lang)}`}
            </text>
            <rect className="bar speed-won" x={labelW} y={22} height={16} width={x(r.winRate ?? 0)}>
              <title>{`${r.label[lang]}: ${UI.winRate[lang]} ${formatShare(r.winRate, lang)}`}</title>
            </rect>
            <text className="bar-value" x={labelW + x(r.winRate ?? 0) + 6} y={35}>
              {`${UI.won[lang]} ${formatShare(r.winRate, lang)}`}
            </text>
          </g>
        ))}
      </svg>
    </ChartFrame>
  );
}
