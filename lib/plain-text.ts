/**
 * Text that came from a page or a client and will be stored, shown to the team and sent to Slack: no
 * control characters. PostgreSQL cannot store a NUL at all (SQLite can, so the backends would disagree),
 * and the others hide text from a reader or rewrite a terminal's or a log's lines. One check, at the
 * schema, so every backend and every client refuses alike.
 */
import type { z } from 'zod';
import { bilingual } from './i18n';

// C0 controls, DEL and C1 controls (Unicode category Cc). As a character class, so the OpenAPI document
// carries it as a `pattern` a client can check before sending.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// Comments and notes keep their line breaks and tabs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what oneLine removes.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

const message = bilingual(
  '制御文字（NUL など）は使えません',
  'Control characters (NUL and the like) are not allowed',
);

/** `schema` refusing control characters; `multiline` keeps tab, line feed and carriage return. */
export function plainText(schema: z.ZodString, options: { multiline?: boolean } = {}): z.ZodString {
  return schema.regex(options.multiline ? MULTI_LINE : SINGLE_LINE, message);
}

/**
 * Page or payload text made fit for a one-line field: control characters (a pasted tab, a line break) become
 * spaces, runs of spaces one, trimmed and cut to `max`; empty becomes undefined. One odd character in a
 * company name must not make its event fail the schema (and every answer that carries it).
 */
export function oneLine(text: string | undefined, max: number): string | undefined {
  const line = text?.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
  return line ? line : undefined;
}

/** True when `text` holds no control character (the check plainText puts on a schema). */
export function isPlainText(text: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? MULTI_LINE : SINGLE_LINE).test(text);
}
