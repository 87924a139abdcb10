import { describe, expect, it } from 'vitest';
import { defaultFieldMappings } from '../crm';
import { defaultRuleSet, effectiveFieldMappings } from './index';

describe('effectiveFieldMappings', () => {
  it('uses the built-in mappings of every CRM when the rule set adds nothing', () => {
    expect(effectiveFieldMappings(defaultRuleSet)).toEqual(defaultFieldMappings);
  });

  it('tries the rule set’s own codes first and adds its custom fields', () => {
    const mappings = effectiveFieldMappings({
      fieldMappings: {
        salesforce: {
          mqlAt: { codes: ['Baton_MQL_Date__c'], labels: { ja: ['MQL日時'], en: [] } },
          budget: { codes: ['Budget__c'], labels: { ja: ['予算'], en: ['Budget'] } },
        },
      },
    });
    expect(mappings.salesforce?.mqlAt?.codes[0]).toBe('Baton_MQL_Date__c');
    expect(mappings.salesforce?.mqlAt?.codes).toContain('MQL_Date__c');
    expect(mappings.salesforce?.budget?.labels.ja).toEqual(['予算']);
    expect(mappings.hubspot).toEqual(defaultFieldMappings.hubspot);
  });
});
