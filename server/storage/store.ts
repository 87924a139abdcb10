/**
 * Everything the endpoint keeps, over either backend: tokens, events and the team's lead state, rule
 * versions with their sign-offs, and the webhook outbox. Each write that depends on a check (idempotency,
 * sign-off state) does the check and the write in one transaction.
 */
import type { BusinessCalendar } from '../../lib/calendar/schema';
import type { BatonEvent, RuleVersion } from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import { emptyFacts, foldEvent, foldOutcome } from '../../lib/kpi/facts';
import type { LeadFacts, OutcomeRow } from '../../lib/kpi/types';
import { type CrmId, leadKeyString } from '../../lib/lead';
import type { ApproverSide } from '../../lib/roles';
import { defaultRuleSet } from '../../lib/rules';
import type { Principal, Role } from '../principal';
import { type Database, forUpdate, placeholders, type Sql, type SqlValue } from './db';
import {
  factsFromColumns,
  factsInPeriodSql,
  lockFacts,
  type PeriodRead,
  sameFacts,
  writeFacts,
} from './facts';

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

/** An event already validated and serialised, ready to store. */
export interface PreparedEvent {
  key: string;
  /** sha256 of `body`: a retry must match it to be answered as a replay. */
  hash: string;
  type: string;
  leadKey: string;
  occurredAt: number;
  body: string;
  /** Team-state slot the event competes for (latest occurredAt wins). */
  slot: string;
  /** Escalation steps that reach a manager or marketing go to the webhook outbox. */
  toWebhook: boolean;
  /** The validated event, folded into the lead's facts; parsed from `body` when absent. */
  event?: BatonEvent;
}

/** What an outcome import did: rows read, distinct leads they name, rows that changed nothing. */
export interface OutcomeImport {
  imported: number;
  leads: number;
  unchanged: number;
}

export interface StoredReceipt {
  seq: number;
  recordedAt: number;
}

export interface OutboxItem {
  id: number;
  eventKey: string;
  payload: string;
  attempts: number;
}

/** The same idempotency key arrived with a different body: nothing of the batch was stored. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
  constructor(readonly keys: string[]) {
    super(`idempotency key reused with a different body: ${keys.join(', ')}`);
  }
}

/** A rules write the current state does not allow (unknown version, already signed, not a draft...). */
export class RuleStateError extends Error {
  override name = 'RuleStateError';
  constructor(
    readonly status: 404 | 409,
    readonly code: string,
    readonly text: LocalizedText,
  ) {
    super(text.en);
  }
}

interface VersionRow {
  version: number;
  status: RuleVersion['status'];
  rules?: string;
  note: string | null;
  created_at: number;
  created_by_name: string;
  created_by_role: Role;
  rollback_of: number | null;
  activated_at: number | null;
  activation: RuleVersion['activation'];
}

interface SignoffRow {
  version: number;
  side: ApproverSide;
  signer_name: string;
  signer_role: Role;
  signed_at: number;
  comment: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface ActiveRules {
  version: number;
  activatedAt: number;
  rules: string;
}

export class Store {
  constructor(readonly db: Database) {}

  // ---- settings ----

  /** The stored value, if any. */
  async settingValue(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
  }

