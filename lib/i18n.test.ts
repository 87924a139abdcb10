import { describe, expect, it } from 'vitest';
import { bilingual, splitBilingual } from './i18n';

describe('bilingual messages', () => {
  it('splits a bilingual message back into its Japanese and English halves', () => {
    expect(splitBilingual(bilingual('祝日が不正です', 'Invalid holiday'))).toEqual({
      ja: '祝日が不正です',
      en: 'Invalid holiday',
    });
  });

  it('uses a plain message for both languages when it has no separator', () => {
    expect(splitBilingual('Required')).toEqual({ ja: 'Required', en: 'Required' });
  });

  it('keeps the English half readable on its own as the first part of the string', () => {
    expect(bilingual('あ', 'a').startsWith('a')).toBe(true);
  });
});
