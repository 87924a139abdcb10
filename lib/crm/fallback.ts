import type { LeadKey } from '../lead';
import type { CrmFieldMapping } from './mapping';
import { columnKeys, fieldValue, isHidden, normalizeLabel, queryAll, visibleText } from './read';
import type { ListRow } from './types';

/**
 * Reading a CRM page when the adapter's own selectors miss (a vendor release, an edition or locale we
 * have no fixture of). Generic and pure: it knows the attributes CRMs put API names in and the HTML
 * structures that pair a label with its value, never one vendor's class names.
 *
 * Each field records which tier answered, so the health report can say which pages live on fallbacks:
 * - selector: the adapter's own markup knowledge (its selector lists, code templates, label containers)
 * - hook: a field's API name or column code in a test/QA attribute (data-field, data-testid, data-zcqa...)
 * - label: the field's label text (ja/en) paired with its value by structure
 */
export type ReadTier = 'selector' | 'hook' | 'label';

// Attributes in which CRMs put field API names or column codes. Why these: Zoho's QA hooks (data-zcqa),
// Pipedrive's and React apps' test ids (data-testid, data-test-key), HubSpot's (data-selenium-test,
// data-test-id), Dynamics' (data-id), Salesforce's (data-field-api-name, data-target-selection-name),
// generic form builders (data-field, data-field-code, name).
const HOOK_ATTRS = [
  'data-field',
  'data-field-name',
  'data-field-code',
  'data-field-api-name',
  'data-target-selection-name',
  'data-testid',
  'data-test-id',
  'data-test-key',
  'data-zcqa',
  'data-selenium-test',
  'data-id',
] as const;
const HOOK_SELECTORS = HOOK_ATTRS.map((a) => `[${a}]`);

/** What String.prototype.trimStart keeps: the first character that is not white space. */
const NOT_SPACE = /\S/;

/** A hook on a field's label rather than its value ("dtVw_lbl_COMPANY", "property-label-jobtitle"). */
const LABEL_HOOK = /(?:^|[_\-.])(?:lbl|label)(?:[_\-.]|$)/i;

// Regions of a record page that show other records or our own UI: list grids beside a split view,
// dialogs, and Baton's overlay host (its shadow root is not traversed, the host is skipped anyway).
const NEVER_READ = '[role="grid"], [role="treegrid"], [role="listbox"], [role="dialog"], baton-lead';

export interface FallbackScope {
  /** Where the record is shown (the adapter's detail container, or the document). */
  root: ParentNode;
  /** Regions inside `root` that show other records (preview panels, related lists, subtables). */
  outside: readonly string[];
}

function skipped(el: Element, scope: FallbackScope, never: string): boolean {
  const stop = scope.root instanceof Element ? scope.root.parentElement : null;
  return el.closest(never) !== null || isHidden(el, stop);
}

function neverSelector(scope: FallbackScope): string {
  return [NEVER_READ, ...scope.outside].join(', ');
}

/**
 * The longest code an attribute value ends with, whole or after a separator ("detail-field-org_id" →
 * org_id), case-folded: its length, or 0 for none. Every hooked element of the page goes through
 * here, so it makes no array and folds the value once.
 */
function codeAtEnd(value: string, codes: ReadonlyMap<string, string>): number {
  const folded = value.toLowerCase();
  if (codes.has(folded)) return folded.length;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    // _ - : .
    if ((c === 95 || c === 45 || c === 58 || c === 46) && codes.has(folded.slice(i + 1)))
      return folded.length - i - 1;
  }
  return 0;
}

/** Label → field key for the given fields, the mapping's labels first, then the CRM's standard ones. */
export function labelsFor(
  mapping: CrmFieldMapping,
  extra: Readonly<Record<string, readonly string[]>> = {},
): Map<string, string> {
  const index = new Map<string, string>();
  const add = (label: string, key: string) => {
    const norm = normalizeLabel(label);
    if (norm && !index.has(norm)) index.set(norm, key);
  };
  for (const [key, source] of Object.entries(mapping)) {
    for (const label of [...source.labels.ja, ...source.labels.en]) add(label, key);
  }
  for (const [key, labels] of Object.entries(extra)) {
    if (mapping[key]) for (const label of labels) add(label, key);
  }
  return index;
}

function isLabelText(el: Element, labels: Map<string, string>): boolean {
  return labels.has(normalizeLabel(el.textContent));
}

/** A sibling that is (or opens with) another field's label is the next field, not this one's value. */
function opensWithLabel(el: Element, labels: Map<string, string>): boolean {
  if (isLabelText(el, labels)) return true;
  for (const leaf of el.querySelectorAll('*')) {
    if (leaf.childElementCount > 0 || !leaf.textContent?.trim()) continue;
    return isLabelText(leaf, labels);
  }
  return false;
}

