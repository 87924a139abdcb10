import type { LeadKey, Stage } from '../lead';
import { type CrmDefaults, fieldSource } from './field-source';
import type { FieldMappings } from './mapping';
import {
  clean,
  columnKeys,
  crmMapping,
  fieldValue,
  first,
  isHidden,
  queryAll,
  readFields,
  visibleText,
  withCode,
} from './read';
import type { CrmAdapter, ListRow, PageKind } from './types';

// Zoho CRM data centres: .com (US), .eu, .in, .jp, .com.au, .com.cn, .ca, .sa, .uk; Canada's own cloud
// is crm.zohocloud.ca.
const TLDS = ['com', 'eu', 'in', 'jp', 'com.au', 'com.cn', 'ca', 'sa', 'uk'] as const;
export const HOST = /^crm\.(?:zoho\.(?:com|eu|in|jp|com\.au|com\.cn|ca|sa|uk)|zohocloud\.ca)$/;
// /crm/{org}/tab/Leads/{id}; single-org accounts omit the org segment.
const RECORD_PATH = /^\/crm\/(?:[^/]+\/)?tab\/Leads\/(\d{6,25})(?:\/|$)/;
const LIST_PATH = /^\/crm\/(?:[^/]+\/)?tab\/Leads(?:\/custom-view\/\d+\/(?:list|canvas)|\/?)$/;

function route(url: URL): { kind: PageKind; id?: string } | null {
  if (!HOST.test(url.hostname.toLowerCase())) return null;
  const record = RECORD_PATH.exec(url.pathname);
  if (record) return { kind: 'record', id: record[1] };
  return LIST_PATH.test(url.pathname) ? { kind: 'list' } : null;
}

function key(id: string | undefined): LeadKey | null {
  return id ? { crm: 'zoho', object: 'Leads', recordId: id } : null;
}

const selectors = {
  // data-zcqa is Zoho's own QA hook; field hooks carry the column name (COMPANY, DESIGNATION...).
  detailView: ['[data-zcqa="detailView"]', '#detailView'],
  field: ['[data-zcqa="dv_field_{code}"]', '[id="Crm_Leads_{code}_LInput"]'],
  fieldItem: ['[data-zcqa^="dv_field_"]'],
  fieldLabel: ['[data-zcqa^="dv_label_"]', '.dvLabel'],
  // The shown value; the input when the field is being edited inline (Crm_Leads_{COLUMN}_LInput).
  fieldValue: [
    '.cxElemCompViewWrap',
    '[data-zcqa^="dv_value_"]',
    'input[id^="Crm_Leads_"]',
    'textarea',
    'select',
  ],
  recordTitle: ['[data-zcqa="dv_recordName"]', '.dvTitle'],
  // Related lists (activities, notes, emails) sit inside the detail view but are not the lead.
  relatedList: ['[data-zcqa^="rl_"]', '.relatedListContainer'],
  // List view: one row per record; cells name their column in data-zcqa.
  listRow: ['tr[data-zcqa^="cvRow"]', 'lyte-tr[data-zcqa^="cvRow"]'],
  listHeader: ['th[data-zcqa^="cvHeader_"]', 'lyte-th[data-zcqa^="cvHeader_"]'],
  listCell: ['[data-zcqa^="cvCell_"]'],
  recordLink: ['a[href*="/tab/Leads/"]'],
} as const;

function readValue(el: Element): string {
  const value = el.matches(selectors.fieldValue.join(',')) ? el : first(el, selectors.fieldValue);
  return value ? fieldValue(value) : '';
}

function detailScope(root: ParentNode): ParentNode | null {
  const views = queryAll(root, selectors.detailView);
  if (views.length === 0) return null;
  return views.find((view) => !isHidden(view)) ?? null;
}

function outsideRelated(el: Element): boolean {
  return !el.closest(selectors.relatedList.join(','));
}

// Zoho CRM: API names of the Leads module, then the column names its pages use in element ids and
// test hooks (Designation is DESIGNATION, Lead_Source is LEADSOURCE, Owner is SMOWNERID).
const fields: CrmDefaults = {
  company: fieldSource(['Company', 'COMPANY'], ['会社名'], ['Company']),
  name: fieldSource(['Full_Name', 'FULLNAME', 'Last_Name'], ['見込み客名', '氏名'], ['Lead Name', 'Name']),
  email: fieldSource(['Email', 'EMAIL'], ['メール'], ['Email']),
  title: fieldSource(['Designation', 'DESIGNATION'], ['役職'], ['Title', 'Designation']),
  industry: fieldSource(['Industry', 'INDUSTRY'], ['業種'], ['Industry']),
  employees: fieldSource(['No_of_Employees', 'EMPLOYEES'], ['従業員数'], ['No. of Employees']),
  region: fieldSource(['State', 'STATE', 'Country', 'COUNTRY'], ['都道府県', '国'], ['State', 'Country']),
  leadSource: fieldSource(
    ['Lead_Source', 'LEADSOURCE'],
    ['リードソース', '見込み客のソース'],
    ['Lead Source'],
  ),
  status: fieldSource(
    ['Lead_Status', 'STATUS'],
    ['見込み客のステータス', 'リードステータス', '状況'],
    ['Lead Status'],
  ),
  owner: fieldSource(['Owner', 'SMOWNERID'], ['見込み客の担当者', '担当者', '所有者'], ['Lead Owner']),
  createdAt: fieldSource(['Created_Time', 'CREATEDTIME'], ['作成日時', '作成日'], ['Created Time']),
  mqlAt: fieldSource(['MQL_Date'], ['MQL日'], ['MQL Date']),
};

