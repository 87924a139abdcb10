import type { Activity, LeadKey, LeadSnapshot, Stage } from '../lead';
import { activityType } from './activity';
import { activityAt, yearIn } from './dates';
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
  rowFields,
  visibleText,
  withCode,
} from './read';
import { isLeadId, salesforceId18 } from './salesforce-id';
import type { CrmAdapter, ExtractOptions, ListRow, PageKind } from './types';

// Lightning on My Domain (prod, sandbox, developer, scratch): *.lightning.force.com and
// *.my.salesforce.com. Classic also runs on legacy instance hosts such as na123.salesforce.com.
export const LIGHTNING_HOST = /\.(?:lightning\.force\.com|my\.salesforce\.com)$/;
export const CLASSIC_HOST = /(?:\.my\.salesforce\.com|^[a-z]{2,3}\d{1,3}\.salesforce\.com)$/;
const RECORD_PATH = /^\/lightning\/r\/(?:Lead\/)?(00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)\/view\/?$/;
const LIST_PATH = /^\/lightning\/o\/Lead\/list\/?$/;
const CLASSIC_PATH = /^\/(00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)\/?$/;
const RELATED_LINK = /\/lightning\/r\/(?:Lead\/)?(00Q[a-zA-Z0-9]{12,15})\/related\//;

type Layout = 'lightning' | 'classic';

function route(url: URL): { kind: PageKind; layout: Layout; id?: string } | null {
  const host = url.hostname.toLowerCase();
  if (LIGHTNING_HOST.test(host)) {
    const record = RECORD_PATH.exec(url.pathname);
    if (record) return { kind: 'record', layout: 'lightning', id: record[1] };
    if (LIST_PATH.test(url.pathname)) return { kind: 'list', layout: 'lightning' };
  }
  if (CLASSIC_HOST.test(host)) {
    const classic = CLASSIC_PATH.exec(url.pathname);
    if (classic) return { kind: 'record', layout: 'classic', id: classic[1] };
  }
  return null;
}

function leadKey(id: string | undefined): LeadKey | null {
  const id18 = id && isLeadId(id) ? salesforceId18(id) : null;
  return id18 ? { crm: 'salesforce', object: 'Lead', recordId: id18 } : null;
}

const selectors = {
  // Lightning keeps each visited page in its own div.oneContent and marks the shown one .active;
  // the Service Console wraps tabs in .oneConsoleTab the same way (Lightning Experience DOM).
  pageHost: ['div.oneContent', 'section.oneConsoleTab'],
  activePageHost: ['div.oneContent.active', 'section.oneConsoleTab.active'],
  // Related-list "View All" links carry the record's own id; nothing else on the page reliably does.
  ownRecordLink: ['a[href*="/related/"]'],
  // data-target-selection-name holds Object.FieldApiName on page layouts and Dynamic Forms alike
  // (used by Salesforce's own Lightning App Builder); data-field-id is the Dynamic Forms field id.
  field: [
    '[data-target-selection-name="sfdc:RecordField.Lead.{code}"]',
    '[data-field-id="Record{code}Field"]',
  ],
  // field-label is an attribute of records-record-layout-item (page layouts); Dynamic Forms and
  // older force-record-layout-item render the label in .test-id__field-label.
  labeledItem: ['records-record-layout-item[field-label]'],
  fieldLabel: ['.test-id__field-label'],
  // Output elements in view mode; the edit control (input, picklist button, lookup pill) when the
  // field is being edited inline.
  value: [
    '[data-output-element-id="output-field"]',
    '.test-id__field-value',
    '.slds-form-element__static',
    '.slds-pill__label',
    'button[role="combobox"]',
    'input:not([type="hidden"]):not([type="checkbox"])',
    'textarea',
    'select',
  ],
  header: ['records-lwc-highlights-panel', 'records-highlights2', '.slds-page-header'],
  headerTitle: ['lightning-formatted-name', '[slot="primaryField"]', 'h1 .slds-page-header__title', 'h1'],
  // Activity timeline (Lightning Experience activity tab): each month group is an .slds-section whose
  // title names the month ("March • 2024", "2024年3月") above a ul.slds-timeline; items' classes name
  // their kind (slds-timeline__item_call, _email, _task, _event). Selected by class, not by the
  // runtime_sales_activities-* tag names, which some selector engines reject for their underscores.
  timelineList: ['ul.slds-timeline'],
  timelineGroup: ['.slds-section'],
  timelineGroupTitle: ['.slds-section__title'],
  timelineItem: ['.slds-timeline__item_expandable', 'li.slds-timeline__item'],
  timelineTitle: ['.slds-timeline__title a', '.slds-timeline__title'],
  timelineDate: ['.slds-timeline__date'],
  // lightning-datatable rows carry the record id in data-row-key-value (list views, related lists).
  listRow: ['tr[data-row-key-value]'],
  listHeader: ['thead th'],
  // A datatable cell's value sits in one div.slds-truncate beside the inline-edit button.
  listCellValue: ['.slds-truncate'],
  // Classic detail pages: two-column detailList tables of td.labelCol / td.dataCol.
  classicLabel: ['.detailList td.labelCol'],
  classicTitle: ['h2.pageDescription', '.pageDescription'],
} as const;

