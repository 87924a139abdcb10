/**
 * Events and what is folded from them as they arrive, in the transaction that stores them: the team's
 * lead state (the latest event per lead and slot) and lead_facts (facts.ts), and the webhook outbox for
 * steps beyond the rep (outbox.ts). Each write that depends on a check (idempotency) does the check and
 * the write in one transaction.
 */
import type { BusinessCalendar } from '../../lib/calendar/schema';
import type { BatonEvent } from '../../lib/events';
import { emptyFacts, foldEvent, foldOutcome } from '../../lib/kpi/facts';
import type { LeadFacts, OutcomeRow } from '../../lib/kpi/types';
import type { CountedHandoffs, ReplayRow } from '../../lib/kpi/whatif';
import { type CrmId, leadKeyString } from '../../lib/lead';
import { defaultRuleSet } from '../../lib/rules';
import { type Database, placeholders, prepared, type Sql, type SqlValue, valueRows } from './db';
import {
  byScoreFromColumns,
  draftReadSql,
  draftRowsFrom,
  EMPTY_TIMELINE_JSON,
  factsFromColumns,
  factsInPeriodSql,
  lockFacts,
  type PeriodRead,
  replayByScoreSql,
  replayRowsFromColumns,
  type StoredReplayRow,
  sameFacts,
  writeFacts,
} from './facts';
import {
  draftRecordsSql,
  draftRowsFromRecords,
  kpiPartOf,
  kpiReadSql,
  readsExactly,
  reportRowsOf,
} from './kpi-read';
import { enqueueDeliveries } from './outbox';

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

/** The same idempotency key arrived with a different body: nothing of the batch was stored. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
  constructor(readonly keys: string[]) {
    super(`idempotency key reused with a different body: ${keys.join(', ')}`);
  }
}

/** A batch as one caller asked for it: its events (unique, by key), whose token sent them, and when. */
interface Batch {
  events: readonly PreparedEvent[];
  tokenId: string;
  now: number;
}

type Recorded = { receipts: Map<string, StoredReceipt>; recorded: PreparedEvent[] };

interface Waiting extends Batch {
  calendar: BusinessCalendar;
  resolve: (result: Recorded) => void;
  reject: (error: unknown) => void;
}

/**
 * PostgreSQL transactions of ingest in flight at once; batches arriving meanwhile wait and then share one.
 * A batch costs seven round trips (BEGIN, events, lead state, two for facts, their write, COMMIT) and a
 * commit's WAL flush whatever its size, and under a reconnect burst on a busy machine each round trip
 * waits for a core: a 5k events/s paced load queued to a p99 of 97-290 ms. Two keeps one group's round
 * trips overlapping another's while the next group gathers.
 */
const GROUPS_IN_FLIGHT = 2;
/** Bounds a group's statements (8 parameters an event; PostgreSQL takes 65,535 a statement). */
const GROUP_MAX_EVENTS = 2000;

export class EventStore {
  private waiting: Waiting[] = [];
  /** The keys and leads (leadMark) each group in flight touches. */
  private readonly inFlight: Set<string>[] = [];
  /** Groups of more than one batch committed, for tests and the curious. */
  groupsShared = 0;

  constructor(
    private readonly db: Database,
    /** Batches share transactions: on PostgreSQL (SQLite's Database commits in groups itself). */
    private readonly shareTransactions = db.dialect === 'postgres',
  ) {}

