import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
