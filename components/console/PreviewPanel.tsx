import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import type { ThresholdPoint, WhatIfReport } from '../../lib/kpi/types';
import { stageLabel } from '../../lib/lead-view';
import type { PreviewRow, RulesPreview } from '../../lib/preview';
import { formatDuration } from '../../lib/sla/format';
import { ColumnHeads } from '../ColumnHeads';

const UI = textTable({
  ja: {
    title: 'プレビュー: 有効なルールと下書きの比較',
    invalid: '下書きの問題を直すとプレビューが表示されます',
    empty: 'このブラウザーにはまだリードがありません。CRM でリードを開くと、ここで試算できます',
    mqls: 'MQL 数',
    became: '新たに MQL',
    stopped: 'MQL でなくなる',
    dueChanged: '期限が変わる',
    lead: 'リード',
    active: '有効なルール',
    draft: '下書き',
    change: '変化',
    why: 'スコアの内訳の変化',
    none: '—',
    later: '遅く',
    earlier: '早く',
    unchanged: '変化なし',
    becameMql: 'MQL になる',
    stoppedMql: 'MQL でなくなる',
    sample: '件のリード（このブラウザーで見たもの）',
    teamTitle: 'チームの記録で試算（直近12週）',
    teamLoading: '試算中…',
    perWeek: '週あたりの MQL（現在 → 下書き）',
    sqlRate: 'MQL→SQL 転換率（現在 → 下書き）',
    sqlsLost: '下書きでは引き渡されない SQL',
    replayed: '試算した引き渡し',
  },
  en: {
    title: 'Preview: active rules against the draft',
    invalid: 'Fix the draft’s problems to see the preview',
    empty: 'This browser has no leads yet: open leads in your CRM to preview against them',
    mqls: 'MQLs',
    became: 'Become MQL',
    stopped: 'Stop being MQL',
    dueChanged: 'Deadline moves',
    lead: 'Lead',
    active: 'Active rules',
    draft: 'Draft',
    change: 'Change',
    why: 'How the score changes',
    none: '—',
    later: 'later',
    earlier: 'earlier',
    unchanged: 'No change',
    becameMql: 'Becomes MQL',
    stoppedMql: 'Stops being MQL',
    sample: 'leads (seen in this browser)',
    teamTitle: 'Against the team’s history (last 12 weeks)',
    teamLoading: 'Replaying…',
    perWeek: 'MQLs per week (now → draft)',
    sqlRate: 'MQL→SQL rate (now → draft)',
    sqlsLost: 'SQLs the draft would not hand over',
    replayed: 'Handoffs replayed',
  },
});

/** The editor's draft replayed against the team's recorded handoffs (POST /v1/kpis/whatif). */
export type TeamPreview =
  | { kind: 'loading' }
  | { kind: 'failed'; reason: LocalizedText }
  /** `report`: the draft replayed; `today`: the same handoffs at the active rules, to compare with. */
  | { kind: 'ready'; report: WhatIfReport; today: ThresholdPoint | null };

