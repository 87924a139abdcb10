import { type Lang, textTable } from '../../lib/i18n';
import { formatPath } from '../../lib/problems';
import type { RuleChange } from '../../lib/rules/diff';

const KIND = textTable({
  ja: {
    added: '追加',
    removed: '削除',
    changed: '変更',
  },
  en: {
    added: 'Added',
    removed: 'Removed',
    changed: 'Changed',
  },
});

/** A diff between two rule sets as sentences, each marked added/removed/changed in words, not colour. */
export function DiffList({
  lang,
  changes,
  label,
}: {
  lang: Lang;
  changes: readonly RuleChange[];
  label: string;
}) {
  if (changes.length === 0) {
    return <p className="diff-empty">{lang === 'ja' ? '変更はありません' : 'No changes'}</p>;
  }
  return (
    <ul className="diff" aria-label={label}>
      {changes.map((change) => (
        <li key={`${formatPath(change.path)}:${change.text.en}`} data-kind={change.kind}>
          <span className="diff-kind">{KIND[change.kind][lang]}</span> {change.text[lang]}
        </li>
      ))}
    </ul>
  );
}
