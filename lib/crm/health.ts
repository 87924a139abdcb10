import { z } from 'zod';
import { DAY_MS, isoDateOfDay } from '../calendar/zone';
import { crmIdSchema } from '../lead';

export { tierCounts } from './page';

/**
 * How well Baton reads each CRM's pages, as counts only (never a value, an id or a URL): per day, CRM
 * and page kind, how many pages were recognised, how many yielded nothing, and how many fields each
 * reading tier answered. A rising share of "label" or "nothing" is the first sign of a vendor release.
 */
const count = z.number().int().min(0).max(1_000_000_000);

/** One page a content script recognised, as it reports it to the worker. */
export const pageReadSchema = z.object({
  crm: crmIdSchema,
  pageKind: z.enum(['record', 'list']),
  /** Fields (records) or rows (lists) read, by the tier that answered. */
  selector: count,
  hook: count,
  label: count,
  nothingRead: z.boolean(),
});
export type PageRead = z.infer<typeof pageReadSchema>;

/** The counts of one day (in UTC), CRM and page kind. */
export const readHealthSchema = z.object({
  day: z.iso.date(),
  crm: crmIdSchema,
  pageKind: z.enum(['record', 'list']),
  pages: count,
  nothingRead: count,
  selector: count,
  hook: count,
  label: count,
});
export type ReadHealth = z.infer<typeof readHealthSchema>;

export const readHealthBatchSchema = z.array(readHealthSchema).max(2000);

/** The UTC day an epoch-ms instant falls on, as the counts' bucket. */
export function healthDay(at: number): string {
  return isoDateOfDay(Math.floor(at / DAY_MS));
}

export function healthKey(h: Pick<ReadHealth, 'day' | 'crm' | 'pageKind'>): string {
  return `${h.day}|${h.crm}|${h.pageKind}`;
}

/** A page read added to its bucket (or a new bucket). Pure: the caller stores the result. */
export function addPageRead(bucket: ReadHealth | undefined, read: PageRead, day: string): ReadHealth {
  const base = bucket ?? {
    day,
    crm: read.crm,
    pageKind: read.pageKind,
    pages: 0,
    nothingRead: 0,
    selector: 0,
    hook: 0,
    label: 0,
  };
  return {
    ...base,
    pages: base.pages + 1,
    nothingRead: base.nothingRead + (read.nothingRead ? 1 : 0),
    selector: base.selector + read.selector,
    hook: base.hook + read.hook,
    label: base.label + read.label,
  };
}

/** "Zoho record pages: nothing read on 37 of 37 since 2026-12-03", from a CRM's buckets. */
export function healthSummary(
  rows: readonly ReadHealth[],
  names: Readonly<Record<string, string>>,
  lang: 'ja' | 'en',
): string[] {
  const groups = new Map<string, ReadHealth[]>();
  for (const row of rows) {
    const key = `${row.crm}|${row.pageKind}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const first = group.reduce((a, b) => (a.day <= b.day ? a : b));
    const pages = group.reduce((n, r) => n + r.pages, 0);
    const nothing = group.reduce((n, r) => n + r.nothingRead, 0);
    const name = names[first.crm] ?? first.crm;
    if (lang === 'ja') {
      const kind = first.pageKind === 'record' ? 'レコード画面' : '一覧画面';
      return `${name} ${kind}: ${first.day} 以降 ${pages} 件中 ${nothing} 件で読み取れず`;
    }
    return `${name} ${first.pageKind} pages: nothing read on ${nothing} of ${pages} since ${first.day}`;
  });
}

/** What a browser sends the endpoint: its totals so far (a repeat replaces, never adds). */
export const readHealthReportSchema = z.object({
  /** A random id of the browser install, so two browsers of one rep do not overwrite each other. */
  reporter: z.uuid(),
  counts: readHealthBatchSchema.min(1),
});
export type ReadHealthReport = z.infer<typeof readHealthReportSchema>;

export const readHealthQuerySchema = z.object({
  /** First day (UTC) to include; default: 30 days back. */
  since: z.iso.date().optional(),
});

export const readHealthResponseSchema = z.object({ counts: z.array(readHealthSchema) });
