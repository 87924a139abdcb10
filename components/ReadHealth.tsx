import { useEffect, useState } from 'react';
import { type ReadHealth as Health, healthSummary } from '../lib/crm/health';
import { type Lang, textTable } from '../lib/i18n';
import { ColumnHeads } from './ColumnHeads';

const text = textTable({
  ja: {
    browser: 'CRM 画面の読み取り状況（このブラウザー）',
    team: 'CRM 画面の読み取り状況（チーム全体・直近30日）',
    none: 'まだ CRM のリード画面を開いていません。',
    day: '日付 (UTC)',
    crm: 'CRM',
    kind: '画面',
    pages: '画面数',
    nothing: '読み取れず',
    selector: 'セレクター',
    hook: '安定属性',
    label: 'ラベル',
    record: 'レコード',
    list: '一覧',
    failed: '読み込めませんでした',
  },
  en: {
    browser: 'How Baton reads your CRM pages (this browser)',
    team: "How Baton reads the team's CRM pages (last 30 days)",
    none: 'No CRM lead page opened yet.',
    day: 'Day (UTC)',
    crm: 'CRM',
    kind: 'Page',
    pages: 'Pages',
    nothing: 'Nothing read',
    selector: 'Selectors',
    hook: 'Stable hooks',
    label: 'Labels',
    record: 'record',
    list: 'list',
    failed: 'Could not load',
  },
});

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
