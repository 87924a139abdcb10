import type { Browser } from 'wxt/browser';
import { leadKeyString } from '../../lib/lead';
import { type Answers, type Reply, type Request, requestSchema } from '../../lib/messaging';
import { db, type StoredLead } from '../db';

type Sender = Browser.runtime.MessageSender;

/**
 * The worker's answer to every message. The sender is checked (our own extension only) and the
 * message validated before anything is read from it: page-derived data is never trusted.
 */
export async function answer(
  message: unknown,
  sender: Sender,
  ownId: string,
  now: number,
): Promise<Reply<unknown>> {
  if (sender.id !== ownId) {
    return { ok: false, error: { ja: '送信元が不明です', en: 'Unknown sender' } };
  }
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) {
    return { ok: false, error: { ja: 'メッセージの形式が正しくありません', en: 'Malformed message' } };
  }
  const request = parsed.data;
  if (request.type === 'lead.seen' && !sender.tab) {
    return {
      ok: false,
      error: { ja: 'CRMページからのみ送信できます', en: 'Only CRM pages may report leads' },
    };
  }
  return { ok: true, value: await handle(request, now) };
}

async function handle(request: Request, now: number): Promise<Answers[Request['type']]> {
  switch (request.type) {
    case 'lead.seen': {
      const key = leadKeyString(request.snapshot);
      const stored = await db().transaction('rw', db().leads, async () => {
        const before = await db().leads.get(key);
        const next: StoredLead = {
          key,
          snapshot: request.snapshot,
          firstSeenAt: before?.firstSeenAt ?? now,
          lastSeenAt: now,
          timesSeen: (before?.timesSeen ?? 0) + 1,
        };
        await db().leads.put(next);
        return next;
      });
      return toSeenLead(stored);
    }
    case 'leads.recent': {
      const rows = await db().leads.orderBy('lastSeenAt').reverse().limit(request.limit).toArray();
      return rows.map(toSeenLead);
    }
  }
}

function toSeenLead(stored: StoredLead) {
  const { crm, object, recordId, fields, url } = stored.snapshot;
  return {
    crm,
    object,
    recordId,
    company: fields.company,
    name: fields.name,
    url,
    firstSeenAt: stored.firstSeenAt,
    lastSeenAt: stored.lastSeenAt,
    timesSeen: stored.timesSeen,
  };
}
