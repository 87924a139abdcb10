import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatHourRange, formatShare } from './format';

const MIN = 60_000;

describe('dashboard figures', () => {
  it('writes durations as a Japanese and an English reader would', () => {
    expect(formatDuration(135 * MIN, 'ja')).toBe('2時間15分');
    expect(formatDuration(135 * MIN, 'en')).toBe('2 h 15 min');
    expect(formatDuration(120 * MIN, 'ja')).toBe('2時間');
    expect(formatDuration(45 * MIN + 29_000, 'en')).toBe('45 min');
    expect(formatDuration((3 * 24 + 4) * 60 * MIN, 'ja')).toBe('3日4時間');
    expect(formatDuration((3 * 24 + 4) * 60 * MIN, 'en')).toBe('3 d 4 h');
    expect(formatDuration(48 * 60 * MIN, 'en')).toBe('2 d');
    expect(formatDuration(null, 'ja')).toBe('—');
  });

  it('rounds to the minute before splitting, so 59.5 minutes is one hour', () => {
    expect(formatDuration(59.5 * MIN, 'en')).toBe('1 h');
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
