import { useEffect, useRef, useState } from 'react';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import { CRM_NAMES, FUNNEL_LABELS } from '../../../lib/kpi/labels';
import { FIGURE_LABELS } from '../../../lib/kpi/leads';
import type { KpiLeadsQuery, KpiLeadsReport, LeadBehind, LeadFigure } from '../../../lib/kpi/types';
import { describeError } from '../errors';
import { Notice } from '../Notice';
import { ChartFrame, type Column, RowsTable, wordsColumn } from './ChartFrame';
import { type PeriodDates, VERDICT } from './Charts';
import { formatCount } from './format';

const UI = textTable({
  ja: {
    loading: 'リードを読み込み中…',
    close: '一覧を閉じる',
    lead: 'リード（CRM で開く）',
    crm: 'CRM',
    owner: '担当者',
    score: 'スコア',
    handoff: '引き渡し',
    due: '期限',
    contact: '初回コンタクト',
    verdict: '営業の判定',
    reason: '理由',
    link: 'CRM のページ',
    noOwner: '担当者不明',
    none: 'この件数に当たるリードはありません',
  },
  en: {
    loading: 'Loading the leads…',
    close: 'Close the list',
    lead: 'Lead (opens in the CRM)',
    crm: 'CRM',
    owner: 'Owner',
    score: 'Score',
    handoff: 'Handed over',
    due: 'Due',
    contact: 'First contact',
    verdict: 'Sales’ verdict',
    reason: 'Reason',
    link: 'CRM page',
    noOwner: 'No owner',
    none: 'No lead behind this count',
  },
});

function verdictText(lead: LeadBehind, lang: Lang): string {
  if (lead.verdict === null) return '—';
  return lead.verdict === 'accept_sql' ? FUNNEL_LABELS.sql[lang] : VERDICT[lead.verdict][lang];
}

/** The record id as the CRM shows it: the last part of the lead key ("salesforce:Lead:00Q…" → "00Q…"). */
const recordIdOf = (leadKey: string) => leadKey.split(':').slice(2).join(':');

/** Only web addresses are links: a stored address is page data and never becomes a script URL. */
const safeLink = (url: string | null) => (url !== null && /^https:\/\//i.test(url) ? url : null);

export interface LeadsBehindProps {
  lang: Lang;
  figure: LeadFigure;
  query: { from: string; to: string };
  period: PeriodDates;
  /** The team's zone: times read as the team's clocks show them. */
  timeZone: string;
  kpiLeads(query: KpiLeadsQuery): Promise<KpiLeadsReport>;
  onClose(): void;
}

/** The leads behind a count of the dashboard, each linked to its CRM page, exportable as CSV. */
export function LeadsBehind(props: LeadsBehindProps) {
  const { lang, figure, query, timeZone } = props;
  const [report, setReport] = useState<KpiLeadsReport | null>(null);
  const [error, setError] = useState<LocalizedText | null>(null);
  const heading = useRef<HTMLDivElement>(null);
  const { kpiLeads } = props;

  useEffect(() => {
    let current = true;
    setReport(null);
    setError(null);
    kpiLeads({ from: query.from, to: query.to, figure }).then(
      (answer) => {
        if (current) setReport(answer);
      },
      (e: unknown) => {
        if (current) setError(describeError(e));
      },
    );
    return () => {
      current = false;
    };
  }, [kpiLeads, query.from, query.to, figure]);

  // The list opens where the user clicked a count: focus moves to it so a keyboard user is there too.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const time = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const at = (iso: string | null) => (iso === null ? '—' : time.format(Date.parse(iso)));
  const columns: Column<LeadBehind>[] = [
    wordsColumn(UI.lead, (l) => recordIdOf(l.leadKey)),
    wordsColumn(UI.crm, (l) => CRM_NAMES[l.crm]),
    { label: UI.owner, csv: (l) => l.owner, text: (l) => l.owner || UI.noOwner[lang] },
    {
      label: UI.score,
      csv: (l) => l.score,
      text: (l) => (l.score === null ? '—' : formatCount(l.score, lang)),
    },
    { label: UI.handoff, csv: (l) => l.handoffAt, text: (l) => at(l.handoffAt) },
    { label: UI.due, csv: (l) => l.dueAt, text: (l) => at(l.dueAt) },
    { label: UI.contact, csv: (l) => l.firstContactAt, text: (l) => at(l.firstContactAt) },
    {
      label: UI.verdict,
      csv: (l) => (l.verdict === null ? null : verdictText(l, lang)),
      text: (l) => verdictText(l, lang),
    },
    {
      label: UI.reason,
      csv: (l) => l.reasonLabel?.[lang] ?? null,
      text: (l) => l.reasonLabel?.[lang] ?? '—',
    },
    { label: UI.link, csv: (l) => safeLink(l.url), text: (l) => safeLink(l.url) ?? '—', csvOnly: true },
  ];
  const label = report?.label ?? FIGURE_LABELS[figure];
  const title: LocalizedText = {
    ja: `${label.ja}のリード${report ? `（${formatCount(report.total, 'ja')} 件）` : ''}`,
    en: `Leads: ${label.en}${report ? ` (${formatCount(report.total, 'en')})` : ''}`,
  };
  return (
    <div className="leads-behind" data-leads-figure={figure} ref={heading} tabIndex={-1}>
      <ChartFrame
        lang={lang}
        title={title}
        slug={`leads-${figure}`}
        period={props.period}
        rows={report?.leads ?? []}
        columns={columns}
        table={false}
      >
        <button type="button" onClick={props.onClose}>
          {UI.close[lang]}
        </button>
        <Notice lang={lang} role="alert" text={error} />
        {!report && !error ? <p aria-busy="true">{UI.loading[lang]}</p> : null}
        {report && report.total > report.leads.length ? (
          <p role="note">
            {lang === 'ja'
              ? `${formatCount(report.total, lang)} 件のうち、急ぐものから ${formatCount(report.leads.length, lang)} 件を表示しています（CSV も同じ件数です）`
              : `Showing the ${formatCount(report.leads.length, lang)} most urgent of ${formatCount(report.total, lang)} (the CSV holds the same)`}
          </p>
        ) : null}
        {report && report.leads.length === 0 ? <p>{UI.none[lang]}</p> : null}
        {report && report.leads.length > 0 ? (
          <div className="table-scroll">
            <RowsTable
              lang={lang}
              columns={columns}
              rows={report.leads}
              className="kpi-table leads-table"
              rowKey={(l) => l.leadKey}
              rowAttributes={(l) => ({ 'data-lead': l.leadKey })}
              rowHeader={(l, text) => {
                const link = safeLink(l.url);
                return link ? (
                  <a href={link} target="_blank" rel="noopener noreferrer">
                    {text}
                  </a>
                ) : (
                  text
                );
              }}
            />
          </div>
        ) : null}
      </ChartFrame>
    </div>
  );
}
