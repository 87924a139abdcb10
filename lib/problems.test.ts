import { describe, expect, it } from 'vitest';
import { formatPath } from './problems';

describe('formatPath', () => {
  it('writes a JSON path the way a reader types it', () => {
    expect(formatPath(['fitRules', 2, 'points'])).toBe('fitRules[2].points');
    expect(formatPath([])).toBe('(root)');
  });
});
