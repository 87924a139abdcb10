import { crmAdapters } from '../../lib/crm';

/**
 * Every CRM host an adapter accepts, derived from the adapters (each CRM's hosts live in its adapter file
 * only): the pages that may frame the feedback form (web_accessible_resources). Each CRM's content script
 * is injected on its own adapter's patterns (extension/content/main.ts).
 */
export const crmMatchPatterns: string[] = [
  ...new Set(crmAdapters.flatMap((adapter) => adapter.matchPatterns)),
];
