/**
 * What browsers tell the team: batches of events (stored once per idempotency key, answered with a receipt
 * each), and the team's latest state of the leads a browser is showing.
 */
import { Hono } from 'hono';
import { eventBatchSchema, type RecordedBy, teamStateRequestSchema } from '../../lib/events';
import { leadKeyString } from '../../lib/lead';
import type { Problem } from '../../lib/problems';
import { allow, type Env, HttpProblem, jsonText, readJson, valid } from '../http';
import { prepareEvent } from '../prepare-event';
import { PEOPLE_ROLES } from '../principal';
import type { Services } from '../services';
import { type EventStore, IdempotencyConflictError } from '../storage/events';
import { teamStateBody, teamStateEntry } from '../team-state';

export function eventsRoutes(s: Services): Hono<Env> {
  const app = new Hono<Env>();

  app.post('/v1/events', allow(...PEOPLE_ROLES), async (c) => {
    const body = await readJson(c, s.config.maxBodyBytes);
    const raw = (body as { events?: unknown } | null)?.events;
    if (Array.isArray(raw)) {
      if (raw.length > s.config.maxBatchEvents) {
        throw new HttpProblem(413, 'batch_too_large', {
          ja: `1回に送れるイベントは${s.config.maxBatchEvents}件までです。分割して送ってください`,
          en: `A batch holds at most ${s.config.maxBatchEvents} events; split it`,
        });
      }
      const oversized: Problem[] = [];
      raw.forEach((event, i) => {
        // readJson bounded the nesting, so this cannot overflow the stack.
        if (Buffer.byteLength(JSON.stringify(event) ?? '') > s.config.maxEventBytes) {
          oversized.push({
            path: ['events', i],
            message: {
              ja: `イベントが大きすぎます（上限 ${s.config.maxEventBytes} バイト）`,
              en: `The event is too large (limit ${s.config.maxEventBytes} bytes)`,
            },
          });
        }
      });
      if (oversized.length > 0) {
        throw new HttpProblem(
          413,
          'event_too_large',
          {
            ja: `${s.config.maxEventBytes} バイトを超えるイベントがあります`,
            en: `An event exceeds ${s.config.maxEventBytes} bytes`,
          },
          oversized,
        );
      }
    }
    const { events } = valid(eventBatchSchema, body);
    const principal = c.get('principal')!;
    const recordedBy: RecordedBy = { tokenId: principal.tokenId, name: principal.name };
    const prepared = events.map((e) => prepareEvent(e, s.webhook !== undefined, recordedBy));
    let result: Awaited<ReturnType<EventStore['record']>>;
    try {
      result = await s.store.events.record(prepared, principal.tokenId, s.clock(), await s.kpis.calendar());
    } catch (error) {
      if (!(error instanceof IdempotencyConflictError)) throw error;
      s.metrics.idempotencyConflicts.inc();
      const conflicting = new Set(error.keys);
      throw new HttpProblem(
        409,
        'idempotency_conflict',
        {
          ja: '同じ idempotencyKey で内容の異なるイベントがあります。どのイベントも保存していません',
          en: 'An idempotencyKey was reused with a different event; nothing in this batch was stored',
        },
        prepared.flatMap((e, i) =>
          conflicting.has(e.key)
            ? [
                {
                  path: ['events', i, 'idempotencyKey'],
                  message: {
                    ja: 'このキーは別の内容で記録済みです。新しいキーを使ってください',
                    en: 'This key was recorded with a different body; use a new key',
                  },
                },
              ]
            : [],
        ),
      );
    }
    for (const e of result.recorded) s.metrics.eventsRecorded.inc({ type: e.type });
    const replayed = prepared.length - result.recorded.length;
    if (replayed > 0) s.metrics.eventsReplayed.inc({}, replayed);
    if (result.recorded.some((e) => e.toWebhook)) s.webhook?.kick();
    const receipts = events.map((e, i) => {
      const receipt = result.receipts.get(prepared[i]!.key)!;
      return {
        idempotencyKey: e.idempotencyKey,
        seq: receipt.seq,
        recordedAt: new Date(receipt.recordedAt).toISOString(),
      };
    });
    return c.json({ receipts });
  });

  app.post('/v1/team-state', allow(...PEOPLE_ROLES), async (c) => {
    const { leads } = valid(teamStateRequestSchema, await readJson(c, s.config.maxBodyBytes));
    const keys = leads.map(leadKeyString);
    const state = await s.store.events.leadState(keys);
    const entries = leads.map((lead, i) => teamStateEntry(JSON.stringify(lead), state.get(keys[i]!)));
    return jsonText(c, teamStateBody(entries));
  });

  return app;
}
