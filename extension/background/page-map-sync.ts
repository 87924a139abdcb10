import { type CrmPageMap, pageMapSchema } from '../../lib/crm/page-map';
import type { CrmId } from '../../lib/lead';
import type { BatonDb } from '../db';
import { EndpointError, endpointFetch } from '../endpoint';
import type { SyncDeps } from './sync';

export type PageMapOutcome = 'updated' | 'unchanged' | 'none' | 'refused' | 'stale' | 'skipped';

/**
 * Pulls the published page map with its ETag, on every sync run (about a minute), so a layout repair
 * reaches open CRM tabs within a minute. A document that fails validation is refused whole and the last
 * good one stays in force; an older version (another endpoint instance lagging) never replaces a newer.
 */
export async function pullPageMap(deps: SyncDeps): Promise<PageMapOutcome> {
  const config = await deps.config();
  if (!config || !(await deps.canReach(config.url))) return 'skipped';
  const stored = await deps.database.pageMaps.get('active');
  let response: Response;
  try {
    response = await endpointFetch(
      config,
      '/v1/page-map',
      { headers: stored?.etag ? { 'if-none-match': stored.etag } : {} },
      deps.transport,
    );
  } catch (error) {
    // An endpoint that has no page map yet (or predates them) answers 404: nothing to apply.
    if (error instanceof EndpointError && error.status === 404) return 'none';
    throw error;
  }
  if (response.status === 304) return 'unchanged';
  const parsed = pageMapSchema.safeParse(await response.json());
  if (!parsed.success) {
    console.warn('Baton: the published page map is invalid and was not applied', parsed.error.issues);
    return 'refused';
  }
  if (stored && stored.map.version > parsed.data.version) return 'stale';
  await deps.database.pageMaps.put({
    slot: 'active',
    map: parsed.data,
    etag: response.headers.get('etag') ?? undefined,
    receivedAt: await deps.now(),
  });
  return 'updated';
}

/** The page map's overrides for one CRM, for the page config a content script asks for. */
export async function pageMapFor(database: BatonDb, crm: CrmId): Promise<CrmPageMap | undefined> {
  return (await database.pageMaps.get('active'))?.map.crms[crm];
}
