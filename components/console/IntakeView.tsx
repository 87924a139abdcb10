import { useCallback, useEffect, useRef, useState } from 'react';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import type { IntakeRefusalsResponse } from '../../lib/intake/api';
import { INTAKE_SOURCES } from '../../lib/intake/mapping';
import {
  intakeSourceName,
  problemLine,
  REFUSAL_WINDOWS,
  type RefusalWindow,
  refusalHeadline,
  windowStart,
  zonedTime,
} from '../../lib/intake/refusals';
import { ColumnHeads } from '../ColumnHeads';
import { describeError } from './errors';

const UI = textTable({
  ja: {
    title: '引き渡しの取り込み',
    intro:
      'MA や CRM の自動化から届いた通知のうち、取り込めずに拒否したもの（何も保存していません）。送信側の設定を直すと、次の通知から取り込まれます。',
    window: '期間',
    today: '今日',
    day: '直近24時間',
    week: '直近7日',
    refresh: '更新',
    loading: '読み込み中…',
    adminOnly: '拒否された取り込みは管理者のトークンで見られます',
    latest: '最新の拒否',
    noProblems: '（内容を記録していません）',
    connect: '送信元をつなぐ',
    source: '送信元',
    url: '送信先 URL',
    secret: '専用トークンの作成（一度だけ表示）',
    recipe: '設定手順',
    noEndpoint: 'エンドポイントが設定されていません。設定ページで URL とトークンを入力してください',
  },
  en: {
    title: 'Handoff intake',
    intro:
      'Notifications from marketing automation or CRM automation that Baton refused (nothing of them was stored). Fix the sender’s settings and the next notification is taken in.',
    window: 'Period',
    today: 'Today',
    day: 'Last 24 hours',
    week: 'Last 7 days',
    refresh: 'Refresh',
    loading: 'Loading…',
    adminOnly: 'Refused payloads are shown to an admin token',
    latest: 'Latest refusal',
    noProblems: '(no details recorded)',
    connect: 'Connect a sender',
    source: 'Sender',
    url: 'URL to post to',
    secret: 'Make its own token (shown once)',
    recipe: 'Settings to click',
    noEndpoint: 'No endpoint is set: enter its URL and a token on the options page',
  },
});

/**
 * The console's intake tab: refused payloads per sender since a chosen time (GET /v1/intake/refusals),
 * each with what to fix, and how to connect each sender. Nothing here is a figure to act on beyond the
 * count itself, so it is shown as the endpoint counted it.
 */
export function IntakeView({
  lang,
  endpointUrl,
  load,
  now,
  timeZone,
}: {
  lang: Lang;
  endpointUrl: string | null;
  load: (since: string) => Promise<IntakeRefusalsResponse>;
  now: () => number;
  timeZone: string;
}) {
  const [window, setWindow] = useState<RefusalWindow>('today');
  const [state, setState] = useState<
    | { kind: 'loading' }
    | { kind: 'failed'; reason: LocalizedText }
    | { kind: 'loaded'; since: number; at: number; answer: IntakeRefusalsResponse }
  >({ kind: 'loading' });

  // Only the latest request may answer: switching the period while a slower answer is on its way must
  // not show that older period under the new choice.
  const latest = useRef(0);
  const refresh = useCallback(() => {
    const at = now();
    const since = windowStart(window, at, timeZone);
    const request = ++latest.current;
    setState({ kind: 'loading' });
    load(new Date(since).toISOString()).then(
      (answer) => request === latest.current && setState({ kind: 'loaded', since, at, answer }),
      (error) =>
        request === latest.current &&
        setState({ kind: 'failed', reason: describeError(error, UI.adminOnly) }),
    );
  }, [load, now, timeZone, window]);
  useEffect(refresh, [refresh]);

  return (
    <section aria-labelledby="intake-title">
      <h2 id="intake-title">{UI.title[lang]}</h2>
      <p>{UI.intro[lang]}</p>
      {endpointUrl === null ? (
        <p>{UI.noEndpoint[lang]}</p>
      ) : (
        <>
          <fieldset className="intake-window">
            <legend>{UI.window[lang]}</legend>
            {REFUSAL_WINDOWS.map((w) => (
              <label key={w}>
                <input
                  type="radio"
                  name="intake-window"
                  value={w}
                  checked={window === w}
                  onChange={() => setWindow(w)}
                />{' '}
                {UI[w][lang]}
              </label>
            ))}
            <button type="button" onClick={refresh}>
              {UI.refresh[lang]}
            </button>
          </fieldset>
          <div role="status" aria-live="polite">
            {state.kind === 'loading' ? <p aria-busy="true">{UI.loading[lang]}</p> : null}
            {state.kind === 'failed' ? <p className="error">{state.reason[lang]}</p> : null}
            {state.kind === 'loaded' && state.answer.sources.length === 0 ? (
              <p>
                {lang === 'ja'
                  ? `${zonedTime(state.since, state.at, timeZone, lang)} 以降、拒否した取り込みはありません`
                  : `No payload refused since ${zonedTime(state.since, state.at, timeZone, lang)}`}
              </p>
            ) : null}
          </div>
          {state.kind === 'loaded'
            ? state.answer.sources.map((summary) => {
                const view = { ...summary, lastRefusedAt: Date.parse(summary.lastRefusedAt) };
                return (
                  <article
                    key={summary.source}
                    className="intake-refusals"
                    aria-labelledby={`intake-${summary.source}`}
                  >
                    <h3 id={`intake-${summary.source}`}>
                      {refusalHeadline(view, state.since, state.at, timeZone, lang)}
                    </h3>
                    <p>
                      {UI.latest[lang]}: {zonedTime(view.lastRefusedAt, state.at, timeZone, lang)}
                    </p>
                    {summary.lastProblems.length > 0 ? (
                      <ul>
                        {summary.lastProblems.map((problem, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a stored list, shown as stored
                          <li key={i}>{problemLine(problem, summary.source, lang)}</li>
                        ))}
                      </ul>
                    ) : (
                      <p>{UI.noProblems[lang]}</p>
                    )}
                  </article>
                );
              })
            : null}
          <h3>{UI.connect[lang]}</h3>
          <table className="intake-connect">
            <ColumnHeads lang={lang} words={UI} keys={['source', 'url', 'secret', 'recipe']} />
            <tbody>
              {INTAKE_SOURCES.map((source) => (
                <tr key={source}>
                  <th scope="row">{intakeSourceName(source)}</th>
                  <td>
                    <code>{`${endpointUrl.replace(/\/+$/, '')}/v1/intake/${source}`}</code>
                  </td>
                  <td>
                    <code>{`npx tsx server/main.ts token create --role intake --name ${source}`}</code>
                  </td>
                  <td>
                    <code>{`docs/intake/${source}.md`}</code>
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
