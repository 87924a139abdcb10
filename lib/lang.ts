/**
 * The user's language. Apart from lib/i18n.ts (which holds zod schemas) because the content script
 * needs it and carries no zod (docs/decisions/0003).
 */
export type Lang = 'ja' | 'en';

/** Picks the user's language from a BCP 47 tag such as navigator.language ("ja-JP" → ja). */
export function langFromTag(tag: string | undefined): Lang {
  return tag?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
