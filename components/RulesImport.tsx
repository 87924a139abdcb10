import { useId, useState } from 'react';
import { type Lang, textTable } from '../lib/i18n';
import type { RulesImport as ImportResult } from '../lib/messaging';

const text = textTable({
  ja: {
    title: 'ルールファイルの読み込み',
    help: 'エンドポイントを使わないチーム向け: 検証に通ったルールをこのブラウザーで適用します。エンドポイントを設定している場合は、次回の同期でエンドポイントのルールに置き換わります。',
    file: 'ルールファイル（JSON）',
    notJson: 'JSON として読めません',
    applied: '適用しました',
    refused: '不正なため適用していません。現在のルールを使い続けます',
  },
  en: {
    title: 'Import a rules file',
    help: 'For teams without an endpoint: a file that validates takes effect in this browser. With an endpoint set, its rules replace the file at the next sync.',
    file: 'Rules file (JSON)',
    notJson: 'Not readable as JSON',
    applied: 'Now in force',
    refused: 'Refused: the rules in force stay as they were',
  },
});

/** A file picker that imports a rule set, with every validation problem listed in the user's language. */
export function RulesImport({
  lang,
  importRules,
}: {
  lang: Lang;
  importRules: (rules: unknown) => Promise<ImportResult>;
}) {
  const id = useId();
  const [result, setResult] = useState<ImportResult | { ok: false; notJson: true } | null>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setResult({ ok: false, notJson: true });
      return;
    }
    setResult(await importRules(parsed));
  };
  return (
    <section aria-labelledby={`${id}-title`} style={{ marginTop: 24 }}>
      <h2 id={`${id}-title`} style={{ fontSize: 16 }}>
        {text.title[lang]}
      </h2>
      <p style={{ fontSize: 12 }}>{text.help[lang]}</p>
      <label htmlFor={`${id}-file`}>{text.file[lang]}</label>{' '}
      <input
        id={`${id}-file`}
        type="file"
        accept="application/json,.json"
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      {result && (
        <div role="status" style={{ marginTop: 8 }}>
          {result.ok ? (
            <p>
              {text.applied[lang]}: {result.versionId} (v{result.versionNumber})
            </p>
          ) : 'notJson' in result ? (
            <p>{text.notJson[lang]}</p>
          ) : (
            <>
              <p>{text.refused[lang]}</p>
              <ul>
                {result.problems.map((p) => (
                  <li key={`${p.path}:${p.message.en}`}>
                    <code>{p.path}</code>: {p.message[lang]}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
