/**
 * Page maps (issue 15): CSS selectors and labels that repair CRM reading, published by marketing or an
 * admin and polled by every browser with their own ETag.
 */
import { Hono } from 'hono';
import { pageMapBodySchema } from '../../lib/crm/page-map';
import { allow, type Env, HttpProblem, matchesEtag, readJson, valid } from '../http';
import { PageMapStore, pageMapEtag } from '../page-maps';
import { PEOPLE_ROLES } from '../principal';
import type { Services } from '../services';

export function pageMapRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  let pageMapStore: PageMapStore | undefined;
  const pageMaps = () => (pageMapStore ??= new PageMapStore(s.store.db));
  app.get('/v1/page-map', allow(...PEOPLE_ROLES), async (c) => {
    const map = await pageMaps().current();
    if (!map) {
      throw new HttpProblem(404, 'no_page_map', {
        ja: 'ページマップはまだ公開されていません',
        en: 'No page map has been published yet',
      });
    }
    const headers = { etag: pageMapEtag(map), 'cache-control': 'private, no-cache' };
    if (matchesEtag(c.req.header('if-none-match'), headers.etag)) return c.body(null, 304, headers);
    return c.json(map, 200, headers);
  });

  app.put('/v1/page-map', allow('marketer', 'admin'), async (c) => {
    // Refused whole: one bad selector or unknown key and nothing of the document is published.
    const body = valid(pageMapBodySchema, await readJson(c, s.config.maxBodyBytes));
    const map = await pageMaps().publish(body);
    return c.json(map, 200, { etag: pageMapEtag(map) });
  });

  return app;
}
