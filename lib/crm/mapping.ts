import { z } from 'zod';
import { bilingual } from '../i18n';
import { crmIdSchema, type Stage } from '../lead';

/**
 * Which CRM field feeds which lead field. Adapters take the mapping as a parameter, so a rule set can
 * add a custom field, a renamed label or a kintone field code without a new release.
 */

const sourceText = z.string().trim().min(1).max(128);

/**
 * A lead field's key: a canonical LeadField (company, title, ...) or a custom key the rule set invents
 * (e.g. "budget", "productInterest"); it becomes a key of LeadSnapshot.fields, which caps keys at 64.
 */
export const fieldKeySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
  error: bilingual(
    '英字で始まる64文字以内の英数字と _ で指定してください',
    'Use letters, digits and _; start with a letter; at most 64 characters',
  ),
});

/** Where one lead field is found on a CRM's pages. */
export const fieldSourceSchema = z.object({
  /**
   * Language-independent names, tried first: Salesforce field API name (Company), HubSpot property
   * (company), Dynamics attribute (companyname), Zoho API name (Company), Pipedrive field key
   * (org_id), kintone field code (会社名).
   */
  codes: z.array(sourceText).max(32).default([]),
  /** Labels as the CRM displays them, the fallback when no code marker is on the page. */
  labels: z
    .object({
      ja: z.array(sourceText).max(32).default([]),
      en: z.array(sourceText).max(32).default([]),
    })
    .default({ ja: [], en: [] }),
});
export type FieldSource = z.infer<typeof fieldSourceSchema>;

/** One CRM's mapping: lead field key → where to find it. */
export const crmFieldMappingSchema = z.record(fieldKeySchema, fieldSourceSchema);
export type CrmFieldMapping = z.infer<typeof crmFieldMappingSchema>;

/** Per CRM; a CRM left out reads nothing beyond the record key. */
export const fieldMappingsSchema = z.partialRecord(crmIdSchema, crmFieldMappingSchema);
export type FieldMappings = z.infer<typeof fieldMappingsSchema>;

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * A rule set's mapping laid over another (usually the defaults): its codes and labels are tried
 * before the base's, and its custom fields are added.
 */
export function mergeFieldMappings(base: FieldMappings, extra: FieldMappings): FieldMappings {
  const out: FieldMappings = {};
  for (const crm of crmIdSchema.options) {
    const b = base[crm];
    const e = extra[crm];
    if (!b && !e) continue;
    const merged: CrmFieldMapping = { ...b };
    for (const [key, src] of Object.entries(e ?? {})) {
      const prev = merged[key];
      merged[key] = prev
        ? {
            codes: union(src.codes, prev.codes),
            labels: { ja: union(src.labels.ja, prev.labels.ja), en: union(src.labels.en, prev.labels.en) },
          }
        : src;
    }
    out[crm] = merged;
  }
  return out;
}

/** What a CRM status says about a lead's outcome, once the rule set's status mapping has named its stage. */
export type StatusMeaning = 'sql' | 'opportunity' | 'won' | 'lost';

/**
 * The outcome a stage records for the KPIs, or null for the CRM's bookkeeping stages (new, contacted,
 * recycled...). Sales accepting a lead (sql), converting it (converted: an opportunity, 商談化), winning
 * (won, 受注) or losing it (lost, 失注) in the CRM counts as if it had been said in Baton.
 */
export function statusMeaning(stage: Stage): StatusMeaning | null {
  switch (stage) {
    case 'sql':
      return 'sql';
    case 'converted':
      return 'opportunity';
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
    default:
      return null;
  }
}
