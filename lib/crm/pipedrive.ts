import type { LeadKey, Stage } from '../lead';
import { withYear, yearIn } from './dates';
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

// Each company has its own subdomain: {company}.pipedrive.com.
export const HOST = /^(?!www\.|api\.|developers\.)[a-z0-9-]+\.pipedrive\.com$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const LEAD_PATH = new RegExp(`^/leads/inbox/(${UUID})/?$`, 'i');
const PERSON_PATH = /^\/person\/(\d+)\/?$/;
const LIST_PATH = /^\/leads\/inbox\/?$/;
const LEAD_LINK = new RegExp(`/leads/inbox/(${UUID})`, 'i');

function route(url: URL): { kind: PageKind; key?: LeadKey } | null {
  if (!HOST.test(url.hostname.toLowerCase())) return null;
  const lead = LEAD_PATH.exec(url.pathname);
  if (lead)
    return { kind: 'record', key: { crm: 'pipedrive', object: 'lead', recordId: lead[1]!.toLowerCase() } };
  const person = PERSON_PATH.exec(url.pathname);
  if (person) return { kind: 'record', key: { crm: 'pipedrive', object: 'person', recordId: person[1]! } };
  return LIST_PATH.test(url.pathname) ? { kind: 'list' } : null;
}

const selectors = {
  // The detail pane of the lead opened in the inbox, or the person page; the inbox list beside it
  // shows other leads and is not read on a record page.
  detail: ['[data-testid="lead-detail-view"]', '[data-testid="person-detail-view"]'],
  // Detail fields are keyed by their API field key (org_id, job_title, owner_id, custom 40-hex keys).
  field: ['[data-testid="detail-field-{code}"]'],
  fieldItem: ['[data-testid^="detail-field-"]'],
  fieldLabel: ['[data-testid="detail-field-label"]'],
  // The shown value, or the input while the field is being edited in place.
  fieldValue: ['input:not([type="hidden"])', 'textarea', 'select', '[data-testid="detail-field-value"]'],
  title: ['[data-testid="detail-title"]', 'h1'],
  // Leads inbox list: a grid of rows; month separator rows ("March 2024", "2024年3月") give the year
  // that the "created" cells below them leave out.
  listGrid: ['[data-testid="leads-list"]'],
  listRow: ['[role="row"]'],
  groupRow: ['[data-testid="list-group-header"]'],
  listHeader: ['[role="columnheader"][data-testid^="column-header-"]'],
  listCell: ['[role="gridcell"][data-testid^="cell-"]'],
  recordLink: ['a[href*="/leads/inbox/"]'],
} as const;

function detailScope(root: ParentNode, object: string): ParentNode | null {
  const selector = object === 'lead' ? selectors.detail[0] : selectors.detail[1];
  return [...root.querySelectorAll(selector)].find((el) => !isHidden(el)) ?? null;
}

function readValue(el: Element): string {
  const value = first(el, selectors.fieldValue);
  return value ? fieldValue(value) : '';
}

// Date columns whose year a month separator may hold.
const DATED = new Set(['createdAt', 'mqlAt']);

// Pipedrive: field keys of leads and persons (custom fields carry a 40-hex key in the rule set).
const fields: CrmDefaults = {
  company: fieldSource(['org_id', 'organization'], ['組織', '会社名'], ['Organization', 'Organisation']),
  name: fieldSource(['name', 'person_id', 'person'], ['名前', '連絡先担当者'], ['Name', 'Contact person']),
  email: fieldSource(['email'], ['メール', 'Eメール'], ['Email']),
  title: fieldSource(['job_title'], ['役職'], ['Job title']),
  industry: fieldSource(['industry'], ['業種'], ['Industry']),
  employees: fieldSource(['employee_count'], ['従業員数'], ['Number of employees']),
  region: fieldSource(['address'], ['住所'], ['Address']),
  leadSource: fieldSource(['source_name', 'origin'], ['ソース', 'リードソース'], ['Source', 'Lead source']),
  status: fieldSource(['label_ids', 'label'], ['ラベル'], ['Labels', 'Label']),
  owner: fieldSource(['owner_id', 'owner'], ['所有者'], ['Owner']),
  createdAt: fieldSource(['add_time'], ['作成日', '追加日'], ['Lead created', 'Created', 'Add time']),
  mqlAt: fieldSource([], ['MQL日'], ['MQL date']),
};

/** Pipedrive leads have labels, not statuses: a team maps its own labels in the rule set. */
const statuses: Readonly<Record<string, Stage>> = {};

export const pipedrive = {
  id: 'pipedrive',
  name: 'Pipedrive',
  fields,
  statuses,
  matchPatterns: ['https://*.pipedrive.com/*'],
  outside: ['[data-testid="activity-list"]', '[data-testid="flow"]'],
  labels: {
    company: ['組織名', 'Organization name'],
    name: ['担当者', 'Person'],
    createdAt: ['リード作成日'],
  },
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => route(url)?.key ?? null,

  extract: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    const k = route(url)?.key;
    const scope = k ? detailScope(root, k.object) : null;
    if (!k || !scope) return null;
    const mapping = crmMapping(mappings, 'pipedrive');
    const fields = readFields(mapping, {
      byCode: (code) =>
        first(
          scope,
          selectors.field.map((s) => withCode(s, code)),
        ),
      pairs: function* () {
        for (const item of queryAll(scope, selectors.fieldItem)) {
          const label = first(item, selectors.fieldLabel);
          if (label) yield { label: label.textContent ?? '', value: item };
        }
      },
      read: readValue,
    });
    if (!fields.name && mapping.name) {
      const title = clean(first(scope, selectors.title)?.textContent);
      if (title) fields.name = title;
    }
    if (Object.keys(fields).length === 0) return null;
    return { ...k, url: url.href, fields, activities: [] };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    if (route(url)?.kind !== 'list') return [];
    const grid = first(root, selectors.listGrid);
    if (!grid) return [];
    const headers = queryAll(grid, selectors.listHeader);
    const codes = headers.map((h) => h.getAttribute('data-testid')!.slice('column-header-'.length));
    const keys = columnKeys(
      crmMapping(mappings, 'pipedrive'),
      headers.map((h, i) => ({ code: codes[i], label: visibleText(h) })),
    );
    const keyOf = new Map(codes.map((code, i) => [code, keys[i]]));
    const rows: ListRow[] = [];
    let year: number | undefined;
    for (const row of queryAll(grid, [...selectors.groupRow, ...selectors.listRow])) {
      if (row.matches(selectors.groupRow.join(','))) {
        year = yearIn(row.textContent ?? '');
        continue;
      }
      const id = LEAD_LINK.exec(
        row.querySelector(selectors.recordLink.join(','))?.getAttribute('href') ?? '',
      )?.[1];
      if (!id) continue;
      const fields: Record<string, string> = {};
      for (const cell of row.querySelectorAll(selectors.listCell.join(','))) {
        const field = keyOf.get(cell.getAttribute('data-testid')!.slice('cell-'.length));
        if (!field) continue;
        const text = visibleText(cell);
        if (text) fields[field] = DATED.has(field) ? withYear(text, year) : text;
      }
      rows.push({
        element: row,
        key: { crm: 'pipedrive', object: 'lead', recordId: id.toLowerCase() },
        fields,
      });
    }
    return rows;
  },
} satisfies CrmAdapter;
