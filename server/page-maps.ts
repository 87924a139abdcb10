import { type PageMap, type PageMapBody, pageMapSchema } from '../lib/crm/page-map';
import type { Database } from './storage/db';

const KEY = 'page_map';

/**
 * The published page map (issue 15): one versioned document, separate from the rule set so a layout
 * repair ships without a rules sign-off. Kept in the settings table as JSON; each publication numbers it
 * one higher, and its ETag is that number, so browsers fetch it again only when it changed.
 */
export class PageMapStore {
  constructor(private readonly db: Database) {}

  async current(): Promise<PageMap | null> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [KEY]);
    if (!row) return null;
    const parsed = pageMapSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  }

  /** Publishes a validated body as the next version; concurrent publications each get their own number. */
  async publish(body: PageMapBody): Promise<PageMap> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ value: string }>(
        `SELECT value FROM settings WHERE key = ?${this.db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
        [KEY],
      );
      const before = row ? ((JSON.parse(row.value) as { version?: number }).version ?? 0) : 0;
      const next: PageMap = { ...body, version: before + 1 };
      await tx.run(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [KEY, JSON.stringify(next)],
      );
      return next;
    });
  }
}

export function pageMapEtag(map: PageMap): string {
  return `"page-map-${map.version}"`;
}
