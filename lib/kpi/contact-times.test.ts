import { describe, expect, it } from 'vitest';
import { ContactTimes } from './contact-times';

/** Nearest-rank median and p90 of each group by sorting, as report.ts defines them; NaN: none. */
function byRanks(values: readonly number[], groupsOf: readonly number[], groupCount: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < groupCount; g++) {
    const sorted = values.filter((v, i) => groupsOf[i] === g && !Number.isNaN(v)).sort((a, b) => a - b);
    const n = sorted.length;
    out.push(
      n === 0 ? Number.NaN : sorted[((n + 1) >> 1) - 1]!,
      n === 0 ? Number.NaN : sorted[Math.ceil((90 * n) / 100) - 1]!,
    );
  }
  return out;
}

/** A deterministic sequence in [0, 1), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('ContactTimes percentiles', () => {
  // Whole ms within the radix sort's span (with ties and a negative time), fractions, and a span too wide
  // for it: the last two take selection per group; every way must give the ranks a sort gives.
  const kinds = {
    'whole ms': (r: () => number) => Math.floor(r() * 20) * 3_600_000 + Math.floor(r() * 5) - 2,
    'whole ms near the radix span': (r: () => number) => Math.floor(r() * 6e10),
    fractions: (r: () => number) => r() * 1000,
    'beyond the radix span': (r: () => number) => Math.floor(r() * 2 ** 40) - 2 ** 39,
  };
  for (const [kind, draw] of Object.entries(kinds)) {
    it(`gives each group's nearest-rank median and p90 as a sort does: ${kind}`, () => {
      const r = random(kind.length);
      const slots = 3;
      // Slot s has groups [offset, offset + sizes[s]): 1 group, 7 groups, 40 groups (some never used).
      const sizes = [1, 7, 40];
      const offsets = [0, 1, 8];
      const groupCount = 48;
      const rows = 3000;
      const times = new ContactTimes(slots, 16);
      const business: number[] = [];
      const calendar: number[] = [];
      const groupsOf: number[][] = [[], [], []];
      for (let i = 0; i < rows; i++) {
        const rowGroups = new Int32Array(slots);
        for (let s = 0; s < slots; s++) {
          rowGroups[s] = offsets[s]! + Math.floor(r() * r() * sizes[s]!);
          groupsOf[s]!.push(rowGroups[s]!);
        }
        const b = r() < 0.1 ? null : draw(r);
        const c = draw(r);
        business.push(b ?? Number.NaN);
        calendar.push(c);
        times.add(rowGroups, b, c);
      }
      const out = times.percentiles(groupCount);
      const expected = new Array<number>(groupCount * 4).fill(Number.NaN);
      for (let s = 0; s < slots; s++) {
        const b = byRanks(business, groupsOf[s]!, groupCount);
        const c = byRanks(calendar, groupsOf[s]!, groupCount);
        for (let g = offsets[s]!; g < offsets[s]! + sizes[s]!; g++) {
          expected.splice(g * 4, 4, b[g * 2]!, b[g * 2 + 1]!, c[g * 2]!, c[g * 2 + 1]!);
        }
      }
      expect([...out]).toEqual(expected);
      expect(out.filter((v) => !Number.isNaN(v)).length).toBeGreaterThan(100);
    });
  }

  it('gives none for a group whose business times are all unknown', () => {
    const times = new ContactTimes(1, 4);
    times.add(new Int32Array([1]), null, 5);
    times.add(new Int32Array([1]), null, 7);
    expect([...times.percentiles(2)]).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      5,
      7,
    ]);
  });
});
