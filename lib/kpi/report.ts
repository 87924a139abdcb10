/**
 * The KPI report of a period's handoffs, from LeadFacts rows: totals, weeks, breakdowns, funnel, time to
 * first contact and rejection reasons. One pass over the rows with counters per group; the percentiles
 * afterwards with selection over typed arrays, so a dashboard over a few hundred thousand leads answers
 * in well under a second.
 *
 * Definitions (the doc comments of ./types.ts say the same per field):
 * - The period is [from 00:00, to 00:00) in the rule set's calendar time zone: `to` is EXCLUSIVE, so
 *   from "2026-11-01" to "2026-12-01" is November. A row counts when its handoffAt falls in it.
 * - Weeks start on Monday 00:00 in that zone; a week cut by the period counts only its days inside it.
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
import type { LocalizedText } from '../i18n';
import type { CrmId } from '../lead';
import { percentText } from '../rules/describe';
import type { ReasonAbout, RuleSet } from '../rules/schema';
import { isOverdue } from '../sla/state';
import type {
  BreakdownDimension,
  BreakdownRow,
  Drift,
  GradeOrUnknown,
  HandoffReason,
  KpiMeasures,
  KpiQuery,
  KpiReport,
  LeadFacts,
  SpeedBand,
  SpeedToLeadRow,
  WeekRow,
} from './types';

/** Fewer verdicts than this in a period or week say nothing reliable about the conversion rate. */
export const DRIFT_MIN_VERDICTS = 20;
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

/**
 * A row's kind: its verdict (none, SQL, reject, recycle, not about quality, duplicate), contact state
 * (untouched, overdue, contacted late, contacted within SLA), opportunity and won, packed into 0..95. A
 * group counts rows per kind, one increment per row and group; the measures are sums over kinds afterwards.
 */
const KINDS = 96;
const NO_VERDICT = 0;
export const SQL = 1;
const REJECT = 2;
const RECYCLE = 3;
const NOT_ABOUT_QUALITY = 4;
export const DUPLICATE = 5;

const SPEED_BANDS: readonly SpeedBand[] = [
  'within_5_minutes',
  'within_1_hour',
  'within_sla',
  'later',
  'never',
];
const SPEED_LABELS: Record<SpeedBand, LocalizedText> = {
  within_5_minutes: { ja: '5分以内', en: 'Within 5 minutes' },
  within_1_hour: { ja: '1時間以内', en: 'Within 1 hour' },
  within_sla: { ja: 'SLA の期限内', en: 'Within the SLA' },
  later: { ja: '期限後', en: 'After the due time' },
  never: { ja: '未コンタクト', en: 'Not contacted' },
};
const MINUTE_MS = 60_000;

/** The speed-to-lead band of a handoff (calendar time, first matching band). */
function speedBand(handoffAt: number, contactAt: number | null, dueAt: number | null): number {
  if (contactAt === null) return 4;
  const waited = contactAt - handoffAt;
  if (waited <= 5 * MINUTE_MS) return 0;
  if (waited <= 60 * MINUTE_MS) return 1;
  if (dueAt !== null && contactAt <= dueAt) return 2;
  return 3;
}

/** The verdict code of a row: what the verdict says about lead quality; an opportunity means SQL. */
export function verdictCodeOf(row: LeadFacts, about: ReadonlyMap<string, ReasonAbout>): number {
  if (row.opportunityAt !== null) return SQL;
  switch (row.verdict) {
    case null:
      return NO_VERDICT;
    case 'accept_sql':
      return SQL;
    case 'wrong_owner':
      return NOT_ABOUT_QUALITY;
    case 'duplicate':
      return DUPLICATE;
    case 'reject':
    case 'recycle': {
      const reason = row.reasonCode === null ? undefined : about.get(row.reasonCode);
      if (reason === 'duplicate') return DUPLICATE;
      if (reason === 'not_lead_quality') return NOT_ABOUT_QUALITY;
      return row.verdict === 'reject' ? REJECT : RECYCLE;
    }
  }
}
const UNTOUCHED = 0;
const OVERDUE = 1;
const CONTACTED_LATE = 2;
const CONTACTED_WITHIN_SLA = 3;

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
  const contacts = new ContactTimes(Array.isArray(rows) ? rows.length : 0);
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
    let contactState: number;
    if (contactAt !== null) {
      contactState = dueAt !== null && contactAt <= dueAt ? CONTACTED_WITHIN_SLA : CONTACTED_LATE;
    } else {
      const closed = verdictCode !== 0 && verdict !== 'wrong_owner';
      contactState = !closed && dueAt !== null && isOverdue(dueAt, now) ? OVERDUE : UNTOUCHED;
    }
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
    return { week: isoDateOfDay(day), measures: m, drift: drift(m, target) };
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
          : (reasonLabels.get(r.code) ?? { ja: r.code, en: r.code }),
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

