// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages, savedPage } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { zoho } from './zoho';

const load = (file: string) => savedPage('zoho', file);

describe('Zoho CRM URLs', () => {
  it.each(['com', 'eu', 'in', 'jp', 'com.au', 'com.cn', 'ca'])('reads lead pages on crm.zoho.%s', (tld) => {
    const record = new URL(`https://crm.zoho.${tld}/crm/org60012345/tab/Leads/5725767000000398123`);
    expect(zoho.recordKey(record)).toEqual({ crm: 'zoho', object: 'Leads', recordId: '5725767000000398123' });
    expect(
      zoho.pageKind(new URL(`https://crm.zoho.${tld}/crm/org60012345/tab/Leads/custom-view/1/list`)),
    ).toBe('list');
  });

  it('reads single-org URLs without the org segment', () => {
    expect(zoho.pageKind(new URL('https://crm.zoho.com/crm/tab/Leads/5725767000000398123'))).toBe('record');
  });

  itRefusesNonLeadPages(zoho, [
    'https://crm.zoho.com/crm/org1/tab/Contacts/5725767000000398123',
    'https://crm.zoho.com/crm/org1/tab/Leads/create',
    'https://www.zoho.com/crm/',
    'https://crm.zoho.example/crm/org1/tab/Leads/5725767000000398123',
  ]);
});

describe('Zoho CRM detail views', () => {
  const url = new URL('https://crm.zoho.com/crm/org60012345/tab/Leads/5725767000000398123');

  it('reads the visible detail view and not the related list fields inside it', () => {
    const snapshot = zoho.extract(load('record-en.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.email).toBe('taro.yamada@acme-robotics.example');
    expect(snapshot?.fields.company).toBe('Acme Robotics K.K.');
  });

  it('reads a field being edited inline from its input', () => {
    const snapshot = zoho.extract(load('record-en.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.title).toBe('Head of IT');
  });

  it('finds nothing when every detail view is hidden (navigating away)', () => {
    const doc = load('record-en.html');
    for (const view of doc.querySelectorAll('[data-zcqa="detailView"]')) view.setAttribute('hidden', '');
    expect(zoho.extract(doc, url, defaultFieldMappings)).toBeNull();
  });
});

describe('Zoho CRM list views', () => {
  it('skips promotional rows and contact rows', () => {
    const url = new URL('https://crm.zoho.jp/crm/org70088888/tab/Leads/custom-view/4451230000000077001/list');
    const rows = zoho.listRows(load('list-ja.html'), url, defaultFieldMappings);
    expect(rows.map((r) => r.key.recordId)).toEqual([
      '4451230000000487001',
      '4451230000000487055',
      '4451230000000487099',
    ]);
  });
});
