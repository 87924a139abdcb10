/** zod issues as Problems (JSON path + ja/en message) for 4xx answers. */
import type { z } from 'zod';
import { splitBilingual } from '../lib/i18n';
import type { Problem } from '../lib/problems';

// Our schemas pass bilingual messages; zod's own defaults are English only and get a Japanese phrase.
const JA_BY_CODE: Record<string, string> = {
  invalid_type: '型が正しくないか、必須の項目がありません',
  too_small: '値が小さすぎるか、短すぎます',
  too_big: '値が大きすぎるか、長すぎます',
  invalid_format: '形式が正しくありません',
  invalid_value: '指定できない値です',
  invalid_union: 'どの書き方にも当てはまりません',
  unrecognized_keys: '不明な項目があります',
  not_multiple_of: '倍数になっていません',
};

export function problemsOf(error: z.ZodError, prefix: readonly (string | number)[] = []): Problem[] {
  return error.issues.map((issue) => {
    const message = splitBilingual(issue.message);
    if (message.ja === message.en) {
      message.ja = `${JA_BY_CODE[issue.code] ?? '値が正しくありません'}（${message.en}）`;
    }
    return {
      path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message,
    };
  });
}
