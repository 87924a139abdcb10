import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { BatonEvent } from '../../lib/events';
import { foldEvent } from '../../lib/kpi/facts';
import { leadKeyString } from '../../lib/lead';
import { defaultRuleSet } from '../../lib/rules';
import { loadConfig } from '../config';
import { prepareEvent } from '../prepare-event';
import { openDatabase } from '../server';
import { escalation, firstContact, handoff, lead, stageChange } from '../test/fixtures';
import { describeBackends, TEST_ENV } from '../test/harness';
import type { Database } from './db';
import { EventStore, IdempotencyConflictError } from './events';
import { lockFacts, writeFacts } from './facts';
import { migrate } from './migrations';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 25, 1, minutes)).toISOString();

/**
 * Batches as a reconnect burst brings them: most about leads of their own, some about the same lead as
 * an earlier one (in either order of time, or at the same time), one replaying an earlier batch's event,
 * escalations for the outbox.
 */
function burst(): { events: BatonEvent[]; tokenId: string; now: number }[] {
  const shared = lead();
  const replayed = firstContact({ lead: shared, occurredAt: at(30) });
  const batches: BatonEvent[][] = [];
  for (let i = 0; i < 12; i++) {
    const own = lead();
    batches.push([
      handoff({ lead: own, occurredAt: at(i) }),
      stageChange({ lead: own, occurredAt: at(i + 1) }),
      ...(i % 4 === 0 ? [escalation({ lead: own, occurredAt: at(i + 2) })] : []),
    ]);
  }
  batches.splice(3, 0, [handoff({ lead: shared, occurredAt: at(20) }), replayed]);
  batches.splice(7, 0, [firstContact({ lead: shared, occurredAt: at(10) })]);
  batches.splice(9, 0, [replayed, stageChange({ lead: shared, occurredAt: at(40) })]);
  // The same lead, slot and time: the later arrival holds the team state, though its key sorts first.
  const tie = lead();
  const key = randomUUID().slice(1);
  batches.splice(4, 0, [stageChange({ lead: tie, occurredAt: at(50), idempotencyKey: `f${key}` })]);
  batches.splice(10, 0, [stageChange({ lead: tie, occurredAt: at(50), idempotencyKey: `0${key}` })]);
  return batches.map((events, i) => ({ events, tokenId: `token-${i % 3}`, now: 1_000 + i }));
}

async function tables(db: Database) {
  return {
    events: await db.all(
      'SELECT idempotency_key, body_hash, type, lead_key, occurred_at, recorded_at, token_id, body FROM events ORDER BY idempotency_key',
    ),
    leadState: await db.all(
      'SELECT lead_key, slot, occurred_at, body FROM lead_state ORDER BY lead_key, slot',
    ),
    facts: await db.all('SELECT * FROM lead_facts ORDER BY lead_key'),
    outbox: await db.all('SELECT event_key, payload, created_at FROM webhook_outbox ORDER BY event_key'),
  };
}

describeBackends('event batches sharing a transaction', (backend) => {
  async function fresh() {
    const db = await openDatabase(loadConfig({ ...TEST_ENV, ...backend.freshDatabase() }));
    await migrate(db, 1);
    return db;
  }

  it('stores batches arriving together exactly as one after the other, answering each alike', async () => {
    const [sharing, oneByOne] = [await fresh(), await fresh()];
    try {
      const batches = burst();
      const grouped = new EventStore(sharing, true);
      const alone = new EventStore(oneByOne, false);
      const prepare = (events: BatonEvent[]) => events.map((e) => prepareEvent(e, true));
      const together = await Promise.all(
        batches.map((b) => grouped.record(prepare(b.events), b.tokenId, b.now)),
      );
      const after: Awaited<ReturnType<EventStore['record']>>[] = [];
      for (const b of batches) after.push(await alone.record(prepare(b.events), b.tokenId, b.now));
      expect(grouped.groupsShared).toBeGreaterThan(0);
      const answers = (results: typeof after) =>
        results.map((r) => ({
          recordedAt: [...r.receipts].map(([key, receipt]) => [key, receipt.recordedAt]),
          recorded: r.recorded.map((e) => e.key),
        }));
      expect(answers(together)).toEqual(answers(after));
      expect(await tables(sharing)).toEqual(await tables(oneByOne));
    } finally {
      await sharing.close();
      await oneByOne.close();
    }
  });

  it('refuses only the batch that reuses a key with another body; the rest of its group is stored', async () => {
    const db = await fresh();
    try {
      const store = new EventStore(db, true);
      const first = handoff();
      await store.record([prepareEvent(first, false)], 't', 1);
      const reused = { ...stageChange(), idempotencyKey: first.idempotencyKey } as BatonEvent;
      const others = Array.from({ length: 6 }, () => [prepareEvent(handoff(), false)]);
      const results = await Promise.allSettled([
        ...others.slice(0, 3).map((events) => store.record(events, 't', 2)),
        store.record([prepareEvent(reused, false)], 't', 2),
        ...others.slice(3).map((events) => store.record(events, 't', 2)),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
      const count = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events');
      expect(Number(count!.n)).toBe(7);
    } finally {
      await db.close();
    }
  });

  it.skipIf(backend.name !== 'postgres')(
    "waits for another instance's ingest of the same new lead and folds on top of its facts",
    async () => {
      const env = { ...TEST_ENV, ...backend.freshDatabase() };
      const db = await openDatabase(loadConfig(env));
      const other = await openDatabase(loadConfig(env));
      try {
        await migrate(db, 1);
        const shared = lead();
        const key = leadKeyString(shared);
        const { calendar } = defaultRuleSet;
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        // The other instance has claimed the lead's facts row (not committed yet) and is folding a handoff.
        let claimed!: (pid: number) => void;
        const claim = new Promise<number>((resolve) => {
          claimed = resolve;
        });
        const theirs = other.transaction(async (tx) => {
          await lockFacts(tx, 'postgres', new Map([[key, shared.crm]]));
          claimed((await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid);
          await gate;
          await writeFacts(tx, [foldEvent(undefined, handoff({ lead: shared }), calendar)]);
        });
        const theirPid = await claim;
        const ours = new EventStore(db, true).record(
          [prepareEvent(firstContact({ lead: shared, occurredAt: '2026-11-25T11:00:00+09:00' }), false)],
          't',
          1,
        );
        // Ours must be waiting on their transaction before it commits, or this proves nothing.
        for (let waiting = 0; waiting === 0; ) {
          const row = await other.get<{ n: number }>(
            'SELECT COUNT(*) AS n FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))',
            [theirPid],
          );
          waiting = Number(row!.n);
        }
        release();
        await theirs;
        await ours;
        const facts = await db.get<{ handoff_at: number | null; first_contact_at: number | null }>(
          'SELECT handoff_at, first_contact_at FROM lead_facts WHERE lead_key = ?',
          [key],
        );
        expect(facts!.handoff_at).not.toBeNull();
        expect(facts!.first_contact_at).not.toBeNull();
      } finally {
        await db.close();
        await other.close();
      }
    },
  );
});
