import { describe, expect, it } from 'vitest';
import { formatDuration } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('formatting a countdown', () => {
  it('shows hours and minutes', () => {
    expect(formatDuration(2 * HOUR + 15 * MINUTE, 'ja')).toBe('2時間15分');
    expect(formatDuration(2 * HOUR + 15 * MINUTE, 'en')).toBe('2h 15m');
  });

  it('drops a zero part', () => {
    expect(formatDuration(2 * HOUR, 'en')).toBe('2h');
    expect(formatDuration(45 * MINUTE, 'ja')).toBe('45分');
  });

  it('switches to days and hours from 24 hours on', () => {
    expect(formatDuration(27 * HOUR + 40 * MINUTE, 'ja')).toBe('1日3時間');
    expect(formatDuration(48 * HOUR, 'en')).toBe('2d');
  });

  it('rounds down to the minute and says less than a minute below it', () => {
    expect(formatDuration(MINUTE + 59_999, 'en')).toBe('1m');
    expect(formatDuration(59_999, 'ja')).toBe('1分未満');
    expect(formatDuration(0, 'en')).toBe('<1m');
  });

  it('ignores the sign, leaving "late" or "left" to the caller', () => {
    expect(formatDuration(-90 * MINUTE, 'en')).toBe('1h 30m');
  });
});
