import type { ReadHealth } from '../lib/crm/health';
import type { Metrics } from './metrics';
import type { Database } from './storage/db';

/**
 * The endpoint's store of CRM read health (issue 15): each browser's daily totals per CRM and page
 * kind, replaced on every report (a retried report never counts twice), summed across browsers when
 * read. Counts only: the table has no column a field value or record id could go in.
 */
export class ReadHealthStore {
  constructor(private readonly db: Database) {}

  /** Replaces the browser's totals; returns by how much each bucket grew (for the metrics). */
  async report(
    tokenId: string,
    reporter: string,
    counts: readonly ReadHealth[],
    now: number,
  ): Promise<ReadHealth[]> {
    return this.db.transaction(async (tx) => {
      const grown: ReadHealth[] = [];
      for (const c of counts) {
        const before = await tx.get<Record<string, number | string>>(
          `SELECT pages, nothing_read, selector, hook, label FROM read_health
           WHERE token_id = ? AND reporter = ? AND day = ? AND crm = ? AND page_kind = ?`,
          [tokenId, reporter, c.day, c.crm, c.pageKind],
        );
        const was = (k: string) => Number(before?.[k] ?? 0);
        // A browser's totals only grow; a smaller number (a cleared profile) keeps what was counted.
        const next = {
          pages: Math.max(c.pages, was('pages')),
          nothing_read: Math.max(c.nothingRead, was('nothing_read')),
          selector: Math.max(c.selector, was('selector')),
          hook: Math.max(c.hook, was('hook')),
          label: Math.max(c.label, was('label')),
        };
        await tx.run(
          `INSERT INTO read_health (token_id, reporter, day, crm, page_kind, pages, nothing_read, selector, hook, label, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (token_id, reporter, day, crm, page_kind) DO UPDATE SET
             pages = excluded.pages, nothing_read = excluded.nothing_read, selector = excluded.selector,
             hook = excluded.hook, label = excluded.label, updated_at = excluded.updated_at`,
          [
            tokenId,
            reporter,
            c.day,
            c.crm,
            c.pageKind,
            next.pages,
            next.nothing_read,
            next.selector,
            next.hook,
            next.label,
            now,
          ],
        );
        grown.push({
          day: c.day,
          crm: c.crm,
          pageKind: c.pageKind,
          pages: next.pages - was('pages'),
          nothingRead: next.nothing_read - was('nothing_read'),
          selector: next.selector - was('selector'),
          hook: next.hook - was('hook'),
          label: next.label - was('label'),
        });
      }
      return grown;
    });
  }

  /** Every browser's counts summed per day, CRM and page kind, from `since` on, oldest day first. */
  async counts(since: string): Promise<ReadHealth[]> {
    const rows = await this.db.all<Record<string, string | number>>(
      `SELECT day, crm, page_kind, SUM(pages) AS pages, SUM(nothing_read) AS nothing_read,
              SUM(selector) AS selector, SUM(hook) AS hook, SUM(label) AS label
       FROM read_health WHERE day >= ? GROUP BY day, crm, page_kind ORDER BY day, crm, page_kind`,
      [since],
    );
    return rows.map((r) => ({
      day: String(r.day),
      crm: String(r.crm) as ReadHealth['crm'],
      pageKind: String(r.page_kind) as ReadHealth['pageKind'],
      pages: Number(r.pages),
      nothingRead: Number(r.nothing_read),
      selector: Number(r.selector),
      hook: Number(r.hook),
      label: Number(r.label),
    }));
  }
}

/** Adds what a report grew by to the Prometheus counters (per instance; Prometheus sums instances). */
export function countReadHealth(metrics: Metrics, grown: readonly ReadHealth[]): void {
  for (const g of grown) {
    const labels = { crm: g.crm, page_kind: g.pageKind };
    if (g.pages > 0) metrics.crmPages.inc({ ...labels, result: 'recognised' }, g.pages);
    if (g.nothingRead > 0) metrics.crmPages.inc({ ...labels, result: 'nothing_read' }, g.nothingRead);
    for (const tier of ['selector', 'hook', 'label'] as const) {
      if (g[tier] > 0) metrics.crmFieldsRead.inc({ ...labels, tier }, g[tier]);
    }
  }
}
