// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { mergeFieldMappings } from './mapping';
import { salesforce } from './salesforce';
import { isLeadId, salesforceId18 } from './salesforce-id';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');
const index = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as {
  fixtures: {
    crm: string;
    file: string;
    url: string;
    expected: { recordId: string; fields: Record<string, string> }[];
  }[];
};

function fixture(file: string) {
  const entry = index.fixtures.find((f) => f.file === `salesforce/${file}`)!;
  const html = readFileSync(join(FIXTURES, entry.file), 'utf8');
  return { doc: new DOMParser().parseFromString(html, 'text/html'), url: new URL(entry.url), entry };
}

describe('Salesforce ids', () => {
  it('converts 15-character ids to the 18-character form Salesforce documents', () => {
    // Pairs from Salesforce's own documentation and knowledge articles.
    expect(salesforceId18('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(salesforceId18('a0D30000001n7Pi')).toBe('a0D30000001n7PiEAI');
    expect(salesforceId18('00D000000000062')).toBe('00D000000000062EAA');
  });

  it('recomputes the suffix of an 18-character id, so a lower-cased suffix still keys the same lead', () => {
    expect(salesforceId18('0015000000Gv7qJaar')).toBe('0015000000Gv7qJAAR');
    expect(salesforceId18('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
  });

  it('rejects ids of the wrong length or alphabet', () => {
    expect(salesforceId18('0015000000Gv7q')).toBeNull();
    expect(salesforceId18('0015000000Gv7qJAA')).toBeNull();
    expect(salesforceId18('0015000000Gv7q-')).toBeNull();
  });

  it('knows a lead id by its 00Q prefix', () => {
    expect(isLeadId('00Q5g00000KzWbT')).toBe(true);
    expect(isLeadId('0035g00000AaBbCAAV')).toBe(false);
  });
});

describe('Salesforce URLs', () => {
  it.each([
    [
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbT/view',
      'record',
      '00Q5g00000KzWbTEAV',
    ],
    ['https://acme.lightning.force.com/lightning/r/00Q5g00000KzWbTEAV/view', 'record', '00Q5g00000KzWbTEAV'],
    [
      'https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbT/view?ws=x',
      'record',
      '00Q5g00000KzWbTEAV',
    ],
    [
      'https://acme.my.salesforce.com/lightning/r/Lead/00Q5g00000KzWbTEAV/view',
      'record',
      '00Q5g00000KzWbTEAV',
    ],
    ['https://acme--dev.sandbox.my.salesforce.com/00Q5g00000KzWbT', 'record', '00Q5g00000KzWbTEAV'],
    ['https://na87.salesforce.com/00Q5g00000KzWbT', 'record', '00Q5g00000KzWbTEAV'],
    ['https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent', 'list', null],
  ])('%s is a %s page', (href, kind, id) => {
    const url = new URL(href);
    expect(salesforce.matches(url)).toBe(true);
    expect(salesforce.pageKind(url)).toBe(kind);
    expect(salesforce.recordKey(url)?.recordId ?? null).toBe(id);
  });

  itRefusesNonLeadPages(salesforce, [
    'https://acme.lightning.force.com/lightning/r/Contact/0035g00000AaBbCAAV/view',
    'https://acme.lightning.force.com/lightning/r/0035g00000AaBbCAAV/view',
    'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbT/related/OpenActivities/view',
    'https://acme.lightning.force.com/lightning/o/Lead/new',
    'https://www.salesforce.com/00Q5g00000KzWbT',
    'https://acme.lightning.force.com.evil.example/lightning/o/Lead/list',
  ]);
});

describe('Salesforce record pages', () => {
  it('reads the visible lead, not the hidden cached copy of the previous one', () => {
    const { doc, url } = fixture('record-layout-en.html');
    const snapshot = salesforce.extract(doc, url, defaultFieldMappings);
    expect(snapshot?.fields.company).toBe('Acme Robotics K.K.');
    expect(doc.body.textContent).toContain('Globex Corporation');
  });

  it('waits while single-page navigation still shows the previous record', () => {
    const { doc } = fixture('record-layout-en.html');
    // The URL already names the cached lead, but the active page still shows the old one.
    const next = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWc9EAF/view');
    expect(salesforce.extract(doc, next, defaultFieldMappings)).toBeNull();
    expect(salesforce.recordScope!(doc, next)).toBeNull();
  });

  it('follows the swap once the new record becomes the active page', () => {
    const { doc } = fixture('record-layout-en.html');
    const [cached, active] = [...doc.querySelectorAll('div.oneContent')];
    active!.classList.remove('active');
    active!.setAttribute('style', 'display: none;');
    cached!.classList.add('active');
    cached!.removeAttribute('style');
    const next = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWc9/view');
    const snapshot = salesforce.extract(doc, next, defaultFieldMappings);
    expect(snapshot?.recordId).toBe('00Q5g00000KzWc9EAF');
    expect(snapshot?.fields.company).toBe('Globex Corporation');
  });

  it('reads a custom field added by the rule set, by API name or by label', () => {
    const { doc, url } = fixture('record-dynamic-ja.html');
    const mapping = mergeFieldMappings(defaultFieldMappings, {
      salesforce: {
        rating: { codes: ['Rating'], labels: { ja: [], en: [] } },
        phone: { codes: [], labels: { ja: ['電話'], en: [] } },
      },
    });
    const snapshot = salesforce.extract(doc, url, mapping);
    expect(snapshot?.fields.rating).toBe('Warm');
    expect(snapshot?.fields.phone).toBe('03-5555-0101');
  });

  it('reads nothing but the key fields it is mapped to', () => {
    const { doc, url } = fixture('record-layout-en.html');
    const snapshot = salesforce.extract(doc, url, {
      salesforce: { company: { codes: ['Company'], labels: { ja: [], en: [] } } },
    });
    expect(snapshot?.fields).toEqual({ company: 'Acme Robotics K.K.' });
  });

  it('treats page text as text and caps its length', () => {
    const { doc, url } = fixture('record-layout-en.html');
    const company = doc.querySelector(
      '.oneContent.active [data-target-selection-name="sfdc:RecordField.Lead.Company"] [data-output-element-id="output-field"]',
    )!;
    company.textContent = `<img src=x onerror=alert(1)> ${'x'.repeat(5000)}`;
    const value = salesforce.extract(doc, url, defaultFieldMappings)!.fields.company!;
    expect(value.startsWith('<img src=x onerror=alert(1)>')).toBe(true);
    expect(value.length).toBe(2000);
    expect(doc.querySelector('img[src="x"]')).toBeNull();
  });

  it('returns null before the record content has rendered', () => {
    const url = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000KzWbT/view');
    const doc = new DOMParser().parseFromString(
      '<div class="oneContent active"><div class="spinner"></div></div>',
      'text/html',
    );
    expect(salesforce.extract(doc, url, defaultFieldMappings)).toBeNull();
  });

  it('reads the visible record, not a cached tab', () => {
    const { doc, url } = fixture('record-dynamic-en.html');
    const scope = salesforce.recordScope!(doc, url) as Element | null;
    expect(scope?.closest('.oneContent')?.classList.contains('active')).toBe(true);
  });
});

describe('Salesforce list views', () => {
  it('chips one row per lead and none on contacts, headers or loading rows', () => {
    const { doc, url, entry } = fixture('list-en.html');
    const rows = salesforce.listRows(doc, url, defaultFieldMappings);
    expect(rows.map((r) => r.key.recordId)).toEqual(entry.expected.map((e) => e.recordId));
    for (const row of rows)
      expect(row.element.closest('.oneContent')?.classList.contains('active')).toBe(true);
  });

  it('reports list rows with 18-character ids even when the row key is 15 characters', () => {
    const { doc, url } = fixture('list-en.html');
    const rows = salesforce.listRows(doc, url, defaultFieldMappings);
    expect(rows.every((r) => r.key.recordId.length === 18)).toBe(true);
  });

  it('reads a cell by its value element, and the whole cell when that would drop or miss text', () => {
    const { doc, url } = fixture('list-en.html');
    const row = doc.querySelector('.oneContent.active tr[data-row-key-value]')!;
    const cell = (label: string) => row.querySelector(`[data-label="${label}"]`)!;
    // Two value elements (an address over two lines): both are the value.
    cell('State/Province').innerHTML =
      '<span><div class="slds-truncate">1-2-3 Marunouchi</div><div class="slds-truncate">Tokyo</div></span>';
    // An empty value element, the value beside it.
    cell('Lead Status').innerHTML = '<div class="slds-truncate"></div><span>Open - Not Contacted</span>';
    // No value element at all.
    cell('Company').innerHTML = '<span>Acme <b>Robotics</b></span><button><span>Edit Company</span></button>';
    const read = salesforce.listRows(doc, url, defaultFieldMappings).find((r) => r.element === row)!;
    expect(read.fields).toMatchObject({
      region: '1-2-3 Marunouchi Tokyo',
      status: 'Open - Not Contacted',
      company: 'Acme Robotics',
      name: 'Taro Yamada',
      email: 'taro.yamada@acme-robotics.example',
    });
    // The edit button's assistive text is never part of a value.
    expect(Object.values(read.fields).some((v) => v.includes('Edit'))).toBe(false);
  });
});
