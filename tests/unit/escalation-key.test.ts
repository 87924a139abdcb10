import { describe, expect, it } from 'vitest';
import { escalationKey as browserKey } from '../../extension/background/alerts';
import { escalationKey as serverKey } from '../../server/event-key';

describe('the escalation key', () => {
  it('is the same whether a browser or the server watch derives it, so one step is stored once', async () => {
    const cases: [string, number, string][] = [
      ['hubspot:contact:3251', Date.parse('2026-11-20T08:30:00Z'), 'manager'],
      ['kintone:58:1042', 1_795_163_400_000, 'marketing'],
      ['salesforce:Lead:00Q5j00000KXyZaEAL', 0, 'マネージャー'],
    ];
    for (const [lead, handoffAt, step] of cases) {
      expect(serverKey(lead, handoffAt, step)).toBe(await browserKey(lead, handoffAt, step));
    }
    expect(serverKey('a', 1, 'manager')).not.toBe(serverKey('a', 2, 'manager'));
  });
});
