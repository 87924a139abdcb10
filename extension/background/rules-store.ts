import { defaultRuleSet } from '../../lib/rules/defaults';
import type { RuleSet } from '../../lib/rules/schema';
import { validateRuleSet } from '../../lib/rules/validate';
import { db, type StoredRules } from '../db';

/**
 * The rule set in force in this browser: the one stored in Dexie if it validates, else the default
 * set a team can start from on day one. The parsed set is memoised by its version only as a cache;
 * the worker may die at any moment and reloads it from IndexedDB.
 */
let memo: { stamp: string; rules: RuleSet } | undefined;

export async function rulesInForce(): Promise<RuleSet> {
  return rulesOf(await db().rules.get('active'));
}

function rulesOf(stored: StoredRules | undefined): RuleSet {
  if (!stored) return defaultRuleSet;
  const stamp = `${stored.receivedAt}:${stored.etag ?? ''}`;
  if (memo?.stamp === stamp) return memo.rules;
  const checked = validateRuleSet(stored.rules);
  if (!checked.ok) {
    // A stored set that no longer validates (written by an older release) is never used.
    console.warn('Baton: stored rule set is invalid; using the default set', checked.problems);
    return defaultRuleSet;
  }
  memo = { stamp, rules: checked.value };
  return checked.value;
}

/** The rule set in force and where it came from; events carry its number (0: the built-in default). */
export async function rulesInForceWithSource(): Promise<{
  rules: RuleSet;
  source: 'default' | 'endpoint' | 'import';
  receivedAt: number | null;
  eventVersion: number;
}> {
  // One read, not two: each IndexedDB request is a round trip the page's answer waits for.
  const stored = await db().rules.get('active');
  const rules = rulesOf(stored);
  const source = stored && rules !== defaultRuleSet ? stored.source : 'default';
  return {
    rules,
    source,
    receivedAt: source === 'default' ? null : (stored?.receivedAt ?? null),
    eventVersion: source === 'default' ? 0 : rules.version.number,
  };
}