/** The element that holds the label text itself, not a wrapper whose only text is a child's label. */
function ownsLabel(el: Element): boolean {
  const text = el.textContent?.trim();
  for (const child of el.children) if (child.textContent?.trim() === text) return false;
  return true;
}

/**
 * The value a label element names, found through generic structures only: label[for], aria-labelledby,
 * dt/dd, th/td and role=rowheader/cell, else the label's next sibling (climbing only through wrappers
 * that hold nothing but the label, so a neighbouring field is never taken for this one's value).
 */
export function valueOfLabel(label: Element, root: ParentNode, labels: Map<string, string>): Element | null {
  const id = label.getAttribute('id');
  const target = label.closest('label[for]')?.getAttribute('for');
  if (target) {
    const byId = root.querySelector(`[id="${cssEscape(target)}"]`);
    if (byId) return byId;
  }
  if (id) {
    const labelled = root.querySelector(`[aria-labelledby~="${cssEscape(id)}"]`);
    if (labelled) return labelled;
  }
  const tag = label.tagName;
  if (tag === 'DT') {
    const dd = label.nextElementSibling;
    return dd?.tagName === 'DD' ? dd : null;
  }
  const role = label.getAttribute('role');
  if ((tag === 'TH' && !label.closest('thead')) || role === 'rowheader') {
    const cell = label.nextElementSibling;
    return cell && cell.tagName !== 'TH' ? cell : null;
  }
  let node: Element | null = label;
  for (let depth = 0; node && depth < 4; depth++) {
    for (let sibling = node.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
      if (opensWithLabel(sibling, labels)) return null;
      if (fieldValue(sibling)) return sibling;
    }
    const parent: Element | null = node.parentElement;
    if (parent?.childElementCount !== 1 || parent === root) break;
    node = parent;
  }
  return null;
}

function cssEscape(text: string): string {
  return text.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, ' ');
}

/** A hooked element that wraps its own label and value: the value beside the label inside it. */
function hookedValue(el: Element, labels: Map<string, string>): string {
  const value = fieldValue(el);
  for (const inner of el.querySelectorAll('*')) {
    if (inner.childElementCount > 2 || !isLabelText(inner, labels)) continue;
    const paired = valueOfLabel(inner, el, labels);
    return paired ? fieldValue(paired) : '';
  }
  return labels.has(normalizeLabel(value)) ? '' : value;
}

/** The first letters of a page's labels, for mayOpenLabel. */
export interface LabelStarts {
  /** Lower-cased, and '*' (a required field's mark). */
  letters: Set<string>;
  /** By character code, for printable ASCII: 1 when the character, lower-cased, is one of `letters`. */
  ascii: Uint8Array;
}

export function labelStarts(labels: Map<string, string>): LabelStarts {
  const letters = new Set([...labels.keys()].map((label) => label[0]!));
  letters.add('*');
  const ascii = new Uint8Array(127);
  for (let c = 33; c < 127; c++) ascii[c] = letters.has(String.fromCharCode(c).toLowerCase()) ? 1 : 0;
  return { letters, ascii };
}

/**
 * False when the text cannot be a label: its first letter (after white space) starts none. It runs on
 * every text node of the page, and most start with a printable ASCII character: that one is looked up
 * by its code, with no regular expression and no lower-cased copy. Never false for a text whose
 * normalizeLabel is a label (a property test holds it to that).
 */
export function mayOpenLabel(raw: string, starts: LabelStarts): boolean {
  const first = raw.charCodeAt(0);
  if (first > 32 && first < 127) return starts.ascii[first] === 1;
  const at = raw.search(NOT_SPACE);
  // The first character of the lower-cased letter: İ lower-cases to two (i and a combining dot above).
  return at >= 0 && starts.letters.has(raw[at]!.toLowerCase()[0]!);
}

/**
 * Reads the `missing` fields through hooks, then labels. Returns what it found with the tier of each;
 * empty values are left out, so a field it cannot find never looks like a blank one.
 */
