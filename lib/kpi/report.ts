/**
 * The KPI report of a period's handoffs, from LeadFacts rows: totals, weeks, breakdowns, funnel, time to
 * first contact and rejection reasons. One pass over the rows with counters per group; the percentiles
 * afterwards with selection over typed arrays, so a dashboard over a few hundred thousand leads answers
 * in well under a second.
 *
 * Definitions (the doc comments of ./types.ts say the same per field):
 * - The period is [from 00:00, to 00:00) in the rule set's calendar time zone: `to` is EXCLUSIVE, so
 *   from "2026-11-01" to "2026-12-01" is November. A row counts when its handoffAt falls in it.
 * - Weeks start on Monday 00:00 in that zone; a week cut by the period counts only its days inside it and
 *   is marked partial, with how many days it has, so a chart never reads it as a dip.
 * - Percentiles are nearest-rank: of n sorted values the p-th is the value at 1-based rank ceil(p·n/100);
 *   the median is the lower middle value for even n. Every reported time is one that really occurred.
 * - Contacted within SLA: first contact at or before dueAt (as lib/sla/status.ts judges "met").
 * - Overdue now: not contacted, dueAt before `now`, and no closing verdict. wrong_owner does not close a
 *   lead: it still waits for its right owner's first contact.
 * - Verdicts not about lead quality (wrong owner, reasons marked not_lead_quality) stay MQLs but out of the
 *   conversion rates' verdicts and drift; duplicates (the verdict, or a reason marked duplicate) are not
 *   MQLs at all and count only as duplicates. An opportunity or a win counts as SQL whatever else was said.
 */

import { DAY_MS, dayOfIsoDate, isoDateOfDay, zoneClock } from '../calendar/zone';
import type { ReasonAbout, RuleSet } from '../rules/schema';
import {
  CONTACTED_LATE,
  CONTACTED_WITHIN_SLA,
  contactStateOf,
  DUPLICATE,
  KINDS,
  NO_VERDICT,
  NOT_ABOUT_QUALITY,
  OVERDUE,
  RECYCLE,
  REJECT,
  SPEED_BANDS,
  SQL,
  speedBand,
  verdictCodeOf,
} from './classify';
import { ContactTimes } from './contact-times';
import { drift } from './drift';
import {
  compareKeys,
  compareText,
  FUNNEL_LABELS,
  keyText,
  labelOf,
  reasonLabelOf,
  SPEED_LABELS,
  VERDICT_LABELS,
} from './labels';
import type {
  BreakdownDimension,
  BreakdownRow,
  KpiMeasures,
  KpiQuery,
  KpiReport,
  LeadFacts,
  SpeedToLeadRow,
  WeekRow,
} from './types';

export { DRIFT_MIN_VERDICTS, drift } from './drift';

export const DEFAULT_BAND_WIDTH = 10;
/** Lower bounds, in business hours, of the time-to-first-contact histogram's buckets; the last is open. */
export const TIME_TO_CONTACT_BUCKET_HOURS = [0, 1, 2, 4, 8, 16, 24, 48] as const;

export interface KpiContext {
  query: KpiQuery;
  /** Epoch ms "overdue now" is judged at. */
  now: number;
  /** The active rule set: its calendar's zone, conversion target and feedback reasons. */
  rules: RuleSet;
}

export const BREAKDOWN_DIMENSIONS = [
  'rulesVersion',
  'owner',
  'crm',
  'reason',
  'fitGrade',
  'scoreBand',
] as const satisfies readonly BreakdownDimension[];

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday of the epoch; local days count from 1970-01-01, a Thursday. */
const FIRST_MONDAY = 4;

/** Dimension slots of a contacted row's groups: totals, week, then BREAKDOWN_DIMENSIONS in order. */
const SLOTS = 2 + BREAKDOWN_DIMENSIONS.length;

