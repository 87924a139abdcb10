import { useState } from 'react';
import { checkPageMap, type PageMap, type PageMapBody } from '../../lib/crm/page-map';
import { type PageMapTrial, tryPageMap } from '../../lib/crm/page-map-trial';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import { formatPath, type Problem } from '../../lib/problems';
import { ColumnHeads } from '../ColumnHeads';

const UI = textTable({
  ja: {
    title: 'ページマップを試す',
    intro:
      'CRM の画面を保存した HTML と、その URL を貼り付けると、各項目がどう読めるかを表示します。ページのスクリプトは実行されません。',
    url: '画面の URL',
    html: '保存した画面の HTML',
    file: 'HTML ファイルを選ぶ',
    map: 'ページマップ（JSON）',
    test: '試す',
    publish: 'このページマップを公開',
    published: '公開しました: バージョン',
    badUrl: 'URL として読めません',
    notLead: 'この URL は Baton が読む CRM のリード画面ではありません',
    field: '項目',
    without: 'マップなし',
    with: 'マップあり',
    tier: '読み方',
    none: '（読めず）',
    nothing: 'マップを使っても、どの項目も読めません。',
    rows: '一覧の行数',
  },
  en: {
    title: 'Try a page map',
    intro: 'Paste a saved CRM page and its URL to see what each field reads. Nothing in the page runs.',
    url: 'Page URL',
    html: 'Saved page HTML',
    file: 'Choose an HTML file',
    map: 'Page map (JSON)',
    test: 'Try it',
    publish: 'Publish this page map',
    published: 'Published: version',
    badUrl: 'Not a URL',
    notLead: 'This URL is not a CRM lead page Baton reads',
    field: 'Field',
    without: 'Without the map',
    with: 'With the map',
    tier: 'Read by',
    none: '(not read)',
    nothing: 'Nothing can be read, even with the map.',
    rows: 'List rows read',
  },
});

const TIER: Record<string, LocalizedText> = textTable({
  ja: {
    selector: 'セレクター',
    hook: '安定属性',
    label: 'ラベル',
  },
  en: {
    selector: 'selector',
    hook: 'stable hook',
    label: 'label',
  },
});

/**
 * The console's page map workbench: validates a page map whole, tries it on a saved page (parsed inert
 * with DOMParser, shown as text only) and publishes it when the admin is satisfied.
 */
export function PageMapTester({
  lang,
  publish,
}: {
  lang: Lang;
  publish?: (body: PageMapBody) => Promise<PageMap>;
}) {
  const [url, setUrl] = useState('');
  const [html, setHtml] = useState('');
  const [json, setJson] = useState('{\n  "crms": {}\n}');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [trial, setTrial] = useState<PageMapTrial | null>(null);
  const [message, setMessage] = useState('');

  const check = (): PageMapBody | null => {
    const checked = checkPageMap(json);
    setProblems(checked.ok ? [] : checked.problems);
    return checked.ok ? checked.value : null;
  };

  const run = () => {
    setMessage('');
    setTrial(null);
    const body = check();
    if (!body) return;
    let page: URL;
    try {
      page = new URL(url.trim());
    } catch {
      setMessage(UI.badUrl[lang]);
      return;
    }
    // An inert document: DOMParser never runs the page's scripts or loads its resources.
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const result = tryPageMap(doc, page, body);
    if (!result) setMessage(UI.notLead[lang]);
    setTrial(result);
  };

  return (
    <section aria-labelledby="page-map-title" style={{ marginTop: 24 }}>
      <h2 id="page-map-title">{UI.title[lang]}</h2>
      <p>{UI.intro[lang]}</p>
      <label>
        {UI.url[lang]}
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} style={{ width: '100%' }} />
      </label>
      <label>
        {UI.html[lang]}
        <textarea rows={6} value={html} onChange={(e) => setHtml(e.target.value)} style={{ width: '100%' }} />
      </label>
      <label>
        {UI.file[lang]}
        <input
          type="file"
          accept=".html,.htm,text/html"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then(setHtml);
          }}
        />
      </label>
      <label>
        {UI.map[lang]}
        <textarea rows={8} value={json} onChange={(e) => setJson(e.target.value)} style={{ width: '100%' }} />
      </label>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" onClick={run}>
          {UI.test[lang]}
        </button>
        {publish ? (
          <button
            type="button"
            onClick={() => {
              const body = check();
              if (!body) return;
              publish(body).then(
                (map) => setMessage(`${UI.published[lang]} ${map.version}`),
                (error: unknown) => setMessage(String((error as Error).message ?? error)),
              );
            }}
          >
            {UI.publish[lang]}
          </button>
        ) : null}
      </div>
      {problems.length > 0 ? (
        <ul role="alert">
          {problems.map((p) => (
            <li
              key={`${formatPath(p.path)}:${p.message.en}`}
            >{`${formatPath(p.path)}: ${p.message[lang]}`}</li>
          ))}
        </ul>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {trial?.pageKind === 'record' ? (
        trial.fields.length === 0 ? (
          <p role="status">{UI.nothing[lang]}</p>
        ) : (
          <table aria-label={UI.title[lang]}>
            <ColumnHeads lang={lang} words={UI} keys={['field', 'without', 'with', 'tier']} />
            <tbody>
              {trial.fields.map((f) => (
                <tr key={f.field}>
                  <th scope="row">{f.field}</th>
                  <td>{f.without ?? UI.none[lang]}</td>
                  <td>{f.with ?? UI.none[lang]}</td>
                  <td>{f.tier ? TIER[f.tier]![lang] : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {trial?.pageKind === 'list' ? (
        <p role="status">{`${UI.rows[lang]}: ${trial.rows.without} → ${trial.rows.with}`}</p>
      ) : null}
    </section>
  );
}
