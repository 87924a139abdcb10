import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodBounds } from '../lib/calendar/zone';
import type { BatonEvent } from '../lib/events';
import {
  kpiLeadsReportSchema,
  kpiReportSchema,
  LEAD_FIGURES,
  outcomeImportResponseSchema,
  scoringReviewSchema,
  whatIfReportSchema,
} from '../lib/kpi/api';
import { foldEvent, foldOutcome } from '../lib/kpi/facts';
import { generateHistory } from '../lib/kpi/generate';
import { FIGURE_LABELS, leadsBehind } from '../lib/kpi/leads';
import { computeKpis } from '../lib/kpi/report';
import { scoringReview } from '../lib/kpi/scoring-review';
import type { LeadFacts, LeadFigure, OutcomeRow, WhatIfQuery } from '../lib/kpi/types';
import { draftScorer, replayLeadsFrom, whatIf } from '../lib/kpi/whatif';
import { leadKeyString } from '../lib/lead';
import { defaultRuleSet, type RuleSet } from '../lib/rules';
import { loadConfig } from './config';
import { openDatabase } from './server';
import { describeBackends, startServerWithRules, startTestServer, type TestServer } from './test/harness';

/** The active rule set of these tests: the default, as the server stamps it as version 1. */
const rules: RuleSet = { ...defaultRuleSet, version: { ...defaultRuleSet.version, number: 1 } };
const zone = rules.calendar.timeZone;
// Far from today, so nothing in the period is judged against the real clock's "now" by accident.
const FROM = '2025-01-06';
const WEEKS = 12;
const TO = '2025-03-31';
const history = generateHistory({ leads: 3000, seed: 42, from: FROM, weeks: WEEKS, rules });
/** The history's outcomes as a CRM export would carry them: every row must import as the lead it names. */
const importable = history.outcomes;

function fold(events: readonly BatonEvent[], outcomes: readonly OutcomeRow[] = []): LeadFacts[] {
  const facts = new Map<string, LeadFacts>();
  for (const event of events) {
    const key = leadKeyString(event.lead);
    facts.set(key, foldEvent(facts.get(key), event, rules.calendar));
  }
  for (const row of outcomes)
    facts.set(row.leadKey, foldOutcome(facts.get(row.leadKey), row, rules.calendar));
  return [...facts.values()];
}

function outcomesCsv(rows: readonly OutcomeRow[]): string {
  const lines = rows.map((row) => {
    const [crm, object, ...id] = row.leadKey.split(':');
    return [crm, object, id.join(':'), row.outcome, new Date(row.at).toISOString()].join(',');
  });
  return `crm,object,record_id,outcome,date\r\n${lines.join('\r\n')}\r\n`;
}

async function postEvents(t: TestServer, events: readonly BatonEvent[], role: 'rep' | 'manager' = 'rep') {
  const res = await t.call('POST', '/v1/events', { role, body: { events } });
  expect(res.status, res.text).toBe(200);
}

/**
 * The history as the team's browsers would send it: batches of 100, four in flight at a time, every
 * seventh batch sent again (a retry after a lost answer), a few batches split and sent in reverse order.
 */
async function sendHistory(t: TestServer, events: readonly BatonEvent[]) {
  const batches: BatonEvent[][] = [];
  for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 100));
  for (let i = 0; i < batches.length; i += 4) {
    const group = batches.slice(i, i + 4);
    await Promise.all(
      group.map((batch, j) => {
        const n = i + j;
        if (n % 11 === 5) return postEvents(t, [...batch].reverse(), 'manager');
        return postEvents(t, batch);
      }),
    );
    for (const [j, batch] of group.entries()) if ((i + j) % 7 === 3) await postEvents(t, batch);
  }
}

const kpiPath = (from: string, to: string, extra = '') => `/v1/kpis?from=${from}&to=${to}${extra}`;

