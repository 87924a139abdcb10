import { z } from 'zod';
import { bilingual } from '../i18n';
import { crmIdSchema } from '../lead';
import type { Result } from '../problems';
import { builtInMessage, problemsFrom } from '../rules/validate';
import { fieldKeySchema } from './mapping';

/**
 * Page maps: per-CRM reading overrides an admin publishes through the endpoint when a vendor changes
 * its markup, so pages are repaired the same day without an extension release. Data only: CSS selectors
 * and label text, never code. A versioned document separate from the rule set (its own ETag), validated
 * whole: one bad entry refuses the document and the last good one stays in force.
 */

// A selector is tried with querySelector inside the page; braces would be a placeholder or a CSS block,
// neither of which belongs in a page map. Whether it parses is checked where a DOM exists (the console).
const selector = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((s) => !/[{}]/.test(s), {
    error: bilingual('セレクターに { } は使えません', 'A selector may not contain { or }'),
  });
const label = z.string().trim().min(1).max(128);

export const pageMapFieldSchema = z.strictObject({
  /** Where the field's value is, most specific first; tried before the adapter's own selectors. */
  selectors: z.array(selector).max(16).default([]),
  /** Extra labels (ja/en) the field shows under, for reading by label. */
  labels: z
    .strictObject({
      ja: z.array(label).max(16).default([]),
      en: z.array(label).max(16).default([]),
    })
    .default({ ja: [], en: [] }),
});

export const crmPageMapSchema = z.strictObject({
  fields: z.record(fieldKeySchema, pageMapFieldSchema).default({}),
  /** Regions that show other records (never read). */
  outside: z.array(selector).max(32).default([]),
  /**
   * List views: `rows` match each lead row (tried before the adapter's own row selectors); a row's lead
   * is the first link in it to a lead record, and `fields` selectors are tried inside each row too.
   */
  list: z
    .strictObject({
      rows: z
        .array(selector)
        .min(1, bilingual('行のセレクターを1つ以上指定してください', 'Give at least one row selector'))
        .max(16),
    })
    .optional(),
});
export type CrmPageMap = z.infer<typeof crmPageMapSchema>;

export const pageMapSchema = z.strictObject({
  /** Set by the endpoint on publication; increases with every published document. */
  version: z.number().int().min(0),
  note: z.string().max(500).optional(),
  crms: z.partialRecord(crmIdSchema, crmPageMapSchema).default({}),
});
export type PageMap = z.infer<typeof pageMapSchema>;

/** What an admin sends: the document without its version (the endpoint numbers it). */
export const pageMapBodySchema = pageMapSchema.omit({ version: true });
export type PageMapBody = z.infer<typeof pageMapBodySchema>;

export const emptyPageMap: PageMap = { version: 0, crms: {} };

/**
 * A page map as an admin wrote it (JSON text), validated whole: the body, or every problem with its path
 * in ja and en. Nothing of an invalid document is used.
 */
export function checkPageMap(json: string): Result<PageMapBody> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {
      ok: false,
      problems: [{ path: [], message: { ja: 'JSON として読めません', en: 'Not readable as JSON' } }],
    };
  }
  const parsed = pageMapBodySchema.safeParse(raw, { error: builtInMessage });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: problemsFrom(parsed.error) };
}
