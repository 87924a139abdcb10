import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateLead } from './evaluate';
import { evaluationCases } from './evaluate.cases';
import golden from './evaluate.golden.json';
import type { LeadSnapshot } from './lead';
import { defaultRuleSet } from './rules/defaults';
import { activityColumnsOf, keepActivityColumns } from './scoring/columns';

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

  it("when each batch's columns retire the last batch's, and for the retired ones", () => {
    const own = copies();
    // Every call starts a new generation of ids: the rule sets' memos by id, kept across batches, must
    // not answer one batch's ids with another's.
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
  });

  it('not for a list that grew after its columns were built', () => {
    const { rules, snapshot, options } = structuredClone(cases[0]!);
    keepActivityColumns([snapshot]);
    const before = digest(evaluateLead(rules, snapshot, options));
    // A demo request an hour ago: scored and a trigger under every rule set of the cases.
    snapshot.activities.push({
      type: 'demo_request',
      title: 'デモ依頼',
      at: new Date(options.now - 3_600_000).toISOString(),
    });
    expect(activityColumnsOf(snapshot.activities)).toBeUndefined();
    const grown = digest(evaluateLead(rules, snapshot, options));
    expect(grown).not.toBe(before);
    expect(grown).toBe(digest(evaluateLead(rules, structuredClone(snapshot), options)));
  });

  it("past the memos' limit, and for activities without a title or URL or with empty ones", () => {
    // 24,000 distinct title/URL pairs: more than a rule set's memo holds (20,000), by strings or by ids.
    const now = Date.parse('2026-12-08T10:00:00+09:00');
    const types = ['download', 'page_view', 'web_visit', 'webinar', 'form_submit', 'email_click'] as const;
    const leads: LeadSnapshot[] = Array.from({ length: 1_000 }, (_, i) => ({
      crm: 'salesforce',
      object: 'Lead',
      recordId: `00Q${String(i).padStart(15, '0')}`,
      fields: { company: `株式会社${i}`, title: '部長' },
      activities: Array.from({ length: 24 }, (_, k) => ({
        type: types[k % types.length]!,
        at: new Date(now - (k + 1) * 86_400_000).toISOString(),
        ...(k % 8 === 0 ? {} : { title: k % 8 === 1 ? '' : `資料ダウンロード ${i}-${k}` }),
        ...(k % 5 === 0 ? {} : { url: k % 5 === 1 ? '' : `https://www.baton.co.jp/pricing?v=${i}-${k}` }),
      })),
    }));
    const plain = leads.map((lead) => JSON.stringify(evaluateLead(defaultRuleSet, lead, { now })));
    const kept = structuredClone(leads);
    keepActivityColumns(kept);
    kept.forEach((lead, i) => {
      expect(JSON.stringify(evaluateLead(defaultRuleSet, lead, { now })), `lead ${i}`).toBe(plain[i]);
    });
    // The engagement these activities earn is not nothing: the comparison above compares scores.
    expect(plain.some((p) => JSON.parse(p).scores.engagement > 0)).toBe(true);
  });
});
