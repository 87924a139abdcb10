import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatHourRange, formatShare } from './format';

const MIN = 60_000;

describe('dashboard figures', () => {
  it('writes durations in the product’s one wording, a missing one as a dash', () => {
    expect(formatDuration(135 * MIN, 'ja')).toBe('2時間15分');
    expect(formatDuration(135 * MIN, 'en')).toBe('2h 15m');
    expect(formatDuration(120 * MIN, 'ja')).toBe('2時間');
    expect(formatDuration((3 * 24 + 4) * 60 * MIN, 'ja')).toBe('3日4時間');
    expect(formatDuration((3 * 24 + 4) * 60 * MIN, 'en')).toBe('3d 4h');
    expect(formatDuration(null, 'ja')).toBe('—');
  });

  it('formats counts and shares per language, a missing rate as a dash', () => {
    expect(formatCount(12345, 'ja')).toBe('12,345');
    expect(formatCount(2.25, 'en')).toBe('2.3');
    expect(formatShare(2 / 11, 'en')).toBe('18.2%');
    expect(formatShare(0.25, 'ja')).toBe('25%');
    expect(formatShare(null, 'en')).toBe('—');
  });

  it('names histogram buckets, the last one open', () => {
    expect(formatHourRange(1, 2, 'ja')).toBe('1–2 時間');
    expect(formatHourRange(48, null, 'en')).toBe('48 h or more');
  });
});
