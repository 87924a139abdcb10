/**
 * A small KPI report for the dashboard's component tests, built in the shapes lib/kpi answers with. Its
 * figures are chosen by hand; each test states the ones it reads.
 */
import type { KpiMeasures, KpiReport, WeekRow } from '../../../lib/kpi/types';

export function measures(over: Partial<KpiMeasures> = {}): KpiMeasures {
  return {
    mqls: 0,
    duplicates: 0,
    withVerdict: 0,
    notAboutQuality: 0,
    acceptedSql: 0,
    rejected: 0,
    recycled: 0,
    sqlRateOfVerdicts: null,
    sqlRateOfMqls: null,
    contacted: 0,
    contactedWithinSla: 0,
    contactRate: null,
    contactWithinSlaRate: null,
    timeToContact: {
      businessMedianMs: null,
      businessP90Ms: null,
      calendarMedianMs: null,
      calendarP90Ms: null,
    },
    overdueNow: 0,
    opportunities: 0,
    won: 0,
    opportunityRate: null,
    winRate: null,
    mqlToOpportunityRate: null,
    mqlToWonRate: null,
    ...over,
  };
}

export const week = (w: string, days: number, over: Partial<KpiMeasures> = {}): WeekRow => ({
  week: w,
  days,
  partial: days < 7,
  measures: measures(over),
  drift: { state: 'not_enough_data', verdicts: over.withVerdict ?? 0, needed: 20 },
});

const empty = { rulesVersion: [], owner: [], crm: [], reason: [], fitGrade: [], scoreBand: [] };

export function kpiReport(over: Partial<KpiReport> = {}): KpiReport {
  return {
    query: { from: '2026-11-01', to: '2026-12-01', bandWidth: 10 },
    now: '2026-11-25T01:00:00.000Z',
    zone: 'Asia/Tokyo',
    target: { min: 0.2, max: 0.3 },
    totals: measures(),
    drift: { state: 'not_enough_data', verdicts: 0, needed: 20 },
    weeks: [],
    breakdowns: empty,
    funnel: [],
    timeToContactHistogram: [],
    reasons: [],
    speedToLead: [],
    ...over,
  };
}
