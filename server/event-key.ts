/**
 * Idempotency keys the endpoint derives itself, for events it records on its own (intake, the SLA watch):
 * a UUID in the version 5 layout hashed from a name, so the same name always gives the same key, on any
 * instance, after any restart.
 */
import { createHash } from 'node:crypto';

export function nameKey(name: string): string {
  const hash = createHash('sha1').update(name, 'utf8').digest().subarray(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The idempotencyKey every browser gives an escalation step (extension/background/alerts.ts
 * escalationKey). The store no longer keys a step by it (escalation-steps.ts escalationStepKey does), but
 * it stays in the stored body that team state and webhooks carry: the same step reads alike whether a
 * browser or the server's watch noticed it first (tests/unit/escalation-key.test.ts).
 */
export function escalationKey(leadKey: string, handoffAt: number, stepId: string): string {
  return nameKey(`baton:escalation_step:${leadKey}|${handoffAt}|${stepId}`);
}
