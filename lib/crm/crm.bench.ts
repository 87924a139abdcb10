// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { defaultFieldMappings } from '.';
import { crmAdapters } from './index';

// Extraction runs on every DOM mutation batch of a CRM tab: a 200-row list and a record page must
// cost a few milliseconds. happy-dom is slower than a browser's native selector engine, so these
// figures are an upper bound; the real-browser benchmark measures the overlay end to end.

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');
const index = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as {
  fixtures: { crm: string; kind: string; file: string; url: string }[];
};

/** The fixture's list grown to `count` lead rows by cloning its first lead row. */
function grow(doc: Document, rowSelector: string, count: number): void {
  const row = doc.querySelector(rowSelector)!;
  for (let i = doc.querySelectorAll(rowSelector).length; i < count; i++) {
    row.parentElement!.insertBefore(row.cloneNode(true), row);
  }
}

const LIST_ROWS: Record<string, string> = {
  salesforce: '.oneContent.active tr[data-row-key-value^="00Q"]',
  hubspot: 'table[data-test-id="table"] tbody tr[data-test-id^="row-"]',
  zoho: 'tr[data-zcqa^="cvRow_5"], tr[data-zcqa^="cvRow_4"]',
  pipedrive: '[data-testid="lead-row"]',
  kintone: 'tr.recordlist-row-gaia:not(.recordlist-row-new-gaia)',
};

describe('200-row list views', () => {
  for (const fixture of index.fixtures.filter((f) => f.kind === 'list' && f.file.endsWith('-en.html'))) {
    const adapter = crmAdapters.find((a) => a.id === fixture.crm)!;
    const doc = new DOMParser().parseFromString(
      readFileSync(join(FIXTURES, fixture.file), 'utf8'),
      'text/html',
    );
    const rowSelector = LIST_ROWS[fixture.crm];
    if (rowSelector) grow(doc, rowSelector, 200);
    // Dynamics grid rows come in pinned/centre pairs joined by row-index: clone both halves.
    if (fixture.crm === 'dynamics') {
      for (const half of ['.ag-pinned-left-cols-container', '.ag-center-cols-container']) {
        const container = doc.querySelector(half)!;
        const row = container.querySelector('[row-index="0"]')!;
        for (let i = 3; i < 200; i++) {
          const copy = row.cloneNode(true) as Element;
          copy.setAttribute('row-index', String(i));
          container.append(copy);
        }
      }
    }
    const url = new URL(fixture.url);
    bench(`${fixture.crm} list`, () => {
      adapter.listRows(doc, url, defaultFieldMappings);
    });
  }
});

describe('record pages', () => {
  for (const fixture of index.fixtures.filter((f) => f.kind === 'record' && f.file.endsWith('-en.html'))) {
    const adapter = crmAdapters.find((a) => a.id === fixture.crm)!;
    const doc = new DOMParser().parseFromString(
      readFileSync(join(FIXTURES, fixture.file), 'utf8'),
      'text/html',
    );
    const url = new URL(fixture.url);
    bench(`${fixture.file}`, () => {
      adapter.extract(doc, url, defaultFieldMappings, { utcOffsetMinutes: 540 });
    });
  }
});
