/**
 * Every event on its way into the store, whoever sent it (a browser, intake, the SLA watch, the demo seed).
 */
import { createHash } from 'node:crypto';
import { isBeyondRep } from '../lib/alerts';
import { type BatonEvent, type RecordedBy, teamStateSlotOf } from '../lib/events';
import { leadKeyString } from '../lib/lead';
import { escalationStepKey, escalationStepOf } from './escalation-steps';
import type { PreparedEvent } from './storage/events';

/**
 * An event as the store keeps it: its key, body and hash, lead key and team-state slot. The body carries
 * `recordedBy`, the token that sent it; the hash covers what the client sent, so its retries match. An
 * escalation step is keyed by what it is (escalation-steps.ts), and every report of it is the same step.
 */
export function prepareEvent(event: BatonEvent, webhookOn: boolean, recordedBy?: RecordedBy): PreparedEvent {
  const sent = JSON.stringify(event);
  // `{ ...event, recordedBy }` serialised is `sent` with one more member last: spliced on rather than the
  // event serialised a second time (prepareEvent was the ingest path's top frame of its own). A parsed
  // event has no recordedBy of its own (the schemas drop it); one that does takes the long way.
  const body = !recordedBy
    ? sent
    : 'recordedBy' in event
      ? JSON.stringify({ ...event, recordedBy })
      : `${sent.slice(0, -1)},"recordedBy":${JSON.stringify(recordedBy)}}`;
  const key =
    event.type === 'escalation_step' ? escalationStepKey(escalationStepOf(event)) : event.idempotencyKey;
  return {
    key,
    hash: createHash('sha256')
      .update(event.type === 'escalation_step' ? key : sent)
      .digest('hex'),
    type: event.type,
    leadKey: leadKeyString(event.lead),
    occurredAt: Date.parse(event.occurredAt),
    body,
    slot: teamStateSlotOf[event.type],
    event,
    toWebhook: webhookOn && event.type === 'escalation_step' && isBeyondRep(event.kind),
  };
}
