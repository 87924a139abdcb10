import type { LeadKey } from './lead';

/**
 * A stable string key for maps and IndexedDB: "salesforce:Lead:00Q...". In its own module, free of
 * zod, because the content script needs it and must stay small.
 */
export function leadKeyString(key: LeadKey): string {
  return `${key.crm}:${key.object}:${key.recordId}`;
}