export function readFallback(
  scope: FallbackScope,
  mapping: CrmFieldMapping,
  missing: ReadonlySet<string>,
  extraLabels: Readonly<Record<string, readonly string[]>> = {},
): { fields: Record<string, string>; tiers: Record<string, ReadTier> } {
  const fields: Record<string, string> = {};
  const tiers: Record<string, ReadTier> = {};
  if (missing.size === 0) return { fields, tiers };
  const never = neverSelector(scope);
  const left = new Set(missing);
  const labels = labelsFor(mapping, extraLabels);

  // Tier 2: API names and column codes in test/QA attributes (case-folded: Zoho writes COMPANY for Company).
  const codes = new Map<string, string>();
  for (const key of left) {
    for (const code of mapping[key]?.codes ?? []) {
      const norm = code.toLowerCase();
      if (!codes.has(norm)) codes.set(norm, key);
    }
  }
  if (codes.size > 0) {
    for (const el of queryAll(scope.root, HOOK_SELECTORS)) {
      if (left.size === 0) break;
      for (const attr of HOOK_ATTRS) {
        const raw = el.getAttribute(attr);
        if (!raw || raw.length > 200) continue;
        const length = codeAtEnd(raw, codes);
        const key = length === 0 ? undefined : codes.get(raw.slice(raw.length - length).toLowerCase());
        if (!key || !left.has(key) || skipped(el, scope, never)) continue;
        let text = '';
        // "dtVw_lbl_COMPANY" hooks the label; "label_ids" is the code itself (Pipedrive's labels field).
        if (LABEL_HOOK.test(raw.slice(0, raw.length - length))) {
          const value = valueOfLabel(el, scope.root, labels);
          text = value ? fieldValue(value) : '';
        } else {
          text = hookedValue(el, labels);
        }
        if (text) {
          fields[key] = text;
          tiers[key] = 'hook';
          left.delete(key);
        }
        break;
      }
    }
  }

  // Tier 3: label text, ja and en, paired with its value by structure. One walk over the scope's text
  // nodes; a node whose first letter starts no label is passed over without further work, which keeps
  // a heavy page (thousands of cells) cheap. The walk ends once every field sought is found. A long walk
  // stops seeking the fields whose labels occur nowhere in the page's text: a layout without a "Created"
  // date would otherwise send it to the page's last text node, looking for one (issue 18).
  if (left.size > 0 && labels.size > 0) {
    let visited = 0;
    const starts = labelStarts(labels);
    const seen = new Set<Element>();
    const doc = (scope.root as Node).ownerDocument ?? (scope.root as Document);
    // 4 = NodeFilter.SHOW_TEXT (the constant, so lib/ names no browser global).
    const walker = doc.createTreeWalker(scope.root as Node, 4);
    for (let node = walker.nextNode(); node && left.size > 0; node = walker.nextNode()) {
      // Asked once, and only of a page with this many text nodes: the question reads the whole page's
      // text, which on a short page (or one whose fields all come early) costs more than it saves.
      if (++visited === WALK_BEFORE_ASKING) dropFieldsNotOnThePage(scope.root, labels, left);
      const raw = node.nodeValue;
      if (!raw || raw.length > 80) continue;
      if (!mayOpenLabel(raw, starts)) continue;
      const el = node.parentElement;
      if (!el || seen.has(el) || el.childElementCount > 2) continue;
      seen.add(el);
      const whole = el.textContent;
      if (!whole || whole.length > 80) continue;
      const key = labels.get(normalizeLabel(whole));
      if (!key || !left.has(key) || !ownsLabel(el) || skipped(el, scope, never)) continue;
      const value = valueOfLabel(el, scope.root, labels);
      if (!value || value.contains(el) || skipped(value, scope, never)) continue;
      const read = fieldValue(value);
      if (!read || labels.has(normalizeLabel(read))) continue;
      fields[key] = read;
      tiers[key] = 'label';
      left.delete(key);
    }
  }
  return { fields, tiers };
}

/** Text nodes the label walk visits before it asks which fields' labels the page shows at all. */
const WALK_BEFORE_ASKING = 500;

/**
 * Drops from `left` the fields none of whose labels can occur in the text under `root`: a label whose
 * words are not all in the page's text, lower-cased. Sound because an element's text is a stretch of its
 * ancestor's, and normalizeLabel only changes spaces, trims stars and colons from the ends and lower-cases
 * (of well-formed text, one character at a time): each word of a label the walk would match is in the
 * page's text. Greek sigma lower-cases by its place in a word, so a label with one is always kept. Words
 * rather than the whole label: collapsing the spaces of a whole page's text (inline scripts included)
 * cost ~35 ms on 2 MB, lower-casing it ~1 ms.
 */
export function dropFieldsNotOnThePage(
  root: ParentNode,
  labels: ReadonlyMap<string, string>,
  left: Set<string>,
): void {
  const node = root as Node;
  // A Document's own textContent is null: its text is its root element's.
  const raw = node.nodeType === 9 ? (node as Document).documentElement?.textContent : node.textContent;
  const text = (raw ?? '').toLowerCase();
  const shown = new Set<string>();
  for (const [label, key] of labels) {
    if (!left.has(key) || shown.has(key)) continue;
    if (/[σς]/.test(label) || label.split(' ').every((word) => text.includes(word))) shown.add(key);
  }
  for (const key of left) if (!shown.has(key)) left.delete(key);
}

