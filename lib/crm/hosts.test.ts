import { describe, expect, it } from 'vitest';
import { isCrmPageUrl } from './hosts';

describe('isCrmPageUrl', () => {
  it('takes an https page on a host of the lead’s CRM', () => {
    expect(
      isCrmPageUrl('salesforce', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view'),
    ).toBe(true);
    expect(isCrmPageUrl('salesforce', 'https://na123.salesforce.com/00Q5g00000AbCdE')).toBe(true);
    expect(isCrmPageUrl('hubspot', 'https://app-eu1.hubspot.com/contacts/1/record/0-1/51')).toBe(true);
    expect(isCrmPageUrl('dynamics', 'https://acme.crm7.dynamics.com/main.aspx?etn=lead')).toBe(true);
    expect(isCrmPageUrl('zoho', 'https://crm.zoho.jp/crm/org1/tab/Leads/1')).toBe(true);
    expect(isCrmPageUrl('pipedrive', 'https://acme.pipedrive.com/leads/inbox/1')).toBe(true);
    expect(isCrmPageUrl('kintone', 'https://acme.cybozu.com/k/12/show#record=3')).toBe(true);
  });

  it('refuses another scheme, another CRM’s host, look-alike hosts, credentials and ports', () => {
    for (const url of [
      'javascript:alert(1)',
      'http://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
      'https://app.hubspot.com/contacts/1/record/0-1/51',
      'https://acme.lightning.force.com.evil.example/x',
      'https://evil-lightning.force.com.example.com/',
      'https://user:pass@acme.lightning.force.com/x',
      'https://acme.lightning.force.com:8443/x',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
    ]) {
      expect(isCrmPageUrl('salesforce', url), url).toBe(false);
    }
  });
});
