import { bench, describe } from 'vitest';
import { defaultBusinessCalendar } from '../calendar/defaults';
import { defaultEscalationLadder, defaultSlaPolicy } from './defaults';
import { escalationPlan } from './escalation';
import { chooseTier, dueAt, slaStatus } from './status';

const LEADS = 10_000;
const HOUR = 3_600_000;
const start = Date.parse('2026-01-05T00:00:00+09:00');
const triggers = ['demo_request', 'pricing_view', 'document_request', null] as const;

// Handoffs spread over a year at uneven minutes (nights, weekends and holidays included); now is two
// weeks into the last handoff so every state occurs.
const handoffs = Array.from({ length: LEADS }, (_, i) => ({
  handoffAt: start + ((i * 7_919 * 60_000) % (365 * 24 * HOUR)),
  triggerId: triggers[i % triggers.length],
  firstContactAt: i % 3 === 0 ? start + ((i * 7_919 * 60_000) % (365 * 24 * HOUR)) + (i % 50) * HOUR : null,
}));
const now = start + 200 * 24 * HOUR;
const calendar = defaultBusinessCalendar;
const policy = defaultSlaPolicy;

describe(`SLA clock for ${LEADS} handoffs`, () => {
  bench('chooseTier + dueAt + slaStatus', () => {
    for (const h of handoffs) {
      const tier = chooseTier(policy, { triggerId: h.triggerId });
      dueAt(calendar, tier, h.handoffAt);
      slaStatus({ calendar, policy, tier, handoffAt: h.handoffAt, firstContactAt: h.firstContactAt, now });
    }
  });

  bench('chooseTier + slaStatus + escalationPlan', () => {
    for (const h of handoffs) {
      const tier = chooseTier(policy, { triggerId: h.triggerId });
      const status = slaStatus({
        calendar,
        policy,
        tier,
        handoffAt: h.handoffAt,
        firstContactAt: h.firstContactAt,
        now,
      });
      escalationPlan({
        calendar,
        ladder: defaultEscalationLadder,
        tier,
        handoffAt: h.handoffAt,
        dueAt: status.dueAt ?? null,
        firstContactAt: h.firstContactAt,
        now,
      });
    }
  });
});
