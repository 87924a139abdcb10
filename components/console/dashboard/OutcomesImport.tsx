import { useId, useState } from 'react';
import { type Lang, type LocalizedText, textTable } from '../../../lib/i18n';
import type { OutcomeImportResponse } from '../../../lib/kpi/api';
import { describeError } from '../errors';
import { Notice } from '../Notice';

const UI = textTable({
  ja: {
    title: '過去の MQL・判定・商談化・受注の取り込み（CSV）',
    explain:
      'CRM の画面で Baton が商談化を見られないチーム向けです。1行目は見出し（crm,object,record_id,outcome,date、または CRM,オブジェクト,レコードID,結果,日付）、その下に1行1件の結果を書きます。crm: salesforce・hubspot・dynamics・zoho・pipedrive・kintone。object: Lead など拡張機能が読むオブジェクト（kintone はアプリ ID）。record_id: CRM のレコード ID。outcome: MQL・SQL・却下（Baton 導入前の引き渡しと営業の判定）、商談化・受注・失注（mql・sql・rejected・opportunity・won・lost）。date: 2026-11-25 または 2026-11-25T10:00:00+09:00（時差のない日時は営業カレンダーのタイムゾーンで読みます）。1行でも誤りがあれば何も取り込みません。同じ結果を取り込み直しても二重には数えません',
    file: '取り込む CSV ファイル',
    importing: '取り込み中…',
    problems: '次の行を直してから取り込み直してください',
    line: '行',
  },
  en: {
    title: 'Import past MQLs, verdicts, opportunities and wins (CSV)',
    explain:
      'For teams whose CRM pages Baton never sees converted. The first line is a header (crm,object,record_id,outcome,date), then one outcome per line. crm: salesforce, hubspot, dynamics, zoho, pipedrive or kintone. object: the object the extension reads, such as Lead (for kintone, the app id). record_id: the CRM record id. outcome: mql, sql or rejected (handoffs and sales’ verdicts from before Baton), opportunity, won or lost. date: 2026-11-25 or 2026-11-25T10:00:00+09:00 (a time without an offset is read in the business calendar’s time zone). One bad line and nothing is imported; importing the same outcome again does not count it twice',
    file: 'CSV file to import',
    importing: 'Importing…',
    problems: 'Fix these lines and import again',
    line: 'Line',
  },
});

type LineProblem = { where: string; message: LocalizedText };

/** The 400 answer's problems, one per line of the file, when the endpoint sent them. */
function problemsOf(error: unknown, lang: Lang): LineProblem[] {
  const body = (error as { body?: unknown } | null)?.body as
    | { error?: { problems?: { path?: (string | number)[]; message?: LocalizedText }[] } }
    | undefined;
  const problems = body?.error?.problems ?? [];
  return problems
    .filter((p) => p.message && typeof p.message.ja === 'string')
    .map((p) => {
      const path = p.path ?? [];
      const at = path.indexOf('line');
      const line = at >= 0 ? path[at + 1] : undefined;
      const rest = path.slice(at >= 0 ? at + 2 : 0).join('.');
      const where =
        line !== undefined
          ? `${lang === 'ja' ? `${line} ${UI.line.ja}目` : `${UI.line.en} ${line}`}${rest ? ` (${rest})` : ''}`
          : rest;
      return { where, message: p.message! };
    });
}

export function OutcomesImport({
  lang,
  importOutcomes,
  onImported,
}: {
  lang: Lang;
  importOutcomes(csv: string): Promise<OutcomeImportResponse>;
  /** The report is stale once outcomes changed. */
  onImported(): void;
}) {
  const inputId = useId();
  const explainId = useId();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LocalizedText | null>(null);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [problems, setProblems] = useState<LineProblem[]>([]);

  const upload = async (file: File) => {
    setBusy(true);
    setResult(null);
    setError(null);
    setProblems([]);
    try {
      const answer = await importOutcomes(await file.text());
      setResult({
        ja: `${answer.imported} 件を取り込みました（リード ${answer.leads} 件、変化なし ${answer.unchanged} 件）`,
        en: `Imported ${answer.imported} rows for ${answer.leads} leads (${answer.unchanged} unchanged)`,
      });
      onImported();
    } catch (e) {
      const lines = problemsOf(e, lang);
      setProblems(lines);
      setError(lines.length ? UI.problems : describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="outcomes-import" aria-labelledby="outcomes-title" aria-busy={busy}>
      <h3 id="outcomes-title">{UI.title[lang]}</h3>
      <p id={explainId}>{UI.explain[lang]}</p>
      <div className="field">
        <label htmlFor={inputId}>{UI.file[lang]}</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={explainId}
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
            // The same file chosen again (after fixing it) must fire change again.
            e.target.value = '';
          }}
        />
      </div>
      {busy ? <p aria-busy="true">{UI.importing[lang]}</p> : null}
      <Notice lang={lang} role="status" text={result} />
      {error ? (
        <div role="alert" className="error">
          <p>{error[lang]}</p>
          {problems.length ? (
            <ul>
              {problems.map((p) => (
                <li key={`${p.where}-${p.message.en}`}>
                  {p.where ? `${p.where}: ` : ''}
                  {p.message[lang]}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
