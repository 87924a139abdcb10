import type { LeadView } from '../../lib/lead-view';
import type { StoredLead } from '../db';

const HOUR = 3_600_000;

/**
 * Test support: a HubSpot contact's view, handed over at `at` on a one-hour SLA, and contacted at
 * `contactedAt` (null: not yet). Its state is what the evaluator would give it at the handoff: met once a
 * contact at or after the handoff answered it, running otherwise.
 */
export function handedOverView(recordId: string, at: number, contactedAt: number | null): LeadView {
  const answered = contactedAt !== null && contactedAt >= at;
  return {
    crm: 'hubspot',
    object: 'contact',
    recordId,
    score: 70,
    fit: 40,
    engagement: 30,
    grade: 'B',
    stage: answered ? 'contacted' : 'mql',
    handoff: { at, reason: 'score', label: { ja: '70点', en: '70 points' } },
    why: [],
    sla: {
      state: answered ? 'met' : 'running',
      tierId: null,
      tier: null,
      dueAt: at + HOUR,
      dueIso: new Date(at + HOUR).toISOString(),
      dueSoonAt: null,
      contactedAt,
      ladder: null,
    },
    rulesVersion: '1',
  };
}

/** Test support: a lead row as the worker stores it, seen once, with `view` when it has one. */
export function storedLead(key: string, recordId: string, view?: LeadView): StoredLead {
  return {
    key,
    snapshot: { crm: 'hubspot', object: 'contact', recordId, fields: {}, activities: [] },
    firstSeenAt: 1,
    lastSeenAt: 1,
    timesSeen: 1,
    ...(view ? { view } : {}),
  };
}
