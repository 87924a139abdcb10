import type { Activity, LeadKey, Stage } from '../lead';
import { activityType } from './activity';
import { activityAt, yearIn } from './dates';
import { type CrmDefaults, fieldSource } from './field-source';
import type { FieldMappings } from './mapping';
import {
  clean,
  columnKeys,
  controlValue,
  crmMapping,
  first,
  isHidden,
  queryAll,
  readFields,
  rowFields,
  visibleText,
  withCode,
} from './read';
import type { CrmAdapter, ExtractOptions, ListRow, PageKind } from './types';

// app.hubspot.com and the regional data-centre hosts app-eu1, app-na2, app-ap1 ...
export const HOST = /^app(?:-[a-z]{2}\d{1,2})?\.hubspot\.com$/;
// Object type ids: 0-1 contacts, 0-136 leads. Records open at /contacts/{portal}/record/{type}/{id}
// whatever the object; the older contact URL /contacts/{portal}/contact/{id} still redirects there.
const RECORD_PATH = /^\/contacts\/(\d+)\/(?:record\/(0-1|0-136)|(contact))\/(\d+)(?:\/|$)/;
const LIST_PATH =
  /^\/contacts\/(\d+)\/(?:objects\/(0-1|0-136)\/views\/[^/]+\/list|(contacts)\/list\/view\/[^/]+)\/?$/;
const OBJECTS: Record<string, string> = {
  '0-1': 'contact',
  '0-136': 'lead',
  contact: 'contact',
  contacts: 'contact',
};
const TYPE_IDS: Record<string, string> = { contact: '0-1', lead: '0-136' };

function route(url: URL): { kind: PageKind; object: string; id?: string } | null {
  if (!HOST.test(url.hostname.toLowerCase())) return null;
  const record = RECORD_PATH.exec(url.pathname);
  if (record) return { kind: 'record', object: OBJECTS[record[2] ?? record[3]!]!, id: record[4] };
  const list = LIST_PATH.exec(url.pathname);
  if (list) return { kind: 'list', object: OBJECTS[list[2] ?? list[3]!]! };
  return null;
}

function key(object: string, id: string | undefined): LeadKey | null {
  return id ? { crm: 'hubspot', object, recordId: id } : null;
}

const selectors = {
  // HubSpot's own end-to-end test hooks: stable across UI languages and redesigns.
  property: ['[data-selenium-test="property-input-{code}"]'],
  // Enumeration and owner properties render the chosen option in a dropdown button.
  dropdownLabel: ['.private-dropdown__item__label', '[data-selenium-test="property-value"]'],
  propertyLabel: ['label[data-selenium-test^="property-label"]', '[data-selenium-test="property-label"]'],
  // What sits beside a label when a property has no input hook (read-only and calculated properties).
  propertyValue: [
    '[data-selenium-test="property-value"]',
    '.private-dropdown__item__label',
    'input:not([type="hidden"])',
    'textarea',
    'select',
  ],
  recordName: ['[data-selenium-test="highlightTitle"]', '[data-test-id="highlight-title"]'],
  // The preview side panel shows another record with the same property hooks: never read it.
  preview: ['[data-crm-location="CRM_OBJECT_PREVIEW"]', '[data-selenium-test="preview-panel"]'],
  // Activity timeline: month headers ("March 2024", "2024年3月") precede the cards of that month.
  timelineEntry: ['[data-selenium-test="timeline-month-header"]', '[data-selenium-test="timeline-card"]'],
  timelineTitle: ['[data-selenium-test="timeline-card-title"]'],
  timelineTime: ['time', '[data-selenium-test="timeline-card-timestamp"]'],
  // Index pages: one table; header cells are data-test-id="header-{position}-{property}".
  listTable: ['table[data-test-id="table"]', '[data-test-id="index-page"] table'],
  listHeader: ['thead th'],
  listHeaderLabel: ['[data-test-id="truncated-object-label"]'],
  recordLink: ['a[href*="/record/{code}/"]'],
} as const;

function outsidePreview(el: Element): boolean {
  return !el.closest(selectors.preview.join(','));
}

