// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages, savedPage } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { pipedrive } from './pipedrive';

const load = (file: string) => savedPage('pipedrive', file);
const UUID = '4b5f3c2a-1d2e-4f6a-8b9c-0d1e2f3a4b5c';

describe('Pipedrive URLs', () => {
  it('reads a lead opened in the inbox, a person, and the inbox list', () => {
    expect(pipedrive.recordKey(new URL(`https://acme-sales.pipedrive.com/leads/inbox/${UUID}`))).toEqual({
      crm: 'pipedrive',
      object: 'lead',
      recordId: UUID,
    });
    expect(pipedrive.recordKey(new URL('https://acme-sales.pipedrive.com/person/1201'))).toEqual({
      crm: 'pipedrive',
      object: 'person',
      recordId: '1201',
    });
    expect(pipedrive.pageKind(new URL('https://acme-sales.pipedrive.com/leads/inbox'))).toBe('list');
  });

  itRefusesNonLeadPages(pipedrive, [
    'https://acme-sales.pipedrive.com/deal/501',
    'https://acme-sales.pipedrive.com/organization/801',
    'https://www.pipedrive.com/leads/inbox',
    'https://acme-sales.pipedrive.com/leads/inbox/not-a-uuid',
  ]);
});

describe('Pipedrive pages', () => {
  it('reads the open lead from the detail pane, not from the inbox list beside it', () => {
    const url = new URL(`https://acme-sales.pipedrive.com/leads/inbox/${UUID}`);
    const snapshot = pipedrive.extract(load('record-lead-en.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.name).toBe('Taro Yamada');
    expect(snapshot?.fields.leadSource).toBe('Web forms');
  });

  it('gives yearless "created" cells the year of their month separator, across a year boundary', () => {
    const url = new URL('https://acme-sales.pipedrive.com/leads/inbox');
    const rows = pipedrive.listRows(load('list-en.html'), url, defaultFieldMappings);
    expect(rows.map((r) => r.fields.createdAt)).toEqual(['2024-03-14', '2024-03-02', '2023-12-28']);
  });

  it('does not read a person page as a lead from the inbox', () => {
    const url = new URL('https://acme-sales.pipedrive.com/person/1201');
    expect(pipedrive.extract(load('record-lead-en.html'), url, defaultFieldMappings)).toBeNull();
  });
});
