import type { Activity, LeadKey, Stage } from '../lead';
import { activityType } from './activity';
import { activityAt } from './dates';
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
import type { CrmAdapter, ExtractOptions, ListRow, PageKind } from './types';

// Dataverse environments by region: crm (NA), crm4 (EMEA), crm7 (Japan), crm11 (UK)...; China on .cn.
export const HOST = /^[a-z0-9-]+\.crm\d{0,2}\.dynamics\.(?:com|cn)$/;
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

function param(url: URL, name: string): string | null {
  // Unified Interface writes etn/pagetype/id in lower case, but links from older clients vary.
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name) return value;
  return null;
}

function route(url: URL): { kind: PageKind; id?: string } | null {
  if (!HOST.test(url.hostname.toLowerCase()) || !/^\/main\.aspx$/i.test(url.pathname)) return null;
  if (param(url, 'etn')?.toLowerCase() !== 'lead') return null;
  const pagetype = param(url, 'pagetype')?.toLowerCase();
  if (pagetype === 'entitylist') return { kind: 'list' };
  if (pagetype !== 'entityrecord') return null;
  return { kind: 'record', id: GUID.exec(param(url, 'id') ?? '')?.[1]?.toLowerCase() };
}

function key(id: string | undefined | null): LeadKey | null {
  const guid = id ? GUID.exec(id)?.[1]?.toLowerCase() : undefined;
  return guid ? { crm: 'dynamics', object: 'lead', recordId: guid } : null;
}

const selectors = {
  // Main form root of Unified Interface; multi-session apps keep other sessions' forms hidden.
  form: ['[data-id="editFormRoot"]', '[data-id="form-container"]'],
  // data-id="{attribute}.fieldControl-…" is UCI's control id, built from the attribute's logical
  // name (used by EasyRepro, Microsoft's UI test framework). Header fields are prefixed "header_".
  // Quick view forms of related rows use a "{lookup}_qfc_…" prefix, so these never match them.
  field: [
    '[data-id="{code}.fieldControl-LookupResultsDropdown_{code}_selected_tag_text"]',
    '[data-id="header_{code}.fieldControl-LookupResultsDropdown_{code}_selected_tag_text"]',
    'input[data-id^="{code}.fieldControl-"]',
    'textarea[data-id^="{code}.fieldControl-"]',
    'select[data-id^="{code}.fieldControl-"]',
    'button[data-id^="{code}.fieldControl-"]',
    'input[data-id^="header_{code}.fieldControl-"]',
    'select[data-id^="header_{code}.fieldControl-"]',
    'button[data-id^="header_{code}.fieldControl-"]',
    '[data-id^="header_{code}.fieldControl-"]',
  ],
  // Each field section item is "{attribute}-FieldSectionItemContainer" with its label inside.
  fieldItem: ['[data-id$="-FieldSectionItemContainer"]'],
  fieldLabel: ['label'],
  fieldValue: [
    '[data-id$="_selected_tag_text"]',
    'input:not([type="hidden"])',
    'textarea',
    'select',
    'button[data-id*=".fieldControl-"]',
  ],
  title: ['[data-id="header_title"]', 'h1'],
  // Timeline wall (modelled on the UCI timeline control): one entry per activity, its type in
  // data-activity-type (phonecall, email, appointment, task).
  timelineItem: ['li[data-id^="timeline-record-"]'],
  timelineTitle: ['[data-id="timeline-record-title"]'],
  timelineDate: ['time', '[data-id="timeline-record-date"]'],
  // Power Apps grid control (AG Grid): pinned and scrolling columns are separate row elements with
  // the same row-index; row-id is the record's GUID. Group and loading rows are full-width.
  gridRow: ['div.ag-row[row-index]', 'div[role="row"][row-index]'],
  gridCell: ['[role="gridcell"][col-id]'],
  gridHeaderCell: ['.ag-header-cell[col-id]'],
  skipRow: ['.ag-row-group', '.ag-full-width-row', '.ag-row-loading'],
  recordLink: ['a[href*="etn=lead"][href*="id="]'],
} as const;

function visibleForm(root: ParentNode): ParentNode | null {
  const forms = queryAll(root, selectors.form);
  const visible = forms.filter((form) => !isHidden(form));
  // No visible form yet (one is rendering): nothing to read. No form at all: read the page.
  return visible.at(-1) ?? (forms.length > 0 ? null : root);
}

function readControl(el: Element): string {
  return el.matches('[data-id$="_selected_tag_text"]') ? visibleText(el) : fieldValue(el);
}

const ACTIVITY_KINDS: Record<string, string> = { phonecall: 'call', email: 'email', appointment: 'meeting' };

function timeline(scope: ParentNode, options: ExtractOptions): Activity[] {
  const activities: Activity[] = [];
  for (const item of queryAll(scope, selectors.timelineItem)) {
    const title = clean(first(item, selectors.timelineTitle)?.textContent, 2000);
    const time = first(item, selectors.timelineDate);
    const at = time ? activityAt(time.getAttribute('datetime') ?? time.textContent ?? '', options) : null;
    if (!at || activities.length >= 500) continue;
    const kind = ACTIVITY_KINDS[item.getAttribute('data-activity-type') ?? ''] ?? '';
    activities.push({ type: activityType(kind, title), ...(title ? { title } : {}), at });
  }
  return activities;
}