  /** The stored value, or `make()` stored first if there is none (first writer wins across instances). */
  async setting(key: string, make: () => string): Promise<string> {
    const found = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    if (found) return found.value;
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      make(),
    ]);
    const stored = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    return stored!.value;
  }

  // ---- tokens ----

  async insertToken(token: TokenRecord & { secretHash: string }): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO tokens (id, name, role, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [token.id, token.name, token.role, token.secretHash, token.createdAt, token.revokedAt],
    );
    return changed === 1;
  }

  async tokenByHash(secretHash: string): Promise<(Principal & { revoked: boolean }) | undefined> {
    const row = await this.db.get<{ id: string; name: string; role: Role; revoked_at: number | null }>(
      'SELECT id, name, role, revoked_at FROM tokens WHERE secret_hash = ?',
      [secretHash],
    );
    return row && { tokenId: row.id, name: row.name, role: row.role, revoked: row.revoked_at !== null };
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    return (await this.listTokens()).find((t) => t.id === id);
  }

  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.db.all<{
      id: string;
      name: string;
      role: Role;
      created_at: number;
      revoked_at: number | null;
    }>('SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY created_at, id');
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  async revokeToken(id: string, now: number): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      [now, id],
    );
    return changed === 1;
  }

  // ---- events ----

  /**
   * Stores the events not seen before and answers every event with its receipt; a key seen before with
   * the same body gets its original receipt, with a different body the whole batch is refused.
   */
  async recordEvents(
    events: readonly PreparedEvent[],
    tokenId: string,
    now: number,
    /** The active rule set's, for the business time to first contact folded into lead_facts. */
    calendar: BusinessCalendar = defaultRuleSet.calendar,
  ): Promise<{ receipts: Map<string, StoredReceipt>; recorded: PreparedEvent[] }> {
    const byKey = new Map<string, PreparedEvent>();
    const conflicts = new Set<string>();
    for (const event of events) {
      const seen = byKey.get(event.key);
      if (seen && seen.hash !== event.hash) conflicts.add(event.key);
      byKey.set(event.key, seen ?? event);
    }
    if (conflicts.size > 0) throw new IdempotencyConflictError([...conflicts]);
    // One lock order for every transaction (by key), so concurrent batches cannot deadlock on PostgreSQL.
    const unique = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    return this.db.transaction(async (tx) => {
      const params: SqlValue[] = [];
      for (const e of unique) {
        params.push(e.key, e.hash, e.type, e.leadKey, e.occurredAt, now, tokenId, e.body);
      }
      const inserted = await tx.all<{ seq: number; idempotency_key: string }>(
        `INSERT INTO events (idempotency_key, body_hash, type, lead_key, occurred_at, recorded_at, token_id, body)
         VALUES ${rows(unique.length, 8)}
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING seq, idempotency_key`,
        params,
      );
      const receipts = new Map<string, StoredReceipt>();
      for (const row of inserted)
        receipts.set(row.idempotency_key, { seq: Number(row.seq), recordedAt: now });

      const replayed = unique.filter((e) => !receipts.has(e.key));
      if (replayed.length > 0) {
        const stored = await tx.all<{
          idempotency_key: string;
          body_hash: string;
          seq: number;
          recorded_at: number;
        }>(
          `SELECT idempotency_key, body_hash, seq, recorded_at FROM events
           WHERE idempotency_key IN (${placeholders(replayed.length)})`,
          replayed.map((e) => e.key),
        );
        const storedByKey = new Map(stored.map((r) => [r.idempotency_key, r]));
        const differing = replayed
          .filter((e) => storedByKey.get(e.key)?.body_hash !== e.hash)
          .map((e) => e.key);
        if (differing.length > 0) throw new IdempotencyConflictError(differing);
        for (const e of replayed) {
          const row = storedByKey.get(e.key)!;
          receipts.set(e.key, { seq: Number(row.seq), recordedAt: Number(row.recorded_at) });
        }
      }

      const replayedKeys = new Set(replayed.map((e) => e.key));
      const recorded = unique.filter((e) => !replayedKeys.has(e.key));
      await this.advanceLeadState(tx, recorded, receipts);
      await this.foldFacts(tx, recorded, calendar);
      const toWebhook = recorded.filter((e) => e.toWebhook);
      if (toWebhook.length > 0) {
        await tx.run(
          `INSERT INTO webhook_outbox (event_key, payload, created_at, next_attempt_at) VALUES ${rows(toWebhook.length, 4)}
           ON CONFLICT (event_key) DO NOTHING`,
          toWebhook.flatMap((e) => [e.key, e.body, now, now]),
        );
      }
      return { receipts, recorded };
    });
  }

  /** Keeps, per lead and slot, the event with the latest occurredAt (ties: the later arrival). */
  private async advanceLeadState(
    tx: Sql,
    recorded: readonly PreparedEvent[],
    receipts: Map<string, StoredReceipt>,
  ): Promise<void> {
    if (recorded.length === 0) return;
    // PostgreSQL refuses to update one row twice in one upsert, so the batch is reduced first.
    const latest = new Map<string, { event: PreparedEvent; seq: number }>();
    for (const event of recorded) {
      const seq = receipts.get(event.key)!.seq;
      const id = `${event.leadKey}\u0000${event.slot}`;
      const held = latest.get(id);
      if (
        !held ||
        event.occurredAt > held.event.occurredAt ||
        (event.occurredAt === held.event.occurredAt && seq > held.seq)
      ) {
        latest.set(id, { event, seq });
      }
    }
    const ordered = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    await tx.run(
      `INSERT INTO lead_state (lead_key, slot, occurred_at, seq, body) VALUES ${rows(ordered.length, 5)}
       ON CONFLICT (lead_key, slot) DO UPDATE
         SET occurred_at = excluded.occurred_at, seq = excluded.seq, body = excluded.body
         WHERE excluded.occurred_at > lead_state.occurred_at
            OR (excluded.occurred_at = lead_state.occurred_at AND excluded.seq > lead_state.seq)`,
      ordered.flatMap(({ event, seq }) => [event.leadKey, event.slot, event.occurredAt, seq, event.body]),
    );
  }

  /** Folds newly stored events into their leads' facts (replays were folded when first stored). */
  private async foldFacts(
    tx: Sql,
    recorded: readonly PreparedEvent[],
    calendar: BusinessCalendar,
  ): Promise<void> {
    if (recorded.length === 0) return;
    // In the order things happened, as a browser would have seen them.
    const events = recorded
      .map((e) => ({
        key: e.leadKey,
        at: e.occurredAt,
        event: e.event ?? (JSON.parse(e.body) as BatonEvent),
      }))
      .sort((a, b) => a.at - b.at);
    const leads = new Map<string, CrmId>();
    for (const { key, event } of events) leads.set(key, event.lead.crm);
    const held = await lockFacts(tx, this.db.dialect, leads);
    const changed = new Map<string, LeadFacts>();
    for (const { key, event } of events) {
      const current = changed.get(key) ?? held.get(key);
      const next = foldEvent(current, event, calendar);
      // Events that change nothing (a stage other than converted, a replayed contact) write nothing: the
      // fold hands back the same row, or for a lead never seen a row as empty as none.
      if (next === current) continue;
      if (current === undefined && sameFacts(next, emptyFacts(key, event.lead.crm))) continue;
      changed.set(key, next);
    }
    if (changed.size > 0) await writeFacts(tx, [...changed.values()]);
  }

  /**
   * Folds imported outcomes into lead_facts in one transaction. Facts keep the earliest time of each
   * outcome, so importing the same file again changes nothing and counts every row as unchanged.
   */
  async importOutcomes(rows: readonly OutcomeRow[], calendar: BusinessCalendar): Promise<OutcomeImport> {
    const leads = new Map<string, CrmId>();
    for (const row of rows) leads.set(row.leadKey, row.crm);
    return this.db.transaction(async (tx) => {
      const held = await lockFacts(tx, this.db.dialect, leads);
      const changed = new Map<string, LeadFacts>();
      let unchanged = 0;
      for (const row of rows) {
        const before = changed.get(row.leadKey) ?? held.get(row.leadKey) ?? emptyFacts(row.leadKey, row.crm);
        const after = foldOutcome(before, row, calendar);
        if (sameFacts(before, after)) unchanged++;
        else changed.set(row.leadKey, after);
      }
      await writeFacts(tx, [...changed.values()]);
      return { imported: rows.length, leads: leads.size, unchanged };
    });
  }

  /**
   * Facts of the leads handed over in [from, to) (epoch ms), with the fields `read` names (facts.ts).
   */
  async factsInPeriod(from: number, to: number, read: PeriodRead = 'report'): Promise<LeadFacts[]> {
    const sql = factsInPeriodSql(this.db.dialect, read);
    // PostgreSQL spends its time turning values into text, one core per query: the period split over two
    // connections reading one snapshot takes about half as long (measured on 250,000 rows, 2 cores).
    return this.db.snapshotReads(2, async (readers) => {
      const cuts = readers.map((_, i) => Math.floor(from + ((to - from) * i) / readers.length));
      cuts.push(to);
      const parts = await Promise.all(
        readers.map(async (reader, i) =>
          factsFromColumns(read, (await reader.rows(sql, [cuts[i]!, cuts[i + 1]!]))[0]!),
        ),
      );
      return parts.flat();
    });
  }

  /**
   * Builds lead_facts from the stored events when the table is empty but events exist (a database from
   * before lead_facts). Runs in one transaction; on PostgreSQL instances starting together take turns,
   * and the second finds the table filled.
   */
  async backfillFacts(calendar: BusinessCalendar, pageSize = 5000): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(7305417)');
      if (await tx.get('SELECT lead_key FROM lead_facts LIMIT 1')) return 0;
      const facts = new Map<string, LeadFacts>();
      let after = 0;
      for (;;) {
        const page = await tx.rows(
          'SELECT seq, occurred_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
          [after, pageSize],
        );
        if (page.length === 0) break;
        after = Number(page.at(-1)![0]);
        // Each page in the order things happened, as ingest folds each batch.
        page.sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[0]) - Number(b[0]));
        for (const [, , body] of page) {
          const event = JSON.parse(body as string) as BatonEvent;
          const key = leadKeyOf(event);
          facts.set(key, foldEvent(facts.get(key), event, calendar));
        }
      }
      await writeFacts(tx, [...facts.values()]);
      return facts.size;
    });
  }

  /** Stored event bodies by lead key and slot, for the keys asked. */
  async leadState(leadKeys: readonly string[]): Promise<Map<string, Map<string, string>>> {
    const unique = [...new Set(leadKeys)];
    // "IN ()" is a syntax error on PostgreSQL (SQLite takes it): no keys, nothing to read.
    if (unique.length === 0) return new Map();
    const found = await this.db.all<{ lead_key: string; slot: string; body: string }>(
      `SELECT lead_key, slot, body FROM lead_state WHERE lead_key IN (${placeholders(unique.length)})`,
      unique,
    );
    const state = new Map<string, Map<string, string>>();
    for (const row of found) {
      const slots = state.get(row.lead_key) ?? new Map<string, string>();
      slots.set(row.slot, row.body);
      state.set(row.lead_key, slots);
    }
    return state;
  }

  async eventCount(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
    return Number(row?.n ?? 0);
  }

  // ---- rules ----

  async activeVersionNumber(): Promise<number | null> {
    const row = await this.db.get<{ active_version: number | null }>(
      'SELECT active_version FROM rules_head WHERE id = 1',
    );
    return row?.active_version == null ? null : Number(row.active_version);
  }

  async activeRules(): Promise<ActiveRules | undefined> {
    const row = await this.db.get<{ version: number; activated_at: number; rules: string }>(
      "SELECT version, activated_at, rules FROM rule_versions WHERE status = 'active'",
    );
    return row && { version: Number(row.version), activatedAt: Number(row.activated_at), rules: row.rules };
  }

  /** The stored rule set JSON of a version, without its sign-offs. */
  async rulesOf(version: number): Promise<string | undefined> {
    const row = await this.db.get<{ rules: string }>('SELECT rules FROM rule_versions WHERE version = ?', [
      version,
    ]);
    return row?.rules;
  }

  async ruleVersion(version: number): Promise<RuleVersion | undefined> {
    const row = await this.db.get<VersionRow>(
      `SELECT version, status, rules, note, created_at, created_by_name, created_by_role, rollback_of,
              activated_at, activation
       FROM rule_versions WHERE version = ?`,
      [version],
    );
    if (!row) return undefined;
    const signoffs = await this.db.all<SignoffRow>(
      'SELECT version, side, signer_name, signer_role, signed_at, comment FROM rule_signoffs WHERE version = ? ORDER BY signed_at',
      [version],
    );
    return toRuleVersion(row, signoffs);
  }

  /** Every version, newest first, without the rules themselves. */
  async ruleHistory(): Promise<RuleVersion[]> {
    const versions = await this.db.all<VersionRow>(
      `SELECT version, status, note, created_at, created_by_name, created_by_role, rollback_of, activated_at, activation
       FROM rule_versions ORDER BY version DESC`,
    );
    const signoffs = await this.db.all<SignoffRow>(
      'SELECT version, side, signer_name, signer_role, signed_at, comment FROM rule_signoffs ORDER BY signed_at',
    );
    return versions.map((v) =>
      toRuleVersion(
        v,
        signoffs.filter((s) => Number(s.version) === Number(v.version)),
      ),
    );
  }

  /**
   * A new draft. `render` writes the rules for the version number the database hands out, so the rule set
   * can carry its own version (browsers keep the highest they have seen).
   */
  async createDraft(render: (version: number) => string, note: string | null, by: Principal, now: number) {
    return this.db.transaction((tx) => this.insertVersion(tx, render, note, by, now, null));
  }

  private async insertVersion(
    tx: Sql,
    render: (version: number) => string,
    note: string | null,
    by: Principal,
    now: number,
    rollbackOf: number | null,
  ): Promise<number> {
    const row = await tx.get<{ version: number }>(
      `INSERT INTO rule_versions (status, rules, note, created_at, created_by_token, created_by_name, created_by_role, rollback_of)
       VALUES ('draft', '', ?, ?, ?, ?, ?, ?) RETURNING version`,
      [note, now, by.tokenId, by.name, by.role, rollbackOf],
    );
    const version = Number(row!.version);
    await tx.run('UPDATE rule_versions SET rules = ? WHERE version = ?', [render(version), version]);
    return version;
  }

  /** Records one side's sign-off; the second side's sign-off activates the version. */
  async signOff(
    version: number,
    side: ApproverSide,
    by: Principal,
    comment: string | null,
    now: number,
  ): Promise<{ activated: boolean }> {
    return this.db.transaction(async (tx) => {
      await this.lockRules(tx);
      const row = await tx.get<{ status: string }>('SELECT status FROM rule_versions WHERE version = ?', [
        version,
      ]);
      if (!row) throw versionNotFound(version);
      if (row.status !== 'draft') {
        throw new RuleStateError(409, 'not_a_draft', {
          ja: `バージョン ${version} は下書きではないため承認できません（状態: ${row.status}）`,
          en: `Version ${version} is not a draft and cannot be signed off (status: ${row.status})`,
        });
      }
      const signed = await tx.get('SELECT side FROM rule_signoffs WHERE version = ? AND side = ?', [
        version,
        side,
      ]);
      if (signed) {
        throw new RuleStateError(409, 'already_signed', {
          ja: `バージョン ${version} は${side === 'marketing' ? 'マーケティング' : '営業'}側で承認済みです`,
          en: `Version ${version} is already signed off by ${side}`,
        });
      }
      await tx.run(
        `INSERT INTO rule_signoffs (version, side, token_id, signer_name, signer_role, signed_at, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [version, side, by.tokenId, by.name, by.role, now, comment],
      );
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM rule_signoffs WHERE version = ?', [
        version,
      ]);
      if (Number(count?.n) < 2) return { activated: false };
      await this.activate(tx, version, 'signoffs', now);
      return { activated: true };
    });
  }

  /**
   * A new version carrying `rules` (an earlier version's, validated by the caller); an admin's rollback is
   * active at once, anyone else's waits for both sign-offs.
   */
  async rollback(
    toVersion: number,
    render: (version: number) => string,
    note: string | null,
    by: Principal,
    now: number,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const activeVersion = await this.lockRules(tx);
      const target = await tx.get<{ activated_at: number | null }>(
        'SELECT activated_at FROM rule_versions WHERE version = ?',
        [toVersion],
      );
      if (!target) throw versionNotFound(toVersion);
      if (target.activated_at === null) {
        throw new RuleStateError(409, 'never_active', {
          ja: `バージョン ${toVersion} は一度も有効になっていないため、戻す先にできません`,
          en: `Version ${toVersion} was never active, so it cannot be rolled back to`,
        });
      }
      if (activeVersion === toVersion) {
        throw new RuleStateError(409, 'already_active', {
          ja: `バージョン ${toVersion} は現在有効です`,
          en: `Version ${toVersion} is the active version already`,
        });
      }
      const version = await this.insertVersion(tx, render, note, by, now, toVersion);
      if (by.role === 'admin') await this.activate(tx, version, 'admin', now);
      return version;
    });
  }

  /** The first rule set of a fresh installation, active without sign-offs; does nothing if any version exists. */
  async seedRules(render: (version: number) => string, now: number): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      await this.lockRules(tx);
      const any = await tx.get('SELECT version FROM rule_versions LIMIT 1');
      if (any) return null;
      const seeder: Principal = { tokenId: 'seed', name: 'Baton', role: 'admin' };
      const version = await this.insertVersion(
        tx,
        render,
        'Default rule set / 既定のルール',
        seeder,
        now,
        null,
      );
      await this.activate(tx, version, 'seed', now);
      return version;
    });
  }

  /** Locks the one head row every rules write goes through; returns the active version. */
  private async lockRules(tx: Sql): Promise<number | null> {
    const head = await tx.get<{ active_version: number | null }>(
      `SELECT active_version FROM rules_head WHERE id = 1${forUpdate(this.db.dialect)}`,
    );
    return head?.active_version == null ? null : Number(head.active_version);
  }

  private async activate(tx: Sql, version: number, how: 'signoffs' | 'admin' | 'seed', now: number) {
    await tx.run("UPDATE rule_versions SET status = 'retired' WHERE status = 'active'");
    // An older draft was written against rules that are no longer current: it must be redrafted.
    await tx.run("UPDATE rule_versions SET status = 'superseded' WHERE status = 'draft' AND version < ?", [
      version,
    ]);
    await tx.run(
      "UPDATE rule_versions SET status = 'active', activated_at = ?, activation = ? WHERE version = ?",
      [now, how, version],
    );
    await tx.run('UPDATE rules_head SET active_version = ?, changed_at = ? WHERE id = 1', [version, now]);
  }

  // ---- webhook outbox ----

  /** Leases up to `limit` due deliveries to this instance; a crashed instance's lease runs out. */
  async claimDeliveries(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
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

  async outboxCounts(): Promise<{ pending: number; delivered: number; failed: number }> {
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

function leadKeyOf(event: BatonEvent): string {
  return leadKeyString(event.lead);
}

/** "(?, ?), (?, ?)" for a multi-row VALUES list. */
function rows(count: number, width: number): string {
  const one = `(${placeholders(width)})`;
  return Array.from({ length: count }, () => one).join(', ');
}

/** 404 for a rule version that does not exist, in both languages; every route says it this way. */
export function versionNotFound(version: number): RuleStateError {
  return new RuleStateError(404, 'version_not_found', {
    ja: `ルールのバージョン ${version} は存在しません`,
    en: `Rule version ${version} does not exist`,
  });
}

function toRuleVersion(row: VersionRow, signoffs: SignoffRow[]): RuleVersion {
  const version: RuleVersion = {
    version: Number(row.version),
    status: row.status,
    note: row.note,
    createdAt: iso(Number(row.created_at)),
    createdBy: { name: row.created_by_name, role: row.created_by_role },
    rollbackOf: row.rollback_of === null ? null : Number(row.rollback_of),
    signoffs: signoffs.map((s) => ({
      side: s.side,
      by: { name: s.signer_name, role: s.signer_role },
      at: iso(Number(s.signed_at)),
      comment: s.comment,
    })),
    activatedAt: row.activated_at === null ? null : iso(Number(row.activated_at)),
    activation: row.activation,
  };
  if (row.rules !== undefined) version.rules = JSON.parse(row.rules);
  return version;
}
