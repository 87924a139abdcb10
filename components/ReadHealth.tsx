import { useEffect, useState } from 'react';
import { type ReadHealth as Health, healthSummary } from '../lib/crm/health';
import type { Lang } from '../lib/i18n';
import { ColumnHeads } from './ColumnHeads';

const text = {
  browser: {
    ja: 'CRM 画面の読み取り状況（このブラウザー）',
    en: 'How Baton reads your CRM pages (this browser)',
  },
  team: {
    ja: 'CRM 画面の読み取り状況（チーム全体・直近30日）',
    en: "How Baton reads the team's CRM pages (last 30 days)",
  },
  none: { ja: 'まだ CRM のリード画面を開いていません。', en: 'No CRM lead page opened yet.' },
  day: { ja: '日付 (UTC)', en: 'Day (UTC)' },
  crm: { ja: 'CRM', en: 'CRM' },
  kind: { ja: '画面', en: 'Page' },
  pages: { ja: '画面数', en: 'Pages' },
  nothing: { ja: '読み取れず', en: 'Nothing read' },
  selector: { ja: 'セレクター', en: 'Selectors' },
  hook: { ja: '安定属性', en: 'Stable hooks' },
  label: { ja: 'ラベル', en: 'Labels' },
  record: { ja: 'レコード', en: 'record' },
  list: { ja: '一覧', en: 'list' },
  failed: { ja: '読み込めませんでした', en: 'Could not load' },
};

/**
 * The rep's view of the read health counts: per day, CRM and page kind, how many pages Baton recognised,
 * how many it could read nothing on, and how many fields each tier read. Counts only, never values.
 */
export function ReadHealth({
  lang,
  names,
  load,
  scope = 'browser',
}: {
  lang: Lang;
  names: Readonly<Record<string, string>>;
  load: () => Promise<Health[]>;
  /** Whose counts: this browser's (options page) or every browser's from the endpoint (console). */
  scope?: 'browser' | 'team';
}) {
  const [rows, setRows] = useState<Health[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    load().then(setRows, () => setFailed(true));
  }, [load]);
  return (
    <section aria-labelledby="read-health-title" style={{ marginTop: 16, fontSize: 12 }}>
      <h2 id="read-health-title" style={{ fontSize: 14 }}>
        {text[scope][lang]}
      </h2>
      {failed ? <p role="status">{text.failed[lang]}</p> : null}
      {rows && rows.length === 0 ? <p>{text.none[lang]}</p> : null}
      {rows && rows.length > 0 ? (
        <>
          <ul>
            {healthSummary(rows, names, lang).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <table>
            <ColumnHeads
              lang={lang}
              words={text}
              keys={['day', 'crm', 'kind', 'pages', 'nothing', 'selector', 'hook', 'label']}
            />
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.day}|${r.crm}|${r.pageKind}`}>
                  <td>{r.day}</td>
                  <td>{names[r.crm] ?? r.crm}</td>
                  <td>{text[r.pageKind][lang]}</td>
                  <td>{r.pages}</td>
                  <td>{r.nothingRead}</td>
                  <td>{r.selector}</td>
                  <td>{r.hook}</td>
                  <td>{r.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