  /**
   * Stores the events not seen before and answers every event with its receipt; a key seen before with
   * the same body gets its original receipt, with a different body the whole batch is refused.
   */
  async record(
    events: readonly PreparedEvent[],
    tokenId: string,
    now: number,
    /** The active rule set's, for the business time to first contact folded into lead_facts. */
    calendar: BusinessCalendar = defaultRuleSet.calendar,
  ): Promise<Recorded> {
    const byKey = new Map<string, PreparedEvent>();
    const conflicts = new Set<string>();
    for (const event of events) {
      const seen = byKey.get(event.key);
      if (seen && seen.hash !== event.hash) conflicts.add(event.key);
      byKey.set(event.key, seen ?? event);
    }
    if (conflicts.size > 0) throw new IdempotencyConflictError([...conflicts]);
    const batch: Batch = { events: [...byKey.values()], tokenId, now };
    if (!this.shareTransactions) {
      return this.db.transaction(async (tx) => (await this.store(tx, [batch], calendar))[0]!);
    }
    return new Promise<Recorded>((resolve, reject) => {
      this.waiting.push({ ...batch, calendar, resolve, reject });
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.inFlight.length < GROUPS_IN_FLIGHT) {
      const group = this.nextGroup();
      if (group.length === 0) return;
      const touched = new Set(group.flatMap((b) => b.events.flatMap((e) => [e.key, leadMark(e)])));
      this.inFlight.push(touched);
      void this.commitGroup(group).finally(() => {
        this.inFlight.splice(this.inFlight.indexOf(touched), 1);
        this.startGroups();
      });
    }
  }

  /**
   * The waiting batches that can share a transaction: the same calendar, and no idempotency key or lead
   * in common with a batch in flight or ahead of them, so the batches touching one lead or key are stored
   * one after the other in the order they came, each lead's state and facts from one batch at a time
   * exactly as without sharing. The rest wait for a later group.
   */
  private nextGroup(): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const blocked = new Set<string>();
    for (const touched of this.inFlight) for (const mark of touched) blocked.add(mark);
    let size = 0;
    for (const batch of this.waiting) {
      const fits =
        (group.length === 0 ||
          (batch.calendar === group[0]!.calendar && size + batch.events.length <= GROUP_MAX_EVENTS)) &&
        batch.events.every((e) => !blocked.has(e.key) && !blocked.has(leadMark(e)));
      for (const e of batch.events) blocked.add(e.key).add(leadMark(e));
      if (!fits) {
        rest.push(batch);
        continue;
      }
      group.push(batch);
      size += batch.events.length;
    }
    this.waiting = rest;
    return group;
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    const alone = async (batch: Waiting) => {
      try {
        batch.resolve(
          await this.db.transaction(async (tx) => (await this.store(tx, [batch], batch.calendar))[0]!),
        );
      } catch (error) {
        batch.reject(error);
      }
    };
    if (group.length === 1) return alone(group[0]!);
    let results: Recorded[];
    try {
      results = await this.db.transaction((tx) => this.store(tx, group, group[0]!.calendar));
    } catch {
      // A conflict or a failure of one batch must not fail the others: each again on its own, so only
      // the batch at fault hears of it (nothing of the group was stored).
      await Promise.all(group.map(alone));
      return;
    }
    this.groupsShared++;
    for (const [i, batch] of group.entries()) batch.resolve(results[i]!);
  }

