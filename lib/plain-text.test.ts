import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { splitBilingual } from './i18n';
import { isPlainText, plainText } from './plain-text';

describe('plainText', () => {
  it('refuses every C0 and C1 control character and DEL, in ja and en', () => {
    const name = plainText(z.string());
    for (let code = 0; code <= 0x9f; code++) {
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
      const result = name.safeParse(`a${String.fromCharCode(code)}b`);
      expect(result.success, `U+${code.toString(16)}`).toBe(!control);
      if (!result.success) {
        const { ja, en } = splitBilingual(result.error.issues[0]!.message);
        expect([ja, en]).toEqual([
          expect.stringMatching(/制御文字/),
          expect.stringMatching(/^Control characters/),
        ]);
      }
    }
  });

  it('keeps tab, line feed and carriage return in multi-line text only', () => {
    for (const text of ['line 1\nline 2', 'a\tb', 'a\r\nb']) {
      expect(plainText(z.string(), { multiline: true }).safeParse(text).success, JSON.stringify(text)).toBe(
        true,
      );
      expect(plainText(z.string()).safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
    expect(plainText(z.string(), { multiline: true }).safeParse('a\u0000b').success).toBe(false);
  });

  it('takes any text without control characters, Japanese and emoji included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const hasControl = [...text].some((ch) => /\p{Cc}/u.test(ch));
        expect(isPlainText(text)).toBe(!hasControl);
      }),
    );
    expect(isPlainText('株式会社サンプル 佐藤様 😀')).toBe(true);
  });
});
