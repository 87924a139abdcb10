/**
 * The webhook outbox: escalation steps that reach a manager or marketing, written in the transaction
 * that records them (events.ts) and delivered at least once by webhook.ts, leased so that one instance
 * at a time sends each.
 */
import { type Database, forUpdate, type Sql, valueRows } from './db';

export interface OutboxItem {
  id: number;
  eventKey: string;
  payload: string;
  attempts: number;
}

/** Queues deliveries of events recorded in `tx`; an event already queued is not queued again. */
export async function enqueueDeliveries(
  tx: Sql,
  events: readonly { key: string; body: string }[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  await tx.run(
    `INSERT INTO webhook_outbox (event_key, payload, created_at, next_attempt_at) VALUES ${valueRows(events.length, 4)}
     ON CONFLICT (event_key) DO NOTHING`,
    events.flatMap((e) => [e.key, e.body, now, now]),
  );
}

export class OutboxStore {
  constructor(private readonly db: Database) {}

  /** Leases up to `limit` due deliveries to this instance; a crashed instance's lease runs out. */
  async claim(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const rows = await this.db.all<{ id: number; event_key: string; payload: string; attempts: number }>(
      `UPDATE webhook_outbox SET locked_until = ?, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM webhook_outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
           AND (locked_until IS NULL OR locked_until <= ?)
         ORDER BY id LIMIT ?${forUpdate(this.db.dialect, true)}
       )
       RETURNING id, event_key, payload, attempts`,
      [now + leaseMs, now, now, limit],
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        eventKey: r.event_key,
        payload: r.payload,
        attempts: Number(r.attempts),
      }))
      .sort((a, b) => a.id - b.id);
  }

  async markDelivered(id: number, now: number): Promise<void> {
    await this.db.run(
      'UPDATE webhook_outbox SET delivered_at = ?, locked_until = NULL, last_error = NULL WHERE id = ?',
      [now, id],
    );
  }

  async markRetry(id: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.db.run(
      'UPDATE webhook_outbox SET next_attempt_at = ?, locked_until = NULL, last_error = ? WHERE id = ?',
      [nextAttemptAt, error.slice(0, 1000), id],
    );
  }

  async markFailed(id: number, now: number, error: string): Promise<void> {
    await this.db.run(
      'UPDATE webhook_outbox SET failed_at = ?, locked_until = NULL, last_error = ? WHERE id = ?',
      [now, error.slice(0, 1000), id],
    );
  }

  async counts(): Promise<{ pending: number; delivered: number; failed: number }> {
    const row = await this.db.get<{ pending: number; delivered: number; failed: number }>(
      `SELECT
         SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS pending,
         SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
         SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed
       FROM webhook_outbox`,
    );
    return {
      pending: Number(row?.pending ?? 0),
      delivered: Number(row?.delivered ?? 0),
      failed: Number(row?.failed ?? 0),
    };
  }
}
