import { describe, expect, it } from 'vitest';
import { type KpiPart, readsExactly } from './kpi-read';

/** A SQLite part of one row: handoff, due, contact, business, score, version, owner, reason code, code. */
const sqlitePart = (code: number | null): KpiPart => ({
  from: 0,
  columns: [[0], [60_000], [null], [null], [64], [1], ['佐藤 花子'], [null], [code]],
});

describe('readsExactly', () => {
  it('takes a SQLite row whose code is in the coded lists', () => {
    expect(readsExactly([sqlitePart(0)])).toBe(true);
  });

  it('sends a SQLite period with a null code down the plain path, as a PostgreSQL one goes', () => {
    expect(readsExactly([sqlitePart(0), sqlitePart(null)])).toBe(false);
  });
});
