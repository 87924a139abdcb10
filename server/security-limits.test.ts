import { describe, expect, it } from 'vitest';
import {
  capProblems,
  MAX_JSON_DEPTH,
  malformedRequestAnswer,
  nestsDeeperThan,
  PROBLEMS_SHOWN,
} from './security';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not scalars, and stops at the limit', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: [[1]] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: { c: { d: {} } } }, 3)).toBe(true);
  });

  it('walks a million levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('capProblems', () => {
  it('keeps short lists whole and cuts long ones, saying how many there were', () => {
    const problem = (i: number) => ({ path: ['line', i], message: { ja: 'x', en: 'x' } });
    expect(capProblems([problem(1)])).toEqual({ problems: [problem(1)] });
    const many = Array.from({ length: 50_000 }, (_, i) => problem(i));
    const capped = capProblems(many);
    expect(capped.problems).toEqual(many.slice(0, PROBLEMS_SHOWN));
    expect(capped.problemsTotal).toBe(50_000);
  });
});

describe('malformedRequestAnswer', () => {
  it('answers 431 for oversized headers and 400 otherwise, with a JSON error body of the stated length', () => {
    for (const [code, status] of [
      ['HPE_HEADER_OVERFLOW', 431],
      ['HPE_INVALID_METHOD', 400],
    ] as const) {
      const answer = malformedRequestAnswer({ code });
      const [head, body] = answer.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head).toMatch(/x-content-type-options: nosniff/);
      expect(Number(/content-length: (\d+)/.exec(head)![1])).toBe(Buffer.byteLength(body));
      expect(JSON.parse(body).error.message.ja).toBeTruthy();
    }
  });
});
