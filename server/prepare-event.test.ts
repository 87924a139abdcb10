import { describe, expect, it } from 'vitest';
import { eventSchema } from '../lib/events';
import { prepareEvent } from './prepare-event';

describe('prepareEvent', () => {
  const sent = {
    type: 'handoff_observed',
    idempotencyKey: '0b7d3c1e-6a53-4a7e-9d0f-2f7f6a1c9e11',
    occurredAt: '2026-11-25T01:02:03.000Z',
    lead: { crm: 'salesforce', object: 'Lead', recordId: '00Q000000000001' },
    rulesVersion: 1,
    actor: { name: '山田 "太郎"' },
    handoffAt: '2026-11-25T01:02:03.000Z',
    dueAt: '2026-11-25T02:02:03.000Z',
    reason: 'threshold',
    score: 64,
    owner: '佐藤 花子',
    recordedBy: { tokenId: 'forged', name: 'forged' },
  };

  it('stores the event as sent plus who sent it, whatever the client claimed, hashing what it sent', () => {
    const event = eventSchema.parse(sent);
    expect('recordedBy' in event).toBe(false);
    const recordedBy = { tokenId: 'abc123', name: 'Rep "1" 鈴木' };
    const prepared = prepareEvent(event, false, recordedBy);
    expect(prepared.body).toBe(JSON.stringify({ ...event, recordedBy }));
    expect(JSON.parse(prepared.body).recordedBy).toEqual(recordedBy);
    expect(prepared.hash).toBe(prepareEvent(event, false).hash);
    expect(prepareEvent(event, false).body).toBe(JSON.stringify(event));
  });
});
