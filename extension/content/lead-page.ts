import type { PageRead } from '../../lib/crm/health';
import { readList, readRecord, tierCounts } from '../../lib/crm/page';
import { unreadReport } from '../../lib/crm/report';
import type { CrmAdapter } from '../../lib/crm/types';
import type { Lang } from '../../lib/i18n';
import type { LeadKey, LeadSnapshot } from '../../lib/lead';
import { leadKeyString } from '../../lib/lead-key';
import type { Answers, PageConfig, QueueItem } from '../../lib/messaging';
import { clearStaleDock, dock } from './dom';
import { createListBanner, type ListBanner } from './list-banner';
import { onMutations } from './observe';
import { createOverlay, type Overlay, type PanelActions } from './overlay';
import { createTicker } from './ticker';
import { createUnreadPanel, type UnreadPanel } from './unread-panel';

/**
 * How long a recognised page may show nothing readable before Baton says so: CRMs render records
 * after the URL changes, and "could not read" must not flash on every navigation. Wall time
 * (performance.now), not the business clock.
 */
export const UNREAD_GRACE_MS = 1500;

export interface PageDeps {
  /** The CRM this script reads: each CRM's script carries its adapter alone. */
  adapter: CrmAdapter;
  lang: Lang;
  now: () => number;
  config(crm: CrmAdapter['id']): Promise<PageConfig>;
  /** `read`: the page's counts for the health report, the first time this page is shown. */
  seen(snapshot: LeadSnapshot, read?: PageRead): Promise<Answers['lead.seen']>;
  /** `read`: the list's counts for the health report, the first time this list is shown. */
  listed(snapshots: LeadSnapshot[], read?: PageRead): Promise<Answers['leads.listed']>;
  /** What the record panel offers the rep ("contacted", feedback); none: a read-only panel. */
  actions?: Omit<PanelActions, 'now'>;
  /** Calls back when the worker says what pages show changed (new rules, the team's news). */
  onStale?(listener: () => void, signal: AbortSignal): void;
  /** What the team state knows of the lead a URL points at, for a record whose fields cannot be read. */
  known?(url: string): Promise<QueueItem | null>;
  /** Copies the report of an unreadable page (a user gesture starts it). */
  copy?(text: string): Promise<void>;
  /** Baton's version, named in reports. */
  version?: string;
  /** Counts of one recognised page's reading (once per page shown), for the health report. */
  health?(read: PageRead): void;
  graceMs?: number;
}

/**
 * Keeps the overlays of one CRM tab in step with what it shows: a panel on a lead record, a chip on
 * each lead row of a list, through single-page navigation, late rendering and virtualised rows. Work
 * happens only after DOM mutations on a page an adapter claims; everything else is a URL check.
 */
