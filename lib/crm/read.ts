import type { CrmId } from '../lead';
import type { CrmFieldMapping, FieldMappings } from './mapping';

/** LeadSnapshot caps a field value at 2000 characters; titles and labels need far less. */
export const MAX_VALUE_LENGTH = 2000;

/**
 * Text that `clean` changes: whitespace other than a single space between other characters (a tab, a
 * non-breaking or ideographic space, a double space, a space at either end). Most page text is clean
 * already, and one test says so: the replace below was the largest cost of reading a 200-row list
 * (1,200 cells). A character scan in script did the same before; on a page's first read it runs cold,
 * where this test is the regular expression engine's (issue 18).
 */
const UNCLEAN = /[^\S ]| {2}|^ | $/;

/** Page text is data: whitespace collapsed, trimmed and capped, never parsed as markup. */
export function clean(text: string | null | undefined, max = MAX_VALUE_LENGTH): string {
  if (!text) return '';
  const collapsed = UNCLEAN.test(text) ? text.replace(/[\s\u00a0\u3000]+/g, ' ').trim() : text;
  return collapsed.length > max ? collapsed.slice(0, max) : collapsed;
}

/** Labels compare without case, colons, required-field stars or surrounding space. */
export function normalizeLabel(text: string | null | undefined): string {
  return clean(text, 200)
    .replace(/^\*\s*/, '')
    .replace(/\s*[*:：]\s*$/, '')
    .toLowerCase();
}

/** A code inside a double-quoted CSS attribute value: only backslash and quote need escaping. */
function cssString(code: string): string {
  return code.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, ' ');
}

/** Fills the `{code}` placeholder of a selector template. */
export function withCode(template: string, code: string): string {
  return template.replaceAll('{code}', cssString(code));
}

/**
 * What `root.querySelectorAll(selectors.join(','))` returns, asked one selector at a time first. Chromium
 * matches a selector list against every element on a slow path: 0.3–0.6 ms per query on a record page of
 * 15,000 elements, where one selector takes ~0.02 ms, and a page read runs a dozen such queries at load.
 * Most of them find their elements through one selector of the list. When a second selector matches
 * too, the list itself is asked: it returns the union in document order from the browser, where a merge
 * in script cost 23 ms for 6,000 hooked elements against 3 ms for the list (Chromium, fresh tab, median
 * of 7). Queries over a page or a record's region go through here; those inside one row keep the list.
 */
export function queryAll(root: ParentNode, selectors: readonly string[]): Element[] {
  let found: NodeListOf<Element> | null = null;
  for (const selector of selectors) {
    const matches = root.querySelectorAll(selector);
    if (matches.length === 0) continue;
    if (found !== null) return [...root.querySelectorAll(selectors.join(','))];
    found = matches;
  }
  return found === null ? [] : [...found];
}

export function first(scope: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = scope.querySelector(selector);
    if (found) return found;
  }
  return null;
}

// Screen-reader-only text, buttons and icons sit inside value elements ("Edit Company", "Open
// Preview"); they are not the value. Checked by tag, attribute and class rather than a selector
// match per element: this runs on every cell of every list row.
function notValue(el: Element): boolean {
  const tag = el.tagName;
  if (tag === 'BUTTON') return el.getAttribute('role') !== 'combobox';
  if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'svg' || tag === 'SVG')
    return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const cls = el.getAttribute('class');
  return cls !== null && (cls.includes('assistive-text') || cls.includes('assistiveText'));
}

/** An element began since the last text taken (textOf's word break, written only before more text). */
let gap = false;

/**
 * The text under `node`, appended to `text`. Each element's start is a word break, so "Tokyo" and "Japan"
 * on two lines don't run together; the break is written as one space before the next text only, which
 * `clean` reads the same as a space per element (it collapses and trims them) at less cost per cell.
 */
function textOf(node: Node, text: string): string {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === 3) {
      if (gap) {
        text += ' ';
        gap = false;
      }
      text += child.nodeValue ?? '';
    } else if (type === 1 && !notValue(child as Element)) {
      gap = true;
      text = textOf(child, text);
    }
  }
  return text;
}

/** The visible text of an element, without assistive text, buttons or icons. */
export function visibleText(el: Element): string {
  if (el.childElementCount === 0) return clean(el.textContent);
  gap = false;
  return clean(textOf(el, ''));
}

const CONTROL = 'input:not([type="hidden"]), textarea, select';

/** The value a form control holds: typed text, the chosen option's text, or a checkbox state. */
export function controlValue(el: Element): string {
  const tag = el.tagName;
  if (tag === 'SELECT') {
    const select = el as HTMLSelectElement;
    const option = select.selectedOptions?.[0] ?? select.querySelector('option[selected]');
    return clean(option?.textContent);
  }
  if (tag === 'INPUT') {
    const input = el as HTMLInputElement;
    if (input.type === 'checkbox' || input.type === 'radio') return input.checked ? 'true' : 'false';
    return clean(input.value ?? input.getAttribute('value'));
  }
  if (tag === 'TEXTAREA') return clean((el as HTMLTextAreaElement).value ?? el.textContent);
  return visibleText(el);
}

