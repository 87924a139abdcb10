import type { LeadKey, Stage } from '../lead';
import { type CrmDefaults, fieldSource } from './field-source';
import type { CrmFieldMapping, FieldMappings } from './mapping';
import {
  columnKeys,
  crmMapping,
  fieldValue,
  first,
  queryAll,
  readFields,
  rowFields,
  visibleText,
} from './read';
import type { CrmAdapter, ListRow, PageKind } from './types';

// cybozu.com (Japan), kintone.com (US), cybozu.cn (China); sandboxes on the same domains.
export const HOST = /^[a-z0-9-]+\.(?:cybozu\.com|kintone\.com|cybozu\.cn)$/;
// /k/{appId}/show#record={id} and the record list /k/{appId}/; guest spaces add /guest/{spaceId}.
const RECORD_PATH = /^\/k\/(?:guest\/\d+\/)?(\d+)\/show\/?$/;
const LIST_PATH = /^\/k\/(?:guest\/\d+\/)?(\d+)\/?$/;
const RECORD_HASH = /(?:^#|&)record=(\d+)(?:&|$)/;
const RECORD_LINK = /\/show#record=(\d+)/;

function route(url: URL): { kind: PageKind; app: string; id?: string } | null {
  if (!HOST.test(url.hostname.toLowerCase())) return null;
  const record = RECORD_PATH.exec(url.pathname);
  if (record) return { kind: 'record', app: record[1]!, id: RECORD_HASH.exec(url.hash)?.[1] };
  const list = LIST_PATH.exec(url.pathname);
  return list ? { kind: 'list', app: list[1]! } : null;
}

function key(app: string, id: string | undefined): LeadKey | null {
  // The app id is the object: each kintone app is its own table of records.
  return id ? { crm: 'kintone', object: app, recordId: id } : null;
}

const selectors = {
  // kintone's own stable "-gaia" classes (also the ones its customisation docs point to).
  field: ['.control-gaia'],
  fieldLabel: ['.control-label-text-gaia', '.control-label-gaia'],
  fieldValue: ['.control-value-gaia'],
  // Subtables and related-records lists repeat labels for other rows or other records.
  nested: ['.subtable-gaia', '.control-reference_table-field-gaia', '.reference-table-gaia'],
  recordRoot: ['.record-gaia', '#record-gaia'],
  listTable: ['table.recordlist-gaia'],
  listHeaderLabel: ['thead th'],
  listRow: ['tbody tr.recordlist-row-gaia'],
  recordLink: ['a.recordlist-show-gaia', 'a[href*="show#record="]'],
} as const;

/** Field codes default to the field's name, so a code is also tried as a label. */
function labelsAndCodes(mapping: CrmFieldMapping): CrmFieldMapping {
  const out: CrmFieldMapping = {};
  for (const [field, source] of Object.entries(mapping)) {
    out[field] = { codes: [], labels: { ja: [...source.codes, ...source.labels.ja], en: source.labels.en } };
  }
  return out;
}

// kintone: field codes default to the field name, so the common Japanese names are the codes too.
const fields: CrmDefaults = {
  company: fieldSource(['会社名', 'company'], ['会社名'], ['Company']),
  name: fieldSource(['氏名', '担当者名', 'name'], ['氏名', '担当者名'], ['Name']),
  email: fieldSource(['メールアドレス', 'email'], ['メールアドレス'], ['Email']),
  title: fieldSource(['役職', 'title'], ['役職'], ['Title']),
  industry: fieldSource(['業種', 'industry'], ['業種'], ['Industry']),
  employees: fieldSource(['従業員数', 'employees'], ['従業員数'], ['Employees']),
  region: fieldSource(['都道府県', 'region'], ['都道府県'], ['Region']),
  leadSource: fieldSource(['リードソース', 'leadSource'], ['リードソース'], ['Lead Source']),
  status: fieldSource(['ステータス', '状況', 'status'], ['ステータス', '状況'], ['Status']),
  owner: fieldSource(['担当者', '作業者', 'owner'], ['担当者', '作業者'], ['Owner', 'Assignee']),
  createdAt: fieldSource(['作成日時', 'createdAt'], ['作成日時'], ['Created datetime']),
  mqlAt: fieldSource(['MQL日', 'mqlAt'], ['MQL日'], ['MQL date']),
};

/** The CRM's standard lead statuses, as its ja and en UIs show them, and the stage each means. */
const statuses: Readonly<Record<string, Stage>> = {
  未対応: 'new',
  MQL: 'mql',
  対応中: 'contacted',
  商談化: 'sql',
  受注: 'won',
  失注: 'lost',
  対象外: 'disqualified',
  ナーチャリング: 'recycled',
};

export const kintone = {
  id: 'kintone',
  name: 'kintone',
  fields,
  statuses,
  matchPatterns: ['https://*.cybozu.com/*', 'https://*.kintone.com/*', 'https://*.cybozu.cn/*'],
  // Subtables and related-records lists repeat labels for other rows or other records.
  outside: selectors.nested,
  selectors,

  matches: (url: URL) => route(url) !== null,

  pageKind: (url: URL) => route(url)?.kind ?? null,

  recordKey: (url: URL) => {
    const r = route(url);
    return r?.kind === 'record' ? key(r.app, r.id) : null;
  },

  extract: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    const r = route(url);
    const k = r?.kind === 'record' ? key(r.app, r.id) : null;
    const scope = k ? first(root, selectors.recordRoot) : null;
    if (!k || !scope) return null;
    const fields = readFields(labelsAndCodes(crmMapping(mappings, 'kintone')), {
      pairs: function* () {
        for (const control of queryAll(scope, selectors.field)) {
          if (control.closest(selectors.nested.join(','))) continue;
          const label = first(control, selectors.fieldLabel);
          const value = first(control, selectors.fieldValue);
          if (label && value) yield { label: label.textContent ?? '', value };
        }
      },
      read: fieldValue,
    });
    if (Object.keys(fields).length === 0) return null;
    return { ...k, url: url.href, fields, activities: [] };
  },

  listRows: (root: ParentNode, url: URL, mappings: FieldMappings) => {
    const r = route(url);
    if (r?.kind !== 'list') return [];
    const table = first(root, selectors.listTable);
    if (!table) return [];
    const keys = columnKeys(
      labelsAndCodes(crmMapping(mappings, 'kintone')),
      queryAll(table, selectors.listHeaderLabel).map((th) => ({
        label: visibleText(th),
      })),
    );
    const rows: ListRow[] = [];
    for (const row of queryAll(table, selectors.listRow)) {
      const href = row.querySelector(selectors.recordLink.join(','))?.getAttribute('href') ?? '';
      const k = key(r.app, RECORD_LINK.exec(href)?.[1]);
      if (!k) continue;
      rows.push({ element: row, key: k, fields: rowFields(row, keys) });
    }
    return rows;
  },
} satisfies CrmAdapter;