  /** Stores batches (no key in two of them) in one transaction, answering each as record does. */
  private async store(tx: Sql, batches: readonly Batch[], calendar: BusinessCalendar): Promise<Recorded[]> {
    const batchOf = new Map<string, Batch>();
    for (const batch of batches) for (const e of batch.events) batchOf.set(e.key, batch);
    // One lock order for every transaction (by key), so concurrent batches cannot deadlock on PostgreSQL.
    const unique = batches
      .flatMap((b) => b.events)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    const postgres = this.db.dialect === 'postgres';
    const inserted = postgres
      ? await insertPostgres(tx, unique, batchOf)
      : await insertSqlite(tx, unique, batchOf);
    const receipts = new Map<string, StoredReceipt>();
    for (const row of inserted) {
      receipts.set(row.idempotency_key, {
        seq: Number(row.seq),
        recordedAt: batchOf.get(row.idempotency_key)!.now,
      });
    }

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
    // PostgreSQL's insert statement advanced the lead state and inserted the missing facts rows itself.
    if (!postgres) await this.advanceLeadState(tx, recorded, receipts);
    await this.foldFacts(tx, recorded, calendar, postgres);
    const answers: Recorded[] = [];
    for (const batch of batches) {
      const own = recorded.filter((e) => batchOf.get(e.key) === batch);
      await enqueueDeliveries(
        tx,
        own.filter((e) => e.toWebhook),
        batch.now,
      );
      answers.push({
        receipts: new Map(batch.events.map((e) => [e.key, receipts.get(e.key)!])),
        recorded: own,
      });
    }
    return answers;
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
      `INSERT INTO lead_state (lead_key, slot, occurred_at, seq, body) VALUES ${valueRows(ordered.length, 5)}
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
    rowsInserted = false,
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
    const held = await lockFacts(tx, this.db.dialect, leads, rowsInserted);
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
    return this.readPeriod(from, to, factsInPeriodSql(this.db.dialect, read), (row) =>
      factsFromColumns(read, row),
    );
  }

  /** The report's rows of the handoffs in [from, to), one object rewritten per row (kpi-read.ts). */
  async reportInPeriod(from: number, to: number): Promise<Iterable<LeadFacts>> {
    const sql = kpiReadSql(this.db.dialect);
    const { dialect } = this.db;
    const parts = await this.readPeriod(from, to, sql, (row, start) => [kpiPartOf(dialect, start, row)], {
      relative: true,
      binary: true,
    });
    return readsExactly(parts) ? reportRowsOf(parts) : this.factsInPeriod(from, to);
  }

  /** The threshold what-if's handoffs by score in [from, to), and the others counted (byScoreFromColumns). */
  async byScoreInPeriod(from: number, to: number): Promise<{ rows: ReplayRow[]; counted: CountedHandoffs }> {
    const parts = await this.readPeriod(from, to, replayByScoreSql(this.db.dialect), (row) => [
      byScoreFromColumns(row),
    ]);
    const counted: CountedHandoffs = { handoffs: 0, mqls: 0, withVerdict: 0, accepted: 0, unscored: 0 };
    for (const part of parts) {
      for (const key of Object.keys(counted) as (keyof CountedHandoffs)[]) counted[key] += part.counted[key];
    }
    return { rows: parts.flatMap((part) => part.rows), counted };
  }

  /** The what-if against a draft's rows of the handoffs in [from, to), with their explanations. */
  async draftInPeriod(from: number, to: number): Promise<StoredReplayRow[]> {
    const postgres = this.db.dialect === 'postgres';
    const sql = postgres ? draftRecordsSql() : draftReadSql();
    const parts = await this.readPeriod(
      from,
      to,
      sql,
      (row) => [postgres ? draftRowsFromRecords(row) : draftRowsFrom(row)],
      { binary: true },
    );
    if (parts.every((part) => part !== null)) return parts.flat();
    return this.readPeriod(from, to, factsInPeriodSql(this.db.dialect, 'draft'), replayRowsFromColumns);
  }

  /**
   * `sql` reads [?, ?) into one row (`relative`: [?2, ?3) with ?1 = ?2, the instant its handoffs are
   * relative to); `parse` makes that row T's. `binary`: on PostgreSQL the row's fields come as bytes
   * (Sql.binaryRow), for reads of binary records, and `parse` keeps none of them.
   */
  private async readPeriod<T>(
    from: number,
    to: number,
    sql: string,
    parse: (row: readonly unknown[], from: number) => T[],
    { relative = false, binary = false }: { relative?: boolean; binary?: boolean } = {},
  ): Promise<T[]> {
    // PostgreSQL spends its time turning values into text, one core per query: the period split over two
    // connections reading one snapshot takes about half as long (measured on 250,000 rows, 2 cores).
    return this.db.snapshotReads(2, async (readers) => {
      const cuts = readers.map((_, i) => Math.floor(from + ((to - from) * i) / readers.length));
      cuts.push(to);
      const parts = await Promise.all(
        readers.map(async (reader, i) => {
          const [start, end] = [cuts[i]!, cuts[i + 1]!];
          const params = relative ? [start, start, end] : [start, end];
          if (binary && reader.binaryRow) {
            return (await reader.binaryRow(sql, params, (fields) => parse(fields, start)))!;
          }
          return parse((await reader.rows(sql, params))[0]!, start);
        }),
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

  async count(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
    return Number(row?.n ?? 0);
  }
}

type Inserted = { seq: number; idempotency_key: string }[];

/** Inserts the events (sorted by key) not stored yet; answers the seq of each one it stored. */
function insertSqlite(
  tx: Sql,
  unique: readonly PreparedEvent[],
  batchOf: Map<string, Batch>,
): Promise<Inserted> {
  const params: SqlValue[] = [];
  for (const e of unique) {
    const { now, tokenId } = batchOf.get(e.key)!;
    params.push(e.key, e.hash, e.type, e.leadKey, e.occurredAt, now, tokenId, e.body);
  }
  return tx.all(
    `INSERT INTO events (idempotency_key, body_hash, type, lead_key, occurred_at, recorded_at, token_id, body)
     VALUES ${valueRows(unique.length, 8)}
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING seq, idempotency_key`,
    params,
  );
}

/**
 * PostgreSQL: the events, the lead state they advance (advanceLeadState's rule, in SQL) and the empty
 * facts rows lockFacts would insert for their leads, in one statement of fixed text, prepared once per
 * connection, its rows one JSON parameter: a group cost seven round trips, each waiting for a core on a busy machine, and a parse and
 * plan of a VALUES list as long as the group. Rows go in in key and lead order, one lock order for all.
 */
const INSERT_POSTGRES = prepared(`WITH input AS (
    SELECT * FROM json_to_recordset(?::json)
      AS t(idempotency_key text, body_hash text, type text, lead_key text, occurred_at bigint,
           recorded_at bigint, token_id text, body text, slot text, crm text)
  ), stored AS (
    INSERT INTO events (idempotency_key, body_hash, type, lead_key, occurred_at, recorded_at, token_id, body)
    SELECT idempotency_key, body_hash, type, lead_key, occurred_at, recorded_at, token_id, body FROM input
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING seq, idempotency_key
  ), fresh AS (
    SELECT input.*, stored.seq FROM stored JOIN input USING (idempotency_key)
  ), state AS (
    INSERT INTO lead_state (lead_key, slot, occurred_at, seq, body)
    SELECT DISTINCT ON (lead_key, slot) lead_key, slot, occurred_at, seq, body FROM fresh
    ORDER BY lead_key, slot, occurred_at DESC, seq DESC
    ON CONFLICT (lead_key, slot) DO UPDATE
      SET occurred_at = excluded.occurred_at, seq = excluded.seq, body = excluded.body
      WHERE excluded.occurred_at > lead_state.occurred_at
         OR (excluded.occurred_at = lead_state.occurred_at AND excluded.seq > lead_state.seq)
  ), facts AS (
    INSERT INTO lead_facts (lead_key, crm, fit_grade, owner, escalations, timeline)
    SELECT DISTINCT ON (lead_key) lead_key, crm, 'unknown', '', 0, ? FROM fresh ORDER BY lead_key
    ON CONFLICT (lead_key) DO NOTHING
  )
  SELECT seq, idempotency_key FROM stored`);

function insertPostgres(
  tx: Sql,
  unique: readonly PreparedEvent[],
  batchOf: Map<string, Batch>,
): Promise<Inserted> {
  const rows = unique.map((e) => {
    const { now, tokenId } = batchOf.get(e.key)!;
    return {
      idempotency_key: e.key,
      body_hash: e.hash,
      type: e.type,
      lead_key: e.leadKey,
      occurred_at: e.occurredAt,
      recorded_at: now,
      token_id: tokenId,
      body: e.body,
      slot: e.slot,
      crm: (e.event ?? (JSON.parse(e.body) as BatonEvent)).lead.crm,
    };
  });
  // One JSON text (V8's native serialiser), not arrays: pg escapes each array element in JavaScript,
  // a regular expression over every body (escapeElement was 3% of the paced run's profile).
  let json = JSON.stringify(rows);
  // A lone surrogate (half of a cut emoji in a lead id) comes out as a \udXXX escape, which PostgreSQL's
  // json refuses (a 500 for the batch, found by review); as a parameter, before, it went as U+FFFD, and so it
  // does again. Rare: the replacer runs only when the text holds such an escape (or a backslash before "ud").
  if (json.includes('\\ud'))
    json = JSON.stringify(rows, (_, value) => (typeof value === 'string' ? value.toWellFormed() : value));
  return tx.all(INSERT_POSTGRES, [json, EMPTY_TIMELINE_JSON]);
}

/** A lead among idempotency keys in one set: no key starts with a NUL. */
function leadMark(event: PreparedEvent): string {
  return `\u0000${event.leadKey}`;
}

function leadKeyOf(event: BatonEvent): string {
  return leadKeyString(event.lead);
}
