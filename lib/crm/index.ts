import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
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
