import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RuleVersion } from '../../../lib/events';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import type { ThresholdPoint, WhatIfQuery, WhatIfReport } from '../../../lib/kpi/types';
import { formatPath } from '../../../lib/problems';
import { type RuleSet, validateRuleSet } from '../../../lib/rules';
import { describeError } from '../errors';
import { Notice } from '../Notice';
import { REP_CANNOT_WRITE_RULES } from '../roles';
import { ChartFrame, type Column, countColumn, shareColumn } from './ChartFrame';
import type { PeriodDates } from './Charts';
import { formatCount, formatShare } from './format';
import { linePath, niceMax, scale, shareAxisMax } from './svg';

const UI = textTable({
  ja: {
    title: '閾値の見直し',
    intro:
      '記録された MQL の履歴を別の閾値（または下書きのルール）で再生し、MQL 数・転換率・失う SQL・対応負荷を予測します',
    threshold: '試す閾値（合計点）',
    current: '現在',
    capacity: '週あたりの対応可能件数（任意）',
    draft: '再生に使うルール',
    activeRules: '有効なルール',
    draftVersion: '下書き バージョン',
    run: '予測する',
    loading: '再生中…',
    badThreshold: '閾値は整数で入力してください',
    badCapacity: '対応可能件数は 0 より大きい数で入力してください',
    entered: '入力した閾値',
    suggested: '提案',
    measure: '項目',
    thresholdRow: '閾値',
    mqlsPerWeek: '予測 MQL 数 / 週',
    sqlRate: '予測 MQL→SQL 転換率',
    sqlsKept: '残る SQL',
    sqlsLost: '失う SQL',
    load: '対応負荷（対応可能件数に対して）',
    withinTarget: '目標帯に入るか',
    yes: 'はい',
    no: 'いいえ',
    noCapacity: '対応可能件数を入れると比較できます',
    over: '対応可能件数を超えます',
    under: '対応可能件数の範囲内',
    curve: '閾値ごとの予測',
    noSuggestion: '記録の範囲では、目標帯に入る閾値はありません',
    create: 'この閾値で下書きを作成',
    created: '下書きを作成しました: バージョン',
    note: '閾値の見直し',
    target: '目標帯',
    points: '点',
  },
  en: {
    title: 'Threshold review',
    intro:
      'Replays the recorded MQL history against another threshold (or a draft rule set): predicted MQLs, conversion, SQLs lost and the team’s load',
    threshold: 'Threshold to try (total points)',
    current: 'Current',
    capacity: 'Contacts the team can make per week (optional)',
    draft: 'Replay against',
    activeRules: 'The active rules',
    draftVersion: 'Draft version',
    run: 'Predict',
    loading: 'Replaying…',
    badThreshold: 'Enter the threshold as a whole number',
    badCapacity: 'Enter the capacity as a number above 0',
    entered: 'Entered',
    suggested: 'Suggested',
    measure: 'Measure',
    thresholdRow: 'Threshold',
    mqlsPerWeek: 'Predicted MQLs per week',
    sqlRate: 'Predicted MQL→SQL',
    sqlsKept: 'SQLs kept',
    sqlsLost: 'SQLs lost',
    load: 'Load against capacity',
    withinTarget: 'Within the target band',
    yes: 'Yes',
    no: 'No',
    noCapacity: 'enter a capacity to compare',
    over: 'over capacity',
    under: 'within capacity',
    curve: 'Prediction by threshold',
    noSuggestion: 'No threshold within the recorded evidence meets the target band',
    create: 'Create a draft with this threshold',
    created: 'Created draft version',
    note: 'Threshold review',
    target: 'Target band',
    points: 'points',
  },
});

export interface WhatIfProps {
  lang: Lang;
  whatIf(query: WhatIfQuery): Promise<WhatIfReport>;
  version(version: number): Promise<RuleVersion>;
  query: { from: string; to: string };
  period: PeriodDates;
  activeRules: RuleSet;
  /** Versions awaiting sign-off: the what-if can replay against one of them. */
  drafts: RuleVersion[];
  /** Why the signed-in role may not propose, when it may not. */
  refusal: LocalizedText | undefined;
  /** Proposes through the agreement flow; the console moves to the Agreement tab afterwards. */
  proposeDraft(rules: RuleSet, note: string): Promise<RuleVersion>;
}