/**
 * The value shown by a field element: a form control's value when it is (or wraps) one, the picked
 * item of a lookup or combobox, otherwise its visible text.
 */
export function fieldValue(el: Element): string {
  if (el.matches(CONTROL)) return controlValue(el);
  const text = visibleText(el);
  if (text) return text;
  const control = el.querySelector(CONTROL);
  return control ? controlValue(control) : '';
}

/**
 * Hidden without layout: the `hidden` attribute, aria-hidden, or an inline display/visibility that
 * hides it, on the element or an ancestor up to (not including) `stop`. Works the same in a real
 * page and in happy-dom, where there is no layout to ask.
 */
export function isHidden(el: Element, stop?: Node | null): boolean {
  for (let node: Element | null = el; node && node !== stop; node = node.parentElement) {
    if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return true;
    const style = (node as HTMLElement).style;
    if (style && (style.display === 'none' || style.visibility === 'hidden')) return true;
  }
  return false;
}

/** The mapping of one CRM, empty when the rule set maps nothing for it. */
export function crmMapping(mappings: FieldMappings, crm: CrmId): CrmFieldMapping {
  return mappings[crm] ?? {};
}

/** Label → field key, both languages, normalised; the first field to claim a label keeps it. */
export function labelIndex(mapping: CrmFieldMapping): Map<string, string> {
  const index = new Map<string, string>();
  for (const [key, source] of Object.entries(mapping)) {
    for (const label of [...source.labels.ja, ...source.labels.en]) {
      const norm = normalizeLabel(label);
      if (norm && !index.has(norm)) index.set(norm, key);
    }
  }
  return index;
}

/** Code → field key; `fold` lower-cases codes for CRMs whose markers differ in case from API names. */
export function codeIndex(mapping: CrmFieldMapping, fold = false): Map<string, string> {
  const index = new Map<string, string>();
  for (const [key, source] of Object.entries(mapping)) {
    for (const code of source.codes) {
      const norm = fold ? code.toLowerCase() : code;
      if (!index.has(norm)) index.set(norm, key);
    }
  }
  return index;
}

export interface FieldReader {
  /** The element holding a field's value, found by a language-independent code. */
  byCode?: (code: string) => Element | null;
  /** Label/value pairs on the page, for fields whose code marker is missing. */
  pairs?: () => Iterable<{ label: string; value: Element }>;
  /** Reads an element found by code or label (default: fieldValue). */
  read?: (el: Element) => string;
}

/**
 * Reads every mapped field: codes first (stable across languages and renamed labels), then labels
 * in either language. Empty values are left out, so a missing field never looks like a blank one.
 */
export function readFields(mapping: CrmFieldMapping, reader: FieldReader): Record<string, string> {
  const read = reader.read ?? fieldValue;
  const fields: Record<string, string> = {};
  const missing = new Set<string>();
  for (const [key, source] of Object.entries(mapping)) {
    let value = '';
    if (reader.byCode) {
      for (const code of source.codes) {
        const el = reader.byCode(code);
        if (el) value = read(el);
        if (value) break;
      }
    }
    if (value) fields[key] = value;
    else missing.add(key);
  }
  if (missing.size > 0 && reader.pairs) {
    const labels = labelIndex(mapping);
    for (const { label, value } of reader.pairs()) {
      const key = labels.get(normalizeLabel(label));
      if (!key || !missing.has(key)) continue;
      const text = read(value);
      if (!text) continue;
      fields[key] = text;
      missing.delete(key);
      if (missing.size === 0) break;
    }
  }
  return fields;
}

/**
 * Column → field key for list views, resolved once per table from its header cells, so each row
 * costs one lookup per cell.
 */
export function columnKeys(
  mapping: CrmFieldMapping,
  headers: readonly { code?: string | null; label?: string | null }[],
  foldCodes = false,
): (string | undefined)[] {
  const codes = codeIndex(mapping, foldCodes);
  const labels = labelIndex(mapping);
  const taken = new Set<string>();
  return headers.map(({ code, label }) => {
    const byCode = code ? codes.get(foldCodes ? code.toLowerCase() : code) : undefined;
    const key = byCode ?? (label ? labels.get(normalizeLabel(label)) : undefined);
    if (!key || taken.has(key)) return undefined;
    taken.add(key);
    return key;
  });
}

/**
 * A list row's fields: each cell read into the field key of its column (columnKeys), empty values left
 * out. Cells by sibling links, not `row.children[i]`: the collection's indexed access is a slow named
 * lookup in Chromium, paid for every cell of every row (issue 18).
 */
export function rowFields(
  row: Element,
  keys: readonly (string | undefined)[],
  read: (cell: Element) => string = visibleText,
): Record<string, string> {
  const fields: Record<string, string> = {};
  let i = 0;
  for (let cell = row.firstElementChild; cell; cell = cell.nextElementSibling, i++) {
    const field = keys[i];
    if (!field) continue;
    const text = read(cell);
    if (text) fields[field] = text;
  }
  return fields;
}
