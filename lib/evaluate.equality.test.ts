import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateLead } from './evaluate';
import { evaluationCases } from './evaluate.cases';
import golden from './evaluate.golden.json';

/**
 * lib/evaluate.golden.json holds a digest of each case's evaluation as the plain implementation gave it,
 * before scoring and the SLA clock were optimised for issue 18 (commit of this file). Any optimisation must
 * give every case the very same evaluation, down to the order of its keys.
 */
const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

const cases = evaluationCases(400, 20261205);

describe('evaluateLead gives the reference evaluation', () => {
  it('covers the cases the digests were taken of', () => {
    expect(golden).toHaveLength(cases.length);
  });

  it('for every generated case, on first sight of its rule set and again with every memo warm', () => {
    for (const pass of [0, 1]) {
      const order = pass === 0 ? cases.keys() : [...cases.keys()].reverse();
      for (const i of order) {
        const { rules, snapshot, options } = cases[i]!;
        const evaluation = evaluateLead(rules, snapshot, options);
        if (digest(evaluation) !== golden[i]) {
          // The case and what came out, to compare with the parent commit's evaluation of it.
          expect({ pass, case: i, snapshot, options, evaluation }).toBe(`digest ${golden[i]}`);
        }
      }
    }
  });

  it('in any activity order', () => {
    for (const i of cases.keys()) {
      const { rules, snapshot, options } = cases[i]!;
      const reversed = { ...snapshot, activities: [...snapshot.activities].reverse() };
      expect(digest(evaluateLead(rules, reversed, options)), `case ${i}`).toBe(golden[i]);
    }
  });
});
