/**
 * A stable string key for maps and IndexedDB: "salesforce:Lead:00Q...". In its own module, free of
 * zod, because the content script needs it and must stay small; it takes any lead key's three parts
 * (lib/lead.ts LeadKey) without importing that module, which re-exports this one.
 */
export function leadKeyString(key: { crm: string; object: string; recordId: string }): string {
  return `${key.crm}:${key.object}:${key.recordId}`;
}
