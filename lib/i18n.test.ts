import { describe, expect, it } from 'vitest';
import { bilingual, splitBilingual, textTable } from './i18n';

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

describe('textTable', () => {
  it('pairs each key of the Japanese table with the same key of the English one, in the Japanese order', () => {
    const words = textTable({
      ja: { save: '保存', cancel: '取り消し' },
      en: { cancel: 'Cancel', save: 'Save' },
    });
    expect(words).toEqual({ save: { ja: '保存', en: 'Save' }, cancel: { ja: '取り消し', en: 'Cancel' } });
    expect(Object.keys(words)).toEqual(['save', 'cancel']);
  });

  it('refuses, at compile time, a key one language lacks', () => {
    // @ts-expect-error: 'cancel' has no English text
    textTable({ ja: { save: '保存', cancel: '取り消し' }, en: { save: 'Save' } });
    // @ts-expect-error: a key list given, and 'cancel' is missing in both languages
    textTable<'save' | 'cancel'>({ ja: { save: '保存' }, en: { save: 'Save' } });
  });
});
