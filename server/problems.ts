/** zod issues as Problems (JSON path + ja/en message) for 4xx answers. */
import type { z } from 'zod';
import type { Problem } from '../lib/problems';
import { problemsFrom } from '../lib/rules/validate';

export { builtInMessage } from '../lib/rules/validate';

/**
 * Bodies are parsed with `{ error: builtInMessage }`, so zod's own checks carry Japanese too, in the same
 * words the rules validator uses; this only prefixes each path with where the value sat in the body.
 */
export function problemsOf(error: z.ZodError, prefix: readonly (string | number)[] = []): Problem[] {
  return problemsFrom(error).map((problem) => ({ ...problem, path: [...prefix, ...problem.path] }));
}