export function watchLeadPage(deps: PageDeps, signal: AbortSignal): void {
  clearStaleDock();
  const ticker = createTicker(deps.now);
  signal.addEventListener('abort', () => ticker.stop(), { once: true });
  /** The page config of this script's one CRM, asked once and kept until the worker says it is stale. */
  let pageConfig: Promise<PageConfig> | null = null;
  const configOfThisCrm = () => {
    if (!pageConfig) {
      const asked = deps.config(deps.adapter.id);
      // A worker waking up or an extension reload fails the ask: forget it, so the next mutation asks again.
      asked.catch(() => {
        if (pageConfig === asked) pageConfig = null;
      });
      pageConfig = asked;
    }
    return pageConfig;
  };

  let panel: { overlay: Overlay; key: string; signature: string } | null = null;
  let unread: { panel: UnreadPanel; key: string } | null = null;
  let banner: ListBanner | null = null;
  const grace = deps.graceMs ?? UNREAD_GRACE_MS;
  /** Since when (performance.now) each recognised page has shown nothing readable. */
  const blankSince = new Map<string, number>();
  /** Pages already counted for the health report, so re-renders of one page count once. */
  const counted = new Set<string>();
  /**
   * A page's counts the first time it is shown, for the caller to send (with the worker's ask it makes
   * anyway, or alone); undefined after that, or with no health report. Counted once, whatever the
   * answer: a page is counted as shown, not as answered.
   */
  const firstCount = (page: string, read: () => PageRead): PageRead | undefined => {
    if (!deps.health || counted.has(page)) return undefined;
    counted.add(page);
    return read();
  };
  const count = (page: string, read: () => PageRead) => {
    const first = firstCount(page, read);
    if (first) deps.health?.(first);
  };
  /** True once `page` has shown nothing for the grace period; schedules the re-check that says so. */
  const blankLongEnough = (page: string): boolean => {
    const since = blankSince.get(page);
    if (since === undefined) {
      blankSince.set(page, performance.now());
      // The listener goes with its timer: a long-lived tab sees many blank pages, one listener each.
      const cancel = () => clearTimeout(timer);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', cancel);
        schedule();
      }, grace + 20);
      signal.addEventListener('abort', cancel, { once: true });
      return false;
    }
    return performance.now() - since >= grace;
  };
  /** Chips by row element: a virtualised list reuses rows for other leads, so the key is rechecked. */
  const chips = new Map<Element, { overlay: Overlay; key: string; signature: string }>();
  let pending = false;
  /**
   * Stale notices so far. An update that waited for the worker while a notice came in keeps no signature
   * (below): its answer was made under the old rules, and the update the notice scheduled must ask again.
   */
  let staleness = 0;

  const clearPanel = () => {
    if (panel) {
      ticker.delete(panel.overlay);
      panel.overlay.remove();
      panel = null;
    }
    unread?.panel.remove();
    unread = null;
  };
  const clearBanner = () => {
    banner?.remove();
    banner = null;
  };
  const clearChips = (keep: Set<Element> = new Set()) => {
    for (const [row, chip] of chips) {
      if (keep.has(row) && row.isConnected) continue;
      ticker.delete(chip.overlay);
      chip.overlay.remove();
      chips.delete(row);
    }
  };

  const update = async () => {
    // Marked only by an update that goes on to read (below): one that finds nothing new would otherwise
    // mark after the last read and leave the split's marks out of order.
    const started = import.meta.env.MODE === 'e2e' ? performance.now() : 0;
    const asOf = staleness;
    const current = (signature: string) => (asOf === staleness ? signature : '');
    const url = new URL(location.href);
    const adapter = deps.adapter.matches(url) ? deps.adapter : null;
    const kind = adapter?.pageKind(url) ?? null;
    if (!adapter || !kind) {
      clearPanel();
      clearChips();
      clearBanner();
      return;
    }
    const config = await configOfThisCrm();
    if (signal.aborted) return;
    const options = { utcOffsetMinutes: config.utcOffsetMinutes, now: deps.now() };
    const mapping = { [adapter.id]: config.mapping };

    if (kind === 'record') {
      clearChips();
      clearBanner();
      const read = readRecord(adapter, document, url, mapping, options, config.pageMap);
      if (!read) {
        clearPanel();
        return;
      }
      const wanted = leadKeyString(read.key);
      const snapshot = read.snapshot;
      if (!snapshot) {
        // The URL moved on but the new record is not rendered yet: the old panel must not linger.
        if (panel && panel.key !== wanted) clearPanel();
        if (unread && unread.key !== wanted) clearPanel();
        if (unread) dock(unread.panel.host);
        if (panel || unread || !blankLongEnough(wanted)) return;
        const known = await (deps.known?.(url.href) ?? Promise.resolve(null)).catch(() => null);
        if (signal.aborted || unread || panel || keyOf(adapter.recordKey(new URL(location.href))) !== wanted)
          return;
        const tiers = tierCounts(read.tiers);
        const shown = createUnreadPanel(
          deps.lang,
          () =>
            unreadReport({
              crmName: adapter.name,
              pageKind: 'record',
              url,
              tiers,
              extensionVersion: deps.version ?? '',
              lang: deps.lang,
            }),
          deps.copy ?? (() => Promise.reject(new Error('no clipboard'))),
        );
        unread = { panel: shown, key: wanted };
        dock(shown.host);
        shown.show(read.key, known, deps.now());
        count(`record|${wanted}`, () => ({
          crm: adapter.id,
          pageKind: 'record',
          ...tiers,
          nothingRead: true,
        }));
        return;
      }
      blankSince.delete(wanted);
      if (unread) clearPanel();
      const key = leadKeyString(snapshot);
      const signature = JSON.stringify([snapshot.fields, snapshot.activities]);
      if (panel && panel.key === key && panel.signature === signature && panel.overlay.host.isConnected)
        return;
      if (panel?.key !== key) clearPanel();
      timing('baton:update', started);
      timing('baton:read');
      const page = `record|${key}`;
      const health = firstCount(page, () => ({
        crm: adapter.id,
        pageKind: 'record',
        ...tierCounts(read.tiers),
        nothingRead: false,
      }));
      const view = await deps.seen({ ...snapshot, url: url.href }, health);
      timing('baton:seen');
      if (signal.aborted || leadKeyString(view) !== keyOf(adapter.recordKey(new URL(location.href)))) return;
      if (unread) clearPanel();
      if (!panel) {
        const actions = deps.actions ? { ...deps.actions, now: deps.now } : undefined;
        panel = { overlay: createOverlay('panel', deps.lang, actions), key, signature: current(signature) };
        ticker.add(panel.overlay);
      }
      panel.signature = current(signature);
      // A new panel is drawn before it is docked, for the reason chips are (below).
      panel.overlay.show(view, deps.now());
      dock(panel.overlay.host);
      timing('baton:shown');
      return;
    }

    clearPanel();
    const { rows, tier } = readList(adapter, document, url, mapping, options, config.pageMap);
    const list = `list|${url.host}${url.pathname}${url.search}`;
    if (rows.length === 0) {
      clearChips();
      if (!banner && blankLongEnough(list)) {
        banner = createListBanner(deps.lang, adapter.id);
        count(list, () => ({
          crm: adapter.id,
          pageKind: 'list',
          selector: 0,
          hook: 0,
          label: 0,
          nothingRead: true,
        }));
      }
      return;
    }
    blankSince.delete(list);
    clearBanner();
    const health = tier
      ? firstCount(list, () => ({
          crm: adapter.id,
          pageKind: 'list',
          selector: 0,
          hook: 0,
          label: 0,
          [tier]: rows.length,
          nothingRead: false,
        }))
      : undefined;
    clearChips(new Set(rows.map((r) => r.element)));
    const fresh: { row: (typeof rows)[number]; key: string; signature: string }[] = [];
    for (const row of rows) {
      const chip = chips.get(row.element);
      const key = leadKeyString(row.key);
      const signature = JSON.stringify(row.fields);
      if (!chip || chip.key !== key || chip.signature !== signature) fresh.push({ row, key, signature });
    }
    if (fresh.length === 0) {
      // Rows whose chips are current (a list URL showing the same rows): counted on their own.
      if (health) deps.health?.(health);
      return;
    }
    timing('baton:update', started);
    timing('baton:read');
    const views = await deps.listed(
      fresh.map(({ row }) => ({ ...row.key, fields: row.fields, activities: [] })),
      health,
    );
    timing('baton:seen');
    if (signal.aborted) return;
    const byKey = new Map(views.map((v) => [leadKeyString(v), v]));
    const now = deps.now();
    for (const { row, key, signature } of fresh) {
      const view = byKey.get(key);
      if (!view || !row.element.isConnected) continue;
      let chip = chips.get(row.element);
      if (!chip) {
        chip = { overlay: createOverlay('chip', deps.lang), key: '', signature: '' };
        chips.set(row.element, chip);
        ticker.add(chip.overlay);
      }
      chip.key = key;
      chip.signature = current(signature);
      // Drawn before it is placed: a chip enters the row whole, one insertion instead of a connected
      // element rewritten attribute by attribute (each a style invalidation and a mutation record for
      // every observer the CRM runs).
      chip.overlay.show(view, now);
      placeChip(chip.overlay.host, row.element);
    }
    timing('baton:shown');
  };

  // One update at a time; mutations during an update schedule exactly one more.
  let running = false;
  const schedule = () => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    void update()
      .catch((error: unknown) => console.error('Baton: could not update the overlay', error))
      .finally(() => {
        running = false;
        if (pending && !signal.aborted) {
          pending = false;
          schedule();
        }
      });
  };

  deps.onStale?.(() => {
    // Re-read the mapping and re-evaluate every overlay: the rules in force (or the team's state) changed.
    pageConfig = null;
    staleness += 1;
    // A page that could not be read may be readable now (a new page map or mapping): look again.
    if (unread) clearPanel();
    if (panel) panel.signature = '';
    for (const chip of chips.values()) chip.signature = '';
    schedule();
  }, signal);
  onMutations(schedule, { signal });
  addEventListener('popstate', schedule, { signal });
  schedule();
}

