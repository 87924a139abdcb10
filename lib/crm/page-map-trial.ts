import { defaultFieldMappings } from '.';
import { adapterFor } from './index';
import type { FieldMappings } from './mapping';
import { type ReadTier, readList, readRecord } from './page';
import type { PageMapBody } from './page-map';
import type { PageKind } from './types';

/** What a page map reads on a saved page: per field, the value and the tier, before and after the map. */
export interface PageMapTrial {
  crm: string;
  crmName: string;
  pageKind: PageKind;
  recordId: string | null;
  /** Record pages: one row per field read with or without the map. */
  fields: { field: string; without: string | null; with: string | null; tier: ReadTier | null }[];
  /** List pages: rows read with and without the map. */
  rows: { without: number; with: number };
}

/**
 * Tries a page map on a saved CRM page (the document is the caller's inert parse, never the live page):
 * the CRM and page kind come from the URL, as in the browser; the result is text only.
 */
export function tryPageMap(
  doc: ParentNode,
  url: URL,
  body: PageMapBody | null,
  mappings: FieldMappings = defaultFieldMappings,
): PageMapTrial | null {
  const adapter = adapterFor(url);
  const kind = adapter?.pageKind(url) ?? null;
  if (!adapter || !kind) return null;
  const map = body?.crms[adapter.id];
  const base = { crm: adapter.id, crmName: adapter.name, pageKind: kind };
  if (kind === 'list') {
    const without = readList(adapter, doc, url, mappings).rows.length;
    const withMap = readList(adapter, doc, url, mappings, {}, map).rows.length;
    return { ...base, recordId: null, fields: [], rows: { without, with: withMap } };
  }
  const before = readRecord(adapter, doc, url, mappings);
  const after = readRecord(adapter, doc, url, mappings, {}, map);
  const names = [
    ...new Set([
      ...Object.keys(before?.snapshot?.fields ?? {}),
      ...Object.keys(after?.snapshot?.fields ?? {}),
    ]),
  ];
  return {
    ...base,
    recordId: after?.key.recordId ?? null,
    fields: names.map((field) => ({
      field,
      without: before?.snapshot?.fields[field] ?? null,
      with: after?.snapshot?.fields[field] ?? null,
      tier: after?.tiers[field] ?? null,
    })),
    rows: { without: 0, with: 0 },
  };
}
