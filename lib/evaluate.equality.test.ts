import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateLead } from './evaluate';
import { evaluationCases } from './evaluate.cases';
import golden from './evaluate.golden.json';
import { activityColumnsOf, keepActivityColumns, setInternLimit } from './scoring/columns';

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

describe('evaluateLead from activity columns gives the reference evaluation', () => {
  // Copies: columns kept for the cases' own snapshots would send the tests above down this path too.
  const copies = () => structuredClone(cases);

  it('for every generated case, its columns built once and scored twice', () => {
    const own = copies();
    keepActivityColumns(own.map((c) => c.snapshot));
    for (const pass of [0, 1]) {
      for (const i of own.keys()) {
        const { rules, snapshot, options } = own[i]!;
        expect(activityColumnsOf(snapshot.activities), `case ${i}`).toBeDefined();
        expect(digest(evaluateLead(rules, snapshot, options)), `pass ${pass}, case ${i}`).toBe(golden[i]);
      }
    }
  });

  it('when the intern table retires its ids between batches, and for columns it retired', () => {
    const own = copies();
    // So small that every batch of 25 leads empties the table first: each batch has ids of its own
    // generation, and the rule sets' memos by id (kept across batches) must notice.
    const limit = setInternLimit(1);
    try {
      for (let from = 0; from < own.length; from += 25) {
        const batch = own.slice(from, from + 25);
        keepActivityColumns(batch.map((c) => c.snapshot));
        if (from > 0) expect(activityColumnsOf(own[from - 1]!.snapshot.activities)).toBeUndefined();
        batch.forEach(({ rules, snapshot, options }, k) => {
          expect(activityColumnsOf(snapshot.activities)).toBeDefined();
          expect(digest(evaluateLead(rules, snapshot, options)), `case ${from + k}`).toBe(golden[from + k]);
        });
      }
      // Retired columns are not read: these leads are scored from their objects, with the same result.
      for (const i of own.keys()) {
        const { rules, snapshot, options } = own[i]!;
        expect(digest(evaluateLead(rules, snapshot, options)), `case ${i}`).toBe(golden[i]);
      }
    } finally {
      setInternLimit(limit);
    }
  });

  it('not for a list changed after its columns were built', () => {
    const { rules, snapshot, options } = structuredClone(
      cases.find((c) => c.snapshot.activities.length > 2)!,
    );
    keepActivityColumns([snapshot]);
    const before = evaluateLead(rules, snapshot, options);
    snapshot.activities.push({ ...snapshot.activities[0]!, at: '2026-01-05T09:00:00+09:00' });
    expect(activityColumnsOf(snapshot.activities)).toBeUndefined();
    const grown = evaluateLead(rules, snapshot, options);
    const plain = evaluateLead(rules, structuredClone(snapshot), options);
    expect(grown).toEqual(plain);
    expect(before).not.toBe(grown);
  });
});