// Dynamics 365: logical attribute names of the lead table.
const fields: CrmDefaults = {
  company: fieldSource(
    ['companyname', 'parentaccountid'],
    ['会社名', '取引先企業名'],
    ['Company Name', 'Company'],
  ),
  name: fieldSource(['fullname'], ['氏名', '姓名'], ['Name', 'Full Name']),
  email: fieldSource(['emailaddress1'], ['電子メール', 'メール'], ['Email']),
  title: fieldSource(['jobtitle'], ['役職'], ['Job Title']),
  industry: fieldSource(['industrycode'], ['業種'], ['Industry']),
  employees: fieldSource(['numberofemployees'], ['従業員数'], ['No. of Employees', 'Number of Employees']),
  region: fieldSource(
    ['address1_stateorprovince', 'address1_country'],
    ['都道府県', '国/地域'],
    ['State/Province', 'Country/Region'],
  ),
  leadSource: fieldSource(['leadsourcecode'], ['リード ソース', 'リードソース'], ['Lead Source']),
  status: fieldSource(['statuscode'], ['ステータス理由', '状態の理由'], ['Status Reason']),
  owner: fieldSource(['ownerid'], ['所有者'], ['Owner']),
  createdAt: fieldSource(['createdon'], ['作成日'], ['Created On']),
  mqlAt: fieldSource(['new_mqldate'], ['MQL日'], ['MQL Date']),
};

/** The CRM's standard lead statuses, as its ja and en UIs show them, and the stage each means. */
const statuses: Readonly<Record<string, Stage>> = {
  New: 'new',
  新規: 'new',
  Contacted: 'contacted',
  連絡済み: 'contacted',
  Qualified: 'converted',
  評価済み: 'converted',
  Lost: 'disqualified',
  失注: 'disqualified',
  'Cannot Contact': 'disqualified',
  連絡不可: 'disqualified',
  'No Longer Interested': 'disqualified',
  興味なし: 'disqualified',
  Canceled: 'disqualified',
  キャンセル済み: 'disqualified',
};

export const dynamics = {
  id: 'dynamics',
  name: 'Dynamics 365',
  fields,
  statuses,
  // Dataverse regions on .com; the China cloud (operated by 21Vianet) on .cn.
  matchPatterns: ['https://*.dynamics.com/*', 'https://*.dynamics.cn/*'],
  recordScope: (root: ParentNode) => visibleForm(root),
  // Quick view forms show a related row's fields; the timeline shows activities.
  outside: ['[data-id*="_qfc_"]', '[data-id="notescontrol"]', '[data-id*="timeline"]'],
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => {
    const r = route(url);
    return r?.kind === 'record' ? key(r.id) : null;
  },

  extract: (root: ParentNode, url: URL, mappings: FieldMappings, options: ExtractOptions = {}) => {
    const r = route(url);
    const k = r?.kind === 'record' ? key(r.id) : null;
    const scope = k ? (options.scope !== undefined ? options.scope : visibleForm(root)) : null;
    if (!k || !scope) return null;
    const mapping = crmMapping(mappings, 'dynamics');
    const fields = readFields(mapping, {
      byCode: (code) =>
        first(
          scope,
          selectors.field.map((s) => withCode(s, code)),
        ),
      pairs: function* () {
        for (const item of queryAll(scope, selectors.fieldItem)) {
          // Quick view forms of the parent account list the account's fields, not the lead's.
          if (item.getAttribute('data-id')?.includes('_qfc_')) continue;
          const label = first(item, selectors.fieldLabel);
          // Custom (PCF) controls render plain text where built-in ones have an input.
          const value = first(item, selectors.fieldValue) ?? item.lastElementChild;
          if (label && value && value !== label) yield { label: label.textContent ?? '', value };
        }
      },
      read: readControl,
    });
    if (!fields.name && mapping.name) {
      const title = clean(first(scope, selectors.title)?.textContent);
      if (title) fields.name = title.replace(/\s*-\s*(Saved|Unsaved|保存済み|未保存)$/, '');
    }
    if (Object.keys(fields).length === 0) return null;
    return { ...k, url: url.href, fields, activities: timeline(scope, options) };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    if (route(url)?.kind !== 'list') return [];
    const mapping = crmMapping(mappings, 'dynamics');
    const headerCells = queryAll(root, selectors.gridHeaderCell);
    const colIds = headerCells.map((cell) => cell.getAttribute('col-id'));
    const fieldKeys = columnKeys(
      mapping,
      headerCells.map((cell) => ({ code: cell.getAttribute('col-id'), label: visibleText(cell) })),
    );
    const keyOf = new Map(colIds.map((id, i) => [id ?? '', fieldKeys[i]]));
    const byIndex = new Map<string, ListRow>();
    const rows: ListRow[] = [];
    for (const row of queryAll(root, selectors.gridRow)) {
      if (row.matches(selectors.skipRow.join(','))) continue;
      const index = row.getAttribute('row-index')!;
      let entry = byIndex.get(index);
      if (!entry) {
        const href = row.querySelector(selectors.recordLink.join(','))?.getAttribute('href') ?? '';
        const linked = /[?&]id=([^&]+)/.exec(href)?.[1];
        const k = key(row.getAttribute('row-id')) ?? key(linked ? decodeURIComponent(linked) : null);
        if (!k) continue;
        entry = { element: row, key: k, fields: {} };
        byIndex.set(index, entry);
        rows.push(entry);
      }
      for (const cell of row.querySelectorAll(selectors.gridCell.join(','))) {
        const field = keyOf.get(cell.getAttribute('col-id') ?? '');
        if (!field || entry.fields[field]) continue;
        const text = visibleText(cell);
        if (text) entry.fields[field] = text;
      }
    }
    return rows;
  },
} satisfies CrmAdapter;
