import { describe, expect, it } from 'vitest';
import {
  EVENT_BATCH_MAX_EVENTS,
  eventBatchSchema,
  eventSchema,
  ruleRollbackBodySchema,
  teamStateRequestSchema,
  teamStateSlotOf,
} from './events';
import { splitBilingual } from './i18n';

const base = {
  idempotencyKey: '3f1c2b9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b',
  occurredAt: '2026-11-25T10:00:00+09:00',
  lead: { crm: 'hubspot', object: '0-1', recordId: '51' },
  rulesVersion: 3,
  actor: { name: '山田 太郎', crmUserId: '005xx' },
};

const examples = {
  handoff_observed: {
    type: 'handoff_observed',
    ...base,
    handoffAt: '2026-11-25T09:55:00+09:00',
    dueAt: '2026-11-26T09:55:00+09:00',
    reason: 'trigger',
    triggerId: 'demo_request',
  },
  first_contact: { type: 'first_contact', ...base, method: 'phone', source: 'crm_activity' },
  feedback: {
    type: 'feedback',
    ...base,
    verdict: 'accept_sql',
    bant: { budget: 'yes', authority: 'unknown', need: 'yes', timing: 'yes', timeframe: 'within_6_months' },
    contactMethod: 'meeting',
    rating: 5,
    comment: '決裁者と面談済み',
  },
  stage_change: { type: 'stage_change', ...base, from: 'mql', to: 'sql' },
  escalation_step: {
    type: 'escalation_step',
    ...base,
    stepId: 'manager',
    kind: 'manager',
    dueAt: '2026-11-26T09:55:00+09:00',
  },
};

function issuesOf(input: unknown) {
  const result = eventSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: splitBilingual(i.message) }));
}

describe('event schemas', () => {
  it('accepts one well-formed event of every type', () => {
    for (const [type, example] of Object.entries(examples)) {
      expect(eventSchema.parse(example).type, type).toBe(type);
    }
  });

  it('gives every event type a team-state slot of its own', () => {
    expect(Object.keys(teamStateSlotOf).sort()).toEqual(Object.keys(examples).sort());
    expect(new Set(Object.values(teamStateSlotOf)).size).toBe(Object.keys(examples).length);
  });

  it('serialises the same event identically whatever the key order it arrived in, without unknown keys', () => {
    const reordered = Object.fromEntries(Object.entries(examples.feedback).reverse());
    const withExtra = { ...examples.feedback, injected: '<script>' };
    const a = JSON.stringify(eventSchema.parse(examples.feedback));
    expect(JSON.stringify(eventSchema.parse(reordered))).toBe(a);
    expect(JSON.stringify(eventSchema.parse(withExtra))).toBe(a);
  });

  it('requires a UUID idempotency key and ISO date-times, in both languages', () => {
    const issues = issuesOf({
      ...examples.first_contact,
      idempotencyKey: 'retry-1',
      occurredAt: '2026/11/25 10:00',
    });
    expect(issues.map((i) => i.path)).toEqual(['idempotencyKey', 'occurredAt']);
    expect(issues[0]!.message.ja).toContain('UUID');
    expect(issues[1]!.message.ja).toContain('ISO 8601');
    expect(issues[1]!.message.en).toContain('ISO 8601');
  });

  it('requires a reason code to reject or recycle, but not to flag a wrong owner', () => {
    for (const verdict of ['reject', 'recycle']) {
      const issues = issuesOf({ ...examples.feedback, verdict, bant: undefined });
      expect(issues.map((i) => i.path)).toEqual(['reasonCode']);
      expect(issues[0]!.message.ja).toMatch(/理由コード/);
    }
    expect(issuesOf({ ...examples.feedback, verdict: 'reject', reasonCode: 'no_budget' })).toEqual([]);
    expect(issuesOf({ ...examples.feedback, verdict: 'wrong_owner', bant: undefined })).toEqual([]);
  });

  it('requires BANT to accept a lead as SQL', () => {
    expect(issuesOf({ ...examples.feedback, bant: undefined }).map((i) => i.path)).toEqual(['bant']);
    expect(
      issuesOf({ ...examples.feedback, bant: { ...examples.feedback.bant, budget: 'maybe' } })[0]!.path,
    ).toBe('bant.budget');
  });

  it('takes a rating from 1 to 5 in whole numbers and a comment of at most 2000 characters', () => {
    for (const rating of [0, 6, 3.5]) {
      expect(issuesOf({ ...examples.feedback, rating }).map((i) => i.path)).toEqual(['rating']);
    }
    expect(issuesOf({ ...examples.feedback, comment: 'あ'.repeat(2000) })).toEqual([]);
    expect(issuesOf({ ...examples.feedback, comment: 'あ'.repeat(2001) }).map((i) => i.path)).toEqual([
      'comment',
    ]);
  });

  it('refuses a stage change that changes nothing, and stages or contact methods it does not know', () => {
    expect(issuesOf({ ...examples.stage_change, to: 'mql' }).map((i) => i.path)).toEqual(['to']);
    expect(issuesOf({ ...examples.stage_change, to: 'closed_won' }).map((i) => i.path)).toEqual(['to']);
    expect(issuesOf({ ...examples.first_contact, method: 'fax' }).map((i) => i.path)).toEqual(['method']);
  });

  it('knows the escalation ladder’s step kinds only', () => {
    for (const kind of ['reminder', 'owner', 'manager', 'marketing']) {
      expect(issuesOf({ ...examples.escalation_step, kind })).toEqual([]);
    }
    expect(issuesOf({ ...examples.escalation_step, kind: 'ceo' }).map((i) => i.path)).toEqual(['kind']);
  });

  it('takes an explanation of rule ids in the rule set’s syntax, so the endpoint can store it compactly', () => {
    const line = { ruleId: 'icp_industry', kind: 'fit', points: 20 };
    expect(issuesOf({ ...examples.handoff_observed, explanation: [line] })).toEqual([]);
    for (const ruleId of ['a|b', 'a:b', 'Upper', '']) {
      const issues = issuesOf({ ...examples.handoff_observed, explanation: [{ ...line, ruleId }] });
      expect(
        issues.map((i) => i.path),
        ruleId,
      ).toEqual(['explanation.0.ruleId']);
    }
  });

  it('names the allowed types when the type is unknown', () => {
    const issues = issuesOf({ ...base, type: 'lead_deleted' });
    expect(issues[0]!.path).toBe('type');
    expect(issues[0]!.message.en).toContain('handoff_observed');
  });
});

describe('API bodies', () => {
  it('holds between 1 and the cap of events per batch', () => {
    expect(eventBatchSchema.safeParse({ events: [] }).success).toBe(false);
    expect(eventBatchSchema.safeParse({ events: [examples.stage_change] }).success).toBe(true);
    const full = Array.from({ length: EVENT_BATCH_MAX_EVENTS + 1 }, () => examples.stage_change);
    expect(eventBatchSchema.safeParse({ events: full }).success).toBe(false);
  });

  it('asks for team state by lead keys', () => {
    expect(teamStateRequestSchema.safeParse({ leads: [base.lead] }).success).toBe(true);
    expect(teamStateRequestSchema.safeParse({ leads: [{ ...base.lead, crm: 'sugar' }] }).success).toBe(false);
  });

  it('rolls back to a positive whole version', () => {
    expect(ruleRollbackBodySchema.safeParse({ toVersion: 2, note: '戻す' }).success).toBe(true);
    expect(ruleRollbackBodySchema.safeParse({ toVersion: 0 }).success).toBe(false);
    expect(ruleRollbackBodySchema.safeParse({ toVersion: '2' }).success).toBe(false);
  });
});
