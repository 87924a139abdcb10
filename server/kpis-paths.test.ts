/**
 * The tuned KPI reads (server/storage/facts.ts replayRowsFromColumns, lib/kpi/rescore-text.ts) against the
 * plain path (kpisOver(…, 'plain'): lib/kpi over whole LeadFacts rows, as before they were tuned), byte for byte, on
 * a generated history sent as browsers send it: out of order, late, and with batches sent twice. The team
 * works in New York, so periods cross the end of daylight saving time (1 November 2026), and start and
 * end mid-week (partial weeks).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { periodBounds } from '../lib/calendar/zone';
import type { BatonEvent } from '../lib/events';
import { kpiQuerySchema, whatIfQuerySchema } from '../lib/kpi/api';
import { generateHistory } from '../lib/kpi/generate';
import { defaultRuleSet, type RuleSet } from '../lib/rules';
import { loadConfig } from './config';
import { kpisOver } from './kpis';
import { openDatabase } from './server';
import type { SqlValue } from './storage/db';
import { draftReadSql, factsInPeriodSql, type StoredReplayRow } from './storage/facts';
import { kpiReadSql } from './storage/kpi-read';
import { describeBackends, startServerWithRules, startTestServer, type TestServer } from './test/harness';

const rules: RuleSet = {
  ...defaultRuleSet,
  version: { ...defaultRuleSet.version, number: 1 },
  calendar: { ...defaultRuleSet.calendar, timeZone: 'America/New_York' },
};
const FROM = '2026-09-28';
const history = generateHistory({ leads: 1500, seed: 18, from: FROM, weeks: 8, rules });

/** Batches of 100 in a shuffled order (late and out of order), every fifth one sent twice. */
async function sendShuffled(t: TestServer, events: readonly BatonEvent[]) {
  const batches: BatonEvent[][] = [];
  for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 100));
  const order = batches.map((_, i) => (i * 7) % batches.length);
  expect(new Set(order).size).toBe(batches.length);
  for (const [n, i] of order.entries()) {
    const batch = n % 3 === 0 ? [...batches[i]!].reverse() : batches[i]!;
    const res = await t.call('POST', '/v1/events', { role: 'rep', body: { events: batch } });
    expect(res.status, res.text).toBe(200);
    if (n % 5 === 2) await t.call('POST', '/v1/events', { role: 'rep', body: { events: batch } });
  }
}

/** The served bytes of a GET, and the plain path's over the same database at the same `now`. */
async function compareWithPlain(t: TestServer, path: string) {
  const res = await t.call('GET', path, { role: 'manager' });
  expect(res.status, res.text).toBe(200);
  const url = new URL(path, 'http://test');
  const now = Date.parse(res.json.now ?? '') || 0;
  const plain = kpisOver(t.server.store, () => now, 'plain');
  const query = Object.fromEntries(url.searchParams) as Record<string, string>;
  const expected =
    url.pathname === '/v1/kpis'
      ? await plain.report(kpiQuerySchema.parse(query))
      : await plain.whatIf(whatIfQuerySchema.parse(query));
  expect(res.text).toBe(JSON.stringify(expected));
  return res.json;
}

// Whole weeks; a Wednesday to a Saturday (partial first and last weeks) across the DST end; one day; a
// period with nothing in it.
const PERIODS = [
  ['2026-09-28', '2026-11-23'],
  ['2026-10-07', '2026-11-07'],
  ['2026-11-01', '2026-11-02'],
  ['2027-03-01', '2027-03-08'],
] as const;

