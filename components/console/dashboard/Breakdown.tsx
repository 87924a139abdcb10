import { useState } from 'react';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import type { BreakdownDimension, BreakdownRow } from '../../../lib/kpi/types';
import { ChartFrame, type Column, countColumn, RowsTable, shareColumn } from './ChartFrame';
import type { ChartProps } from './Charts';
import { formatDuration } from './format';

export const DIMENSIONS: { id: BreakdownDimension; label: LocalizedText }[] = [
  { id: 'rulesVersion', label: { ja: 'ルールのバージョン', en: 'Rule version' } },
  { id: 'owner', label: { ja: '担当者', en: 'Owner' } },
  { id: 'crm', label: { ja: 'CRM', en: 'CRM' } },
  { id: 'reason', label: { ja: 'トリガーかスコアか', en: 'Trigger vs score' } },
  { id: 'fitGrade', label: { ja: '属性のランク', en: 'Fit grade' } },
  { id: 'scoreBand', label: { ja: 'スコア帯', en: 'Score band' } },
];

const UI = textTable({
  ja: {
    title: '内訳',
    by: '内訳の軸',
    empty: 'この軸の行はありません',
  },
  en: {
    title: 'Breakdown',
    by: 'Break down by',
    empty: 'No rows for this dimension',
  },
});

function measureColumns(lang: Lang): Column<BreakdownRow>[] {
  const count = (label: LocalizedText, pick: (r: BreakdownRow) => number) => countColumn(label, pick, lang);
  const share = (label: LocalizedText, pick: (r: BreakdownRow) => number | null) =>
    shareColumn(label, pick, lang);
  return [
    count({ ja: 'MQL 数', en: 'MQLs' }, (r) => r.measures.mqls),
    count({ ja: '判定あり', en: 'With a verdict' }, (r) => r.measures.withVerdict),
    count({ ja: 'SQL 数', en: 'SQLs' }, (r) => r.measures.acceptedSql),
    share(
      { ja: 'MQL→SQL（判定ありのうち）', en: 'MQL→SQL (of verdicts)' },
      (r) => r.measures.sqlRateOfVerdicts,
    ),
    share({ ja: 'MQL→SQL（全 MQL）', en: 'MQL→SQL (of all)' }, (r) => r.measures.sqlRateOfMqls),
    share({ ja: 'SLA 内コンタクト', en: 'Contact within SLA' }, (r) => r.measures.contactWithinSlaRate),
    {
      label: { ja: 'コンタクトまで中央値（営業時間・分）', en: 'Median to contact (business, min)' },
      csv: (r) =>
        r.measures.timeToContact.businessMedianMs === null
          ? null
          : Math.round(r.measures.timeToContact.businessMedianMs / 60_000),
      text: (r) => formatDuration(r.measures.timeToContact.businessMedianMs, lang),
    },
    count({ ja: '現在の期限超過', en: 'Overdue now' }, (r) => r.measures.overdueNow),
    count({ ja: '商談', en: 'Opportunities' }, (r) => r.measures.opportunities),
    share({ ja: '商談化率（SQL→商談）', en: 'SQL→opportunity' }, (r) => r.measures.opportunityRate),
    share({ ja: '受注率（商談→受注）', en: 'Opportunity→won' }, (r) => r.measures.winRate),
  ];
}

/** Every measure per group of one dimension, as a table (it is read, not looked at). */
export function Breakdown({ lang, report, period }: ChartProps) {
  const [dimension, setDimension] = useState<BreakdownDimension>('rulesVersion');
  const rows = report.breakdowns[dimension];
  const dim = DIMENSIONS.find((d) => d.id === dimension)!;
  const columns: Column<BreakdownRow>[] = [
    { label: dim.label, csv: (r) => r.label[lang], text: (r) => r.label[lang] },
    ...measureColumns(lang),
  ];
  return (
    <section className="breakdown" aria-labelledby="breakdown-title">
      <h3 id="breakdown-title">{UI.title[lang]}</h3>
      <div className="field">
        <label htmlFor="breakdown-dimension">{UI.by[lang]}</label>
        <select
          id="breakdown-dimension"
          value={dimension}
          onChange={(e) => setDimension(e.target.value as BreakdownDimension)}
        >
          {DIMENSIONS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label[lang]}
            </option>
          ))}
        </select>
      </div>
      <ChartFrame
        lang={lang}
        title={{
          ja: `${UI.title.ja}: ${dim.label.ja}`,
          en: `${UI.title.en} by ${dim.label.en.toLowerCase()}`,
        }}
        slug={`breakdown-${dimension}`}
        period={period}
        rows={rows}
        columns={columns}
        table={false}
      >
        {rows.length === 0 ? (
          <p>{UI.empty[lang]}</p>
        ) : (
          <div className="table-scroll">
            <RowsTable
              lang={lang}
              columns={columns}
              rows={rows}
              className="breakdown-table kpi-table"
              attributes={{ 'data-dimension': dimension }}
              rowKey={(r) => r.key}
              rowAttributes={(r) => ({ 'data-key': r.key })}
            />
          </div>
        )}
      </ChartFrame>
    </section>
  );
}
