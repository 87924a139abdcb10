/**
 * The small schemas every part of the rule set is built from (ids, texts, points, patterns, lists with
 * unique ids) and the `whenWhole` guard its cross-field checks run under. Messages are `bilingual(ja, en)`,
 * split back into LocalizedText by validate.ts.
 */
import { z } from 'zod';
import { bilingual } from '../i18n';
import { normalizeText } from '../normalize';

export const idSchema = z
  .string({ error: bilingual('ID を文字列で指定してください', 'Give an id as a string') })
  .max(64, bilingual('ID は64文字以内です', 'An id has at most 64 characters'))
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    bilingual(
      'ID は半角英小文字・数字・"_"・"-" で書いてください（例: "demo_request"）',
      'An id uses lowercase letters, digits, "_" and "-" (e.g. "demo_request")',
    ),
  );

export const textSchema = z
  .string({ error: bilingual('文字列を指定してください', 'Give a text') })
  .trim()
  .min(1, bilingual('空にはできません', 'Must not be empty'))
  .max(200, bilingual('200文字以内にしてください', 'Use at most 200 characters'));

export const pointsSchema = z
  .int({ error: bilingual('点数は整数で指定してください', 'Points are a whole number') })
  .min(-1000, bilingual('点数は -1000 以上です', 'Points are at least -1000'))
  .max(1000, bilingual('点数は 1000 以下です', 'Points are at most 1000'))
  .refine((p) => p !== 0, {
    error: bilingual('0 点のルールは意味がありません', 'A rule worth 0 points does nothing'),
  });

export const positiveIntSchema = z
  .int({ error: bilingual('整数で指定してください', 'Give a whole number') })
  .positive(bilingual('1 以上の整数にしてください', 'Give a whole number of 1 or more'));

export const nonNegativeIntSchema = z
  .int({ error: bilingual('整数で指定してください', 'Give a whole number') })
  .nonnegative(bilingual('0 以上の整数にしてください', 'Give a whole number of 0 or more'));

export const daysSchema = z
  .number({ error: bilingual('日数を数値で指定してください', 'Give a number of days') })
  .positive(bilingual('日数は 0 より大きくしてください', 'The number of days must be greater than 0'))
  .max(3650, bilingual('日数は 3650 以下です', 'At most 3650 days'));

/** The flags every rule pattern runs with; validation compiles with the same ones. */
export const PATTERN_FLAGS = 'i';

// Nested quantifiers such as (a+)+ can backtrack for minutes on a crafted page text, and rule patterns
// run in every rep's browser on text that strangers typed into web forms.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/;

/** A regular expression source, matched case-insensitively against NFKC-normalised text. */
export const patternSchema = z
  .string({ error: bilingual('正規表現を文字列で指定してください', 'Give a regular expression as a string') })
  .min(1, bilingual('正規表現が空です', 'The regular expression is empty'))
  .max(500, bilingual('正規表現は500文字以内です', 'A regular expression has at most 500 characters'))
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, PATTERN_FLAGS);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      ctx.addIssue({
        code: 'custom',
        message: bilingual(
          `正規表現として読めません（${detail}）`,
          `Not a valid regular expression (${detail})`,
        ),
      });
      return;
    }
    if (NESTED_QUANTIFIER.test(source)) {
      ctx.addIssue({
        code: 'custom',
        message: bilingual(
          '繰り返しの入れ子（例: (a+)+）は処理が極端に遅くなるため使えません',
          'Nested repetition such as (a+)+ can take minutes to run, so it is not allowed',
        ),
      });
    }
  });

// Type errors leave part of the input unparsed, and zod then skips refinements above it. Cross-field
// checks instead run whenever the paths they read are whole, so one typo does not hide every other problem.
const SHAPE_BREAKING = new Set([
  'invalid_type',
  'invalid_union',
  'invalid_value',
  'invalid_key',
  'invalid_element',
]);
type PathPattern = readonly (string | number)[];

function breaks(issuePath: readonly PropertyKey[], pattern: PathPattern): boolean {
  if (issuePath.length > pattern.length) return false;
  return issuePath.every((part, i) => pattern[i] === '*' || pattern[i] === part);
}

/** A `when` for refinements: run unless a type error sits on (or above) one of the paths read. */
export function whenWhole(...reads: PathPattern[]) {
  return {
    when: (payload: { issues: readonly { code?: string; path?: PropertyKey[] }[] }) =>
      payload.issues.every(
        (issue) => !SHAPE_BREAKING.has(issue.code ?? '') || !reads.some((p) => breaks(issue.path ?? [], p)),
      ),
  };
}

export function uniqueBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  ctx: z.RefinementCtx,
  what: (k: string) => string,
  path: (i: number) => (string | number)[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: path(i), message: what(k) });
    seen.add(k);
  });
}

export function listOf<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item, { error: bilingual('一覧（配列）で指定してください', 'Give a list (array)') })
    .max(max, bilingual(`${max}個以内にしてください`, `Give at most ${max} items`));
}

/** A list of entries whose `id` must be unique within the list. */
export function idListOf<T extends z.ZodType<{ id: string }>>(
  item: T,
  max: number,
  what: { ja: string; en: string },
) {
  return listOf(item, max).superRefine(
    (items, ctx) =>
      uniqueBy(
        items,
        (x) => x.id,
        ctx,
        (id) => bilingual(`${what.ja}の ID "${id}" が重複しています`, `${what.en} id "${id}" is used twice`),
        (i) => [i, 'id'],
      ),
    whenWhole(['*', 'id']),
  );
}

export const uniqueTextsSchema = (max: number) =>
  listOf(textSchema, max).superRefine((items, ctx) =>
    uniqueBy(
      items,
      normalizeText,
      ctx,
      (v) => bilingual(`"${v}" が重複しています`, `"${v}" is listed twice`),
      (i) => [i],
    ),
  );