/** The value beside a property label: its `for` target, else the nearest value in the label's row. */
function valueForLabel(root: ParentNode, label: Element): Element | null {
  const target = label.getAttribute('for');
  const byId = target ? root.querySelector(`[id="${target.replace(/["\\]/g, '')}"]`) : null;
  if (byId) return byId;
  let row = label.parentElement;
  for (let depth = 0; row && depth < 3; depth++, row = row.parentElement) {
    const value = first(row, selectors.propertyValue);
    if (value) return value;
  }
  return null;
}

function readProperty(el: Element): string {
  const dropdown = first(el, selectors.dropdownLabel);
  if (dropdown) return visibleText(dropdown);
  if (el.matches('input, textarea, select')) return controlValue(el);
  const text = visibleText(el);
  if (text) return text;
  const control = el.querySelector('input:not([type="hidden"]), textarea, select');
  return control ? controlValue(control) : '';
}

// data-timeline-type is the engagement type. Marketing-email and incoming-email events are things
// the lead did (opened, clicked, replied), so their title decides, not the word "email".
const KINDS: Record<string, string> = {
  EMAIL: 'email',
  CALL: 'call',
  MEETING: 'meeting',
  FORM_SUBMISSION: 'form',
  PAGE_VIEW: 'page view',
};

function timeline(root: ParentNode, options: ExtractOptions): Activity[] {
  const activities: Activity[] = [];
  let year: number | undefined;
  for (const entry of queryAll(root, selectors.timelineEntry)) {
    if (!outsidePreview(entry)) continue;
    if (entry.matches(selectors.timelineEntry[0])) {
      year = yearIn(entry.textContent ?? '');
      continue;
    }
    const title = clean(first(entry, selectors.timelineTitle)?.textContent, 2000);
    const time = first(entry, selectors.timelineTime);
    const at = time
      ? activityAt(time.getAttribute('datetime') ?? time.textContent ?? '', options, year)
      : null;
    if (!at || activities.length >= 500) continue;
    const kind = KINDS[entry.getAttribute('data-timeline-type') ?? ''] ?? '';
    activities.push({ type: activityType(kind, title), ...(title ? { title } : {}), at });
  }
  return activities;
}

// HubSpot: internal property names of the contact (0-1) and lead (0-136) objects.
const fields: CrmDefaults = {
  company: fieldSource(['company', 'hs_associated_company'], ['会社名'], ['Company name', 'Company']),
  name: fieldSource(
    ['name', 'hs_full_name_or_email', 'hs_lead_name'],
    ['名前', '氏名'],
    ['Name', 'Lead name'],
  ),
  email: fieldSource(['email'], ['Eメール', 'メール'], ['Email']),
  title: fieldSource(['jobtitle'], ['役職'], ['Job Title', 'Job title']),
  industry: fieldSource(['industry'], ['業種'], ['Industry']),
  employees: fieldSource(['numemployees'], ['従業員数'], ['Number of Employees', 'Number of employees']),
  region: fieldSource(['state', 'country'], ['都道府県', '国/地域'], ['State/Region', 'Country/Region']),
  leadSource: fieldSource(
    ['hs_analytics_source', 'hs_lead_source'],
    ['最初のソース', 'リードソース'],
    ['Original Source', 'Lead source'],
  ),
  status: fieldSource(
    ['hs_lead_status', 'hs_pipeline_stage'],
    ['リードステータス', 'リードのステータス'],
    ['Lead Status', 'Lead stage'],
  ),
  owner: fieldSource(
    ['hubspot_owner_id'],
    ['コンタクト担当者', 'リード担当者', '担当者'],
    ['Contact owner', 'Lead owner'],
  ),
  createdAt: fieldSource(['createdate', 'hs_createdate'], ['作成日'], ['Create date', 'Created date']),
  mqlAt: fieldSource(
    ['hs_lifecyclestage_marketingqualifiedlead_date'],
    ['マーケティングクオリフィケーションリードになった日'],
    ['Became a Marketing Qualified Lead Date'],
  ),
};

