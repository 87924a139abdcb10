/**
 * What handoff intake keeps besides its events (which go through EventStore.record like any other):
 * the refused payloads per source, for /metrics' neighbour, the admin's refusal summary.
 */
import type { Problem } from '../../lib/problems';
import { type Database, placeholders } from './db';

export interface StoredEvent {
  key: string;
  seq: number;
  recordedAt: number;
  body: string;
}

export interface RefusalSummary {
  source: string;
  refused: number;
  lastRefusedAt: number;
  /** The problems of the latest refusal (at most 20). */
  lastProblems: Problem[];
}

export class IntakeStore {
  constructor(private readonly db: Database) {}

  /** Stored events by idempotency key: what a redelivered notification is answered from. */
  async eventsByKey(keys: readonly string[]): Promise<Map<string, StoredEvent>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.all<{
      idempotency_key: string;
      seq: number;
      recorded_at: number;
      body: string;
    }>(
      `SELECT idempotency_key, seq, recorded_at, body FROM events WHERE idempotency_key IN (${placeholders(keys.length)})`,
      keys,
    );
    return new Map(
      rows.map((r) => [
        r.idempotency_key,
        { key: r.idempotency_key, seq: Number(r.seq), recordedAt: Number(r.recorded_at), body: r.body },
      ]),
    );
  }

  /**
   * Leads handed over to one of `owners` (as the CRM names the owner: a name, or an id such as HubSpot's
   * owner id) and not yet contacted, soonest due first: a rep's queue of leads nobody opened.
   */
  async openHandoffs(owners: readonly string[], limit: number): Promise<string[]> {
    if (owners.length === 0) return [];
    const rows = await this.db.all<{ lead_key: string }>(
      `SELECT lead_key FROM lead_facts
       WHERE owner IN (${placeholders(owners.length)}) AND handoff_at IS NOT NULL AND first_contact_at IS NULL
       ORDER BY due_at, lead_key LIMIT ?`,
      [...owners, limit],
    );
    return rows.map((r) => r.lead_key);
  }

  async recordRefusal(source: string, at: number, problems: readonly Problem[]): Promise<void> {
    await this.db.run('INSERT INTO intake_refusals (source, refused_at, problems) VALUES (?, ?, ?)', [
      source,
      at,
      JSON.stringify(problems.slice(0, 20)),
    ]);
  }

  /** Refusals since `since` (epoch ms), per source, with the latest one's problems. */
  async refusalsSince(since: number): Promise<RefusalSummary[]> {
    const counts = await this.db.all<{ source: string; n: number; last: number }>(
      `SELECT source, COUNT(*) AS n, MAX(refused_at) AS last FROM intake_refusals
       WHERE refused_at >= ? GROUP BY source ORDER BY source`,
      [since],
    );
    const summaries: RefusalSummary[] = [];
    for (const row of counts) {
      const latest = await this.db.get<{ problems: string }>(
        `SELECT problems FROM intake_refusals WHERE source = ? AND refused_at >= ?
         ORDER BY refused_at DESC, id DESC LIMIT 1`,
        [row.source, since],
      );
      summaries.push({
        source: row.source,
        refused: Number(row.n),
        lastRefusedAt: Number(row.last),
        lastProblems: latest ? (JSON.parse(latest.problems) as Problem[]) : [],
      });
    }
    return summaries;
  }
}
