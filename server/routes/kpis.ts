/**
 * KPIs of the handoff (follow-up, conversion, the scoring review and what-if replays), and the import of
 * outcomes from the CRM as CSV.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import {
  kpiQuerySchema,
  OUTCOMES_MAX_BYTES,
  whatIfDraftBodySchema,
  whatIfQuerySchema,
} from '../../lib/kpi/api';
import { validateRuleSet } from '../../lib/rules';
import { allow, type Env, HttpProblem, invalidInput, readCsv, readJson, valid } from '../http';
import { RulesInvalidError } from '../rules';
import type { Services } from '../services';
import { registerKpiLeadsRoute } from './kpi-leads';

/**
 * KPIs break follow-up down by owner: a rep would see how each colleague is doing, which is for their
 * manager to discuss with them, not for the team to compare.
 */
const readKpis: MiddlewareHandler<Env> = async (c, next) => {
  const role = c.get('principal')?.role;
  if (role !== 'manager' && role !== 'marketer' && role !== 'admin') {
    throw new HttpProblem(403, 'forbidden', {
      ja: 'KPI は担当者ごとの対応状況（同僚の名前）を含むため、manager・marketer・admin の権限が必要です',
      en: 'KPIs show follow-up by owner (colleagues by name), so they need the role manager, marketer or admin',
    });
  }
  await next();
};

export function kpiRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/v1/kpis', readKpis, async (c) => {
    return c.json(await s.kpis.report(valid(kpiQuerySchema, c.req.query())));
  });

  app.get('/v1/kpis/review', readKpis, async (c) => {
    return c.json(await s.kpis.review(valid(kpiQuerySchema, c.req.query())));
  });

  app.get('/v1/kpis/whatif', readKpis, async (c) => {
    return c.json(await s.kpis.whatIf(valid(whatIfQuerySchema, c.req.query())));
  });

  // The editor's draft against the team's history before anyone proposes it: a POST, since a rule set
  // does not fit a query string; nothing is stored.
  app.post('/v1/kpis/whatif', readKpis, async (c) => {
    const body = valid(whatIfDraftBodySchema, await readJson(c, s.config.maxBodyBytes));
    const checked = validateRuleSet(body.rules);
    if (!checked.ok) {
      throw new RulesInvalidError(checked.problems.map((p) => ({ ...p, path: ['rules', ...p.path] })));
    }
    const query = valid(whatIfQuerySchema, { from: body.from, to: body.to });
    return c.json(await s.kpis.whatIf(query, checked.value));
  });

  registerKpiLeadsRoute(app, s, { readKpis, invalidInput });

  app.post('/v1/outcomes', allow('marketer', 'manager', 'admin'), async (c) => {
    const csv = await readCsv(c, OUTCOMES_MAX_BYTES);
    return c.json(await s.kpis.importOutcomes(csv));
  });

  return app;
}