function isLeadPageHost(el: Element): boolean {
  return !isHidden(el);
}

/** Ids that the page host's related-list links name as their own record (15-character prefix). */
function ownIds(host: ParentNode): Set<string> {
  const ids = new Set<string>();
  for (const link of queryAll(host, selectors.ownRecordLink)) {
    const match = RELATED_LINK.exec(link.getAttribute('href') ?? '');
    if (match) ids.add(match[1]!.slice(0, 15));
  }
  return ids;
}

/**
 * The page host showing the URL's record. Lightning leaves hidden cached copies of earlier records in
 * the DOM, and during single-page navigation the active host can still show the previous record:
 * then there is no host for this id yet, and we return null rather than read the wrong lead.
 */
function recordScope(root: ParentNode, id15: string): ParentNode | null {
  const hosts = queryAll(root, selectors.pageHost);
  if (hosts.length === 0) {
    const ids = ownIds(root);
    return ids.size === 0 || ids.has(id15) ? root : null;
  }
  const visible = hosts.filter(isLeadPageHost);
  const named = visible.find((host) => ownIds(host).has(id15));
  if (named) return named;
  const active = visible.find((host) => host.matches(selectors.activePageHost.join(','))) ?? visible[0];
  if (!active) return null;
  return ownIds(active).size === 0 ? active : null;
}

/** The shown list view (list pages are cached like records: only the visible one counts). */
function listScope(root: ParentNode): ParentNode {
  const hosts = queryAll(root, selectors.pageHost).filter(isLeadPageHost);
  return hosts.find((host) => host.matches(selectors.activePageHost.join(','))) ?? hosts[0] ?? root;
}

function readLightningValue(container: Element): string {
  const out = first(container, selectors.value);
  if (!out) return '';
  // A picklist being edited shows its label (translated) and keeps the API value in data-value.
  if (out.matches('button[role="combobox"]'))
    return visibleText(out) || clean(out.getAttribute('data-value'));
  return fieldValue(out);
}

function* lightningPairs(scope: ParentNode): Iterable<{ label: string; value: Element }> {
  for (const item of queryAll(scope, selectors.labeledItem)) {
    yield { label: item.getAttribute('field-label') ?? '', value: item };
  }
  for (const labelEl of queryAll(scope, selectors.fieldLabel)) {
    const item = labelEl.closest('.slds-form-element');
    if (item) yield { label: labelEl.textContent ?? '', value: item };
  }
}

