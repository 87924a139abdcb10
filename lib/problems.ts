import type { LocalizedText } from './i18n';

/**
 * One thing wrong with an input (a rule set, a message, an API body): where it is and what to do,
 * in both languages. Validation returns every problem at once, never just the first.
 */
export interface Problem {
  /** JSON path into the input, e.g. ["fitRules", 2, "points"]. */
  path: (string | number)[];
  message: LocalizedText;
}

/** "fitRules[2].points": the path as a reader would type it. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
