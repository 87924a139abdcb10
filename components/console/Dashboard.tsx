import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Role, RuleVersion } from '../../lib/events';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import type { KpiReport, LeadFigure } from '../../lib/kpi/types';
import type { RuleSet } from '../../lib/rules';
import type { ConsoleApi } from './console-api';
import { Breakdown } from './dashboard/Breakdown';
import { ComplianceChart, FunnelChart, HistogramChart, ReasonsChart, TrendChart } from './dashboard/Charts';
import { Headline } from './dashboard/Headline';
import { LeadsBehind } from './dashboard/LeadsBehind';
import { OutcomesImport } from './dashboard/OutcomesImport';
import { PeriodPicker } from './dashboard/PeriodPicker';
import { addDays, type Period, periodFromHash, periodToHash, resolvePeriod } from './dashboard/period';
import { ScoringReviewPanel } from './dashboard/ScoringReview';
import { SpeedToLeadChart } from './dashboard/SpeedToLead';
import { WhatIf } from './dashboard/WhatIf';
import { describeError } from './errors';
import { Notice } from './Notice';

const UI = textTable({
  ja: {
    title: 'ダッシュボード',
    loading: 'KPI を集計中…',
    empty:
      'この期間の引き渡し（MQL）はありません。期間を広げるか、拡張機能が引き渡しを記録しているか確認してください',
    noEndpoint:
      'KPI はエンドポイントが記録したイベントから集計します。設定ページでエンドポイントの URL とトークンを入力してください',
    repRefused:
      '営業担当のトークンではダッシュボードを見られません。マネージャー・マーケティング担当・管理者のトークンを使ってください',
    charts: 'グラフ',
  },
  en: {
    title: 'Dashboard',
    loading: 'Computing the KPIs…',
    empty: 'No handoffs in this period. Widen the period, or check that the extension is recording handoffs',
    noEndpoint:
      'KPIs are computed from the events the endpoint recorded: enter its URL and a token on the options page',
    repRefused: "A rep token cannot see the dashboard: use a manager's, a marketer's or an admin's token",
    charts: 'Charts',
  },
});

export interface DashboardProps {
  lang: Lang;
  api: Pick<
    ConsoleApi,
    'kpis' | 'kpiLeads' | 'whatIf' | 'scoringReview' | 'importOutcomes' | 'version' | 'now'
  >;
  /** The page's hash at load: the period survives a reload there. */
  initialHash: string;
  /** Whether the tab is shown: only then does the period go into the URL. */
  visible: boolean;
  /** The rule set's zone: "last 4 weeks" ends today where the team works. */
  timeZone: string;
  /** Null: no endpoint is set. */
  endpoint: { url: string } | null;
  /** Who the token acts as; null when the endpoint could not say. */
  signedInRole: Role | null;
  activeRules: RuleSet;
  drafts: RuleVersion[];
  /** Why the signed-in role may not propose a draft, when it may not. */
  refusal: LocalizedText | undefined;
  proposeDraft(rules: RuleSet, note: string): Promise<RuleVersion>;
}

/** The review half of the SLA cycle: how the handoff went over a period, and what a threshold change would do. */
export function Dashboard(props: DashboardProps) {
  const { lang, api, timeZone, visible } = props;
  const [period, setPeriod] = useState<Period>(() => periodFromHash(props.initialHash));
  const query = useMemo(() => resolvePeriod(period, timeZone, api.now()), [period, timeZone, api]);
  const dates = { from: query.from, until: addDays(query.to, -1) };
  const [report, setReport] = useState<KpiReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<LocalizedText | null>(null);
  const asked = useRef(0);
  const refused = props.signedInRole === 'rep';
  // The count whose leads are listed; a new period closes the list (its leads are another period's).
  const [opened, setOpened] = useState<LeadFigure | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the period is what closes it
  useEffect(() => setOpened(null), [query.from, query.to]);
  const openLeads = api.kpiLeads ? setOpened : undefined;

  // The period lives in the URL while the tab is shown; leaving the tab drops it, so a reload there
  // opens where the user was rather than the dashboard.
  useEffect(() => {
    const { pathname, search, hash } = window.location;
    if (visible) window.history.replaceState(null, '', periodToHash(period));
    else if (hash.startsWith('#dashboard')) window.history.replaceState(null, '', `${pathname}${search}`);
  }, [visible, period]);

  const load = useCallback(async () => {
    if (!props.endpoint || refused) return;
    const id = ++asked.current;
    setLoading(true);
    setError(null);
    try {
      const answer = await api.kpis({ from: query.from, to: query.to, bandWidth: 10 });
      if (id === asked.current) setReport(answer);
    } catch (e) {
      if (id !== asked.current) return;
      setError(describeError(e, UI.repRefused));
    } finally {
      if (id === asked.current) setLoading(false);
    }
  }, [api, query.from, query.to, props.endpoint, refused]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="dashboard" aria-busy={loading}>
      <h2 className="visually-hidden">{UI.title[lang]}</h2>
      <PeriodPicker lang={lang} period={period} resolved={query} onChange={setPeriod} />
      {!props.endpoint ? (
        <p role="note">{UI.noEndpoint[lang]}</p>
      ) : refused ? (
        <p role="note" className="refused">
          {UI.repRefused[lang]}
        </p>
      ) : (
        <>
          <Notice lang={lang} role="alert" text={error} />
          {loading ? (
            <p aria-busy="true" className="loading">
              {UI.loading[lang]}
            </p>
          ) : null}
          {report && !loading && report.totals.mqls === 0 ? (
            <p className="empty" data-testid="dashboard-empty">
              {UI.empty[lang]}
            </p>
          ) : null}
          {report && report.totals.mqls > 0 ? (
            <>
              <Headline lang={lang} report={report} onOpenLeads={openLeads} />
              {opened && api.kpiLeads ? (
                <LeadsBehind
                  lang={lang}
                  figure={opened}
                  query={query}
                  period={dates}
                  timeZone={timeZone}
                  kpiLeads={api.kpiLeads}
                  onClose={() => setOpened(null)}
                />
              ) : null}
              <section aria-labelledby="charts-title">
                <h3 id="charts-title">{UI.charts[lang]}</h3>
                <div className="charts-grid">
                  <TrendChart lang={lang} report={report} period={dates} />
                  <FunnelChart lang={lang} report={report} period={dates} onOpenLeads={openLeads} />
                  <HistogramChart lang={lang} report={report} period={dates} />
                  <SpeedToLeadChart lang={lang} report={report} period={dates} />
                  <ReasonsChart lang={lang} report={report} period={dates} />
                  <ComplianceChart lang={lang} report={report} period={dates} />
                </div>
              </section>
              <Breakdown lang={lang} report={report} period={dates} />
            </>
          ) : null}
          {report ? (
            <WhatIf
              lang={lang}
              whatIf={api.whatIf}
              version={api.version}
              query={query}
              period={dates}
              activeRules={props.activeRules}
              drafts={props.drafts}
              refusal={props.refusal}
              proposeDraft={props.proposeDraft}
            />
          ) : null}
          {report ? (
            <ScoringReviewPanel
              lang={lang}
              query={query}
              scoringReview={api.scoringReview}
              activeRules={props.activeRules}
              refusal={props.refusal}
              proposeDraft={props.proposeDraft}
            />
          ) : null}
          <OutcomesImport lang={lang} importOutcomes={api.importOutcomes} onImported={() => void load()} />
        </>
      )}
    </div>
  );
}
