import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExplanation, type ExplanationLine, encodeExplanation } from './explanation';

describe('stored explanations', () => {
  it('writes a line per rule: kind, rule id and points', () => {
    expect(
      encodeExplanation([
        { ruleId: 'icp_industry', kind: 'fit', points: 20 },
        { ruleId: 'competitor-domain', kind: 'fit', points: -40 },
        { ruleId: 'webinar', kind: 'engagement', points: 2.5 },
      ]),
    ).toBe('f:icp_industry:20|f:competitor-domain:-40|e:webinar:2.5');
  });

  it('reads back exactly what it wrote, for any rule ids and points', () => {
    const line = fc.record({
      ruleId: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/),
      kind: fc.constantFrom('fit' as const, 'engagement' as const),
      points: fc.double({ noNaN: true, noDefaultInfinity: true }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines: ExplanationLine[]) => {
        // -0 reads back as 0: the same number of points.
        const expected = lines.map((l) => ({ ...l, points: l.points === 0 ? 0 : l.points }));
        expect(decodeExplanation(encodeExplanation(lines))).toEqual(expected);
      }),
    );
  });

  it('keeps "none recorded" and "recorded, empty" apart', () => {
    expect(decodeExplanation(null)).toBeNull();
    expect(decodeExplanation(encodeExplanation([]))).toEqual([]);
  });

  it('ignores a damaged explanation whole rather than half-reading it into a wrong score', () => {
    for (const damaged of [
      'f:a:1|x',
      'g:a:1',
      'f:a:',
      'f::3',
      'f:A:1',
      'f:a:1|e:b:NaN',
      'fa:1',
      'e:b:1e999',
    ]) {
      expect(decodeExplanation(damaged), damaged).toBeNull();
    }
  });
});
