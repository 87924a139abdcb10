/**
 * Small named values the endpoint keeps across restarts and instances (the instance id that ETags carry,
 * the demo seed), in the settings table.
 */
import type { Database } from './db';

export class SettingsStore {
  constructor(private readonly db: Database) {}

  /** The stored value, if any. */
  async value(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
  }

  /** The stored value, or `make()` stored first if there is none (first writer wins across instances). */
  async valueOrFirst(key: string, make: () => string): Promise<string> {
    const found = await this.value(key);
    if (found !== undefined) return found;
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      make(),
    ]);
    return (await this.value(key))!;
  }
}