const VERDICT_LABELS = {
  wrong_owner: { ja: '担当者違い', en: 'Wrong owner' },
  duplicate: { ja: '重複', en: 'Duplicate' },
} as const satisfies Record<string, LocalizedText>;

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
// Drift against the conversion target

/** Where the MQL→SQL rate of verdicts stands against the target band, with what it suggests. */
export function drift(
  m: Pick<KpiMeasures, 'withVerdict' | 'acceptedSql'>,
  target: { min: number; max: number },
): Drift {
  if (m.withVerdict < DRIFT_MIN_VERDICTS) {
    return { state: 'not_enough_data', verdicts: m.withVerdict, needed: DRIFT_MIN_VERDICTS };
  }
  const rate = m.acceptedSql / m.withVerdict;
  const band = `${percentText(target.min)}–${percentText(target.max)}`;
  if (rate < target.min) {
    return {
      state: 'below',
      rate,
      message: {
        ja: `MQL→SQL 転換率 ${percentText(rate)} は目標 ${band} を下回っています。閾値が低すぎて、見込みの薄いリードまで営業に渡っている可能性があります。閾値の引き上げを検討してください。`,
        en: `MQL→SQL conversion of ${percentText(rate)} is below the target of ${band}: the threshold is likely too low, handing weak leads to sales. Consider raising it.`,
      },
    };
  }
  if (rate > target.max) {
    return {
      state: 'above',
      rate,
      message: {
        ja: `MQL→SQL 転換率 ${percentText(rate)} は目標 ${band} を上回っています。閾値が高すぎて、閾値未満のリードから生まれるはずの商談を逃している可能性があります。閾値の引き下げを検討してください。`,
        en: `MQL→SQL conversion of ${percentText(rate)} is above the target of ${band}: the threshold is likely too high, and opportunities are being lost among leads below it. Consider lowering it.`,
      },
    };
  }
  return { state: 'within', rate };
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

/**
 * Time to first contact of contacted rows with the groups each belongs to; afterwards, per group, the
 * nearest-rank median and p90 of business and calendar ms, found by selection in one reused buffer.
 */
class ContactTimes {
  private length = 0;
  /** groups[slot][i]: the group of contacted row i in that slot; one array per slot keeps passes sequential. */
  private groups: Int32Array[];
  private business: Float64Array;
  private calendar: Float64Array;

  constructor(capacity: number) {
    const size = Math.max(1024, capacity);
    this.groups = Array.from({ length: SLOTS }, () => new Int32Array(size));
    this.business = new Float64Array(size);
    this.calendar = new Float64Array(size);
  }

  add(rowGroups: Int32Array, businessMs: number | null, calendarMs: number): void {
    const i = this.length;
    if (i === this.business.length) {
      const capacity = i * 2;
      this.groups = this.groups.map((slot) => grow(slot, capacity));
      this.business = grow(this.business, capacity);
      this.calendar = grow(this.calendar, capacity);
    }
    for (let slot = 0; slot < SLOTS; slot++) this.groups[slot]![i] = rowGroups[slot]!;
    // NaN marks a row whose business time is unknown (an old row): it counts in calendar times only.
    this.business[i] = businessMs ?? Number.NaN;
    this.calendar[i] = calendarMs;
    this.length = i + 1;
  }

  /** Per group g: [g*4] business median, +1 business p90, +2 calendar median, +3 calendar p90; NaN: none. */
  percentiles(groupCount: number): Float64Array {
    const out = new Float64Array(groupCount * 4).fill(Number.NaN);
    const scratch = { buffer: new Float64Array(this.length), offsets: new Int32Array(groupCount + 1) };
    for (let slot = 0; slot < SLOTS; slot++) {
      const groups = this.groups[slot]!;
      percentilesOfSlot(this.business, groups, this.length, scratch, out, 0);
      percentilesOfSlot(this.calendar, groups, this.length, scratch, out, 2);
    }
    return out;
  }
}

/**
 * The groups of one slot (say, the owners) partition the rows: their values are laid out group by group
 * in the buffer (a counting sort by group), then each group's median and p90 selected in place.
 */
function percentilesOfSlot(
  values: Float64Array,
  groups: Int32Array,
  length: number,
  scratch: { buffer: Float64Array; offsets: Int32Array },
  out: Float64Array,
  column: number,
): void {
  const { buffer, offsets } = scratch;
  const groupCount = offsets.length - 1;
  offsets.fill(0);
  // NaN: a row whose business time is unknown.
  for (let i = 0; i < length; i++) if (!Number.isNaN(values[i])) offsets[groups[i]! + 1]! += 1;
  for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, groupCount);
  for (let i = 0; i < length; i++) {
    const value = values[i]!;
    if (!Number.isNaN(value)) buffer[cursor[groups[i]!]!++] = value;
  }
  for (let g = 0; g < groupCount; g++) {
    const lo = offsets[g]!;
    const n = offsets[g + 1]! - lo;
    // Groups of other slots are empty here.
    if (n === 0) continue;
    const median = lo + ((n + 1) >> 1) - 1;
    const p90 = lo + Math.floor((90 * n + 99) / 100) - 1;
    select(buffer, lo, lo + n - 1, median);
    out[g * 4 + column] = buffer[median]!;
    select(buffer, median, lo + n - 1, p90);
    out[g * 4 + column + 1] = buffer[p90]!;
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (n: number) => T)(capacity);
  grown.set(array);
  return grown;
}

