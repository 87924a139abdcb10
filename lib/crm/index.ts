import type { CrmId, Stage } from '../lead';
import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
import type { CrmFieldMapping } from './mapping';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import type { CrmAdapter } from './types';
import { zoho } from './zoho';

export type { CrmAdapter, ExtractOptions, ListRow, PageKind } from './types';

/** Every CRM Baton reads, one adapter each. */
export const crmAdapters: readonly CrmAdapter[] = [salesforce, hubspot, dynamics, zoho, pipedrive, kintone];

/** The adapter for a CRM lead page, or null: pages that are not lead pages get no work at all. */
export function adapterFor(url: URL): CrmAdapter | null {
  for (const adapter of crmAdapters) {
    if (adapter.matches(url)) return adapter;
  }
  return null;
}

/** The CRM as people name it ("Zoho CRM", "Dynamics 365"), from its adapter; the id itself if unknown. */
export function crmName(id: string): string {
  return crmAdapters.find((adapter) => adapter.id === id)?.name ?? id;
}

/** The mapping Baton ships with: each adapter's standard fields (a rule set adds to it). */
export const defaultFieldMappings: Readonly<Record<CrmId, CrmFieldMapping>> = Object.fromEntries(
  crmAdapters.map((adapter): [CrmId, CrmFieldMapping] => [adapter.id, { ...adapter.fields }]),
) as Record<CrmId, CrmFieldMapping>;

/** The status mapping Baton ships with: each adapter's standard statuses (CRMs with none left out). */
export const defaultStatusMapping: Partial<Record<CrmId, Record<string, Stage>>> = Object.fromEntries(
  crmAdapters
    .filter((adapter) => Object.keys(adapter.statuses).length > 0)
    .map((adapter) => [adapter.id, { ...adapter.statuses }]),
);
