/**
 * Rule sets stored before a format change, brought to today's format before validation: every reader
 * (validateRuleSet in the worker, the pages and the endpoint; the endpoint's KPI service) sees one format,
 * and a stored rule set keeps meaning what its team meant. Pure and idempotent: an upgraded or current rule
 * set comes back unchanged. docs/rules.md lists each step.
 *
 * 1. Triggers with `minFit` (the shipped default had 0 on every trigger): a fit floor kept out a demo request
 *    from anyone with a negative trait, free mail included. Triggers now hand over whatever the fit, and the
 *    floor's intent becomes explicit exclusion rules: each negative fit rule of −50 points or fewer
 *    (competitors −100, students −50, job seekers −50 in the shipped default) becomes an exclusion with its
 *    condition; lighter ones (free mail −20) no longer block a trigger, as the practice asks.
 */

/** A negative fit rule this heavy was meant to keep a lead out, not only to lower its score. */
export const EXCLUDING_POINTS = -50;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function upgradeRuleSet(input: unknown): unknown {
  if (!isObject(input) || !Array.isArray(input.triggers)) return input;
  const floored = input.triggers.some((t) => isObject(t) && 'minFit' in t);
  if (!floored) return input;
  const triggers = input.triggers.map((t) => {
    if (!isObject(t) || !('minFit' in t)) return t;
    const { minFit: _floor, ...rest } = t;
    return rest;
  });
  const upgraded: Obj = { ...input, triggers };
  if (!('exclusions' in input)) {
    const fitRules = Array.isArray(input.fitRules) ? input.fitRules : [];
    upgraded.exclusions = fitRules
      .filter((r): r is Obj => isObject(r) && typeof r.points === 'number' && r.points <= EXCLUDING_POINTS)
      .map((r) => ({ id: r.id, label: r.label, condition: r.condition }));
  }
  return upgraded;
}
