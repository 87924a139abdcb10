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
import type { Database } from '../storage/db';
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
  const state = await s.store.leadState(leads.map((l) => l.leadKey));
  for (const lead of leads) lead.url = recordPageOf(state.get(lead.leadKey));
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
 * The page a browser saw the lead on: the handoff's, else an escalation step's (both were checked to be
 * a page of the lead's CRM when they arrived). Only https addresses are given out: the console links them.
 */
function recordPageOf(slots: Map<string, string> | undefined): string | null {
  for (const slot of ['handoff', 'escalation']) {
    const body = slots?.get(slot);
    if (body === undefined) continue;
    const url = (JSON.parse(body) as { url?: unknown }).url;
    if (typeof url !== 'string') continue;
    try {
      if (new URL(url).protocol === 'https:') return url;
    } catch {
      // Not an address: look further.
    }
  }
  return null;
}
