import { describe, expect, it } from 'vitest';
import { CHOICE_TEXT, CHOICES, choiceText, REVISION_KEYS, RULE_FIELDS, RULE_SECTIONS } from './catalogue';
import { ruleSetSchema } from './schema';

describe('the rule-field catalogue', () => {
  it('takes choices from the schemas, so a new enum value cannot be missing from the editor', () => {
    expect(CHOICES.types).toContain('web_visit');
    expect(CHOICES.op).toEqual(['equals', 'in', 'contains', 'matches', 'range', 'emailDomain', 'icp']);
    expect(CHOICES.dimension).toEqual(['all', 'industry', 'employees', 'title', 'region']);
    expect(CHOICES.kind).toEqual(['reminder', 'owner', 'manager', 'marketing']);
    expect(CHOICES.about).toEqual(['lead_quality', 'not_lead_quality', 'duplicate']);
  });

  it('words every choice in both languages, never as its code', () => {
    for (const [set, texts] of Object.entries(CHOICE_TEXT)) {
      const options = CHOICES[set as keyof typeof CHOICES] as readonly string[];
      expect(Object.keys(texts).sort(), set).toEqual([...options].sort());
      for (const [value, text] of Object.entries(texts as Record<string, { ja: string; en: string }>)) {
        expect(text.ja, `${set}.${value}`).not.toBe('');
        expect(text.en, `${set}.${value}`).not.toBe('');
        if (value.includes('_')) expect([text.ja, text.en]).not.toContain(value);
      }
    }
    expect(choiceText('types', 'email_sent')).toEqual({ ja: 'メール送信', en: 'Email sent' });
    expect(choiceText('types', 'typo')).toEqual({ ja: 'typo', en: 'typo' });
  });

  it('gives every member with choices a label, and every top-level member a place in the editor', () => {
    for (const [key, field] of Object.entries(RULE_FIELDS)) {
      if (field.kind === 'choice' || field.kind === 'choices') expect(field.choices, key).toBeDefined();
    }
    const placed = [...RULE_SECTIONS.flatMap((s) => s.keys), ...REVISION_KEYS];
    // Not edited in the form: publishedAt is stamped on publication, checklistConfirmed is set from the
    // checklist, and intake mappings are written in the JSON view.
    const elsewhere = ['publishedAt', 'checklistConfirmed', 'intake'];
    expect([...placed, ...elsewhere].sort()).toEqual(Object.keys(ruleSetSchema.shape).sort());
    for (const key of placed) expect(RULE_FIELDS[key], key).toBeDefined();
  });
});
