import type { CrmId, LeadKey, LeadSnapshot, Stage } from '../lead';
import type { CrmDefaults } from './field-source';
import type { FieldMappings } from './mapping';

/** What kind of lead page a URL shows: one lead, or a list of them. */
export type PageKind = 'record' | 'list';

/** One lead row of a list view: where to put its chip, which lead it is, what the row shows. */
export interface ListRow {
  element: Element;
  key: LeadKey;
  fields: Record<string, string>;
}

/**
 * What an adapter cannot know from the page itself. Dates on CRM pages are shown in the user's
 * time zone without an offset, and "Today"/"今日" needs a date: both come from the caller, so
 * lib/ never reads the clock.
 */
export interface ExtractOptions {
  /** Offset of the time zone the CRM displays dates in, in minutes east of UTC (Japan: 540). */
  utcOffsetMinutes?: number;
  /** Epoch ms; resolves relative dates ("Today", "昨日"). Without it, such activities are skipped. */
  now?: number;
  /**
   * The record's region as the adapter's recordScope found it for this read (null: not rendered yet).
   * readRecord passes it so extract does not search a heavy page for it a second time.
   */
  scope?: ParentNode | null;
}

/**
 * One CRM: which URLs it handles and how it reads leads off them. Pure: it reads the DOM it is
 * given (text only, never innerHTML) and the URL, and never touches anything else.
 */
export interface CrmAdapter {
  readonly id: CrmId;
  /** The name users know the CRM by, for reports and the options page. */
  readonly name: string;
  /**
   * The manifest match patterns that cover every host `matches` accepts (the content script's matches
   * are derived from these; a registry test checks they cover the adapter's hosts).
   */
  readonly matchPatterns: readonly string[];
  /** Where the CRM shows each standard lead field (codes, then ja/en labels): the built-in mapping. */
  readonly fields: CrmDefaults;
  /** The CRM's standard lead statuses and the stage each means: the built-in status mapping. */
  readonly statuses: Readonly<Record<string, Stage>>;
  /**
   * Where the URL's record is shown, found once per read and passed to `extract` (options.scope) and to the
   * generic fallback reading; null while the page still shows another record (single-page navigation).
   * Default: the whole page.
   */
  recordScope?(root: ParentNode, url: URL): ParentNode | null;
  /** Regions of a record page that show other records (preview panels, related lists, subtables). */
  readonly outside?: readonly string[];
  /** The CRM's standard field labels (ja and en) beyond the mapping's, for reading by label. */
  readonly labels?: Readonly<Record<string, readonly string[]>>;
  /** True only on this CRM's lead pages (record or list), from the URL alone. */
  matches(url: URL): boolean;
  pageKind(url: URL): PageKind | null;
  /** The lead a record URL points at (Salesforce ids in their 18-character form). */
  recordKey(url: URL): LeadKey | null;
  /** CSS selectors by purpose, most stable first; `{code}` stands for a mapped field code. */
  readonly selectors: Readonly<Record<string, readonly string[]>>;
  /**
   * The lead shown on a record page, or null until the visible record is the URL's one (single-page
   * navigation swaps the content after the URL).
   */
  extract(root: ParentNode, url: URL, mapping: FieldMappings, options?: ExtractOptions): LeadSnapshot | null;
  /** The lead rows of a list view, in page order; header, group and non-lead rows are skipped. */
  listRows(root: ParentNode, url: URL, mapping: FieldMappings, options?: ExtractOptions): ListRow[];
}