function timelineActivities(scope: ParentNode, options: ExtractOptions): Activity[] {
  const activities: Activity[] = [];
  const read = (item: Element, year: number | undefined) => {
    const kind = /slds-timeline__item_(call|email|event|task)/.exec(item.className)?.[1] ?? '';
    const title = clean(first(item, selectors.timelineTitle)?.textContent, 2000);
    const dateText = clean(first(item, selectors.timelineDate)?.textContent, 200);
    const at = activityAt(dateText, options, year);
    if (!at || activities.length >= 500) return;
    const kindWord = kind === 'event' ? 'meeting' : kind === 'task' ? '' : kind;
    activities.push({ type: activityType(kindWord, title), ...(title ? { title } : {}), at });
  };
  for (const list of queryAll(scope, selectors.timelineList)) {
    const group = list.closest(selectors.timelineGroup.join(','));
    const year = group ? yearIn(first(group, selectors.timelineGroupTitle)?.textContent ?? '') : undefined;
    for (const item of list.querySelectorAll(selectors.timelineItem.join(','))) read(item, year);
  }
  return activities;
}

function classicRead(cell: Element): string {
  // Classic puts "[Change]" / "[変更]" links beside owner and lookup values.
  return clean(visibleText(cell).replace(/\[[^\]]{1,20}\]/g, ' '));
}

function extractClassic(
  root: ParentNode,
  key: LeadKey,
  url: URL,
  mappings: FieldMappings,
): LeadSnapshot | null {
  const mapping = crmMapping(mappings, 'salesforce');
  const fields = readFields(mapping, {
    pairs: function* () {
      for (const label of queryAll(root, selectors.classicLabel)) {
        const value = label.nextElementSibling;
        if (value?.matches('td.dataCol, td.data2Col')) yield { label: label.textContent ?? '', value };
      }
    },
    read: classicRead,
  });
  if (!fields.name && mapping.name) {
    const title = clean(first(root, selectors.classicTitle)?.textContent);
    if (title) fields.name = title;
  }
  if (Object.keys(fields).length === 0) return null;
  return { ...key, url: url.href, fields, activities: [] };
}

// Salesforce: standard Lead field API names; labels from the standard English and Japanese UI.
const fields: CrmDefaults = {
  company: fieldSource(['Company'], ['会社名'], ['Company']),
  name: fieldSource(['Name'], ['氏名', '名前'], ['Name']),
  email: fieldSource(['Email'], ['メール'], ['Email']),
  title: fieldSource(['Title'], ['役職'], ['Title']),
  industry: fieldSource(['Industry'], ['業種'], ['Industry']),
  employees: fieldSource(['NumberOfEmployees'], ['従業員数'], ['No. of Employees', 'Employees']),
  region: fieldSource(['State', 'Address'], ['都道府県', '住所'], ['State/Province', 'Address']),
  leadSource: fieldSource(['LeadSource'], ['リードソース'], ['Lead Source']),
  status: fieldSource(['Status'], ['リード状況', '状況'], ['Lead Status', 'Status']),
  owner: fieldSource(['OwnerId', 'Owner'], ['リード所有者', '所有者'], ['Lead Owner', 'Owner']),
  createdAt: fieldSource(
    ['CreatedDate', 'CreatedById'],
    ['作成日', '作成者'],
    ['Created Date', 'Created By'],
  ),
  mqlAt: fieldSource(['MQL_Date__c'], ['MQL日'], ['MQL Date']),
};

/** The CRM's standard lead statuses, as its ja and en UIs show them, and the stage each means. */
const statuses: Readonly<Record<string, Stage>> = {
  'Open - Not Contacted': 'new',
  未対応: 'new',
  'Working - Contacted': 'contacted',
  対応中: 'contacted',
  'Closed - Converted': 'converted',
  取引開始済み: 'converted',
  'Closed - Not Converted': 'disqualified',
  取引不成立: 'disqualified',
  不成立: 'disqualified',
  Recycled: 'recycled',
  リサイクル: 'recycled',
};

