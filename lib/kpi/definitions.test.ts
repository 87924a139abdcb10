import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RATE_DEFINITIONS } from './definitions';

const doc = readFileSync(new URL('../../docs/kpis.md', import.meta.url), 'utf8');

describe('docs/kpis.md', () => {
  it('defines every rate the dashboard labels, with the same names in both languages', () => {
    for (const d of RATE_DEFINITIONS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${d.rate}\` |`));
      expect(row, d.rate).toBeDefined();
      expect(row).toContain(`| ${d.name.en} |`);
      expect(row).toContain(`| ${d.name.ja} |`);
    }
  });

  it('names a numerator and a denominator for every rate, never the same count', () => {
    for (const d of RATE_DEFINITIONS) {
      expect(d.numerator).not.toBe(d.denominator);
      expect(d.numeratorLabel.ja).not.toBe('');
      expect(d.denominatorLabel.en).not.toBe('');
    }
  });
});