/**
 * Lead rows of a list view the adapter could not read: every link the adapter recognises as a lead
 * record marks a row (its table row, ARIA row or list item); columns are named by the table's or grid's
 * header cells in either language. A chip needs only the row and the record key; fields are a bonus.
 */
export function fallbackListRows(
  root: ParentNode,
  base: URL,
  recordKey: (url: URL) => LeadKey | null,
  mapping: CrmFieldMapping,
  outside: readonly string[] = [],
  extraLabels: Readonly<Record<string, readonly string[]>> = {},
  /** A page map's row selector: rows are its matches (each keyed by its first lead link) instead. */
  rowSelector?: string,
): ListRow[] {
  const never = ['[role="dialog"]', 'baton-lead', ...outside].join(', ');
  const rows: ListRow[] = [];
  const seenRows = new Set<Element>();
  const seenKeys = new Set<string>();
  const headerCache = new Map<Element, (string | undefined)[]>();
  const labelMapping = withExtraLabels(mapping, extraLabels);
  const keyOf = (link: Element): LeadKey | null => {
    try {
      return recordKey(new URL(link.getAttribute('href') ?? '', base));
    } catch {
      return null;
    }
  };
  const add = (row: Element, key: LeadKey) => {
    const id = `${key.object}/${key.recordId}`;
    if (seenKeys.has(id)) return;
    seenRows.add(row);
    seenKeys.add(id);
    const cells = cellsOf(row);
    const table = row.closest('table, [role="grid"], [role="table"], [role="treegrid"]');
    let keys: (string | undefined)[] = [];
    if (table) {
      keys = headerCache.get(table) ?? columnKeys(labelMapping, headersOf(table).map(header));
      headerCache.set(table, keys);
    }
    const fields: Record<string, string> = {};
    cells.forEach((cell, i) => {
      const field = keys[columnIndex(cell, i)];
      if (!field) return;
      const text = visibleText(cell);
      if (text) fields[field] = text;
    });
    rows.push({ element: row, key, fields });
  };
  if (rowSelector !== undefined) {
    for (const row of root.querySelectorAll(rowSelector)) {
      if (row.closest(never) || isHidden(row)) continue;
      for (const link of row.querySelectorAll('a[href]')) {
        const key = keyOf(link);
        if (key) {
          add(row, key);
          break;
        }
      }
    }
    return rows;
  }
  for (const link of root.querySelectorAll('a[href]')) {
    const key = keyOf(link);
    if (!key || link.closest(never) || isHidden(link)) continue;
    // A link outside any row (a breadcrumb, a related app's record) does not make a list row.
    const row = link.closest('tr, [role="row"], li');
    if (!row || seenRows.has(row)) continue;
    add(row, key);
  }
  return rows;
}

function withExtraLabels(
  mapping: CrmFieldMapping,
  extra: Readonly<Record<string, readonly string[]>>,
): CrmFieldMapping {
  const out: CrmFieldMapping = {};
  for (const [key, source] of Object.entries(mapping)) {
    out[key] = {
      codes: [],
      labels: { ja: source.labels.ja, en: [...source.labels.en, ...(extra[key] ?? [])] },
    };
  }
  return out;
}

function cellsOf(row: Element): Element[] {
  return [...row.children].filter((c) => {
    const role = c.getAttribute('role');
    return (
      c.tagName === 'TD' ||
      c.tagName === 'TH' ||
      role === 'gridcell' ||
      role === 'cell' ||
      role === 'rowheader'
    );
  });
}

function headersOf(table: Element): Element[] {
  if (table.tagName === 'TABLE') {
    const head = table.querySelector('thead tr');
    return head ? [...head.children] : [];
  }
  const out: Element[] = [];
  [...table.querySelectorAll('[role="columnheader"]')].forEach((th, i) => {
    out[columnIndex(th, i)] = th;
  });
  return Array.from(out, (th) => th ?? table);
}

function header(th: Element): { label: string | null } {
  // A gap in aria-colindex stands in as the grid itself: it names no column.
  return {
    label: th.getAttribute('role') === 'columnheader' || th.tagName === 'TH' ? visibleText(th) : null,
  };
}

/** aria-colindex (1-based) when the grid virtualises columns; else the cell's position. */
function columnIndex(cell: Element, position: number): number {
  const aria = Number(cell.getAttribute('aria-colindex'));
  return Number.isInteger(aria) && aria > 0 ? aria - 1 : position;
}
