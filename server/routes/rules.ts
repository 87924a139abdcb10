/**
 * The agreed rule set: the active version every browser polls (with an ETag), the history, and the writes
 * of the sign-off workflow (a draft, each side's sign-off, a rollback).
 */
import { type Context, Hono } from 'hono';
import { ruleDraftBodySchema, ruleRollbackBodySchema, ruleSignoffBodySchema } from '../../lib/events';
import { RULE_WRITE_ROLES } from '../../lib/roles';
import { allow, type Env, HttpProblem, jsonText, matchesEtag, readJson, valid } from '../http';
import { PEOPLE_ROLES } from '../principal';
import type { Services } from '../services';
import { versionNotFound } from '../storage/rule-versions';

/** The path thousands of polling browsers ask most (app.ts answers its 304 on a fast path too). */
export const ACTIVE_RULES = '/v1/rules/active';
/** Who may read the active rules: the route's guard and the 304 fast path (server/app.ts) ask the same. */
export const ACTIVE_RULES_ROLES = PEOPLE_ROLES;

function versionParam(c: Context): number {
  const raw = c.req.param('version') ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    throw new HttpProblem(400, 'invalid_version', {
      ja: 'バージョンは1以上の整数で指定してください',
      en: 'A version is a whole number of 1 or more',
    });
  }
  return Number(raw);
}

export function rulesRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  app.get(ACTIVE_RULES, allow(...ACTIVE_RULES_ROLES), async (c) => {
    const active = await s.rules.active();
    if (!active) {
      throw new HttpProblem(404, 'no_active_rules', {
        ja: '有効なルールがまだありません（拡張機能は内蔵の既定ルールを使います）',
        en: 'No rule set is active yet (extensions use their built-in default)',
      });
    }
    const headers = { etag: active.etag, 'cache-control': 'private, no-cache' };
    if (matchesEtag(c.req.header('if-none-match'), active.etag)) return c.body(null, 304, headers);
    return jsonText(c, active.body, headers);
  });

  app.get('/v1/rules/versions', allow(...PEOPLE_ROLES), async (c) =>
    c.json({ versions: await s.rules.history() }),
  );

  app.get('/v1/rules/versions/:version', allow(...PEOPLE_ROLES), async (c) => {
    const version = await s.rules.version(versionParam(c));
    if (!version) throw versionNotFound(versionParam(c));
    return c.json(version);
  });

  app.post('/v1/rules/drafts', allow(...RULE_WRITE_ROLES.propose), async (c) => {
    const body = valid(ruleDraftBodySchema, await readJson(c, s.config.maxBodyBytes));
    const version = await s.rules.draft(body.rules, body.note ?? null, c.get('principal')!);
    return c.json(version, 201);
  });

  app.post('/v1/rules/versions/:version/signoffs', allow(...RULE_WRITE_ROLES.signOff), async (c) => {
    const version = versionParam(c);
    const body = valid(ruleSignoffBodySchema, await readJson(c, s.config.maxBodyBytes, {}));
    return c.json(await s.rules.signOff(version, c.get('principal')!, body.comment ?? null));
  });

  app.post('/v1/rules/rollbacks', allow(...RULE_WRITE_ROLES.rollback), async (c) => {
    const body = valid(ruleRollbackBodySchema, await readJson(c, s.config.maxBodyBytes));
    const version = await s.rules.rollback(body.toVersion, body.note ?? null, c.get('principal')!);
    return c.json(version, 201);
  });

  return app;
}
