import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log';
import { pollLog } from './poll-log';

describe('rules polls answered 304', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes one line a minute with how many, from how many tokens, and the slowest', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 5, 9, 0, 0) });
    const lines: string[] = [];
    const polls = pollLog(
      createLogger('info', (line) => lines.push(line)),
      Date.now,
    );
    polls.add('aaaaaaaaaaaa', 0.3);
    vi.advanceTimersByTime(20_000);
    polls.add('bbbbbbbbbbbb', 1.7);
    polls.add('aaaaaaaaaaaa', 0.4);
    vi.advanceTimersByTime(39_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        time: '2026-12-05T09:01:00.000Z',
        level: 'info',
        msg: 'rules polls answered 304',
        count: 3,
        tokens: 2,
        maxMs: 1.7,
        since: '2026-12-05T09:00:00.000Z',
        seconds: 60,
      },
    ]);
    // A quiet minute writes nothing; the next poll starts a new minute from its own time.
    vi.advanceTimersByTime(90_000);
    expect(lines).toHaveLength(1);
    polls.add('cccccccccccc', 0.2);
    polls.flush();
    expect(JSON.parse(lines[1]!)).toMatchObject({
      count: 1,
      tokens: 1,
      maxMs: 0.2,
      since: '2026-12-05T09:02:30.000Z',
      seconds: 0,
    });
    polls.flush();
    expect(lines).toHaveLength(2);
  });
});
