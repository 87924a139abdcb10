// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages, savedPage } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { hubspot } from './hubspot';

const load = (file: string) => savedPage('hubspot', file);

describe('HubSpot URLs', () => {
  it.each([
    ['https://app.hubspot.com/contacts/24198311/record/0-1/51023', 'record', 'contact', '51023'],
    ['https://app-eu1.hubspot.com/contacts/25577102/record/0-1/88124/view/1', 'record', 'contact', '88124'],
    ['https://app-na2.hubspot.com/contacts/45316392/record/0-136/3001001', 'record', 'lead', '3001001'],
    ['https://app.hubspot.com/contacts/24198311/contact/51023', 'record', 'contact', '51023'],
    ['https://app.hubspot.com/contacts/24198311/objects/0-1/views/all/list', 'list', 'contact', null],
    ['https://app-ap1.hubspot.com/contacts/24198311/objects/0-136/views/1234567/list', 'list', 'lead', null],
  ])('%s is a %s page of %s', (href, kind, object, id) => {
    const url = new URL(href);
    expect(hubspot.pageKind(url)).toBe(kind);
    expect(hubspot.recordKey(url)).toEqual(id ? { crm: 'hubspot', object, recordId: id } : null);
  });

  itRefusesNonLeadPages(hubspot, [
    'https://app.hubspot.com/contacts/24198311/record/0-2/9001',
    'https://app.hubspot.com/contacts/24198311/record/0-3/7001',
    'https://app.hubspot.com/reports-dashboard/24198311',
    'https://www.hubspot.com/contacts/24198311/record/0-1/1',
    'https://app.hubspot.com.evil.example/contacts/1/record/0-1/1',
  ]);
});

describe('HubSpot record pages', () => {
  const url = new URL('https://app.hubspot.com/contacts/24198311/record/0-1/51023/view/1');

  it('never reads the preview panel of another contact', () => {
    const doc = load('record-contact-en.html');
    const snapshot = hubspot.extract(doc, url, defaultFieldMappings);
    expect(snapshot?.fields.company).toBe('Acme Robotics K.K.');
    expect(JSON.stringify(snapshot)).not.toContain('Globex');
  });

  it("does not borrow a value from the preview panel when the record's own property is missing", () => {
    const doc = load('record-contact-en.html');
    doc
      .querySelector('[data-test-id="left-sidebar"] [data-selenium-test="property-input-jobtitle"]')!
      .remove();
    const snapshot = hubspot.extract(doc, url, defaultFieldMappings);
    expect(snapshot?.fields.title).toBeUndefined();
  });

  it('reads the chosen option of a dropdown property, not the caret', () => {
    const doc = load('record-contact-en.html');
    expect(hubspot.extract(doc, url, defaultFieldMappings)?.fields.status).toBe('In Progress');
  });

  it('dates timeline entries with the year of their month header', () => {
    const doc = load('record-contact-en.html');
    const snapshot = hubspot.extract(doc, url, defaultFieldMappings, { utcOffsetMinutes: 540 });
    expect(snapshot?.activities.at(-1)).toEqual({
      type: 'call',
      title: 'Call with Taro Yamada',
      at: '2024-02-27T16:00:00+09:00',
    });
  });
});

describe('HubSpot index pages', () => {
  it('takes the record id from the row link of the listed object, not from company links', () => {
    const doc = load('list-en.html');
    const url = new URL('https://app.hubspot.com/contacts/24198311/objects/0-1/views/all/list');
    const rows = hubspot.listRows(doc, url, defaultFieldMappings);
    expect(rows.map((r) => r.key.recordId)).toEqual(['51023', '51077', '51102']);
    expect(rows.every((r) => r.element.matches('tbody tr'))).toBe(true);
  });
});
