/**
 * The CRM hosts whose pages the content script may read. Match patterns cannot wildcard a TLD, so
 * each regional Zoho domain is listed. The script does nothing on a matching page that is not a lead
 * record or lead list (the adapter decides from the URL alone before touching the DOM).
 */
export const crmMatchPatterns = [
  // Salesforce Lightning (my-domain and sandbox hosts) and Classic
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  'https://*.salesforce.com/*',
  // HubSpot: app.hubspot.com and regional hosts app-eu1, app-na2...
  'https://*.hubspot.com/*',
  // Dynamics 365 online, every region (crm, crm4, crm7 Japan...)
  'https://*.dynamics.com/*',
  // Zoho CRM, every data centre
  'https://*.zoho.com/*',
  'https://*.zoho.eu/*',
  'https://*.zoho.in/*',
  'https://*.zoho.jp/*',
  'https://*.zoho.com.au/*',
  'https://*.zoho.com.cn/*',
  'https://*.zohocloud.ca/*',
  'https://*.zoho.sa/*',
  // Pipedrive
  'https://*.pipedrive.com/*',
  // kintone
  'https://*.cybozu.com/*',
  'https://*.kintone.com/*',
  'https://*.cybozu.cn/*',
];
