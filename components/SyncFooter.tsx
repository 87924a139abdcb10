import { useId } from 'react';
import { type Lang, textTable } from '../lib/i18n';
import type { SyncState } from '../lib/messaging';

/**
 * How syncing stands, in words: the rules in force, what waits to be sent, the last success and the
 * last error; a refused rule set or refused events are said plainly, never hidden.
 */
const t = textTable({
  ja: {
    sync: '同期の状態',
    rules: '適用中のルール',
    builtIn: '組み込みの既定ルール',
    imported: '読み込んだルール',
    fromEndpoint: 'チームのルール',
    waiting: 'チームへ未送信の記録',
    lastSync: '最後に同期した時刻',
    never: 'まだありません',
    lastError: '最後のエラー',
    nextTry: '次の再試行',
    noEndpoint: 'チームとの同期は未設定です。このブラウザーだけで動作しています',
    managed: '管理者が設定（変更不可）',
    refusedEvents: 'チームの同期サーバーが受け付けなかった記録（再送しません）',
    syncNow: '今すぐ同期',
  },
  en: {
    sync: 'Sync',
    rules: 'Rules in force',
    builtIn: 'built-in default',
    imported: 'imported',
    fromEndpoint: 'from the team',
    waiting: 'Not yet sent to the team',
    lastSync: 'Last successful sync',
    never: 'never',
    lastError: 'Last error',
    nextTry: 'next retry',
    noEndpoint: 'Team sync is not set up: Baton works on its own in this browser',
    managed: 'set by your administrator (locked)',
    refusedEvents: 'Records the team’s sync server refused (not resent)',
    syncNow: 'Sync now',
  },
});

const REFUSED_RULES: Record<Lang, (version: string) => string> = {
  ja: (v) => `チームのルール ${v} は不正なため適用していません。前回の正しいルールを使い続けます`,
  en: (v) => `The team’s rule set ${v} is invalid and was not applied; the last good one stays in force`,
};

export function SyncFooter({
  lang,
  state,
  onSyncNow,
}: {
  lang: Lang;
  state: SyncState;
  onSyncNow?: () => void;
}) {
  const id = useId();
  const time = (at: number) => new Date(at).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
  const source =
    state.rules.source === 'default'
      ? t.builtIn[lang]
      : state.rules.source === 'import'
        ? t.imported[lang]
        : `${t.fromEndpoint[lang]} v${state.rules.number}`;
  return (
    <section aria-labelledby={id} style={{ borderTop: '1px solid #d0d7de', marginTop: 8, paddingTop: 6 }}>
      <h2 id={id} style={{ fontSize: 14, margin: '0 0 4px' }}>
        {t.sync[lang]}
      </h2>
      <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 8px' }}>
        <dt>{t.rules[lang]}</dt>
        <dd style={{ margin: 0 }} data-testid="rules-in-force">
          {state.rules.id} ({source})
        </dd>
        <dt>{t.waiting[lang]}</dt>
        <dd style={{ margin: 0 }} data-testid="events-waiting">
          {state.waiting}
          {state.nextAttemptAt !== null && ` · ${t.nextTry[lang]} ${time(state.nextAttemptAt)}`}
        </dd>
        <dt>{t.lastSync[lang]}</dt>
        <dd style={{ margin: 0 }}>
          {state.lastSuccessAt === null ? t.never[lang] : time(state.lastSuccessAt)}
        </dd>
        {state.lastError && (
          <>
            <dt>{t.lastError[lang]}</dt>
            <dd style={{ margin: 0 }} data-testid="last-error">
              {state.lastError.reason[lang]} ({time(state.lastError.at)})
            </dd>
          </>
        )}
      </dl>
      {!state.configured && <p>{t.noEndpoint[lang]}</p>}
      {state.managed && <p>{t.managed[lang]}</p>}
      {state.rulesRefused && (
        <div role="alert">
          <p style={{ margin: '4px 0' }}>{REFUSED_RULES[lang](`v${state.rulesRefused.version ?? '?'}`)}</p>
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {state.rulesRefused.problems.slice(0, 5).map((p) => (
              <li key={`${p.path}:${p.message.en}`}>
                {p.path}: {p.message[lang]}
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.refused.length > 0 && (
        <div role="alert">
          <p style={{ margin: '4px 0' }}>
            {t.refusedEvents[lang]}: {state.refused.length}
          </p>
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {state.refused.map((e) => (
              <li key={e.idempotencyKey}>
                {e.type} · {e.leadKey} · {e.reason[lang]}
              </li>
            ))}
          </ul>
        </div>
      )}
      {onSyncNow && state.configured && (
        <button type="button" onClick={onSyncNow}>
          {t.syncNow[lang]}
        </button>
      )}
    </section>
  );
}