function loadText(point: ThresholdPoint, lang: Lang): string {
  if (point.load === null) return `— (${UI.noCapacity[lang]})`;
  return `${formatShare(point.load, lang)} (${point.load > 1 ? UI.over[lang] : UI.under[lang]})`;
}

/** The curve: MQL→SQL as a line (target band shaded), MQLs per week as bars, current and suggested marked. */
function Curve({ lang, report }: { lang: Lang; report: WhatIfReport }) {
  const W = 640;
  const H = 290;
  // Room above the plot for the legend and up to three labelled marks, one line each.
  const m = { l: 44, r: 52, t: 64, b: 40 };
  const points = report.curve;
  if (points.length === 0) return null;
  const t0 = points[0]!.threshold;
  const t1 = points[points.length - 1]!.threshold;
  const x = scale(t0, t1 === t0 ? t0 + 1 : t1, m.l, W - m.r);
  const rateMax = shareAxisMax(
    points.map((p) => p.sqlRate),
    report.target,
  );
  const yRate = scale(0, rateMax, H - m.b, m.t);
  const volMax = niceMax(Math.max(0, ...points.map((p) => p.mqlsPerWeek)));
  const yVol = scale(0, volMax, H - m.b, m.t);
  const barW = Math.max(2, ((W - m.l - m.r) / Math.max(points.length, 1)) * 0.6);
  const marks: { point: ThresholdPoint; label: string; cls: string }[] = [];
  if (report.current) {
    marks.push({
      point: report.current,
      label: `${UI.current[lang]} ${report.current.threshold}`,
      cls: 'current',
    });
  }
  if (report.suggested) {
    marks.push({
      point: report.suggested,
      label: `${UI.suggested[lang]} ${report.suggested.threshold}`,
      cls: 'suggested',
    });
  }
  if (report.proposed && report.proposed.threshold !== report.current?.threshold) {
    marks.push({
      point: report.proposed,
      label: `${UI.entered[lang]} ${report.proposed.threshold}`,
      cls: 'entered',
    });
  }
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-label={UI.curve[lang]}>
      <rect
        className="target-band"
        x={m.l}
        width={W - m.l - m.r}
        y={yRate(report.target.max)}
        height={Math.max(0, yRate(report.target.min) - yRate(report.target.max))}
      />
      <text className="band-label" x={W - m.r - 4} y={yRate(report.target.max) - 4} textAnchor="end">
        {`${UI.target[lang]} ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)}`}
      </text>
      {points.map((p) => (
        <rect
          key={p.threshold}
          className="bar volume"
          x={x(p.threshold) - barW / 2}
          width={barW}
          y={yVol(p.mqlsPerWeek)}
          height={H - m.b - yVol(p.mqlsPerWeek)}
        >
          <title>{`${p.threshold}: ${UI.mqlsPerWeek[lang]} ${formatCount(p.mqlsPerWeek, lang)}, ${UI.sqlRate[lang]} ${formatShare(p.sqlRate, lang)}`}</title>
        </rect>
      ))}
      <path
        className="rate-line"
        d={linePath(
          points.map((p) => (p.sqlRate === null ? null : { x: x(p.threshold), y: yRate(p.sqlRate) })),
        )}
      />
      <line className="axis" x1={m.l} x2={W - m.r} y1={H - m.b} y2={H - m.b} />
      <text className="axis-label" x={m.l} y={H - m.b + 16} textAnchor="middle">
        {t0}
      </text>
      <text className="axis-label" x={W - m.r} y={H - m.b + 16} textAnchor="middle">
        {t1}
      </text>
      <text className="axis-label" x={(m.l + W - m.r) / 2} y={H - 6} textAnchor="middle">
        {`${UI.thresholdRow[lang]} (${UI.points[lang]})`}
      </text>
      <text className="axis-label" x={m.l - 6} y={yRate(rateMax) + 4} textAnchor="end">
        {formatShare(rateMax, lang)}
      </text>
      <text className="axis-label" x={W - m.r + 6} y={yVol(volMax) + 4}>
        {`${formatCount(volMax, lang)}/${lang === 'ja' ? '週' : 'wk'}`}
      </text>
      {marks.map((mark, i) => {
        const px = x(mark.point.threshold);
        const py = mark.point.sqlRate === null ? H - m.b : yRate(mark.point.sqlRate);
        return (
          <g key={mark.cls} className={`mark ${mark.cls}`}>
            <line x1={px} x2={px} y1={26 + i * 13} y2={H - m.b} />
            <circle cx={px} cy={py} r={5} />
            <text
              x={px > W - 120 ? px - 6 : px + 6}
              y={30 + i * 13}
              textAnchor={px > W - 120 ? 'end' : 'start'}
            >
              {mark.label}
            </text>
          </g>
        );
      })}
      <g className="legend" transform={`translate(${m.l}, 12)`}>
        <line className="rate-line" x1={0} x2={20} y1={-4} y2={-4} />
        <text x={24}>{UI.sqlRate[lang]}</text>
        <rect className="bar volume" x={190} width={10} height={10} y={-9} />
        <text x={204}>{UI.mqlsPerWeek[lang]}</text>
      </g>
    </svg>
  );
}

