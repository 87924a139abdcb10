import type { z } from 'zod';
import { bilingual, splitBilingual } from '../i18n';
import type { Problem, Result } from '../problems';
import { type RuleSet, ruleSetSchema } from './schema';
import { upgradeRuleSet } from './upgrade';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, { ja: string; en: string }> = {
  string: { ja: '文字列', en: 'a text' },
  number: { ja: '数値', en: 'a number' },
  int: { ja: '整数', en: 'a whole number' },
  boolean: { ja: 'true か false', en: 'true or false' },
  object: { ja: 'オブジェクト', en: 'an object' },
  array: { ja: '配列', en: 'a list (array)' },
  record: { ja: 'オブジェクト', en: 'an object' },
  null: { ja: 'null', en: 'null' },
  undefined: { ja: '未指定', en: 'nothing' },
  nan: { ja: 'NaN', en: 'NaN' },
};

function typeName(type: string): { ja: string; en: string } {
  return TYPE_NAMES[type] ?? { ja: type, en: type };
}

function receivedType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

const SIZED: Record<string, { ja: string; en: string }> = {
  string: { ja: '文字', en: 'characters' },
  array: { ja: '個', en: 'items' },
  set: { ja: '個', en: 'items' },
};

/**
 * Both languages for zod's own checks, which speak English only. A schema's bilingual message always wins
 * over this; it covers type errors, sizes, formats and unknown keys in any nested schema. Pass it as
 * `safeParse(input, { error: builtInMessage })` at every boundary (the endpoint's bodies use it too).
 */
export function builtInMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return bilingual('必須の項目です', 'This field is required');
      const expected = typeName(issue.expected);
      const received = typeName(receivedType(issue.input));
      return bilingual(
        `型が正しくありません（期待: ${expected.ja}、実際: ${received.ja}）`,
        `Expected ${expected.en}, got ${received.en}`,
      );
    }
    case 'too_small': {
      const min = String(issue.minimum);
      const unit = SIZED[issue.origin ?? ''];
      if (unit) {
        return issue.minimum === 1 && issue.origin === 'string'
          ? bilingual('空にはできません', 'Must not be empty')
          : bilingual(`${min}${unit.ja}以上にしてください`, `Give at least ${min} ${unit.en}`);
      }
      return issue.inclusive
        ? bilingual(`${min} 以上にしてください`, `Must be ${min} or more`)
        : bilingual(`${min} より大きくしてください`, `Must be greater than ${min}`);
    }
    case 'too_big': {
      const max = String(issue.maximum);
      const unit = SIZED[issue.origin ?? ''];
      if (unit) return bilingual(`${max}${unit.ja}以内にしてください`, `Give at most ${max} ${unit.en}`);
      return issue.inclusive
        ? bilingual(`${max} 以下にしてください`, `Must be ${max} or less`)
        : bilingual(`${max} より小さくしてください`, `Must be less than ${max}`);
    }
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern
        ? bilingual(`形式が正しくありません（パターン: ${issue.pattern}）`, `Does not match ${issue.pattern}`)
        : bilingual(`形式が正しくありません（${issue.format}）`, `Not a valid ${issue.format}`);
    case 'not_multiple_of':
      return bilingual(
        `${String(issue.divisor)} の倍数にしてください`,
        `Must be a multiple of ${String(issue.divisor)}`,
      );
    case 'unrecognized_keys':
      return bilingual(
        `不明な項目です（綴りを確認してください）: ${issue.keys.join(', ')}`,
        `Unknown ${issue.keys.length > 1 ? 'keys' : 'key'} (check the spelling): ${issue.keys.join(', ')}`,
      );
    case 'invalid_value':
      return bilingual(
        `次のいずれかを指定してください: ${list(issue.values)}`,
        `Give one of: ${list(issue.values)}`,
      );
    case 'invalid_union':
      return bilingual('どの書き方にも当てはまりません', 'Matches none of the allowed forms');
    case 'invalid_key':
      return bilingual('キーが正しくありません', 'Invalid key');
    case 'invalid_element':
      return bilingual('要素が正しくありません', 'Invalid element');
    default:
      return bilingual('値が正しくありません', 'Invalid value');
  }
}

/** Every zod issue as a Problem with its JSON path, in ja and en. */
export function problemsFrom(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: splitBilingual(issue.message),
  }));
}

/**
 * Checks a rule set as a whole, after bringing a stored older format up to date (./upgrade.ts). Bad rules
 * never take effect: any problem rejects the entire rule set, and every problem is reported at once with
 * where it is and what to change.
 */
export function validateRuleSet(input: unknown): Result<RuleSet> {
  const parsed = ruleSetSchema.safeParse(upgradeRuleSet(input), { error: builtInMessage });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: problemsFrom(parsed.error) };
}
