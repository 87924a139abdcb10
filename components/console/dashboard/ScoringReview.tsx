import { useEffect, useState } from 'react';
import type { RuleVersion } from '../../../lib/events';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import type { ScoringReview, ScoringReviewRow } from '../../../lib/kpi/scoring-review';
import { withPoints } from '../../../lib/kpi/scoring-review';
import type { KpiQuery } from '../../../lib/kpi/types';
import type { RuleSet } from '../../../lib/rules';
import { ColumnHeads } from '../../ColumnHeads';
import { describeError } from '../errors';
import { Notice } from '../Notice';
import { formatCount, formatShare } from './format';

const UI = textTable({
  ja: {
    title: 'スコアリングの見直し（成果から）',
    note: 'スコアリングの見直し',
    liftInNote: 'リフト',
    intro:
      '各ルールが MQL・SQL・受注のうち何割で加点したか。リフト = SQL での割合 ÷ MQL での割合（1 より大きいほど商談につながるリードを示す）。提案は話し合いの出発点です。',
    population: '対象',
    unexplained: '内訳の記録がない MQL（対象外）',
    rule: 'ルール',
    points: '現在の点数',
    ofMqls: 'MQL での割合',
    ofSqls: 'SQL での割合',
    ofWon: '受注での割合',
    lift: 'リフト',
    suggested: '提案',
    whatIf: '適用した場合（現在の閾値）',
    draft: '下書きにする',
    none: '—',
    noData: 'この期間には内訳の記録がある MQL がありません',
    created: '下書きを作成しました（合意タブ）',
  },
  en: {
    title: 'Scoring review from outcomes',
    note: 'Scoring review',
    liftInNote: 'lift',
    intro:
      'How often each rule scored among MQLs, SQLs and wins. Lift = its share among SQLs ÷ its share among MQLs (above 1: it marks leads that convert better). Suggestions are a starting point for the review meeting.',
    population: 'Reviewed',
    unexplained: 'MQLs without a recorded explanation (left out)',
    rule: 'Rule',
    points: 'Points now',
    ofMqls: 'Share of MQLs',
    ofSqls: 'Share of SQLs',
    ofWon: 'Share of wins',
    lift: 'Lift',
    suggested: 'Suggested',
    whatIf: 'If applied (current threshold)',
    draft: 'Make a draft',
    none: '—',
    noData: 'No MQL with a recorded explanation in this period',
    created: 'Draft created (Agreement tab)',
  },
});

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function ScoringReviewPanel(props: {
  lang: Lang;
  query: KpiQuery;
  scoringReview(query: KpiQuery): Promise<ScoringReview>;
  activeRules: RuleSet;
  refusal: LocalizedText | undefined;
  proposeDraft(rules: RuleSet, note: string): Promise<RuleVersion>;
}) {
  const { lang, query, activeRules, refusal } = props;
  const [review, setReview] = useState<ScoringReview | null>(null);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fetchReview = props.scoringReview;

  useEffect(() => {
    let current = true;
    setError(null);
    fetchReview({ from: query.from, to: query.to }).then(
      (r) => current && setReview(r),
      (e: unknown) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [fetchReview, query.from, query.to]);

  const makeDraft = async (row: ScoringReviewRow) => {
    if (row.suggestedPoints === null) return;
    setBusy(row.ruleId);
    setError(null);
    try {
      const rules = withPoints(activeRules, row.kind, row.ruleId, row.suggestedPoints);
      // The note is read in the version history by whoever signs: in the language of the one who drafts.
      const note = `${UI.note[lang]}: ${row.label[lang]} ${signed(row.points)} → ${signed(row.suggestedPoints)} (${UI.liftInNote[lang]} ${row.lift?.toFixed(2) ?? '—'})`;
      await props.proposeDraft(rules, note);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="scoring-review-title" className="scoring-review">
      <h3 id="scoring-review-title">{UI.title[lang]}</h3>
      <p>{UI.intro[lang]}</p>
      <Notice lang={lang} role="alert" text={error} />
      {review === null ? null : review.mqls === 0 ? (
        <p>{UI.noData[lang]}</p>
      ) : (
        <>
          <p data-testid="scoring-review-population">
            {`${UI.population[lang]}: MQL ${formatCount(review.mqls, lang)} · SQL ${formatCount(review.sqls, lang)} · ${lang === 'ja' ? '受注' : 'won'} ${formatCount(review.won, lang)} · ${UI.unexplained[lang]} ${formatCount(review.unexplained, lang)}`}
          </p>
          <table className="scoring-review-table">
            <ColumnHeads
              lang={lang}
              words={UI}
              keys={[
                'rule',
                'points',
                'ofMqls',
                'ofSqls',
                'ofWon',
                'lift',
                'suggested',
                'whatIf',
                { hidden: 'draft' },
              ]}
            />
            <tbody>
              {review.rows
                .filter((r) => r.firedMqls > 0)
                .map((r) => (
                  <tr key={`${r.kind}:${r.ruleId}`} data-rule={r.ruleId}>
                    <th scope="row">{r.label[lang]}</th>
                    <td>{signed(r.points)}</td>
                    <td>{`${formatShare(r.shareOfMqls, lang)} (${formatCount(r.firedMqls, lang)})`}</td>
                    <td>{`${formatShare(r.shareOfSqls, lang)} (${formatCount(r.firedSqls, lang)})`}</td>
                    <td>{`${formatShare(r.shareOfWon, lang)} (${formatCount(r.firedWon, lang)})`}</td>
                    <td>{r.lift === null ? UI.none[lang] : r.lift.toFixed(2)}</td>
                    <td>{r.suggestedPoints === null ? UI.none[lang] : signed(r.suggestedPoints)}</td>
                    <td>
                      {r.whatIf === null
                        ? UI.none[lang]
                        : `MQL ${formatCount(r.whatIf.current.mqls, lang)} → ${formatCount(r.whatIf.suggested.mqls, lang)}, SQL ${formatShare(r.whatIf.current.sqlRate, lang)} → ${formatShare(r.whatIf.suggested.sqlRate, lang)}`}
                    </td>
                    <td>
                      {r.suggestedPoints === null ? null : (
                        <button
                          type="button"
                          disabled={busy !== null || refusal !== undefined}
                          title={refusal?.[lang]}
                          aria-label={`${UI.draft[lang]}: ${r.label[lang]} ${signed(r.points)} → ${signed(r.suggestedPoints)}`}
                          onClick={() => void makeDraft(r)}
                        >
                          {UI.draft[lang]}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
