import type { LeadSnapshot } from '../../lib/lead';
import type { SeenLead } from '../../lib/messaging';

/**
 * The foundation's end-to-end slice: recognise a Salesforce Lightning lead record from its URL and
 * mark it with a <baton-lead> host. The CRM adapters (lib/crm/) and the overlay replace this.
 */
const SALESFORCE_LEAD = /^\/lightning\/r\/(?:Lead\/)?(00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)\/view/;

export function readLead(url: URL, root: ParentNode): LeadSnapshot | null {
  const match = SALESFORCE_LEAD.exec(url.pathname);
  if (!match?.[1]) return null;
  const company = root
    .querySelector('[data-target-selection-name="sfdc:RecordField.Lead.Company"] lightning-formatted-text')
    ?.textContent?.trim();
  return {
    crm: 'salesforce',
    object: 'Lead',
    recordId: match[1],
    url: url.href,
    fields: company ? { company: company.slice(0, 2000) } : {},
    activities: [],
  };
}

export function mountMarker(snapshot: LeadSnapshot): HTMLElement {
  const host = document.createElement('baton-lead');
  host.dataset.crm = snapshot.crm;
  host.dataset.object = snapshot.object;
  host.dataset.recordId = snapshot.recordId;
  host.attachShadow({ mode: 'open' });
  document.body.append(host);
  return host;
}

export function showSeen(host: HTMLElement, seen: SeenLead): void {
  host.dataset.timesSeen = String(seen.timesSeen);
  const line = document.createElement('p');
  // Page-derived text goes in as text, never as markup.
  line.textContent = `Baton: ${seen.company ?? seen.recordId}`;
  host.shadowRoot?.replaceChildren(line);
}
