import { describe, expect, it } from 'vitest';
import { crmIdSchema, leadFieldSchema } from '../lead';
import { defaultFieldMappings } from '.';
import { fieldMappingsSchema, mergeFieldMappings } from './mapping';

describe('field mappings', () => {
  it('the defaults validate against the schema a rule set is checked with', () => {
    expect(fieldMappingsSchema.safeParse(defaultFieldMappings).success).toBe(true);
  });

  it('the defaults map every canonical lead field on every CRM', () => {
    for (const crm of crmIdSchema.options) {
      for (const field of leadFieldSchema.options) {
        const src = defaultFieldMappings[crm][field];
        expect(src, `${crm}.${field}`).toBeDefined();
        expect(src!.labels.ja.length + src!.labels.en.length, `${crm}.${field}`).toBeGreaterThan(0);
      }
    }
  });

  it('a rule set can add a custom field with only a code, labels defaulting to none', () => {
    const parsed = fieldMappingsSchema.parse({ salesforce: { budget: { codes: ['Budget__c'] } } });
    expect(parsed.salesforce?.budget).toEqual({ codes: ['Budget__c'], labels: { ja: [], en: [] } });
  });

  it('rejects a custom key that cannot be a snapshot field key', () => {
    const result = fieldMappingsSchema.safeParse({ salesforce: { '1 bad key': { codes: ['X'] } } });
    expect(result.success).toBe(false);
  });

  it('rejects an unknown CRM', () => {
    expect(fieldMappingsSchema.safeParse({ sugarcrm: {} }).success).toBe(false);
  });

  it('merging puts the rule set’s codes and labels first and keeps the defaults', () => {
    const merged = mergeFieldMappings(defaultFieldMappings, {
      salesforce: {
        company: { codes: ['Company_Name__c'], labels: { ja: ['企業名'], en: [] } },
        budget: { codes: ['Budget__c'], labels: { ja: ['予算'], en: ['Budget'] } },
      },
    });
    expect(merged.salesforce?.company?.codes).toEqual(['Company_Name__c', 'Company']);
    expect(merged.salesforce?.company?.labels.ja).toEqual(['企業名', '会社名']);
    expect(merged.salesforce?.budget?.codes).toEqual(['Budget__c']);
    expect(merged.hubspot).toEqual(defaultFieldMappings.hubspot);
  });
});