describeBackends('KPI reads: tuned path against the plain one', (backend) => {
  let t: TestServer;
  let draftVersion: number;
  beforeAll(async () => {
    t = await startServerWithRules(backend, rules);
    await sendShuffled(t, history.events);
    const [first, ...rest] = rules.engagementRules;
    const created = await t.call('POST', '/v1/rules/drafts', {
      role: 'marketer',
      body: {
        rules: {
          ...rules,
          fitRules: rules.fitRules.slice(1),
          engagementRules: [{ ...first!, points: first!.points * 3, cap: first!.points * 4 }, ...rest],
          threshold: { ...rules.threshold, total: rules.threshold.total + 5 },
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    draftVersion = created.json.version;
  }, 180_000);
  afterAll(() => t.stop());

  /** The served bytes, and the plain path's over the same database at the same `now`. */
  const compare = (path: string) => compareWithPlain(t, path);

  it('reads each period from a covering index on SQLite, explanations included', async () => {
    if (backend.name !== 'sqlite') return;
    for (const read of ['report', 'replay', 'draft', 'review'] as const) {
      const plan = await t.server.store.db.all<{ detail: string }>(
        `EXPLAIN QUERY PLAN ${factsInPeriodSql('sqlite', read)}`,
        [0, 1],
      );
      expect(plan.map((row) => row.detail).join(' '), read).toMatch(/USING COVERING INDEX/);
    }
    const draftPlan = await t.server.store.db.all<{ detail: string }>(
      `EXPLAIN QUERY PLAN ${draftReadSql()}`,
      [0, 1],
    );
    expect(draftPlan.map((row) => row.detail).join(' ')).toMatch(/USING COVERING INDEX lead_facts_explained/);
    // SQLite names no index COVERING that holds a generated column (kpi_code), though reads take it from
    // the index: this read names the table's columns only as the index has them.
    const plan = await t.server.store.db.all<{ detail: string }>(
      `EXPLAIN QUERY PLAN ${kpiReadSql('sqlite')}`,
      [0, 0, 1],
    );
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING (COVERING )?INDEX lead_facts_handoff/);
  });

  it('serves the plain report, byte for byte, over whole, partial and empty periods', async () => {
    for (const [from, to] of PERIODS) {
      const answer = await compare(`/v1/kpis?from=${from}&to=${to}&bandWidth=15`);
      if (from === '2026-10-07') expect(answer.weeks[0].partial).toBe(true);
    }
    expect((await compare(`/v1/kpis?from=${FROM}&to=2026-11-23`)).totals.mqls).toBeGreaterThan(500);
  });

  it('serves the plain report when a lead holds a value the KPI read has no code for', async () => {
    await withFacts([{ crm: 'legacy_crm', reason: 'imported' }], async () => {
      const answer = await compare(`/v1/kpis?from=${FROM}&to=2026-11-23`);
      expect(answer.breakdowns.crm.map((row: { key: string }) => row.key)).toContain('legacy_crm');
      await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
    });
  });

  /** Runs fn with columns of leads handed over in the period changed, then puts them back. */
  async function withFacts(changes: Record<string, SqlValue>[], fn: () => Promise<void>) {
    const { db } = t.server.store;
    const leads = await db.all<{ lead_key: string; verdict: string | null }>(
      "SELECT lead_key, verdict FROM lead_facts WHERE handoff_at IS NOT NULL AND verdict = 'reject' ORDER BY lead_key",
    );
    const columns = [...new Set(changes.flatMap((change) => Object.keys(change)))];
    const keys = changes.map((_, i) => leads[i * 7]!.lead_key);
    const before = await Promise.all(
      keys.map((key) =>
        db.all<Record<string, SqlValue>>(`SELECT ${columns.join(', ')} FROM lead_facts WHERE lead_key = ?`, [
          key,
        ]),
      ),
    );
    const set = async (key: string, values: Record<string, SqlValue>) => {
      const names = Object.keys(values);
      await db.run(`UPDATE lead_facts SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE lead_key = ?`, [
        ...names.map((n) => values[n]!),
        key,
      ]);
    };
    try {
      for (const [i, change] of changes.entries()) await set(keys[i]!, change);
      await fn();
    } finally {
      for (const [i, key] of keys.entries()) await set(key, before[i]![0]!);
    }
  }

  /** Whether the tuned report read the period coded (not again the plain way, as an array of facts). */
  async function readsCoded(): Promise<boolean> {
    const [from, to] = periodBounds({ from: FROM, to: '2026-11-23' }, rules.calendar.timeZone);
    return !Array.isArray(await t.server.store.events.reportInPeriod(from, to));
  }

  it('reads empty, null and non-ASCII values coded, as the plain report and draft what-if have them', async () => {
    expect(await readsCoded()).toBe(true);
    await withFacts(
      [
        { reason_code: '' },
        { reason_code: null },
        { owner: '' },
        { owner: 'Zoë 😀 O’Brien' },
        { score: null, first_contact_business_ms: null, rules_version: null, due_at: null },
        { score: -0, first_contact_business_ms: 0.1 + 0.2, rules_version: 2 ** 40 },
        { explanation: null, fit: null, engagement: 0.1 + 0.2 },
        { explanation: '' },
      ],
      async () => {
        expect(await readsCoded()).toBe(true);
        const answer = await compare(`/v1/kpis?from=${FROM}&to=2026-11-23`);
        expect(answer.breakdowns.owner.map((row: { key: string }) => row.key)).toContain('Zoë 😀 O’Brien');
        await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
      },
    );
  });

  it('serves the plain report when an owner or a reason code holds the separator of the PostgreSQL read', async () => {
    const changes: Record<string, SqlValue>[] = [
      { owner: 'a\x1fb' },
      { reason_code: 'no\x1fbudget' },
      { reason_code: '\x1f' },
    ];
    for (const change of changes) {
      await withFacts([change], async () => {
        // SQLite's JSON arrays need no separator.
        expect(await readsCoded()).toBe(backend.name === 'sqlite');
        await compare(`/v1/kpis?from=${FROM}&to=2026-11-23`);
      });
    }
  });

  it('serves the plain what-if against a draft when an explanation is not all ASCII', async () => {
    const { store } = t.server;
    const [lead] = await store.db.all<{ lead_key: string; explanation: string }>(
      "SELECT lead_key, explanation FROM lead_facts WHERE handoff_at IS NOT NULL AND explanation LIKE 'f:%' LIMIT 1",
    );
    // Damaged (no rule id is written so), so the lead has no score under the draft, as decoding says.
    await store.db.run('UPDATE lead_facts SET explanation = ? WHERE lead_key = ?', [
      `f:règle_😀:5|${lead!.explanation}`,
      lead!.lead_key,
    ]);
    try {
      await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
    } finally {
      await store.db.run('UPDATE lead_facts SET explanation = ? WHERE lead_key = ?', [
        lead!.explanation,
        lead!.lead_key,
      ]);
    }
  });

  /**
   * The what-if against a draft's rows as the tuned read (draftInPeriod) has them, and as the plain read
   * has them, each in one form: its fields, its explanation as the stretch of text it names, and for a row
   * with none, its offsets (the plain read's are 0 and 0). Sorted: neither read promises an order.
   * `coded`: the tuned read took its own way, not the plain read again (it shares one text between rows).
   */
  async function draftRows() {
    const [from, to] = periodBounds({ from: FROM, to: '2026-11-23' }, rules.calendar.timeZone);
    const { events } = t.server.store;
    const tuned = await events.draftInPeriod(from, to);
    const plain = await events.factsInPeriod(from, to, 'draft');
    const form = (r: Omit<StoredReplayRow, 'explanationText'>, explanation: string | null, span: unknown) =>
      JSON.stringify([
        r.handoffAt,
        r.score,
        r.fit,
        r.engagement,
        r.reason,
        r.verdict,
        r.rulesVersion,
        explanation,
        span,
      ]);
    const stretch = ({ explanationText: text, explanationFrom: at, explanationTo: end }: StoredReplayRow) =>
      text === null
        ? null
        : 0 <= at && at <= end && end <= text.length
          ? text.slice(at, end)
          : `out of the text: [${at}, ${end}) of ${text.length}`;
    return {
      coded: tuned.some((r) => r.explanationFrom > 0),
      tuned: tuned
        .map((r) =>
          form(
            r,
            stretch(r),
            r.explanationText === null
              ? [r.explanationFrom, r.explanationTo]
              : r.explanationTo - r.explanationFrom,
          ),
        )
        .sort(),
      plain: plain
        .map((f) =>
          form(
            { ...f, handoffAt: f.handoffAt!, explanationFrom: 0, explanationTo: 0 },
            f.explanation,
            f.explanation === null ? [0, 0] : f.explanation.length,
          ),
        )
        .sort(),
    };
  }

  it('reads null and empty explanations coded for the what-if against a draft, each row as the plain read has it', async () => {
    const before = await draftRows();
    expect(before.coded).toBe(true);
    expect(before.tuned).toEqual(before.plain);
    // Spread over the period's leads, so that some follow explanations in the read's one text.
    const changes = Array.from({ length: 12 }, (_, i) => ({ explanation: i % 2 === 0 ? null : '' }));
    await withFacts(changes, async () => {
      const rows = await draftRows();
      expect(rows.coded).toBe(true);
      for (const end of [',null,[0,0]]', ',"",0]']) {
        const count = (forms: string[]) => forms.filter((row) => row.endsWith(end)).length;
        expect(count(rows.plain), end).toBeGreaterThan(count(before.plain));
      }
      expect(rows.tuned).toEqual(rows.plain);
      await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
    });
  });

  it('reads the what-if against a draft plainly when a reason or verdict has no code, as stored', async () => {
    const changes: Record<string, SqlValue>[] = [
      { reason: 'imported' },
      { reason: 'Threshold' },
      { verdict: 'legacy_verdict' },
      { reason: 'imported', verdict: 'legacy_verdict' },
    ];
    for (const change of changes) {
      await withFacts([change], async () => {
        const rows = await draftRows();
        // SQLite's read takes reason and verdict from their columns, as stored, and needs no code.
        expect(rows.coded, JSON.stringify(change)).toBe(backend.name === 'sqlite');
        for (const value of Object.values(change)) {
          expect(rows.plain.filter((row) => row.includes(`"${value}"`))).toHaveLength(1);
        }
        expect(rows.tuned, JSON.stringify(change)).toEqual(rows.plain);
        await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
      });
    }
  });

  it('serves the plain threshold what-if, byte for byte, at the active and other thresholds', async () => {
    for (const [from, to] of PERIODS) {
      await compare(`/v1/kpis/whatif?from=${from}&to=${to}`);
      await compare(`/v1/kpis/whatif?from=${from}&to=${to}&threshold=55&capacityPerWeek=40`);
    }
    expect((await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23`)).replayed).toBeGreaterThan(500);
  });

  it('serves the plain what-if against a draft, byte for byte, each lead re-weighed from its version', async () => {
    for (const [from, to] of PERIODS) {
      await compare(`/v1/kpis/whatif?from=${from}&to=${to}&draftVersion=${draftVersion}`);
      await compare(`/v1/kpis/whatif?from=${from}&to=${to}&draftVersion=1&threshold=40`);
    }
    const answer = await compare(`/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=${draftVersion}`);
    expect(answer.proposed.threshold).toBe(rules.threshold.total + 5);
  });
});

describeBackends('the explanations index of a database from before it', (backend) => {
  it('is built from the stored facts at start, and the what-if against a draft reads as before', async () => {
    const first = await startServerWithRules(backend, rules);
    const small = generateHistory({ leads: 300, seed: 5, from: FROM, weeks: 8, rules });
    const draft = `/v1/kpis/whatif?from=${FROM}&to=2026-11-23&draftVersion=1&threshold=50`;
    let before: string;
    try {
      await sendShuffled(first, small.events);
      before = (await first.call('GET', draft, { role: 'admin' })).text;
    } finally {
      await first.stop();
    }
    // As before migration 5: facts stored, no index of their explanations (migration 6 stays).
    const db = await openDatabase(loadConfig(first.env));
    try {
      if (backend.name === 'sqlite') await db.exec('DROP INDEX lead_facts_explained');
      await db.run('DELETE FROM schema_migrations WHERE version = 5');
    } finally {
      await db.close();
    }
    const second = await startTestServer(backend, first.env);
    try {
      const indexes = await second.server.store.db.all<{ name: string }>(
        backend.name === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'lead_facts_explained'"
          : 'SELECT version AS name FROM schema_migrations WHERE version = 5',
      );
      expect(indexes).toHaveLength(1);
      const after = await compareWithPlain(second, draft);
      expect(JSON.stringify(after)).toBe(before);
      expect(after.replayed).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