/** The CRM's standard lead statuses, as its ja and en UIs show them, and the stage each means. */
const statuses: Readonly<Record<string, Stage>> = {
  'Not Contacted': 'new',
  未連絡: 'new',
  'Attempted to Contact': 'contacted',
  連絡済み: 'contacted',
  Contacted: 'contacted',
  'Contact in Future': 'recycled',
  将来連絡: 'recycled',
  'Pre-Qualified': 'sql',
  事前評価済み: 'sql',
  'Not Qualified': 'disqualified',
  見込みなし: 'disqualified',
  'Junk Lead': 'disqualified',
  ジャンク: 'disqualified',
  'Lost Lead': 'disqualified',
  失注: 'disqualified',
};

export const zoho = {
  id: 'zoho',
  name: 'Zoho CRM',
  fields,
  statuses,
  // Match patterns cannot wildcard a TLD: one per data centre HOST accepts.
  matchPatterns: [...TLDS.map((tld) => `https://crm.zoho.${tld}/*`), 'https://crm.zohocloud.ca/*'],
  recordScope: (root: ParentNode, url: URL) =>
    route(url)?.kind === 'record' ? (detailScope(root) ?? root) : null,
  outside: [...selectors.relatedList, 'crux-subform', '[data-zcqa^="secDiv_Business_Card"]'],
  labels: {
    // The Japanese UI of the current (crux) detail page labels the lead's owner and source like this.
    owner: ['リードの所有者', '見込み客の所有者'],
    leadSource: ['リードのソース'],
    status: ['リードのステータス'],
    name: ['リード名'],
  },
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => {
    const r = route(url);
    return r?.kind === 'record' ? key(r.id) : null;
  },

  extract: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    const r = route(url);
    const k = r?.kind === 'record' ? key(r.id) : null;
    const scope = k ? detailScope(root) : null;
    if (!k || !scope) return null;
    const mapping = crmMapping(mappings, 'zoho');
    const fields = readFields(mapping, {
      byCode: (code) => {
        for (const el of queryAll(
          scope,
          selectors.field.map((s) => withCode(s, code)),
        )) {
          if (outsideRelated(el)) return el;
        }
        return null;
      },
      pairs: function* () {
        for (const item of queryAll(scope, selectors.fieldItem)) {
          const label = first(item, selectors.fieldLabel);
          if (label && outsideRelated(item)) yield { label: label.textContent ?? '', value: item };
        }
      },
      read: readValue,
    });
    if (!fields.name && mapping.name) {
      const title = clean(first(scope, selectors.recordTitle)?.textContent);
      if (title) fields.name = title;
    }
    if (Object.keys(fields).length === 0) return null;
    return { ...k, url: url.href, fields, activities: [] };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    if (route(url)?.kind !== 'list') return [];
    const headers = queryAll(root, selectors.listHeader);
    const codes = headers.map((th) => th.getAttribute('data-zcqa')!.slice('cvHeader_'.length));
    const keys = columnKeys(
      crmMapping(mappings, 'zoho'),
      headers.map((th, i) => ({ code: codes[i], label: visibleText(th) })),
    );
    const keyOf = new Map(codes.map((code, i) => [code, keys[i]]));
    const rows: ListRow[] = [];
    for (const row of queryAll(root, selectors.listRow)) {
      const href = row.querySelector(selectors.recordLink.join(','))?.getAttribute('href') ?? '';
      const k = key(RECORD_PATH.exec(new URL(href, url).pathname)?.[1]);
      if (!k || isHidden(row)) continue;
      const fields: Record<string, string> = {};
      for (const cell of row.querySelectorAll(selectors.listCell.join(','))) {
        const field = keyOf.get(cell.getAttribute('data-zcqa')!.slice('cvCell_'.length));
        if (!field) continue;
        const text = visibleText(cell);
        if (text) fields[field] = text;
      }
      rows.push({ element: row, key: k, fields });
    }
    return rows;
  },
} satisfies CrmAdapter;
