import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CrmAdapter } from '../../lib/crm/types';

/** What every CRM adapter's tests share: its saved pages, and the pages it must leave alone. */
const FIXTURES = join(import.meta.dirname, '../fixtures/crm');

/** A saved page of one CRM (tests/fixtures/crm/<crm>/<file>), parsed as the browser parses it. */
export function savedPage(crm: string, file: string): Document {
  return new DOMParser().parseFromString(readFileSync(join(FIXTURES, crm, file), 'utf8'), 'text/html');
}

/** One test per URL: the adapter must not take any of them for one of its lead pages. */
export function itRefusesNonLeadPages(adapter: CrmAdapter, hrefs: readonly string[]): void {
  it.each(hrefs)('%s is not a lead page', (href) => {
    expect(adapter.matches(new URL(href))).toBe(false);
  });
}
