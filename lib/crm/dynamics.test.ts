// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages, savedPage } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { dynamics } from './dynamics';

const load = (file: string) => savedPage('dynamics', file);
const GUID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('Dynamics 365 URLs', () => {
  it.each([
    [
      `https://contoso.crm.dynamics.com/main.aspx?appid=x&pagetype=entityrecord&etn=lead&id=${GUID}`,
      'record',
    ],
    [
      `https://contoso-jp.crm7.dynamics.com/main.aspx?etn=lead&pagetype=entityrecord&id=%7B${GUID.toUpperCase()}%7D`,
      'record',
    ],
    [`https://contoso.crm4.dynamics.com/main.aspx?ETN=lead&PAGETYPE=entityrecord&ID={${GUID}}`, 'record'],
    ['https://contoso.crm.dynamics.com/main.aspx?appid=x&pagetype=entitylist&etn=lead&viewid=y', 'list'],
  ])('%s is a %s page', (href, kind) => {
    const url = new URL(href);
    expect(dynamics.pageKind(url)).toBe(kind);
    if (kind === 'record')
      expect(dynamics.recordKey(url)).toEqual({ crm: 'dynamics', object: 'lead', recordId: GUID });
  });

  it('recognises a new-lead form as a record page that has no lead yet', () => {
    const url = new URL('https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead');
    expect(dynamics.pageKind(url)).toBe('record');
    expect(dynamics.recordKey(url)).toBeNull();
  });

  itRefusesNonLeadPages(dynamics, [
    `https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=${GUID}`,
    `https://contoso.crm.dynamics.com/main.aspx?pagetype=dashboard&etn=lead`,
    `https://contoso.crm.dynamics.com/api/data/v9.2/leads(${GUID})`,
    `https://contoso.dynamics.example/main.aspx?pagetype=entityrecord&etn=lead&id=${GUID}`,
  ]);
});

describe('Dynamics 365 lead forms', () => {
  const url = new URL(`https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=${GUID}`);

  it('reads the visible form, not the hidden form of another session', () => {
    const snapshot = dynamics.extract(load('record-en.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.company).toBe('Acme Robotics K.K.');
  });

  it('ignores the quick view of the parent account even when the lead field is missing', () => {
    const doc = load('record-en.html');
    for (const el of doc.querySelectorAll('[data-id="address1_stateorprovince-FieldSectionItemContainer"]'))
      el.remove();
    const snapshot = dynamics.extract(doc, url, defaultFieldMappings);
    expect(snapshot?.fields.region).toBeUndefined();
    expect(snapshot?.fields.email).toBe('taro.yamada@acme-robotics.example');
  });

  it('reads the selected option of an option set, the text of a lookup and a header field', () => {
    const snapshot = dynamics.extract(load('record-en.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.industry).toBe('Technology');
    expect(snapshot?.fields.owner).toBe('Hanako Suzuki');
    expect(snapshot?.fields.status).toBe('Contacted');
  });
});

describe('Dynamics 365 grids', () => {
  it('joins the pinned and scrolling halves of a row into one lead, skipping group and loading rows', () => {
    const url = new URL('https://contoso.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=lead');
    const rows = dynamics.listRows(load('list-en.html'), url, defaultFieldMappings);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.element.closest('.ag-pinned-left-cols-container')).not.toBeNull();
    expect(rows[0]!.fields.name).toBe('Taro Yamada');
    expect(rows[0]!.fields.company).toBe('Acme Robotics K.K.');
  });
});
