// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultFieldMappings } from './index';
import { readRecord } from './page';
import { salesforce } from './salesforce';

const page = readFileSync(
  join(import.meta.dirname, '../../tests/fixtures/crm/salesforce/record-layout-en.html'),
  'utf8',
);
const url = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbTEAV/view');

describe('reading a record page', () => {
  it("finds the record's region once per read, however many tiers read it", () => {
    const doc = new DOMParser().parseFromString(page, 'text/html');
    // Salesforce keeps earlier records' tabs in the page: finding the shown one scans every tab host.
    const scans = vi.spyOn(doc, 'querySelectorAll');
    const read = readRecord(salesforce, doc, url, defaultFieldMappings, { utcOffsetMinutes: 540 });
    const hostScans = scans.mock.calls.filter(([selector]) => selector.includes('div.oneContent'));
    expect(read?.snapshot?.fields.company).toBeTruthy();
    expect(hostScans).toHaveLength(1);
  });

  it('reads the same lead whether or not the region is handed to the adapter, and only inside it', () => {
    const doc = new DOMParser().parseFromString(page, 'text/html');
    const scope = salesforce.recordScope!(doc, url);
    expect(salesforce.extract(doc, url, defaultFieldMappings, { utcOffsetMinutes: 540, scope })).toEqual(
      salesforce.extract(doc, url, defaultFieldMappings, { utcOffsetMinutes: 540 }),
    );
    // The region handed over is the one read: an empty one holds no lead.
    const empty = doc.createElement('div');
    expect(
      salesforce.extract(doc, url, defaultFieldMappings, { utcOffsetMinutes: 540, scope: empty }),
    ).toBeNull();
  });
});
