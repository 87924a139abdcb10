import { describe, expect, it } from 'vitest';
import { problemLine, refusalHeadline, windowStart, zonedTime } from './refusals';

// Friday 4 December 2026, 14:05 in Tokyo (05:05Z).
const NOW = Date.parse('2026-12-04T05:05:00Z');
const TOKYO = 'Asia/Tokyo';

describe('intake refusals in words', () => {
  it('starts "today" at local midnight in the team zone, not at UTC midnight', () => {
    expect(new Date(windowStart('today', NOW, TOKYO)).toISOString()).toBe('2026-12-03T15:00:00.000Z');
    expect(new Date(windowStart('day', NOW, TOKYO)).toISOString()).toBe('2026-12-03T05:05:00.000Z');
    expect(new Date(windowStart('week', NOW, TOKYO)).toISOString()).toBe('2026-11-27T05:05:00.000Z');
    // New York's clocks go forward at 02:00 on Sunday 8 March 2026: that midnight is still EST (-05:00).
    const ny = Date.parse('2026-03-08T15:00:00Z');
    expect(new Date(windowStart('today', ny, 'America/New_York')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
  });

  it('says how many and since when, with the date only when it is not today', () => {
    const summary = { source: 'kintone' as const, refused: 12, lastRefusedAt: NOW, lastProblems: [] };
    const today = windowStart('today', NOW, TOKYO);
    expect(refusalHeadline(summary, today, NOW, TOKYO, 'en')).toBe('kintone: 12 refused since 00:00');
    expect(refusalHeadline(summary, today, NOW, TOKYO, 'ja')).toBe('kintone: 00:00 以降 12 件を拒否');
    const day = windowStart('day', NOW, TOKYO);
    expect(refusalHeadline({ ...summary, source: 'hubspot' }, day, NOW, TOKYO, 'en')).toBe(
      'HubSpot: 12 refused since 3 Dec 14:05',
    );
    expect(refusalHeadline({ ...summary, source: 'csv' }, day, NOW, TOKYO, 'ja')).toBe(
      'CSV: 12月3日 14:05 以降 12 件を拒否',
    );
    expect(zonedTime(Date.parse('2026-12-04T00:30:00Z'), NOW, TOKYO, 'en')).toBe('09:30');
  });

  it('points at the value to fix: a payload path, or a CSV line and column', () => {
    const message = { ja: 'レコード ID がありません', en: 'The record id is missing' };
    expect(problemLine({ path: ['record', '$id', 'value'], message }, 'kintone', 'en')).toBe(
      'The record id is missing (record.$id.value)',
    );
    expect(problemLine({ path: [4, 'record_id'], message }, 'csv', 'ja')).toBe(
      'レコード ID がありません（4 行目・record_id）',
    );
    expect(problemLine({ path: [4, 'record_id'], message }, 'csv', 'en')).toBe(
      'The record id is missing (line 4, record_id)',
    );
    expect(problemLine({ path: [], message }, 'hubspot', 'en')).toBe('The record id is missing');
  });
});
