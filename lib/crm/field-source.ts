/**
 * The adapters' built-in mappings are written with these: plain data and a type, no zod, because the
 * adapters are in the content script, which must stay small (lib/crm/mapping.ts holds the schemas).
 */
import type { LeadField } from '../lead';
import type { FieldSource } from './mapping';

/** Where a CRM shows one lead field: its codes, then its labels in ja and en. */
export function fieldSource(codes: string[], ja: string[], en: string[]): FieldSource {
  return { codes, labels: { ja, en } };
}

/** A CRM's built-in mapping: every standard lead field (each adapter owns its own). */
export type CrmDefaults = Readonly<Record<LeadField, FieldSource>>;
