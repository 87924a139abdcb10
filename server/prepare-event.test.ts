import { describe, expect, it } from 'vitest';
import { eventSchema } from '../lib/events';
import { prepareEvent } from './prepare-event';
import { handoff } from './test/fixtures';

describe('prepareEvent', () => {
  // A client's own recordedBy is forged: only the endpoint says who sent an event.
  const sent = {
    ...handoff({ actor: { name: '山田 "太郎"' }, owner: '佐藤 花子' }),
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
