import { z } from 'zod';
import type { Lang } from './lang';

/** Every user-facing string ships in Japanese and English. */
export const localizedTextSchema = z.object({
  ja: z.string().min(1),
  en: z.string().min(1),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export { type Lang, langFromTag } from './lang';
export { textTable } from './text-table';

export function localize(text: LocalizedText, lang: Lang): string {
  return text[lang];
}

/**
 * Record separator between the English and Japanese halves of a zod issue message. zod's built-in checks
 * carry a single message string, so a schema passes `{ error: bilingual(ja, en) }` and whoever turns issues
 * into Problems calls splitBilingual. U+241E (SYMBOL FOR RECORD SEPARATOR) never occurs in our texts.
 */
const BILINGUAL_SEPARATOR = '\u241E';

/** One message string holding both languages, for zod `error` options: `${en}␞${ja}`. */
export function bilingual(ja: string, en: string): string {
  return `${en}${BILINGUAL_SEPARATOR}${ja}`;
}

/** The inverse of bilingual; a plain message (e.g. zod's own default) is used for both languages. */
export function splitBilingual(message: string): LocalizedText {
  const at = message.indexOf(BILINGUAL_SEPARATOR);
  if (at < 0) return { ja: message, en: message };
  return { en: message.slice(0, at), ja: message.slice(at + BILINGUAL_SEPARATOR.length) };
}