function TeamPreviewSection({ lang, team }: { lang: Lang; team: TeamPreview }) {
  const number = (n: number) =>
    n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: 1 });
  const rate = (r: number | null) => (r === null ? UI.none[lang] : `${number(r * 100)}%`);
  return (
    <section className="team-preview" aria-labelledby="team-preview-title">
      <h3 id="team-preview-title">{UI.teamTitle[lang]}</h3>
      {team.kind === 'loading' ? <p aria-busy="true">{UI.teamLoading[lang]}</p> : null}
      {team.kind === 'failed' ? <p>{team.reason[lang]}</p> : null}
      {team.kind === 'ready' && team.report.proposed === null ? (
        <p data-testid="team-refused">{team.report.refused.proposed?.message[lang]}</p>
      ) : null}
      {team.kind === 'ready' && team.report.proposed !== null ? (
        <dl className="preview-summary" data-testid="team-preview">
          <div>
            <dt>{UI.perWeek[lang]}</dt>
            <dd>
              {team.today ? number(team.today.mqlsPerWeek) : UI.none[lang]} →{' '}
              {number(team.report.proposed.mqlsPerWeek)}
            </dd>
          </div>
          <div>
            <dt>{UI.sqlRate[lang]}</dt>
            <dd>
              {rate(team.today?.sqlRate ?? null)} → {rate(team.report.proposed.sqlRate)}
            </dd>
          </div>
          <div>
            <dt>{UI.sqlsLost[lang]}</dt>
            <dd>{team.report.proposed.sqlsLost}</dd>
          </div>
          <div>
            <dt>{UI.replayed[lang]}</dt>
            <dd>{team.report.replayed}</dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

function when(at: number | null, lang: Lang, timeZone: string): string {
  if (at === null) return UI.none[lang];
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

function outcomeText(o: PreviewRow['before'], lang: Lang): string {
  return `${o.score} (${o.grade}) ${stageLabel(o.stage, lang)}`;
}

function changeText(row: PreviewRow, lang: Lang): string {
  const parts: string[] = [];
  if (row.change === 'became_mql') parts.push(UI.becameMql[lang]);
  if (row.change === 'stopped_mql') parts.push(UI.stoppedMql[lang]);
  if (row.dueShiftMs !== null) {
    const d = formatDuration(row.dueShiftMs, lang);
    parts.push(
      lang === 'ja'
        ? `期限が${d}${row.dueShiftMs > 0 ? UI.later.ja : UI.earlier.ja}`
        : `due ${d} ${row.dueShiftMs > 0 ? UI.later.en : UI.earlier.en}`,
    );
  }
  const delta = row.after.score - row.before.score;
  if (delta !== 0) parts.push(`${delta > 0 ? '+' : ''}${delta}`);
  return parts.length ? parts.join(lang === 'ja' ? '、' : '; ') : UI.unchanged[lang];
}

export interface PreviewPanelProps {
  lang: Lang;
  /** null while the draft does not validate. */
  preview: RulesPreview | null;
  timeZone: string;
  /** The draft against the team's history from the endpoint; absent without one (or without KPI rights). */
  team?: TeamPreview | null;
}

export function PreviewPanel({ lang, preview, timeZone, team }: PreviewPanelProps) {
  return (
    <section className="preview" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">{UI.title[lang]}</h2>
      {preview !== null && team ? <TeamPreviewSection lang={lang} team={team} /> : null}
      {preview === null ? (
        <p>{UI.invalid[lang]}</p>
      ) : preview.rows.length === 0 ? (
        <p>{UI.empty[lang]}</p>
      ) : (
        <>
          <dl className="preview-summary">
            <div>
              <dt>{UI.mqls[lang]}</dt>
              <dd data-testid="mql-count">
                {preview.mqlBefore} → {preview.mqlAfter}
                {preview.mqlAfter !== preview.mqlBefore
                  ? ` (${preview.mqlAfter > preview.mqlBefore ? '+' : ''}${preview.mqlAfter - preview.mqlBefore})`
                  : ''}
              </dd>
            </div>
            <div>
              <dt>{UI.became[lang]}</dt>
              <dd>{preview.became}</dd>
            </div>
            <div>
              <dt>{UI.stopped[lang]}</dt>
              <dd>{preview.stopped}</dd>
            </div>
            <div>
              <dt>{UI.dueChanged[lang]}</dt>
              <dd>{preview.dueChanged}</dd>
            </div>
          </dl>
          <p>
            {preview.rows.length} {UI.sample[lang]}
          </p>
          <table>
            <ColumnHeads lang={lang} words={UI} keys={['lead', 'active', 'draft', 'change']} />
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.key} data-change={row.change} data-lead={row.key}>
                  <th scope="row">
                    {row.label} <small>({row.crm})</small>
                  </th>
                  <td>
                    {outcomeText(row.before, lang)}
                    <br />
                    <small>{when(row.before.dueAt, lang, timeZone)}</small>
                  </td>
                  <td>
                    {outcomeText(row.after, lang)}
                    <br />
                    <small>{when(row.after.dueAt, lang, timeZone)}</small>
                  </td>
                  <td>
                    {changeText(row, lang)}
                    {row.explanation.length > 0 ? (
                      <details>
                        <summary>{UI.why[lang]}</summary>
                        <ul>
                          {row.explanation.map((e) => (
                            <li key={`${e.kind}:${e.ruleId}`}>
                              {e.label[lang]}: {e.before ?? UI.none[lang]} → {e.after ?? UI.none[lang]}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
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
