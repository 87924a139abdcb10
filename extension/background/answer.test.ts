import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { LeadSnapshot } from '../../lib/lead';
import { db } from '../db';
import { answer } from './answer';

const OWN_ID = 'baton-test-id';
const tabSender = {
  id: OWN_ID,
  tab: { id: 7 } as never,
  url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
};
const snapshot: LeadSnapshot = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q5g00000AbCdEFGH',
  fields: { company: 'Acme' },
  activities: [],
};

describe('the worker answering messages', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await db().leads.clear();
  });

  it('refuses a message from another extension', async () => {
    const reply = await answer(
      { type: 'lead.seen', snapshot },
      { ...tabSender, id: 'someone-else' },
      OWN_ID,
      1,
    );
    expect(reply).toMatchObject({ ok: false, error: { en: 'Unknown sender' } });
    expect(await db().leads.count()).toBe(0);
  });

  it('refuses a malformed message in both languages and stores nothing', async () => {
    const reply = await answer(
      { type: 'lead.seen', snapshot: { ...snapshot, crm: 'myspace' } },
      tabSender,
      OWN_ID,
      1,
    );
    expect(reply).toEqual({
      ok: false,
      error: { ja: 'メッセージの形式が正しくありません', en: 'Malformed message' },
    });
    expect(await db().leads.count()).toBe(0);
  });

  it('refuses a lead report that does not come from a tab', async () => {
    const reply = await answer({ type: 'lead.seen', snapshot }, { id: OWN_ID }, OWN_ID, 1);
    expect(reply.ok).toBe(false);
  });

  it('remembers each lead it is told about and counts the visits', async () => {
    await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 1000);
    const second = await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 2000);
    expect(second).toEqual({
      ok: true,
      value: expect.objectContaining({
        recordId: snapshot.recordId,
        company: 'Acme',
        firstSeenAt: 1000,
        lastSeenAt: 2000,
        timesSeen: 2,
      }),
    });
  });

  it('lists recent leads newest first', async () => {
    await answer({ type: 'lead.seen', snapshot }, tabSender, OWN_ID, 1000);
    await answer(
      { type: 'lead.seen', snapshot: { ...snapshot, recordId: '00Q5g00000ZzYyXxWW' } },
      tabSender,
      OWN_ID,
      2000,
    );
    const reply = await answer({ type: 'leads.recent', limit: 10 }, { id: OWN_ID }, OWN_ID, 3000);
    expect(reply.ok && (reply.value as { recordId: string }[]).map((l) => l.recordId)).toEqual([
      '00Q5g00000ZzYyXxWW',
      '00Q5g00000AbCdEFGH',
    ]);
  });
});
