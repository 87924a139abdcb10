/**
 * The endpoint itself and who is calling: its health for load balancers (no token), its metrics for an
 * admin, its OpenAPI document, and the caller's own token.
 */
import { Hono } from 'hono';
import type { MeResponse } from '../../lib/events';
import { allow, type Env } from '../http';
import { PEOPLE_ROLES } from '../principal';
import type { Services } from '../services';

/** Answered before the token check: a load balancer has no token. */
export function healthRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/health', async (c) => {
    await s.store.ruleVersions.activeVersionNumber();
    return c.json({ status: 'ok' });
  });
  return app;
}

export function serviceRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/metrics', allow('admin'), async (c) => {
    return c.body(s.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.get('/openapi.json', allow(...PEOPLE_ROLES), (c) => c.json(s.openapi() as object));

  app.get('/v1/me', allow(...PEOPLE_ROLES), (c) => {
    const { role, name, tokenId } = c.get('principal')!;
    const me: MeResponse = { role, name, tokenId };
    return c.json(me);
  });

  return app;
}
