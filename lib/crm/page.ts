import type { LeadKey, LeadSnapshot } from '../lead';
import { fallbackListRows, type ReadTier, readFallback } from './fallback';
import type { FieldMappings } from './mapping';
import type { CrmPageMap } from './page-map';
import { crmMapping, fieldValue, isHidden } from './read';
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
  pageMap?: CrmPageMap,
): RecordRead | null {
  const key = adapter.pageKind(url) === 'record' ? adapter.recordKey(url) : null;
  if (!key) return null;
  const scope = adapter.recordScope ? adapter.recordScope(root, url) : root;
  const outside = [...(adapter.outside ?? []), ...parsing(root, pageMap?.outside ?? [])];
  // A published page map overrides the adapter: it exists because the adapter reads this page wrong.
  const fields: Record<string, string> = scope && pageMap ? bySelectors(scope, pageMap, outside) : {};
  const own = adapter.extract(root, url, mappings, adapter.recordScope ? { ...options, scope } : options);
  for (const [field, value] of Object.entries(own?.fields ?? {}))
    if (!(field in fields)) fields[field] = value;
  const mapping = crmMapping(mappings, adapter.id);
  const tiers: Record<string, ReadTier> = {};
  for (const field of Object.keys(fields)) tiers[field] = 'selector';
  const missing = new Set(Object.keys(mapping).filter((field) => !(field in fields)));
  if (scope && missing.size > 0) {
    const more = readFallback(
      { root: scope, outside },
      mapping,
      missing,
      withMapLabels(adapter.labels, pageMap),
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
  pageMap?: CrmPageMap,
): { rows: ListRow[]; tier: ReadTier | null } {
  if (adapter.pageKind(url) !== 'list') return { rows: [], tier: null };
  const recordKey = (link: URL) => (adapter.pageKind(link) === 'record' ? adapter.recordKey(link) : null);
  const mapping = crmMapping(mappings, adapter.id);
  const outside = [...(adapter.outside ?? []), ...parsing(root, pageMap?.outside ?? [])];
  const labels = withMapLabels(adapter.labels, pageMap);
  // A published page map's rows come first: it exists because the adapter reads this list wrong.
  const mapRows = parsing(root, pageMap?.list?.rows ?? []);
  if (pageMap && mapRows.length > 0) {
    const rows = fallbackListRows(root, url, recordKey, mapping, outside, labels, mapRows.join(', '));
    for (const row of rows) Object.assign(row.fields, bySelectors(row.element, pageMap, outside));
    if (rows.length > 0) return { rows, tier: 'selector' };
  }
  const own = adapter.listRows(root, url, mappings, options);
  if (own.length > 0) return { rows: own, tier: 'selector' };
  const rows = fallbackListRows(root, url, recordKey, mapping, outside, labels);
  return { rows, tier: rows.length > 0 ? 'label' : null };
}

/** Tier counts of one page's read, from the per-field tiers (for the health report). */
export function tierCounts(tiers: Readonly<Record<string, ReadTier>>): Record<ReadTier, number> {
  const out: Record<ReadTier, number> = { selector: 0, hook: 0, label: 0 };
  for (const tier of Object.values(tiers)) out[tier] += 1;
  return out;
}

/** The page map's selectors, per field, first visible non-empty match wins; a selector that does not parse is skipped. */
function bySelectors(
  scope: ParentNode,
  pageMap: CrmPageMap,
  outside: readonly string[],
): Record<string, string> {
  const fields: Record<string, string> = {};
  const never = outside.join(', ');
  for (const [field, source] of Object.entries(pageMap.fields)) {
    for (const selector of source.selectors) {
      let found: Element[] = [];
      try {
        found = [...scope.querySelectorAll(selector)];
      } catch {
        continue;
      }
      const el = found.find((e) => !isHidden(e) && !(never && safeClosest(e, never)));
      const value = el ? fieldValue(el) : '';
      if (value) {
        fields[field] = value;
        break;
      }
    }
  }
  return fields;
}

function safeClosest(el: Element, selector: string): boolean {
  try {
    return el.closest(selector) !== null;
  } catch {
    return false;
  }
}

/** The CRM's standard labels plus the page map's, by field. */
function withMapLabels(
  labels: Readonly<Record<string, readonly string[]>> | undefined,
  pageMap: CrmPageMap | undefined,
): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = { ...labels };
  for (const [field, source] of Object.entries(pageMap?.fields ?? {})) {
    out[field] = [...(out[field] ?? []), ...source.labels.ja, ...source.labels.en];
  }
  return out;
}

/** The selectors this DOM can parse: one bad entry of a page map must not stop the reading. */
function parsing(root: ParentNode, selectors: readonly string[]): string[] {
  return selectors.filter((selector) => {
    try {
      root.querySelector(selector);
      return true;
    } catch {
      return false;
    }
  });
}
