/**
 * Handoff intake: automations (HubSpot, kintone, Pipedrive, Salesforce, CSV) hand leads over with their own
 * token; an admin sees what was refused; reps see the open handoffs of their owners.
 */
import { Hono } from 'hono';
import { CONTACTED_OR_BEYOND } from '../../lib/evaluate';
import { TEAM_STATE_MAX_LEADS } from '../../lib/events';
import { intakeSourceSchema } from '../../lib/intake/mapping';
import { OUTCOMES_MAX_BYTES } from '../../lib/kpi/api';
import { isPlainText } from '../../lib/plain-text';
import { allow, type Env, HttpProblem, invalidInput, jsonText, readCsv, readJson } from '../http';
import { PEOPLE_ROLES } from '../principal';
import type { Services } from '../services';
import { slotFields, teamStateBody, teamStateEntry } from '../team-state';

export function intakeRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/v1/intake/refusals', allow('admin'), async (c) => {
    const raw = c.req.query('since');
    const since = raw === undefined ? s.clock() - 86_400_000 : Date.parse(raw);
    if (!Number.isFinite(since)) {
      throw invalidInput([
        {
          path: ['since'],
          message: {
            ja: 'since は ISO 8601 の日時です（例: 2026-11-20T09:00:00+09:00）',
            en: 'since is an ISO 8601 date-time (e.g. 2026-11-20T09:00:00+09:00)',
          },
        },
      ]);
    }
    const sources = (await s.intake.refusalsSince(since)).map((r) => ({
      ...r,
      lastRefusedAt: new Date(r.lastRefusedAt).toISOString(),
    }));
    return c.json({ since: new Date(since).toISOString(), sources });
  });

  app.get('/v1/handoffs/open', allow(...PEOPLE_ROLES), async (c) => {
    const given = (c.req.queries('owner') ?? []).map((o) => o.trim());
    // A control character is no one's name, and PostgreSQL refuses a NUL in text: refused, never a 500.
    if (given.some((o) => !isPlainText(o))) {
      throw invalidInput([
        {
          path: ['owner'],
          message: {
            ja: 'owner に制御文字は使えません',
            en: 'An owner may not contain control characters',
          },
        },
      ]);
    }
    const owners = given.filter((o) => o !== '' && o.length <= 200);
    if (owners.length === 0 || owners.length > 10) {
      throw invalidInput([
        {
          path: ['owner'],
          message: {
            ja: 'owner に担当者名（CRM での表示名や ID）を1〜10件指定してください',
            en: 'Give 1 to 10 owner parameters (the owner as the CRM names them, or their id)',
          },
        },
      ]);
    }
    const keys = await s.intake.openHandoffs(owners, TEAM_STATE_MAX_LEADS);
    const state = await s.store.events.leadState(keys);
    // As /v1/team-state answers, stored bodies spliced in; the lead key from the handoff event itself.
    const entries = keys.flatMap((key) => {
      const slots = state.get(key);
      const handoff = slotFields(slots, 'handoff');
      if (!handoff) return [];
      // A CRM status at contacted or beyond (recorded as a stage) means sales has touched it.
      const stage = slotFields(slots, 'stage');
      if (stage && CONTACTED_OR_BEYOND.has(stage.to as string)) return [];
      return [teamStateEntry(JSON.stringify(handoff.lead), slots)];
    });
    return jsonText(c, teamStateBody(entries));
  });

  app.post('/v1/intake/:source', async (c) => {
    const source = intakeSourceSchema.safeParse(c.req.param('source'));
    if (!source.success) {
      throw new HttpProblem(404, 'unknown_source', {
        ja: '取り込み元は hubspot・kintone・pipedrive・salesforce・csv のいずれかです',
        en: 'The intake source is hubspot, kintone, pipedrive, salesforce or csv',
      });
    }
    const principal = c.get('principal')!;
    // Each source has its own secret: a leaked kintone token cannot post as HubSpot.
    if (principal.role !== 'intake' || principal.name !== source.data) {
      throw new HttpProblem(403, 'forbidden', {
        ja: `取り込みには「${source.data}」という名前の intake トークンが必要です（token create --role intake --name ${source.data}）`,
        en: `Intake needs an intake token named "${source.data}" (token create --role intake --name ${source.data})`,
      });
    }
    let body: { csv: string } | { json: unknown };
    try {
      body =
        source.data === 'csv'
          ? { csv: await readCsv(c, OUTCOMES_MAX_BYTES) }
          : { json: await readJson(c, s.config.maxBodyBytes) };
    } catch (error) {
      if (error instanceof HttpProblem) {
        await s.intake.countRefusal(source.data, error.problems ?? [{ path: [], message: error.text }]);
      }
      throw error;
    }
    const handoffs =
      'csv' in body
        ? await s.intake.receiveCsv(body.csv, principal)
        : await s.intake.receiveJson(source.data, body.json, principal);
    return c.json({ handoffs });
  });

  return app;
}
