import type { Lang, LocalizedText } from '../lib/i18n';

/**
 * A table's header row: one column heading per key of the component's words, in the reader's language.
 * `{ hidden: key }` heads a column only screen readers need named (a column of buttons that say what they do).
 */
export function ColumnHeads<K extends string>({
  lang,
  words,
  keys,
}: {
  lang: Lang;
  words: Readonly<Record<K, LocalizedText>>;
  keys: readonly (K | { hidden: K })[];
}) {
  return (
    <thead>
      <tr>
        {keys.map((k) =>
          typeof k === 'object' ? (
            <th key={k.hidden} scope="col">
              <span className="visually-hidden">{words[k.hidden][lang]}</span>
            </th>
          ) : (
            <th key={k} scope="col">
              {words[k][lang]}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
