import { crmAdapters } from '../../lib/crm';

/**
 * The CRM hosts whose pages the content script may read, derived from the adapters (each CRM's hosts
 * live in its adapter file only). The script does nothing on a matching page that is not a lead record
 * or lead list: the adapter decides from the URL alone before touching the DOM.
 */
export const crmMatchPatterns: string[] = [
  ...new Set(crmAdapters.flatMap((adapter) => adapter.matchPatterns)),
];
