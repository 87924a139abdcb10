/**
 * One line of `npm run bench`'s closing table (issue 18): a measure, its figure, its target and PASS or
 * MISS. Each benchmark prints its own lines as it goes and, when run by scripts/bench.mjs, appends them
 * to the JSON-lines file named by BENCH_RESULTS, from which the closing table is printed once at the end.
 */
import { appendFileSync } from 'node:fs';

export interface BenchFigure {
  /** The measure in the words, e.g. "POST /v1/events p99 at 5,000 events/s". */
  measure: string;
  /** "SQLite", "PostgreSQL", "Chromium", or "" when the measure has one setting. */
  backend: string;
  /** The figure as measured, with its unit ("38.2 ms", "91%"). */
  value: string;
  /** The target, with its comparison ("≤ 25 ms"). */
  target: string;
  pass: boolean;
}

export function reportFigure(figure: BenchFigure): void {
  const where = figure.backend ? `, ${figure.backend}` : '';
  console.log(
    `${figure.pass ? 'PASS' : 'MISS'}  ${figure.measure}${where}: ${figure.value} (target ${figure.target})`,
  );
  if (!figure.pass) process.exitCode = 1;
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}
