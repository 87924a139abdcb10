import { randomUUID } from 'node:crypto';
import type { BatonEvent } from '../../lib/events';
import type { LeadKey } from '../../lib/lead';

export function lead(recordId = `00Q${randomUUID().replaceAll('-', '').slice(0, 15)}`): LeadKey {
  return { crm: 'salesforce', object: 'Lead', recordId };
}

const base = (over: Partial<BatonEvent> = {}) => ({
  idempotencyKey: randomUUID(),
  occurredAt: '2026-11-25T10:00:00+09:00',
  lead: lead(),
  rulesVersion: 1,
  actor: { name: '山田 太郎' },
  ...over,
});

export function handoff(over: Record<string, unknown> = {}): BatonEvent {
  return {
    type: 'handoff_observed',
    ...base(),
    handoffAt: '2026-11-25T09:55:00+09:00',
    dueAt: '2026-11-26T09:55:00+09:00',
    reason: 'trigger',
    triggerId: 'demo_request',
    score: 72,
    ...over,
  } as BatonEvent;
}

export function firstContact(over: Record<string, unknown> = {}): BatonEvent {
  return { type: 'first_contact', ...base(), method: 'phone', source: 'manual', ...over } as BatonEvent;
}

export function feedback(over: Record<string, unknown> = {}): BatonEvent {
  return {
    type: 'feedback',
    ...base(),
    verdict: 'accept_sql',
    bant: { budget: 'yes', authority: 'yes', need: 'yes', timing: 'yes', timeframe: 'within_3_months' },
    contactMethod: 'phone',
    rating: 4,
    comment: '予算確保済み、来期導入予定',
    ...over,
  } as BatonEvent;
}

export function stageChange(over: Record<string, unknown> = {}): BatonEvent {
  return { type: 'stage_change', ...base(), from: 'mql', to: 'contacted', ...over } as BatonEvent;
}

export function escalation(over: Record<string, unknown> = {}): BatonEvent {
  return {
    type: 'escalation_step',
    ...base(),
    stepId: 'manager-24h',
    kind: 'manager',
    dueAt: '2026-11-26T09:55:00+09:00',
    leadLabel: '株式会社サンプル 佐藤様',
    ...over,
  } as BatonEvent;
}
