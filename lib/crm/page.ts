import type { LeadKey, LeadSnapshot } from '../lead';
import { fallbackListRows, type ReadTier, readFallback } from './fallback';
import type { FieldMappings } from './mapping';
import { crmMapping } from './read';
import type { CrmAdapter, ExtractOptions, ListRow } from './types';

export type { ReadTier } from './fallback';

/** What a record page yielded: the URL's lead always, its fields when any could be read, and how. */
export interface RecordRead {
  key: LeadKey;
  /** Null when no field could be read: the panel says so instead of scoring an empty lead. */
  snapshot: LeadSnapshot | null;
  /** Which tier read each field. */
  tiers: Record<string, ReadTier>;
}

/**
 * Reads a record page in tiers: the adapter's selectors, then stable hooks, then labels (ja/en). Null
 * only when the URL is not a lead record of this adapter; a recognised record with nothing readable
 * still yields its key, so the rep gets a panel that says so.
 */
export function readRecord(
  adapter: CrmAdapter,
  root: ParentNode,
  url: URL,
  mappings: FieldMappings,
  options: ExtractOptions = {},
): RecordRead | null {
  const key = adapter.pageKind(url) === 'record' ? adapter.recordKey(url) : null;
  if (!key) return null;
  const own = adapter.extract(root, url, mappings, options);
  const mapping = crmMapping(mappings, adapter.id);
  const fields: Record<string, string> = { ...own?.fields };
  const tiers: Record<string, ReadTier> = {};
  for (const field of Object.keys(fields)) tiers[field] = 'selector';
  const missing = new Set(Object.keys(mapping).filter((field) => !(field in fields)));
  const scope = adapter.recordScope ? adapter.recordScope(root, url) : root;
  if (scope && missing.size > 0) {
    const more = readFallback(
      { root: scope, outside: adapter.outside ?? [] },
      mapping,
      missing,
      adapter.labels,
    );
    Object.assign(fields, more.fields);
    Object.assign(tiers, more.tiers);
  }
  if (Object.keys(fields).length === 0) return { key, snapshot: null, tiers };
  return {
    key,
    snapshot: { ...key, url: url.href, fields, activities: own?.activities ?? [] },
    tiers,
  };
}

/** The lead rows of a list view: the adapter's reading, else every link to a lead record marks a row. */
export function readList(
  adapter: CrmAdapter,
  root: ParentNode,
  url: URL,
  mappings: FieldMappings,
  options: ExtractOptions = {},
): { rows: ListRow[]; tier: ReadTier | null } {
  if (adapter.pageKind(url) !== 'list') return { rows: [], tier: null };
  const own = adapter.listRows(root, url, mappings, options);
  if (own.length > 0) return { rows: own, tier: 'selector' };
  const rows = fallbackListRows(
    root,
    url,
    (link) => (adapter.pageKind(link) === 'record' ? adapter.recordKey(link) : null),
    crmMapping(mappings, adapter.id),
    adapter.outside,
    adapter.labels,
  );
  return { rows, tier: rows.length > 0 ? 'label' : null };
}

/** Tier counts of one page's read, from the per-field tiers (for the health report). */
export function tierCounts(tiers: Readonly<Record<string, ReadTier>>): Record<ReadTier, number> {
  const out: Record<ReadTier, number> = { selector: 0, hook: 0, label: 0 };
  for (const tier of Object.values(tiers)) out[tier] += 1;
  return out;
}