export function WhatIf(props: WhatIfProps) {
  const { lang, query, activeRules, drafts, refusal } = props;
  const [base, setBase] = useState<{ rules: RuleSet; draftVersion: number | null }>({
    rules: activeRules,
    draftVersion: null,
  });
  const [threshold, setThreshold] = useState(String(activeRules.threshold.total));
  const [capacity, setCapacity] = useState('');
  const [report, setReport] = useState<WhatIfReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [created, setCreated] = useState<LocalizedText | null>(null);
  const [creating, setCreating] = useState(false);
  const asked = useRef(0);
  // A new version going live replaces the active rules: the review follows them (threshold, "current"),
  // unless the user is replaying a draft. Compared by content, not identity: the console reloads the same
  // rules after every write, and that must not wipe a threshold being tried.
  const activeKey = useMemo(() => JSON.stringify(activeRules), [activeRules]);
  const shownActive = useRef(activeKey);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only another active version re-bases it
  useEffect(() => {
    if (shownActive.current === activeKey) return;
    shownActive.current = activeKey;
    if (base.draftVersion === null) {
      setBase({ rules: activeRules, draftVersion: null });
      setThreshold(String(activeRules.threshold.total));
    }
  }, [activeKey]);

  const thresholdValue = /^-?\d+$/.test(threshold.trim()) ? Number(threshold) : null;
  const capacityValue = capacity.trim() === '' ? undefined : Number(capacity);
  const capacityBad = capacityValue !== undefined && !(capacityValue > 0);

  const run = useCallback(
    async (q: WhatIfQuery) => {
      const id = ++asked.current;
      setLoading(true);
      setError(null);
      try {
        const answer = await props.whatIf(q);
        if (id === asked.current) setReport(answer);
      } catch (e) {
        if (id === asked.current) setError(describeError(e));
      } finally {
        if (id === asked.current) setLoading(false);
      }
    },
    [props.whatIf],
  );

  const currentQuery = (): WhatIfQuery | null => {
    if (thresholdValue === null || capacityBad) return null;
    return {
      from: query.from,
      to: query.to,
      threshold: thresholdValue,
      ...(capacityValue !== undefined ? { capacityPerWeek: capacityValue } : {}),
      ...(base.draftVersion !== null ? { draftVersion: base.draftVersion } : {}),
    };
  };

  // A new period replays again with what is entered; typing waits for "Predict".
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the period (and the replayed rules) re-run it
  useEffect(() => {
    const q = currentQuery();
    if (q) void run(q);
  }, [query.from, query.to, base, run]);

  const chooseBase = async (value: string) => {
    setCreated(null);
    if (value === '') {
      setBase({ rules: activeRules, draftVersion: null });
      setThreshold(String(activeRules.threshold.total));
      return;
    }
    try {
      const entry = await props.version(Number(value));
      const parsed = validateRuleSet(entry.rules);
      if (!parsed.ok) {
        const first = parsed.problems[0]!;
        const where = formatPath(first.path);
        setError({
          ja: `バージョン ${value} のルールは検証を通りません（${where}: ${first.message.ja}）`,
          en: `Version ${value}'s rules do not validate (${where}: ${first.message.en})`,
        });
        return;
      }
      setBase({ rules: parsed.value, draftVersion: Number(value) });
      setThreshold(String(parsed.value.threshold.total));
    } catch (e) {
      setError(describeError(e));
    }
  };

  const createDraft = async (value: number) => {
    setCreating(true);
    setError(null);
    setCreated(null);
    try {
      const rules: RuleSet = structuredClone(base.rules);
      const from = rules.threshold.total;
      rules.threshold.total = value;
      const note = `${UI.note[lang]}: ${from} → ${value} (what-if)`;
      const v = await props.proposeDraft(rules, note);
      setCreated({ ja: `${UI.created.ja} ${v.version}`, en: `${UI.created.en} ${v.version}` });
    } catch (e) {
      setError(describeError(e, REP_CANNOT_WRITE_RULES));
    } finally {
      setCreating(false);
    }
  };

  const columns: Column<ThresholdPoint>[] = [
    { label: UI.thresholdRow, csv: (p) => p.threshold, text: (p) => String(p.threshold) },
    {
      label: UI.mqlsPerWeek,
      csv: (p) => Math.round(p.mqlsPerWeek * 10) / 10,
      text: (p) => formatCount(p.mqlsPerWeek, lang),
    },
    shareColumn(UI.sqlRate, (p) => p.sqlRate, lang),
    countColumn(UI.sqlsKept, (p) => p.sqlsKept, lang),
    countColumn(UI.sqlsLost, (p) => p.sqlsLost, lang),
    {
      label: UI.withinTarget,
      csv: (p) => (p.withinTarget ? 1 : 0),
      text: (p) => (p.withinTarget ? UI.yes[lang] : UI.no[lang]),
    },
  ];

  const compared: { id: string; title: string; point: ThresholdPoint }[] = report
    ? [
        ...(report.current ? [{ id: 'current', title: UI.current[lang], point: report.current }] : []),
        ...(report.proposed && report.proposed.threshold !== report.current?.threshold
          ? [{ id: 'entered', title: UI.entered[lang], point: report.proposed }]
          : []),
        ...(report.suggested
          ? [{ id: 'suggested', title: UI.suggested[lang], point: report.suggested }]
          : []),
      ]
    : [];
  const rows: { label: LocalizedText; text: (p: ThresholdPoint) => string }[] = [
    { label: UI.thresholdRow, text: (p) => String(p.threshold) },
    { label: UI.mqlsPerWeek, text: (p) => formatCount(p.mqlsPerWeek, lang) },
    { label: UI.sqlRate, text: (p) => formatShare(p.sqlRate, lang) },
    { label: UI.sqlsKept, text: (p) => formatCount(p.sqlsKept, lang) },
    { label: UI.sqlsLost, text: (p) => formatCount(p.sqlsLost, lang) },
    { label: UI.load, text: (p) => loadText(p, lang) },
    { label: UI.withinTarget, text: (p) => (p.withinTarget ? UI.yes[lang] : UI.no[lang]) },
  ];
  const draftTargets: number[] = [];
  if (report?.suggested) draftTargets.push(report.suggested.threshold);
  // A threshold the review refused to predict is not offered as a draft beside the refusal.
  if (
    thresholdValue !== null &&
    thresholdValue !== base.rules.threshold.total &&
    !draftTargets.includes(thresholdValue) &&
    report?.refused.proposed?.threshold !== thresholdValue
  )
    draftTargets.push(thresholdValue);

  return (
    <section className="whatif" aria-labelledby="whatif-title" aria-busy={loading}>
      <h3 id="whatif-title">{UI.title[lang]}</h3>
      <p>{UI.intro[lang]}</p>
      <form
        className="whatif-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          const q = currentQuery();
          if (q) void run(q);
        }}
      >
        <div className="field">
          <label htmlFor="whatif-threshold">{UI.threshold[lang]}</label>
          <input
            id="whatif-threshold"
            type="number"
            step={1}
            value={threshold}
            aria-invalid={thresholdValue === null}
            aria-describedby="whatif-threshold-current"
            onChange={(e) => setThreshold(e.target.value)}
          />
          <small id="whatif-threshold-current">
            {UI.current[lang]}: {base.rules.threshold.total}
          </small>
          {thresholdValue === null ? <span role="alert">{UI.badThreshold[lang]}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="whatif-capacity">{UI.capacity[lang]}</label>
          <input
            id="whatif-capacity"
            type="number"
            min={1}
            step="any"
            value={capacity}
            aria-invalid={capacityBad}
            onChange={(e) => setCapacity(e.target.value)}
          />
          {capacityBad ? <span role="alert">{UI.badCapacity[lang]}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="whatif-draft">{UI.draft[lang]}</label>
          <select
            id="whatif-draft"
            value={base.draftVersion === null ? '' : String(base.draftVersion)}
            onChange={(e) => void chooseBase(e.target.value)}
          >
            <option value="">{UI.activeRules[lang]}</option>
            {drafts.map((d) => (
              <option key={d.version} value={String(d.version)}>
                {`${UI.draftVersion[lang]} ${d.version}${d.note ? ` · ${d.note.slice(0, 60)}` : ''}`}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={loading || thresholdValue === null || capacityBad}>
          {UI.run[lang]}
        </button>
      </form>

      <Notice lang={lang} role="alert" text={error} />
      <Notice lang={lang} role="status" text={created} />
      {loading && !report ? <p aria-busy="true">{UI.loading[lang]}</p> : null}
      {report
        ? [report.refused.proposed, report.refused.current]
            .filter((r, i, all) => r !== null && (i === 0 || r.threshold !== all[0]?.threshold))
            .map((r) => (
              <p key={r!.threshold} role="alert" className="refused" data-refused={r!.reason}>
                {r!.message[lang]}
              </p>
            ))
        : null}

      {report ? (
        <>
          <table className="whatif-compare kpi-table">
            <caption>{UI.title[lang]}</caption>
            <thead>
              <tr>
                <th scope="col">{UI.measure[lang]}</th>
                {compared.map((c) => (
                  <th key={c.id} scope="col" data-point={c.id}>
                    {c.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label.en}>
                  <th scope="row">{r.label[lang]}</th>
                  {compared.map((c) => (
                    <td key={c.id} data-point={c.id}>
                      {r.text(c.point)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="suggestion" role="status" data-testid="whatif-suggestion">
            {report.suggested
              ? lang === 'ja'
                ? `提案する閾値: ${report.suggested.threshold} 点（目標帯 ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)} に入り、残る SQL が最も多い）。予測 MQL→SQL ${formatShare(report.suggested.sqlRate, lang)}、MQL ${formatCount(report.suggested.mqlsPerWeek, lang)} 件/週、失う SQL ${formatCount(report.suggested.sqlsLost, lang)} 件`
                : `Suggested threshold: ${report.suggested.threshold} points (meets the target band ${formatShare(report.target.min, lang)}–${formatShare(report.target.max, lang)} with the most SQLs kept). Predicted MQL→SQL ${formatShare(report.suggested.sqlRate, lang)}, ${formatCount(report.suggested.mqlsPerWeek, lang)} MQLs per week, ${formatCount(report.suggested.sqlsLost, lang)} SQLs lost`
              : UI.noSuggestion[lang]}
          </p>
          <ChartFrame
            lang={lang}
            title={UI.curve}
            slug="whatif"
            period={props.period}
            rows={report.curve}
            columns={columns}
            note={
              <p className="evidence">
                {report.evidenceFrom !== null
                  ? lang === 'ja'
                    ? `${report.evidenceFrom} 点未満ではスコアで引き渡されたリードがないため、曲線はそこで終わります。`
                    : `Below ${report.evidenceFrom} points nothing was handed over by score, so the curve stops there. `
                  : ''}
                {lang === 'ja'
                  ? `${formatCount(report.weeks, lang)} 週間の ${formatCount(report.replayed, lang)} 件を再生（うち ${formatCount(report.unscored, lang)} 件はトリガーか手動の引き渡しでスコアがなく、そのまま数えています）`
                  : `Replayed ${formatCount(report.replayed, lang)} handoffs over ${formatCount(report.weeks, lang)} weeks (${formatCount(report.unscored, lang)} handed over by a trigger or by hand have no score and are kept as they were)`}
              </p>
            }
          >
            <Curve lang={lang} report={report} />
          </ChartFrame>
          <div className="whatif-actions">
            {refusal ? (
              <p id="whatif-refused" role="note" className="refused">
                {refusal[lang]}
              </p>
            ) : null}
            {draftTargets.map((value) => (
              <button
                key={value}
                type="button"
                disabled={creating || refusal !== undefined}
                aria-describedby={refusal ? 'whatif-refused' : undefined}
                onClick={() => void createDraft(value)}
              >
                {`${UI.create[lang]}: ${value}`}
              </button>
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