describeBackends('KPIs over HTTP', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServerWithRules(backend, rules);
    await sendHistory(t, history.events);
  }, 120_000);
  afterAll(() => t.stop());

  describe('GET /v1/kpis', () => {
    it('answers what computeKpis gives over facts folded straight from the generated events', async () => {
      for (const [from, to] of [
        [FROM, TO],
        ['2025-02-03', '2025-02-17'],
      ] as const) {
        const res = await t.call('GET', kpiPath(from, to, '&bandWidth=20'), { role: 'manager' });
        expect(res.status, res.text).toBe(200);
        expect(kpiReportSchema.safeParse(res.json).success).toBe(true);
        const expected = computeKpis(fold(history.events), {
          query: { from, to, bandWidth: 20 },
          now: Date.parse(res.json.now),
          rules,
        });
        expect(res.json).toEqual(JSON.parse(JSON.stringify(expected)));
        expect(res.json.totals.mqls).toBeGreaterThan(0);
      }
    });

    it('counts MQLs, contacts and CRMs as a hand count over the events does', async () => {
      const from = '2025-02-03';
      const to = '2025-03-03';
      // The local dates' midnights in Asia/Tokyo (no daylight saving: always +09:00).
      const start = Date.parse(`${from}T00:00:00+09:00`);
      const end = Date.parse(`${to}T00:00:00+09:00`);
      const handoffAt = new Map<string, number>();
      for (const e of history.events) {
        if (e.type !== 'handoff_observed') continue;
        const key = leadKeyString(e.lead);
        handoffAt.set(key, Math.max(handoffAt.get(key) ?? 0, Date.parse(e.handoffAt)));
      }
      const inPeriod = new Set([...handoffAt].filter(([, at]) => at >= start && at < end).map(([k]) => k));
      const contacted = new Set(
        history.events
          .filter((e) => e.type === 'first_contact')
          .map((e) => [leadKeyString(e.lead), Date.parse(e.occurredAt)] as const)
          .filter(([key, at]) => inPeriod.has(key) && at >= handoffAt.get(key)!)
          .map(([key]) => key),
      );
      // Duplicates are not MQLs (docs/kpis.md): the latest feedback of the cycle says duplicate, by verdict
      // or by the default reason "duplicate", and the lead never became an opportunity.
      const latest = new Map<string, { at: number; duplicate: boolean }>();
      const opportunity = new Set<string>();
      for (const e of history.events) {
        const key = leadKeyString(e.lead);
        const at = Date.parse(e.occurredAt);
        if (!inPeriod.has(key) || at < handoffAt.get(key)!) continue;
        if (e.type === 'stage_change' && (e.to === 'converted' || e.to === 'won')) opportunity.add(key);
        if (e.type !== 'feedback' || (latest.get(key)?.at ?? -1) > at) continue;
        latest.set(key, { at, duplicate: e.verdict === 'duplicate' || e.reasonCode === 'duplicate' });
      }
      const duplicates = new Set(
        [...latest].filter(([key, f]) => f.duplicate && !opportunity.has(key)).map(([key]) => key),
      );
      const mqls = [...inPeriod].filter((key) => !duplicates.has(key));
      const salesforce = mqls.filter((key) => key.startsWith('salesforce:')).length;

      const res = await t.call('GET', kpiPath(from, to), { role: 'marketer' });
      expect(res.status).toBe(200);
      expect(duplicates.size).toBeGreaterThan(0);
      expect(res.json.totals.duplicates).toBe(duplicates.size);
      expect(res.json.totals.mqls).toBe(mqls.length);
      expect(res.json.totals.contacted).toBe([...contacted].filter((key) => !duplicates.has(key)).length);
      const crmRow = res.json.breakdowns.crm.find((row: { key: string }) => row.key === 'salesforce');
      expect(crmRow.measures.mqls).toBe(salesforce);
    });

    it('refuses a rep with 403, saying why in both languages', async () => {
      for (const path of [kpiPath(FROM, TO), `/v1/kpis/whatif?from=${FROM}&to=${TO}`]) {
        const res = await t.call('GET', path, { role: 'rep' });
        expect(res.status, path).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
        expect(res.json.error.message.en).toMatch(/owner/);
        expect(res.json.error.message.ja).toMatch(/担当者/);
      }
    });

    it('answers a bad query with 400 and every problem by parameter', async () => {
      const res = await t.call('GET', '/v1/kpis?to=2025-13-01&bandWidth=0', { role: 'admin' });
      expect(res.status).toBe(400);
      const paths = res.json.error.problems.map((p: { path: string[] }) => p.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['from', 'to', 'bandWidth']));
      for (const problem of res.json.error.problems) {
        expect(problem.message.ja).toBeTruthy();
        expect(problem.message.en).toBeTruthy();
      }
      const reversed = await t.call('GET', kpiPath(TO, FROM), { role: 'admin' });
      expect(reversed.status).toBe(400);
      expect(reversed.json.error.problems[0].path).toEqual(['to']);
      const tooLong = await t.call('GET', kpiPath('2024-01-01', '2025-03-01'), { role: 'admin' });
      expect(tooLong.status).toBe(400);
    });
  });

  describe('GET /v1/kpis/whatif', () => {
    it('replays the period as whatIf does, at the active threshold and at a proposed one', async () => {
      const leads = replayLeadsFrom(fold(history.events), { from: FROM, to: TO, zone });
      const asked: { extra: string; query: WhatIfQuery }[] = [
        { extra: '&capacityPerWeek=150', query: { from: FROM, to: TO, bandWidth: 10, capacityPerWeek: 150 } },
        { extra: '&threshold=75', query: { from: FROM, to: TO, bandWidth: 10, threshold: 75 } },
      ];
      for (const { extra, query } of asked) {
        const res = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}${extra}`, {
          role: 'marketer',
        });
        expect(res.status, res.text).toBe(200);
        expect(whatIfReportSchema.safeParse(res.json).success).toBe(true);
        const expected = whatIf(leads, {
          query,
          threshold: query.threshold ?? rules.threshold.total,
          currentThreshold: rules.threshold.total,
          target: rules.conversionTarget,
          weeks: WEEKS,
          ...(query.capacityPerWeek ? { capacityPerWeek: query.capacityPerWeek } : {}),
        });
        expect(res.json).toEqual(JSON.parse(JSON.stringify(expected)));
        expect(res.json.replayed).toBeGreaterThan(0);
      }
      const check = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}`, { role: 'manager' });
      expect(check.json.suggested).toEqual(
        JSON.parse(
          JSON.stringify(
            whatIf(leads, {
              query: { from: FROM, to: TO, bandWidth: 10 },
              threshold: rules.threshold.total,
              currentThreshold: rules.threshold.total,
              target: rules.conversionTarget,
              weeks: WEEKS,
            }).suggested,
          ),
        ),
      );
    });

    it('replays against a draft version, each lead re-weighed from the version that scored it', async () => {
      const [first, ...rest] = rules.fitRules;
      const draftRules = {
        ...rules,
        fitRules: [{ ...first!, points: first!.points * 2 }, ...rest],
        threshold: { ...rules.threshold, total: rules.threshold.total + 5 },
      };
      const created = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: draftRules },
      });
      expect(created.status, created.text).toBe(201);
      const version = created.json.version as number;
      const stored = (await t.call('GET', `/v1/rules/versions/${version}`, { role: 'manager' })).json.rules;

      const res = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}&draftVersion=${version}`, {
        role: 'admin',
      });
      expect(res.status, res.text).toBe(200);
      const leads = replayLeadsFrom(fold(history.events), { from: FROM, to: TO, zone });
      const expected = whatIf(leads, {
        query: { from: FROM, to: TO, bandWidth: 10, draftVersion: version },
        threshold: stored.threshold.total,
        currentThreshold: rules.threshold.total,
        target: rules.conversionTarget,
        weeks: WEEKS,
        // The history names versions 0 to 3: 0 is the extensions' built-in default, 1 the active rules, the
        // draft took the next number, and a version the server never stored is unknown.
        scoreOf: draftScorer(stored, (v) =>
          v === 0 ? defaultRuleSet : v === 1 ? rules : v === version ? stored : undefined,
        ),
      });
      expect(res.json).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(res.json.proposed.threshold).toBe(rules.threshold.total + 5);

      const missing = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}&draftVersion=999`, {
        role: 'admin',
      });
      expect(missing.status).toBe(404);
      expect(missing.json.error.message.ja).toMatch(/999/);
    });

    it('replays the editor’s draft before anyone proposes it: the same answer as once proposed, nothing stored', async () => {
      const [first, ...rest] = rules.fitRules;
      const draftRules = {
        ...rules,
        fitRules: [{ ...first!, points: first!.points + 7 }, ...rest],
        threshold: { ...rules.threshold, total: rules.threshold.total + 3 },
      };
      const versionsBefore = (await t.call('GET', '/v1/rules/versions', { role: 'manager' })).json.versions
        .length;
      const live = await t.call('POST', '/v1/kpis/whatif', {
        role: 'marketer',
        body: { from: FROM, to: TO, rules: draftRules },
      });
      expect(live.status, live.text).toBe(200);
      expect((await t.call('GET', '/v1/rules/versions', { role: 'manager' })).json.versions.length).toBe(
        versionsBefore,
      );
      expect(live.json.proposed.threshold).toBe(rules.threshold.total + 3);

      // Proposed, the same rules answer the same (but for the version the query names).
      const created = await t.call('POST', '/v1/rules/drafts', {
        role: 'marketer',
        body: { rules: draftRules },
      });
      const version = created.json.version as number;
      const stored = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}&draftVersion=${version}`, {
        role: 'marketer',
      });
      const { query: _a, ...liveRest } = live.json;
      const { query: _b, ...storedRest } = stored.json;
      expect(liveRest).toEqual(storedRest);

      const bad = await t.call('POST', '/v1/kpis/whatif', {
        role: 'marketer',
        body: { from: FROM, to: TO, rules: { ...draftRules, threshold: { total: 'sixty' } } },
      });
      expect(bad.status).toBe(422);
      expect(
        bad.json.error.problems.some(
          (p: { path: unknown[] }) => p.path[0] === 'rules' && p.path[1] === 'threshold',
        ),
      ).toBe(true);
      expect(
        (
          await t.call('POST', '/v1/kpis/whatif', {
            role: 'rep',
            body: { from: FROM, to: TO, rules: draftRules },
          })
        ).status,
      ).toBe(403);
    });
  });

  describe('GET /v1/kpis/leads', () => {
    it('lists as many leads as each count of the report says, the ones leadsBehind picks', async () => {
      const from = '2025-02-03';
      const to = '2025-03-03';
      const report = await t.call('GET', kpiPath(from, to), { role: 'manager' });
      const counts: Record<LeadFigure, number> = {
        mql: report.json.totals.mqls,
        contacted: report.json.totals.contacted,
        sql: report.json.totals.acceptedSql,
        opportunity: report.json.totals.opportunities,
        won: report.json.totals.won,
        overdue: report.json.totals.overdueNow,
      };
      const [start, end] = periodBounds({ from, to }, zone);
      for (const figure of LEAD_FIGURES) {
        const res = await t.call('GET', `/v1/kpis/leads?from=${from}&to=${to}&figure=${figure}`, {
          role: 'marketer',
        });
        expect(res.status, res.text).toBe(200);
        expect(kpiLeadsReportSchema.safeParse(res.json).success).toBe(true);
        expect(res.json.total, figure).toBe(counts[figure]);
        const expected = leadsBehind(fold(history.events), figure, {
          start,
          end,
          now: Date.parse(res.json.now),
          rules,
        });
        expect(res.json.leads).toEqual(JSON.parse(JSON.stringify(expected.leads)));
        expect(res.json.label).toEqual(FIGURE_LABELS[figure]);
      }
      expect(counts.overdue + counts.mql).toBeGreaterThan(0);
    });

    it('refuses a rep, and an unknown figure by name', async () => {
      const rep = await t.call('GET', `/v1/kpis/leads?from=${FROM}&to=${TO}&figure=overdue`, { role: 'rep' });
      expect(rep.status).toBe(403);
      const bad = await t.call('GET', `/v1/kpis/leads?from=${FROM}&to=${TO}&figure=legacy_other`, {
        role: 'admin',
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error.problems[0].path).toEqual(['figure']);
    });
  });

  describe('GET /v1/kpis/review', () => {
    it('answers what scoringReview gives over the period’s folded facts', async () => {
      const res = await t.call('GET', `/v1/kpis/review?from=${FROM}&to=${TO}`, { role: 'marketer' });
      expect(res.status, res.text).toBe(200);
      expect(scoringReviewSchema.safeParse(res.json).success).toBe(true);
      const [start, end] = periodBounds({ from: FROM, to: TO }, zone);
      const inPeriod = fold(history.events).filter(
        (f) => f.handoffAt !== null && f.handoffAt >= start && f.handoffAt < end,
      );
      expect(res.json).toEqual(JSON.parse(JSON.stringify(scoringReview(inPeriod, rules))));
      expect(res.json.mqls).toBeGreaterThan(0);
      const rep = await t.call('GET', `/v1/kpis/review?from=${FROM}&to=${TO}`, { role: 'rep' });
      expect(rep.status).toBe(403);
    });

    it('judges by a version stored before exclusion rules, upgraded on read', async () => {
      // As releases before exclusions stored it: a fit floor on every trigger and no exclusions list.
      const { exclusions: _exclusions, ...rest } = rules;
      const old = { ...rest, triggers: rules.triggers.map((tr) => ({ ...tr, minFit: 0 })) };
      const draftVersion = await t.server.store.ruleVersions.createDraft(
        (version) => JSON.stringify({ ...old, version: { ...rules.version, number: version } }),
        'stored before exclusions',
        { tokenId: 'test', name: 'test', role: 'marketer' },
        Date.now(),
      );
      const res = await t.call('GET', `/v1/kpis/whatif?from=${FROM}&to=${TO}&draftVersion=${draftVersion}`, {
        role: 'manager',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.proposed.threshold).toBe(rules.threshold.total);
    });
  });

  describe('POST /v1/outcomes', () => {
    const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };

    it('refuses a bad file with every bad line, in both languages, and stores nothing', async () => {
      const before = await t.call('GET', kpiPath(FROM, TO), { role: 'admin' });
      const good = outcomesCsv(importable.slice(0, 3));
      const bad = `${good}salesforce,Lead,00Qxxxxxxxxxxxx,bought,2025-02-01\r\nsalesforce,Lead,00Qyyyyyyyyyyyy,won,someday\r\n`;
      const res = await t.call('POST', '/v1/outcomes', { role: 'marketer', raw: bad, headers: csvHeaders });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.problems.map((p: { path: unknown[] }) => p.path)).toEqual([
        ['line', 5],
        ['line', 6],
      ]);
      for (const problem of res.json.error.problems) {
        expect(problem.message.ja).toBeTruthy();
        expect(problem.message.en).toBeTruthy();
      }
      const after = await t.call('GET', kpiPath(FROM, TO), { role: 'admin' });
      expect({ ...after.json, now: null }).toEqual({ ...before.json, now: null });
    });

    it('folds a good file into the leads, and a second import of it changes nothing', async () => {
      expect(importable.length).toBeGreaterThan(20);
      const csv = outcomesCsv(importable);
      const leadCount = new Set(importable.map((o) => o.leadKey)).size;
      const first = await t.call('POST', '/v1/outcomes', { role: 'manager', raw: csv, headers: csvHeaders });
      expect(first.status, first.text).toBe(200);
      expect(outcomeImportResponseSchema.parse(first.json)).toMatchObject({
        imported: importable.length,
        leads: leadCount,
      });
      const report = await t.call('GET', kpiPath(FROM, TO), { role: 'admin' });
      const expected = computeKpis(fold(history.events, importable), {
        query: { from: FROM, to: TO, bandWidth: 10 },
        now: Date.parse(report.json.now),
        rules,
      });
      expect(report.json).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(report.json.totals.won).toBeGreaterThan(0);

      const again = await t.call('POST', '/v1/outcomes', { role: 'admin', raw: csv, headers: csvHeaders });
      expect(again.json).toEqual({
        imported: importable.length,
        leads: leadCount,
        unchanged: importable.length,
      });
      const unchanged = await t.call('GET', kpiPath(FROM, TO), { role: 'admin' });
      expect({ ...unchanged.json, now: null }).toEqual({ ...report.json, now: null });
    });

    it('takes text/csv only, and not from a rep', async () => {
      const json = await t.call('POST', '/v1/outcomes', { role: 'admin', body: { csv: 'crm' } });
      expect(json.status).toBe(415);
      expect(json.json.error.message.ja).toMatch(/text\/csv/);
      const rep = await t.call('POST', '/v1/outcomes', { role: 'rep', raw: 'crm', headers: csvHeaders });
      expect(rep.status).toBe(403);
    });

    it('takes a file above the JSON body cap, up to 5 MB', async () => {
      const row = 'salesforce,Lead,00Q000000000000AAA,lost,2025-02-01\r\n';
      const big = `crm,object,record_id,outcome,date\r\n${row.repeat(Math.ceil(400_000 / row.length))}`;
      const res = await t.call('POST', '/v1/outcomes', { role: 'admin', raw: big, headers: csvHeaders });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      const huge = `crm,object,record_id,outcome,date\r\n${'x'.repeat(5 * 1024 * 1024)}`;
      const tooBig = await t.call('POST', '/v1/outcomes', { role: 'admin', raw: huge, headers: csvHeaders });
      expect(tooBig.status).toBe(413);
    });
  });
});

describeBackends('the leads behind a count, with their CRM pages', (backend) => {
  it('links each lead to the record page a browser reported with its handoff', async () => {
    const t = await startTestServer(backend);
    try {
      const handoffAt = Date.parse('2025-02-04T10:00:00+09:00');
      const lead = (recordId: string) => ({ crm: 'salesforce' as const, object: 'Lead', recordId });
      const page = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view';
      const handoff = (recordId: string, url?: string): BatonEvent => ({
        type: 'handoff_observed',
        idempotencyKey: crypto.randomUUID(),
        occurredAt: new Date(handoffAt).toISOString(),
        lead: lead(recordId),
        rulesVersion: 0,
        actor: { name: 'Jane Smith' },
        handoffAt: new Date(handoffAt).toISOString(),
        dueAt: new Date(handoffAt + 3_600_000).toISOString(),
        reason: 'trigger',
        ...(url ? { url } : {}),
      });
      await postEvents(t, [handoff('00Q5g00000AbCdEFGH', page), handoff('00Q5g00000AbCdEXYZ')]);
      const res = await t.call('GET', '/v1/kpis/leads?from=2025-02-03&to=2025-02-10&figure=overdue', {
        role: 'manager',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.total).toBe(2);
      const urls = Object.fromEntries(
        res.json.leads.map((l: { leadKey: string; url: string | null }) => [l.leadKey, l.url]),
      );
      expect(urls).toEqual({
        'salesforce:Lead:00Q5g00000AbCdEFGH': page,
        'salesforce:Lead:00Q5g00000AbCdEXYZ': null,
      });
    } finally {
      await t.stop();
    }
  }, 60_000);
});

describeBackends('lead facts of a database from before them', (backend) => {
  it('are built from the stored events at start, and the KPIs read as before', async () => {
    const small = generateHistory({ leads: 300, seed: 7, from: FROM, weeks: WEEKS, rules });
    const first = await startTestServer(backend);
    let env: Record<string, string>;
    let before: unknown;
    try {
      env = first.env;
      await sendHistory(first, small.events);
      before = (await first.call('GET', kpiPath(FROM, TO), { role: 'admin' })).json;
    } finally {
      await first.stop();
    }
    // Back to a schema without lead_facts, events only: the migrations that made the table, its indexes
    // and its columns are undone.
    const db = await openDatabase(loadConfig(env));
    try {
      await db.exec('DROP TABLE lead_facts');
      await db.run('DELETE FROM schema_migrations WHERE version IN (2, 5, 6)');
    } finally {
      await db.close();
    }
    const second = await startTestServer(backend, env);
    try {
      const after = await second.call('GET', kpiPath(FROM, TO), { role: 'admin' });
      expect(after.status).toBe(200);
      expect({ ...after.json, now: null }).toEqual({ ...(before as object), now: null });
      expect(after.json.totals.mqls).toBeGreaterThan(0);
      expect(second.logs.some((line) => line.includes('lead facts backfilled'))).toBe(true);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

describeBackends('the demo installation', (backend) => {
  it('shows a living dashboard: a generated history of the last 12 weeks, seeded once', async () => {
    const first = await startTestServer(backend, { BATON_SEED_DEMO: '1' });
    let env: Record<string, string>;
    try {
      env = first.env;
      expect(await first.server.store.events.count()).toBeGreaterThan(4000);
      const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
      const from = new Date(Date.parse(today) - 90 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
      const res = await first.call('GET', kpiPath(from, to), { role: 'manager' });
      expect(res.status).toBe(200);
      expect(res.json.totals.mqls).toBeGreaterThan(1500);
      // The demo's won deals arrive as an outcome import would: the win rate is not an empty 0 %.
      expect(res.json.totals.won).toBeGreaterThan(0);
      expect(
        res.json.weeks.filter((w: { measures: { mqls: number } }) => w.measures.mqls > 0).length,
      ).toBeGreaterThanOrEqual(12);
    } finally {
      await first.stop();
    }
    // Seeded once: with the events gone, a second start must not store the history again.
    const db = await openDatabase(loadConfig(env));
    try {
      await db.run('DELETE FROM events');
    } finally {
      await db.close();
    }
    const again = await startTestServer(backend, env);
    try {
      expect(await again.server.store.events.count()).toBe(0);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
