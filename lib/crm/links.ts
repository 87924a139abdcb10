/**
 * The web address of a lead's record page, built from its key and the team's CRM site, for leads no
 * browser has opened (they arrived by intake): the popup queue opens them with one click. The forms are
 * those the page adapters recognise (lib/crm/<crm>.ts), so the opened page is read as the same lead.
 */
import type { LeadKey } from '../lead';

/**
 * Where the team's CRM lives: a host or origin ("acme.my.salesforce.com", "https://example.cybozu.com",
 * "example.pipedrive.com", "org.crm7.dynamics.com", "crm.zoho.jp/crm/org123") or, for HubSpot, the
 * portal id ("44857211").
 */
export type CrmSite = string;

const HUBSPOT_TYPE: Record<string, string> = { contact: '0-1', lead: '0-136' };

function origin(site: string): string | null {
  const trimmed = site.trim().replace(/\/+$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return null;
  }
}

/** The record page of `lead` on `site`, or null when the site or object cannot make one. */
export function recordLink(lead: LeadKey, site: CrmSite | undefined): string | null {
  if (!site) return null;
  const id = encodeURIComponent(lead.recordId);
  if (lead.crm === 'hubspot') {
    const type = HUBSPOT_TYPE[lead.object];
    return /^\d{1,12}$/.test(site.trim()) && type
      ? `https://app.hubspot.com/contacts/${site.trim()}/record/${type}/${id}`
      : null;
  }
  // A kintone record URL ends in the record's own hash: only its origin is the site.
  const base = origin(lead.crm === 'kintone' ? site.split('/k/')[0]! : site);
  if (!base) return null;
  switch (lead.crm) {
    case 'salesforce':
      return `${base.replace('.my.salesforce.com', '.lightning.force.com')}/lightning/r/${encodeURIComponent(lead.object)}/${id}/view`;
    case 'kintone':
      return /^\d+$/.test(lead.object) ? `${base}/k/${lead.object}/show#record=${id}` : null;
    case 'pipedrive':
      return lead.object === 'lead'
        ? `${base}/leads/inbox/${id}`
        : `${base}/${encodeURIComponent(lead.object)}/${id}`;
    case 'dynamics':
      return `${base}/main.aspx?pagetype=entityrecord&etn=${encodeURIComponent(lead.object)}&id=${id}`;
    case 'zoho':
      return `${base}/tab/Leads/${id}`;
  }
}
