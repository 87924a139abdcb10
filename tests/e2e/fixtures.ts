import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { salesforceId18 } from '../../lib/crm/salesforce-id';
import type { LeadSnapshot } from '../../lib/lead';

/** The CRM fixture pages (tests/fixtures/crm/index.json): real URLs, saved-page markup, expected leads. */
export interface CrmFixture {
  crm: LeadSnapshot['crm'];
  kind: 'record' | 'list';
  lang: 'ja' | 'en';
  file: string;
  url: string;
  note?: string;
  /** Nothing on the page can be read: the panel must say so instead of scoring an empty lead. */
  unreadable?: boolean;
  options?: { utcOffsetMinutes?: number; now?: string; locale?: string };
  expected: {
    recordId: string;
    object: string;
    fields: Record<string, string>;
    activities?: LeadSnapshot['activities'];
  }[];
}

const dir = resolve(import.meta.dirname, '../fixtures/crm');
export const crmFixtures: CrmFixture[] = JSON.parse(
  readFileSync(resolve(dir, 'index.json'), 'utf8'),
).fixtures;

export function fixtureHtml(fixture: Pick<CrmFixture, 'file'>): string {
  return readFileSync(resolve(dir, fixture.file), 'utf8');
}

const salesforceRecord = (): CrmFixture =>
  crmFixtures.find((f) => f.file === 'salesforce/record-layout-en.html')!;

/**
 * The Salesforce record fixture as another lead (its 15-character id given) that nobody has answered yet:
 * status "Open - Not Contacted" and no call or email after its MQL date, so its SLA clock is running.
 */
export function untouchedSalesforceLead(id15: string): { recordId: string; url: string; html: string } {
  const fixture = salesforceRecord();
  const recordId = salesforceId18(id15)!;
  const html = fixtureHtml(fixture)
    .replaceAll(fixture.expected[0]!.recordId, recordId)
    .replaceAll('Working - Contacted', 'Open - Not Contacted')
    .replace(
      /<li><runtime_sales_activities-activity-timeline-item><div class="slds-timeline__item_expandable slds-timeline__item_(call|email)".*?<\/li>/g,
      '',
    );
  return { recordId, url: `https://acme.lightning.force.com/lightning/r/Lead/${recordId}/view`, html };
}
