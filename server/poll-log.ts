/**
 * Rules polls answered 304 in the log: one info line a minute saying how many, not one line each. Every
 * browser asks for the active rules on a timer and is nearly always told "not modified": with 5,000 reps
 * polling once a minute that is 7 million lines a day that say nothing, and on the load benchmark the line
 * was a sixth of what answering a poll cost beyond Node's own work (issue 18). The metrics still count
 * each poll (`baton_http_requests_total`, `baton_http_request_duration_seconds`), a 304's request id is in
 * its X-Request-Id header, and BATON_LOG_LEVEL=debug writes the per-request lines as before.
 */
import type { Logger } from './log';

export const POLL_SUMMARY_MS = 60_000;

export interface PollLog {
  /** One poll answered 304, by this token, in this many milliseconds. */
  add(tokenId: string, ms: number): void;
  /** Writes what was counted so far (the endpoint stopping). */
  flush(): void;
}

export function pollLog(log: Logger, clock: () => number, everyMs = POLL_SUMMARY_MS): PollLog {
  let count = 0;
  let maxMs = 0;
  let since = 0;
  const tokens = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (count === 0) return;
    log.info('rules polls answered 304', {
      count,
      tokens: tokens.size,
      maxMs,
      since: new Date(since).toISOString(),
      seconds: Math.round((clock() - since) / 1000),
    });
    count = 0;
    maxMs = 0;
    tokens.clear();
  };
  return {
    add(tokenId, ms) {
      if (count === 0) {
        since = clock();
        // A line when the minute is up, not at the next poll: the last minute before a quiet spell shows.
        timer = setTimeout(flush, everyMs);
        timer.unref();
      }
      count++;
      tokens.add(tokenId);
      if (ms > maxMs) maxMs = ms;
    },
    flush,
  };
}