/**
 * A User Timing mark, replacing the previous one of its name (one of each on the timeline, however long the
 * CRM tab stays open): the benchmark splits a record's update into reading the page
 * (baton:update → baton:read), the worker's answer (→ baton:seen) and drawing the panel (→ baton:shown).
 * Test builds only (the bundler drops the rest, MODE being a constant): a page's first four marks cost
 * its main thread 0.1–0.2 ms (measured in a fresh tab of the heavy record page), for a split no user reads.
 */
function timing(name: string, startTime?: number): void {
  if (import.meta.env.MODE !== 'e2e') return;
  performance.clearMarks(name);
  performance.mark(name, startTime === undefined ? undefined : { startTime });
}

function keyOf(key: LeadKey | null): string | null {
  return key ? leadKeyString(key) : null;
}

/** In the row's first cell that is not a checkbox or row-number cell, so the chip sits by the lead's name. */
function placeChip(host: HTMLElement, row: Element): void {
  if (host.parentElement && row.contains(host)) return;
  let fallback: Element | undefined;
  // Sibling links, not row.children: the collection's iterator was a third of placing 200 chips.
  for (let cell = row.firstElementChild; cell; cell = cell.nextElementSibling) {
    const role = cell.getAttribute('role');
    if (cell.tagName !== 'TD' && cell.tagName !== 'TH' && role !== 'gridcell' && role !== 'cell') continue;
    fallback ??= cell;
    if (!cell.querySelector('input[type="checkbox"]') && (cell.textContent ?? '').trim() !== '') {
      cell.append(host);
      return;
    }
  }
  (fallback ?? row).append(host);
}
