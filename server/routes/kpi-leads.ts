/**
 * GET /v1/kpis/leads: the leads behind a count of the dashboard ("Overdue now 210" → those 210 leads),
 * with each lead's record page in its CRM as a browser last saw it. Read from lead_facts with the same
 * classification as the report (lib/kpi/leads.ts), so the list holds exactly the leads the count counts.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { Env as HonoEnv } from 'hono/types';
import { periodBounds } from '../../lib/calendar/zone';
import { kpiLeadsQuerySchema } from '../../lib/kpi/api';
import { emptyFacts } from '../../lib/kpi/facts';
import { FIGURE_LABELS, leadsBehind } from '../../lib/kpi/leads';
import type { KpiLeadsReport, LeadFacts, Verdict } from '../../lib/kpi/types';
import type { CrmId } from '../../lib/lead';
import type { Problem } from '../../lib/problems';
import type { KpiService } from '../kpis';
import { builtInMessage, problemsOf } from '../problems';
import { type Database, placeholders } from '../storage/db';
import type { Store } from '../storage/store';

export interface KpiLeadsServices {
  store: Store;
  kpis: KpiService;
  clock: () => number;
}

/** What the app already has for every KPI route: who may read KPIs, and how bad input is answered. */
export interface KpiLeadsGuards<E extends HonoEnv> {
  readKpis: MiddlewareHandler<E>;
  invalidInput: (problems: Problem[]) => Error;
}

export function registerKpiLeadsRoute<E extends HonoEnv>(
  app: Hono<E>,
  s: KpiLeadsServices,
  guards: KpiLeadsGuards<E>,
): void {
  app.get('/v1/kpis/leads', guards.readKpis, async (c) => {
    const parsed = kpiLeadsQuerySchema.safeParse(c.req.query(), { error: builtInMessage });
    if (!parsed.success) throw guards.invalidInput(problemsOf(parsed.error));
    return c.json(await kpiLeads(s, parsed.data));
  });
}

export async function kpiLeads(s: KpiLeadsServices, query: KpiLeadsReport['query']): Promise<KpiLeadsReport> {
  const { rules } = await s.kpis.active();
  const [start, end] = periodBounds(query, rules.calendar.timeZone);
  const now = s.clock();
  const { total, leads } = leadsBehind(await factsForList(s.store.db, start, end), query.figure, {
    start,
    end,
    now,
    rules,
  });
  const pages = await recordPages(
    s.store.db,
    leads.map((l) => l.leadKey),
  );
  for (const lead of leads) lead.url = pages.get(lead.leadKey) ?? null;
  return {
    query: { from: query.from, to: query.to, bandWidth: query.bandWidth, figure: query.figure },
    now: new Date(now).toISOString(),
    label: FIGURE_LABELS[query.figure],
    total,
    leads,
  };
}

/** The fields a list needs of the period's leads, with their keys (the report's read leaves keys out). */
async function factsForList(db: Database, start: number, end: number): Promise<LeadFacts[]> {
  const rows = await db.rows(
    `SELECT lead_key, crm, handoff_at, due_at, score, owner, first_contact_at, verdict, reason_code,
            opportunity_at, won_at
       FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`,
    [start, end],
  );
  const num = (v: unknown) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    ...emptyFacts(r[0] as string, r[1] as CrmId),
    handoffAt: num(r[2]),
    dueAt: num(r[3]),
    score: num(r[4]),
    owner: r[5] as string,
    firstContactAt: num(r[6]),
    verdict: r[7] as Verdict | null,
    reasonCode: r[8] as string | null,
    opportunityAt: num(r[9]),
    wonAt: num(r[10]),
  }));
}

/**
 * The page a browser saw each lead on: its handoff's, else an escalation step's (both were checked to be a
 * page of the lead's CRM when they arrived), from the latest event of each kind kept per lead. Only https
 * addresses are given out: the console links them.
 */
async function recordPages(db: Database, leadKeys: readonly string[]): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  // "IN ()" is a syntax error on PostgreSQL: no leads, nothing to read.
  if (leadKeys.length === 0) return pages;
  const rows = await db.all<{ lead_key: string; slot: string; body: string }>(
    `SELECT lead_key, slot, body FROM lead_state
      WHERE slot IN ('handoff', 'escalation') AND lead_key IN (${placeholders(leadKeys.length)})`,
    leadKeys,
  );
  // The handoff's page first: escalation rows only fill in leads it left without one.
  rows.sort((a, b) => Number(a.slot !== 'handoff') - Number(b.slot !== 'handoff'));
  for (const row of rows) {
    if (pages.has(row.lead_key)) continue;
    const url = (JSON.parse(row.body) as { url?: unknown }).url;
    if (typeof url === 'string' && isHttps(url)) pages.set(row.lead_key, url);
  }
  return pages;
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