export const salesforce = {
  id: 'salesforce',
  name: 'Salesforce',
  fields,
  statuses,
  // Lightning (my-domain and sandbox hosts) and Classic, including legacy instance hosts (na123...).
  matchPatterns: [
    'https://*.lightning.force.com/*',
    'https://*.my.salesforce.com/*',
    'https://*.salesforce.com/*',
  ],
  recordScope: (root: ParentNode, url: URL) => {
    const r = route(url);
    const key = r?.kind === 'record' ? leadKey(r.id) : null;
    if (!r || !key) return null;
    return r.layout === 'classic' ? root : recordScope(root, key.recordId.slice(0, 15));
  },
  // Related lists and the activity timeline show other records' fields (tasks, campaigns).
  outside: [
    'lightning-datatable',
    '.forceRelatedListContainer',
    '.slds-timeline',
    '.bRelatedList',
    '.listRelatedObject',
  ],
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => {
    const r = route(url);
    return r?.kind === 'record' ? leadKey(r.id) : null;
  },

  extract: (root: ParentNode, url: URL, mappings: FieldMappings, options: ExtractOptions = {}) => {
    const r = route(url);
    const key = r?.kind === 'record' ? leadKey(r.id) : null;
    if (!r || !key) return null;
    if (r.layout === 'classic') return extractClassic(root, key, url, mappings);
    const scope = options.scope !== undefined ? options.scope : recordScope(root, key.recordId.slice(0, 15));
    if (!scope) return null;
    const mapping = crmMapping(mappings, 'salesforce');
    const fields = readFields(mapping, {
      byCode: (code) =>
        first(
          scope,
          selectors.field.map((s) => withCode(s, code)),
        ),
      pairs: () => lightningPairs(scope),
      read: readLightningValue,
    });
    if (!fields.name && mapping.name) {
      const header = first(scope, selectors.header);
      const title = header ? clean(first(header, selectors.headerTitle)?.textContent) : '';
      if (title) fields.name = title;
    }
    if (Object.keys(fields).length === 0) return null;
    return { ...key, url: url.href, fields, activities: timelineActivities(scope, options) };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    if (route(url)?.kind !== 'list') return [];
    const scope = listScope(root);
    const mapping = crmMapping(mappings, 'salesforce');
    const keysByTable = new Map<Element, (string | undefined)[]>();
    const rows: ListRow[] = [];
    for (const row of queryAll(scope, selectors.listRow)) {
      // Other datatables on the page (related lists, recently viewed) hold contacts, tasks,
      // campaigns: only Lead ids (prefix 00Q) are lead rows.
      const key = leadKey(row.getAttribute('data-row-key-value') ?? undefined);
      if (!key) continue;
      let table: Element | null = row.parentElement;
      while (table && table.tagName !== 'TABLE') table = table.parentElement;
      let keys = table ? keysByTable.get(table) : undefined;
      if (!keys) {
        keys = listColumnKeys(table, row, mapping);
        if (table) keysByTable.set(table, keys);
      }
      rows.push({ element: row, key, fields: rowFields(row, keys, listCellText) });
    }
    return rows;
  },
} satisfies CrmAdapter;

const LIST_CELL_VALUE = selectors.listCellValue.join(',');

/**
 * A list cell's value: its one truncated value element when it has one, else the whole cell. Read
 * from the cell, the text walk visits the cell's wrappers and its edit button too (9 elements for a
 * name cell against 5), and the read of a 200-row list was mostly that walk (issue 18). Two value
 * elements, or an empty one, leave the cell to the whole walk, so no part of a value is dropped.
 */
function listCellText(cell: Element): string {
  const values = cell.querySelectorAll(LIST_CELL_VALUE);
  return (values.length === 1 && visibleText(values[0]!)) || visibleText(cell);
}

/** Column field keys of a list table, from its header cells or, without a header, the first row's. */
function listColumnKeys(
  table: Element | null,
  row: Element,
  mapping: ReturnType<typeof crmMapping>,
): (string | undefined)[] {
  const headers = table ? queryAll(table, selectors.listHeader) : [];
  const cells = [...row.children];
  return columnKeys(
    mapping,
    cells.map((cell, i) => {
      const th = headers[i];
      // data-col-key-value is "FieldApiName-type-index" on lightning-datatable cells.
      const colKey = cell.getAttribute('data-col-key-value') ?? th?.getAttribute('data-col-key-value') ?? '';
      return {
        code: colKey.split('-')[0] || null,
        label:
          th?.getAttribute('aria-label') ??
          th?.querySelector('[title]')?.getAttribute('title') ??
          cell.getAttribute('data-label') ??
          th?.textContent ??
          null,
      };
    }),
  );
}
