/**
 * CRM read health (issue 15): how often each browser read each CRM page well, as counts only; a browser's
 * totals are replaced on every report.
 */
import { Hono } from 'hono';
import { healthDay, readHealthQuerySchema, readHealthReportSchema } from '../../lib/crm/health';
import { allow, type Env, readJson, valid } from '../http';
import { PEOPLE_ROLES } from '../principal';
import { countReadHealth, ReadHealthStore } from '../read-health';
import type { Services } from '../services';

export function readHealthRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  // Made on first use: the route table is also built without services (server/fuzz/coverage.test.ts).
  let readHealthStore: ReadHealthStore | undefined;
  const readHealth = () => (readHealthStore ??= new ReadHealthStore(s.store.db));
  app.post('/v1/read-health', allow(...PEOPLE_ROLES), async (c) => {
    const report = valid(readHealthReportSchema, await readJson(c, s.config.maxBodyBytes));
    const principal = c.get('principal')!;
    const grown = await readHealth().report(principal.tokenId, report.reporter, report.counts, s.clock());
    countReadHealth(s.metrics, grown);
    return c.json({ accepted: report.counts.length });
  });

  app.get('/v1/read-health', allow('marketer', 'manager', 'admin'), async (c) => {
    const query = valid(readHealthQuerySchema, c.req.query());
    const since = query.since ?? healthDay(s.clock() - 30 * 86_400_000);
    return c.json({ counts: await readHealth().counts(since) });
  });

  return app;
}