export function computeKpis(rows: Iterable<LeadFacts>, ctx: KpiContext): KpiReport {
  const { query, now, rules } = ctx;
  const bandWidth = query.bandWidth ?? DEFAULT_BAND_WIDTH;
  if (!Number.isInteger(bandWidth) || bandWidth < 1) {
    throw new RangeError(`bandWidth must be a whole number of 1 or more, got ${bandWidth}`);
  }
  const zone = zoneClock(rules.calendar.timeZone);
  const fromDay = dayOfIsoDate(query.from, 'from');
  const toDay = dayOfIsoDate(query.to, 'to');
  const start = zone.dayStart(fromDay);
  const end = zone.dayStart(toDay);

  const weekDays: number[] = [];
  const weekStarts: number[] = [];
  for (let day = fromDay - mod(fromDay - FIRST_MONDAY, 7); day < toDay; day += 7) {
    weekDays.push(day);
    weekStarts.push(zone.dayStart(day));
  }
  const weekCount = weekStarts.length;
  const firstWeekStart = weekStarts[0] ?? start;

  const groups = new Groups(1 + weekCount);
  const maps = BREAKDOWN_DIMENSIONS.map(() => new Map<string | number | null, number>());
  const histogram = new Array<number>(TIME_TO_CONTACT_BUCKET_HOURS.length).fill(0);
  const reasonCounts = {
    reject: new Map<string, number>(),
    recycle: new Map<string, number>(),
    wrong_owner: new Map<string, number>(),
    duplicate: new Map<string, number>(),
  };
  const about = new Map<string, ReasonAbout>(
    rules.feedbackReasons.map((r) => [r.code, r.about ?? 'lead_quality']),
  );
  const speed = SPEED_BANDS.map(() => ({ mqls: 0, sqls: 0, won: 0 }));
  const contacts = new ContactTimes(SLOTS, Array.isArray(rows) ? rows.length : 0);
  const rowGroups = new Int32Array(SLOTS);
  const groupOf = (map: Map<string | number | null, number>, key: string | number | null) => {
    let group = map.get(key);
    if (group === undefined) {
      group = groups.add();
      map.set(key, group);
    }
    return group;
  };

  for (const row of rows) {
    const handoffAt = row.handoffAt;
    if (handoffAt === null || handoffAt < start || handoffAt >= end) continue;

    // DST switches move week starts by an hour either way of the estimate (and past the last week).
    let week = Math.min(Math.floor((handoffAt - firstWeekStart) / WEEK_MS), weekCount - 1);
    while (week > 0 && handoffAt < weekStarts[week]!) week--;
    while (week + 1 < weekCount && handoffAt >= weekStarts[week + 1]!) week++;
    rowGroups[0] = 0;
    rowGroups[1] = 1 + week;
    const score = row.score;
    rowGroups[2] = groupOf(maps[0]!, row.rulesVersion);
    rowGroups[3] = groupOf(maps[1]!, row.owner);
    rowGroups[4] = groupOf(maps[2]!, row.crm);
    rowGroups[5] = groupOf(maps[3]!, row.reason);
    rowGroups[6] = groupOf(maps[4]!, row.fitGrade);
    rowGroups[7] = groupOf(maps[5]!, score === null ? null : Math.floor(score / bandWidth) * bandWidth);

    const verdict = row.verdict;
    const contactAt = row.firstContactAt;
    const dueAt = row.dueAt;
    const verdictCode = verdictCodeOf(row, about);
    const contactState = contactStateOf(row, verdictCode, now);
    const kind =
      verdictCode * 16 +
      contactState * 4 +
      (row.opportunityAt === null ? 0 : 2) +
      (row.wonAt === null ? 0 : 1);
    const counts = groups.counts;
    for (let s = 0; s < SLOTS; s++) counts[rowGroups[s]! * KINDS + kind]! += 1;

    if (verdict !== null && verdict !== 'accept_sql') {
      const code = verdict === 'reject' || verdict === 'recycle' ? row.reasonCode : verdict;
      if (code !== null) {
        const byCode = reasonCounts[verdict];
        byCode.set(code, (byCode.get(code) ?? 0) + 1);
      }
    }
    // A duplicate is not an MQL: its contact times and speed say nothing about handling MQLs.
    if (verdictCode === DUPLICATE) continue;
    if (contactAt !== null) {
      const business = row.firstContactBusinessMs;
      contacts.add(rowGroups, business, contactAt - handoffAt);
      if (business !== null) histogram[bucketOf(business)]! += 1;
    }
    const band = speed[speedBand(handoffAt, contactAt, dueAt)]!;
    band.mqls++;
    if (verdictCode === SQL) band.sqls++;
    if (row.wonAt !== null) band.won++;
  }

  const times = contacts.percentiles(groups.size);
  const target = { min: rules.conversionTarget.min, max: rules.conversionTarget.max };
  const measuresOf = (group: number) => measures(groups.counts, group, times);

  const weeks: WeekRow[] = weekDays.map((day, w) => {
    const m = measuresOf(1 + w);
    const days = Math.min(day + 7, toDay) - Math.max(day, fromDay);
    return { week: isoDateOfDay(day), days, partial: days < 7, measures: m, drift: drift(m, target) };
  });

  const breakdowns = {} as Record<BreakdownDimension, BreakdownRow[]>;
  BREAKDOWN_DIMENSIONS.forEach((dimension, d) => {
    const entries = [...maps[d]!].map(([key, group]) => ({ key, m: measuresOf(group) }));
    entries.sort((a, b) => compareKeys(dimension, a.key, b.key, a.m.mqls, b.m.mqls));
    breakdowns[dimension] = entries.map(({ key, m }) => ({
      key: keyText(dimension, key, bandWidth),
      label: labelOf(dimension, key, bandWidth),
      measures: m,
    }));
  });

  const totals = measuresOf(0);
  const reasonLabels = new Map(rules.feedbackReasons.map((r) => [r.code, r.label]));
  const reasons = (['reject', 'recycle', 'wrong_owner', 'duplicate'] as const)
    .flatMap((verdict) => [...reasonCounts[verdict]].map(([code, count]) => ({ verdict, code, count })))
    .sort((a, b) => b.count - a.count || compareText(a.verdict, b.verdict) || compareText(a.code, b.code))
    .map((r) => ({
      ...r,
      label:
        r.verdict === 'wrong_owner' || r.verdict === 'duplicate'
          ? VERDICT_LABELS[r.verdict]
          : reasonLabelOf(r.code, reasonLabels),
      about:
        r.verdict === 'wrong_owner'
          ? ('not_lead_quality' as const)
          : r.verdict === 'duplicate'
            ? ('duplicate' as const)
            : (about.get(r.code) ?? 'lead_quality'),
    }));
  const speedToLead: SpeedToLeadRow[] = SPEED_BANDS.map((band, i) => {
    const c = speed[i]!;
    return {
      band,
      label: SPEED_LABELS[band],
      ...c,
      sqlRate: share(c.sqls, c.mqls),
      winRate: share(c.won, c.mqls),
    };
  });

  return {
    query: { from: query.from, to: query.to, bandWidth },
    now: new Date(now).toISOString(),
    zone: rules.calendar.timeZone,
    target,
    totals,
    drift: drift(totals, target),
    weeks,
    breakdowns,
    funnel: [
      { stage: 'mql', label: FUNNEL_LABELS.mql, count: totals.mqls },
      { stage: 'contacted', label: FUNNEL_LABELS.contacted, count: totals.contacted },
      { stage: 'sql', label: FUNNEL_LABELS.sql, count: totals.acceptedSql },
      { stage: 'opportunity', label: FUNNEL_LABELS.opportunity, count: totals.opportunities },
      { stage: 'won', label: FUNNEL_LABELS.won, count: totals.won },
    ],
    timeToContactHistogram: TIME_TO_CONTACT_BUCKET_HOURS.map((fromHours, i) => ({
      fromHours,
      toHours: TIME_TO_CONTACT_BUCKET_HOURS[i + 1] ?? null,
      count: histogram[i]!,
    })),
    reasons,
    speedToLead,
  };
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

function bucketOf(businessMs: number): number {
  const hours = businessMs / HOUR_MS;
  let i = TIME_TO_CONTACT_BUCKET_HOURS.length - 1;
  while (i > 0 && hours < TIME_TO_CONTACT_BUCKET_HOURS[i]!) i--;
  return i;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function measures(counts: Int32Array, group: number, times: Float64Array): KpiMeasures {
  let mqls = 0;
  let duplicates = 0;
  let notAboutQuality = 0;
  let withVerdict = 0;
  let acceptedSql = 0;
  let rejected = 0;
  let recycled = 0;
  let contacted = 0;
  let contactedWithinSla = 0;
  let overdueNow = 0;
  let opportunities = 0;
  let won = 0;
  for (let kind = 0; kind < KINDS; kind++) {
    const n = counts[group * KINDS + kind]!;
    if (n === 0) continue;
    const verdictCode = kind >> 4;
    const contactState = (kind >> 2) & 3;
    if (verdictCode === DUPLICATE) {
      duplicates += n;
      continue;
    }
    mqls += n;
    if (verdictCode === NOT_ABOUT_QUALITY) notAboutQuality += n;
    else if (verdictCode !== NO_VERDICT) withVerdict += n;
    if (verdictCode === SQL) acceptedSql += n;
    if (verdictCode === REJECT) rejected += n;
    if (verdictCode === RECYCLE) recycled += n;
    if (contactState >= CONTACTED_LATE) contacted += n;
    if (contactState === CONTACTED_WITHIN_SLA) contactedWithinSla += n;
    if (contactState === OVERDUE) overdueNow += n;
    if (kind & 2) opportunities += n;
    if (kind & 1) won += n;
  }
  const t = (offset: number) => {
    const value = times[group * 4 + offset]!;
    return Number.isNaN(value) ? null : value;
  };
  return {
    mqls,
    duplicates,
    withVerdict,
    notAboutQuality,
    acceptedSql,
    rejected,
    recycled,
    sqlRateOfVerdicts: share(acceptedSql, withVerdict),
    sqlRateOfMqls: share(acceptedSql, mqls),
    contacted,
    contactedWithinSla,
    contactRate: share(contacted, mqls),
    contactWithinSlaRate: share(contactedWithinSla, mqls),
    timeToContact: {
      businessMedianMs: t(0),
      businessP90Ms: t(1),
      calendarMedianMs: t(2),
      calendarP90Ms: t(3),
    },
    overdueNow,
    opportunities,
    won,
    opportunityRate: share(opportunities, acceptedSql),
    winRate: share(won, opportunities),
    mqlToOpportunityRate: share(opportunities, mqls),
    mqlToWonRate: share(won, mqls),
  };
}

// ---------------------------------------------------------------------------------------------------
// Groups and their counters

class Groups {
  counts: Int32Array;
  size: number;

  constructor(initial: number) {
    this.size = initial;
    this.counts = new Int32Array(Math.max(64, initial * 2) * KINDS);
  }

  add(): number {
    if ((this.size + 1) * KINDS > this.counts.length) {
      const grown = new Int32Array(this.counts.length * 2);
      grown.set(this.counts);
      this.counts = grown;
    }
    return this.size++;
  }
}
