import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from './defaults';
import { upgradeRuleSet } from './upgrade';
import { validateRuleSet } from './validate';

/** The default rule set as releases before exclusion rules shipped it: a fit floor of 0 on every trigger. */
function shippedWithTriggerFloor(): Record<string, unknown> {
  const { exclusions: _exclusions, ...rest } = defaultRuleSet;
  return { ...rest, triggers: defaultRuleSet.triggers.map((t) => ({ ...t, minFit: 0 })) };
}

describe('upgradeRuleSet', () => {
  it('turns trigger fit floors into exclusions made of the fit rules of −50 points or fewer', () => {
    const upgraded = upgradeRuleSet(shippedWithTriggerFloor()) as typeof defaultRuleSet;
    expect(upgraded.triggers.map((t) => Object.keys(t))).toEqual(
      defaultRuleSet.triggers.map(() => ['id', 'label', 'activities']),
    );
    // competitor −100, student −50, job seeker −50 are kept out; free mail −20 is not.
    expect(upgraded.exclusions).toEqual(
      defaultRuleSet.fitRules
        .filter((r) => ['competitor', 'student', 'job_seeker'].includes(r.id))
        .map((r) => ({ id: r.id, label: r.label, condition: r.condition })),
    );
  });

  it('lets a stored rule set of the old format validate, where the schema alone refuses it', () => {
    const old = shippedWithTriggerFloor();
    expect(validateRuleSet(old).ok).toBe(true);
  });

  it('leaves a current rule set, and anything that is not a rule set, as it is', () => {
    expect(upgradeRuleSet(defaultRuleSet)).toBe(defaultRuleSet);
    expect(upgradeRuleSet(null)).toBeNull();
    expect(upgradeRuleSet({ triggers: 'x' })).toEqual({ triggers: 'x' });
    const once = upgradeRuleSet(shippedWithTriggerFloor());
    expect(upgradeRuleSet(once)).toBe(once);
  });

  it('keeps exclusions a rule set already has when it strips the floors', () => {
    const old = { ...shippedWithTriggerFloor(), exclusions: [] };
    expect((upgradeRuleSet(old) as typeof defaultRuleSet).exclusions).toEqual([]);
  });

  it('still refuses a stored rule set that fails validation for another reason', () => {
    const broken = { ...shippedWithTriggerFloor(), threshold: { total: -5 } };
    const result = validateRuleSet(broken);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path.join('.'))).toContain('threshold.total');
  });
});
