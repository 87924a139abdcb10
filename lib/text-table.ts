import type { Lang } from './lang';

/** lib/i18n.ts's LocalizedText, spelled out here so the two files do not import each other. */
type LocalizedText = Record<Lang, string>;

// Apart from lib/i18n.ts (which holds zod schemas) because the content script reads stage and SLA words
// made with it and carries no zod (docs/decisions/0003).

/**
 * A screen's words written one language at a time, each read whole as a translator reads it; both
 * languages must name the same keys (the type checks it). Gives the LocalizedText of each key, in the
 * order the Japanese names them.
 */
export function textTable<K extends string>(
  texts: Record<Lang, Record<K, string>>,
): Record<K, LocalizedText> {
  const keys = Object.keys(texts.ja) as K[];
  return Object.fromEntries(keys.map((k) => [k, { ja: texts.ja[k], en: texts.en[k] }])) as Record<
    K,
    LocalizedText
  >;
}
