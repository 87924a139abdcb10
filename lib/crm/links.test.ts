import { describe, expect, it } from 'vitest';
import { crmAdapters } from './index';
import { recordLink } from './links';

describe('recordLink', () => {
  it('builds a record page each CRM adapter recognises as the same lead', () => {
    const cases = [
      [{ crm: 'salesforce', object: 'Lead', recordId: '00Q5j00000KXyZaEAL' }, 'acme.my.salesforce.com'],
      [{ crm: 'hubspot', object: 'contact', recordId: '3251' }, '44857211'],
      [
        { crm: 'kintone', object: '58', recordId: '1042' },
        'https://example.cybozu.com/k/58/show#record=1042',
      ],
      [
        { crm: 'pipedrive', object: 'lead', recordId: 'adf21080-0e10-11eb-879b-05d71fb426ec' },
        'example.pipedrive.com',
      ],
      [{ crm: 'zoho', object: 'Leads', recordId: '5725767000000419001' }, 'https://crm.zoho.jp/crm/org123'],
    ] as const;
    for (const [lead, site] of cases) {
      const link = recordLink(lead, site);
      expect(link, lead.crm).not.toBeNull();
      const url = new URL(link!);
      const adapter = crmAdapters.find((a) => a.id === lead.crm)!;
      expect(adapter.matches(url), link!).toBe(true);
      expect(adapter.recordKey(url), link!).toEqual(lead);
    }
  });

  it('makes no link without a site, from a non-https site, or for an object the CRM has no page form for', () => {
    expect(recordLink({ crm: 'kintone', object: '58', recordId: '1' }, undefined)).toBeNull();
    expect(
      recordLink({ crm: 'kintone', object: '58', recordId: '1' }, 'http://example.cybozu.com'),
    ).toBeNull();
    expect(recordLink({ crm: 'hubspot', object: 'deal', recordId: '1' }, '44857211')).toBeNull();
    expect(recordLink({ crm: 'hubspot', object: 'contact', recordId: '1' }, 'app.hubspot.com')).toBeNull();
  });
});