/** The CRM's standard lead statuses, as its ja and en UIs show them, and the stage each means. */
const statuses: Readonly<Record<string, Stage>> = {
  New: 'new',
  新規: 'new',
  Open: 'new',
  オープン: 'new',
  'In progress': 'contacted',
  進行中: 'contacted',
  'Attempted to contact': 'contacted',
  コンタクト試行済み: 'contacted',
  Connected: 'contacted',
  接続済み: 'contacted',
  'Open deal': 'sql',
  オープンな取引: 'sql',
  Unqualified: 'disqualified',
  見込みなし: 'disqualified',
  'Bad timing': 'recycled',
  タイミングが悪い: 'recycled',
};

export const hubspot = {
  id: 'hubspot',
  name: 'HubSpot',
  fields,
  statuses,
  // app.hubspot.com and the regional data-centre hosts (app-eu1, app-na2, app-ap1...).
  matchPatterns: ['https://*.hubspot.com/*'],
  // The preview panel shows another record; association cards show the company's or deals' properties.
  outside: [
    ...selectors.preview,
    '[data-selenium-test="timeline-card"]',
    '[data-test-id="records-right-sidebar"]',
    '[data-test-id^="card-wrapper-"]',
  ],
  labels: {
    // Standard property labels of the Japanese and English UI that the default mapping leaves out.
    company: ['会社名', '会社'],
    title: ['職位', '役職名'],
    employees: ['従業員数', '従業員の数'],
    leadSource: [
      'オリジナルソース',
      '最初のトラフィックソース',
      'Original source',
      'Original traffic source',
    ],
    status: ['リードステージ', 'リードのステージ'],
    owner: ['リードの担当者', 'Lead owner'],
  },
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => {
    const r = route(url);
    return r?.kind === 'record' ? key(r.object, r.id) : null;
  },

  extract: (root: ParentNode, url: URL, mappings: FieldMappings, options: ExtractOptions = {}) => {
    const r = route(url);
    const k = r?.kind === 'record' ? key(r.object, r.id) : null;
    if (!k) return null;
    const mapping = crmMapping(mappings, 'hubspot');
    const fields = readFields(mapping, {
      byCode: (code) => {
        for (const el of queryAll(
          root,
          selectors.property.map((s) => withCode(s, code)),
        )) {
          if (outsidePreview(el) && !isHidden(el)) return el;
        }
        return null;
      },
      pairs: function* () {
        for (const label of queryAll(root, selectors.propertyLabel)) {
          if (outsidePreview(label)) {
            // A label's `for` id can also exist in the preview panel, which repeats the same ids.
            const value = valueForLabel(root, label);
            if (value && outsidePreview(value)) yield { label: label.textContent ?? '', value };
          }
        }
      },
      read: readProperty,
    });
    if (!fields.name && mapping.name) {
      const title = queryAll(root, selectors.recordName).find(outsidePreview);
      const name = title ? visibleText(title) : '';
      if (name) fields.name = name;
    }
    if (Object.keys(fields).length === 0) return null;
    return { ...k, url: url.href, fields, activities: timeline(root, options) };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    const r = route(url);
    if (r?.kind !== 'list') return [];
    const table = first(root, selectors.listTable);
    if (!table) return [];
    const headers = queryAll(table, selectors.listHeader).map((th) => ({
      code: /^header-(?:[\d-]+-)?([A-Za-z0-9_]+)$/.exec(th.getAttribute('data-test-id') ?? '')?.[1] ?? null,
      label: clean(first(th, selectors.listHeaderLabel)?.textContent ?? th.textContent),
    }));
    const keys = columnKeys(crmMapping(mappings, 'hubspot'), headers);
    const link = withCode(selectors.recordLink[0], TYPE_IDS[r.object]!);
    const pattern = new RegExp(`/record/${TYPE_IDS[r.object]}/(\\d+)`);
    const rows: ListRow[] = [];
    for (const row of table.querySelectorAll('tbody tr')) {
      // Skeleton rows while loading, and links to associated companies (0-2) or deals, are not leads.
      const id = pattern.exec(row.querySelector(link)?.getAttribute('href') ?? '')?.[1];
      const k = key(r.object, id);
      if (!k) continue;
      rows.push({ element: row, key: k, fields: rowFields(row, keys, readProperty) });
    }
    return rows;
  },
} satisfies CrmAdapter;