/**
 * Hoare's selection: afterwards a[k] is the value a sort would put there, everything in [left, k) is at
 * most it and everything in (k, right] at least it.
 */
function select(a: Float64Array, left: number, right: number, k: number): void {
  let lo = left;
  let hi = right;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot keeps sorted or equal-valued runs from going quadratic.
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

// ---------------------------------------------------------------------------------------------------
// Keys, order and labels of breakdown rows

const REASON_ORDER: Record<HandoffReason, number> = { threshold: 0, trigger: 1, manual: 2 };
const GRADE_ORDER: Record<GradeOrUnknown, number> = { A: 0, B: 1, C: 2, D: 3, unknown: 4 };

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Dimensions with a natural order keep it (versions and score bands ascending, reasons and grades in
 * their own order); owners and CRMs go by MQLs, most first. The unknown group is always last.
 */
function compareKeys(
  dimension: BreakdownDimension,
  a: string | number | null,
  b: string | number | null,
  mqlsA: number,
  mqlsB: number,
): number {
  const unknownA = a === null || a === '' || a === 'unknown';
  const unknownB = b === null || b === '' || b === 'unknown';
  if (unknownA || unknownB) return Number(unknownA) - Number(unknownB);
  switch (dimension) {
    case 'rulesVersion':
    case 'scoreBand':
      return (a as number) - (b as number);
    case 'reason':
      return REASON_ORDER[a as HandoffReason] - REASON_ORDER[b as HandoffReason];
    case 'fitGrade':
      return GRADE_ORDER[a as GradeOrUnknown] - GRADE_ORDER[b as GradeOrUnknown];
    case 'owner':
    case 'crm':
      return mqlsB - mqlsA || compareText(String(a), String(b));
  }
}

function keyText(dimension: BreakdownDimension, key: string | number | null, bandWidth: number): string {
  if (key === null || key === 'unknown') return '';
  if (dimension === 'scoreBand') return `${key}-${(key as number) + bandWidth - 1}`;
  return String(key);
}

const CRM_NAMES: Record<CrmId, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics: 'Dynamics 365',
  zoho: 'Zoho CRM',
  pipedrive: 'Pipedrive',
  kintone: 'kintone',
};

const REASON_LABELS: Record<HandoffReason, LocalizedText> = {
  threshold: { ja: 'スコア到達', en: 'Score threshold' },
  trigger: { ja: 'トリガー', en: 'Trigger' },
  // The extension reports a handoff dated by the CRM's own MQL field as manual: someone set it there.
  manual: { ja: '手動・CRM の MQL 日付', en: 'By hand or the CRM’s MQL date' },
};

const FUNNEL_LABELS = {
  mql: { ja: 'MQL', en: 'MQL' },
  contacted: { ja: '初回コンタクト済み', en: 'Contacted' },
  sql: { ja: 'SQL として受け入れ', en: 'Accepted as SQL' },
  opportunity: { ja: '商談化', en: 'Opportunity' },
  won: { ja: '受注', en: 'Won' },
} as const satisfies Record<string, LocalizedText>;

const UNKNOWN: Record<BreakdownDimension, LocalizedText> = {
  rulesVersion: { ja: 'バージョン不明', en: 'Unknown version' },
  owner: { ja: '担当者不明', en: 'No owner' },
  crm: { ja: 'CRM 不明', en: 'Unknown CRM' },
  reason: { ja: '理由不明', en: 'Unknown reason' },
  fitGrade: { ja: '属性ランク不明', en: 'Fit grade unknown' },
  scoreBand: { ja: 'スコアなし', en: 'No score' },
};

function labelOf(
  dimension: BreakdownDimension,
  key: string | number | null,
  bandWidth: number,
): LocalizedText {
  if (key === null || key === '' || key === 'unknown') return UNKNOWN[dimension];
  switch (dimension) {
    case 'rulesVersion':
      return key === 0
        ? { ja: '既定ルール', en: 'Built-in default' }
        : { ja: `バージョン ${key}`, en: `Version ${key}` };
    case 'owner':
      return { ja: String(key), en: String(key) };
    case 'crm': {
      const name = CRM_NAMES[key as CrmId] ?? String(key);
      return { ja: name, en: name };
    }
    case 'reason':
      return REASON_LABELS[key as HandoffReason];
    case 'fitGrade':
      return { ja: `属性ランク ${key}`, en: `Fit grade ${key}` };
    case 'scoreBand': {
      const text = `${key}–${(key as number) + bandWidth - 1}`;
      return { ja: text, en: text };
    }
  }
}
