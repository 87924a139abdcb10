/**
 * Explainable scoring: fit from the lead's fields, engagement from its activities (capped and decayed),
 * and the first moment the lead qualified. Points are summed as integers (milli-points per activity,
 * whole points per rule), so the explanation adds up to the score exactly and the same inputs give the
 * same result in every browser, whatever order a page listed the activities in.
 */
import type { LocalizedText } from '../i18n';
import type { LeadSnapshot, Stage } from '../lead';
import { normalizeTextCached, parseInstant } from '../normalize';
import type { FitGrade } from '../sla/schema';
import { activityColumnsOf } from './columns';
import {
  type CompiledRules,
  type CompiledTrigger,
  interestIn,
  matchActivity,
  matchById,
  type TypeInterest,
} from './compile';
import { holds, rawField, writeMasks } from './fields';

/** One rule's share of the score, after caps and decay; the explanation is the list of them. */
export interface Contribution {
  ruleId: string;
  kind: 'fit' | 'engagement';
  label: LocalizedText;
  /** Whole points; the contributions of a kind sum exactly to that kind's score. */
  points: number;
  /** Engagement: activities counted (up to now and inside the rule's window). */
  activities?: number;
  /** Engagement: the rule's cap cut its total. */
  capped?: boolean;
}

export interface Scores {
  fit: number;
  engagement: number;
  total: number;
}

/**
 * Behaviour events and trigger hits packed one number each: time × 256 + rule (or trigger) index. A rule
 * set holds at most 200 behaviour rules and 100 triggers, and epoch ms stay below 2^44, so the packed value
 * is an exact integer below 2^53; sorting numbers then orders by time, then index, without an object per
 * activity (scoring 200,000 activities is mostly allocation and sorting otherwise).
 */
const RULE_SLOTS = 256;

// Division by a power of two and floor are exact here; `%` on doubles this large is a slow fmod call.
const unpackAt = (packed: number) => Math.floor(packed / RULE_SLOTS);
const unpackIndex = (packed: number) => packed - unpackAt(packed) * RULE_SLOTS;

/**
 * Numbers in a buffer reused from lead to lead: this lead's are the first `length` of `values`. Scoring
 * 10,000 leads would otherwise allocate and grow three arrays per lead (an eighth of all it allocates).
 */
export interface PackedList {
  values: Float64Array;
  length: number;
}

function packedList(): PackedList {
  return { values: new Float64Array(64), length: 0 };
}

/**
 * The list's buffer, grown if full, for a store at list.length: `reserve(list)[list.length++] = value`.
 * The value is stored by the caller rather than passed in: a number this large passed to a call V8 does
 * not inline is boxed in a fresh heap number, and whether V8 inlines a call inside prepareLead's loop
 * varied from run to run (0 to 1.5 MB a batch of such boxes, by heap profile).
 */
function reserve(list: PackedList): Float64Array {
  if (list.length === list.values.length) {
    const grown = new Float64Array(list.values.length * 2);
    grown.set(list.values);
    list.values = grown;
  }
  return list.values;
}

/**
 * Ascending, in place. A lead has a few dozen activities at most, and for lists that short insertion sort
 * is several times faster than sorting with a comparator.
 */
function sortNumbers(list: PackedList): void {
  const values = list.values;
  const n = list.length;
  if (n > 64) {
    values.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
}

/**
 * A lead's activities, matched against the rules once and sorted by time. There is one, reused by every
 * prepareLead along with its lists: read it before preparing another lead (evaluateLead does,
 * synchronously). A prepared lead per lead was a sixteenth of what a batch allocated.
 */
export interface PreparedLead {
  readonly fields: LeadFields;
  /** Packed (see RULE_SLOTS), ascending. */
  readonly events: PackedList;
  /** Packed (see RULE_SLOTS), ascending. */
  readonly triggerHits: PackedList;
  /** Times of first-contact activities (call, email_sent, meeting as the rules say), ascending. */
  readonly outbound: PackedList;
  /** What the fit rules, exclusions and ICP see of the fields (./fields.ts fieldMasks), one per group. */
  readonly masks: Int32Array;
}

/** A lead's field values as the page showed them. */
export interface LeadFields {
  /** The value, or undefined when the lead has none or only blanks. */
  raw(field: string): string | undefined;
}

class SnapshotFields implements LeadFields {
  values: Readonly<Record<string, string>> = {};

  raw(field: string): string | undefined {
    return rawField(this.values, field);
  }
}

const fields = new SnapshotFields();
const events = packedList();
const triggerHits = packedList();
const outbound = packedList();
const prepared = { fields, events, triggerHits, outbound, masks: new Int32Array(16) };

/**
 * Matches the snapshot's activities against the rules. Activities after `now` are left out: a clock
 * skewed forward in one browser must not change another's result.
 */
export function prepareLead(compiled: CompiledRules, snapshot: LeadSnapshot, now: number): PreparedLead {
  events.length = 0;
  triggerHits.length = 0;
  outbound.length = 0;
  const types = compiled.typeTable;
  const byType = compiled.interestByType;
  const activities = snapshot.activities;
  // One loop for both ways of reading an activity: the branch always goes the same way for a lead, and
  // one copy of the packing below keeps the two paths from drifting apart.
  const columns = activityColumnsOf(activities);
  for (let k = 0; k < activities.length; k++) {
    let interest: TypeInterest | undefined;
    let at: number;
    if (columns !== undefined) {
      interest = byType[columns.store.types[columns.start + k]!];
      if (interest === undefined) continue;
      at = columns.store.instants[columns.start + k]!;
    } else {
      const activity = activities[k]!;
      interest = interestIn(types, activity.type);
      if (interest === undefined) continue;
      at = parseInstant(activity.at);
    }
    // Also drops unparsable times (NaN) and times before 1970, which packing cannot hold.
    if (!(at <= now && at >= 0)) continue;
    if (interest.firstContact) reserve(outbound)[outbound.length++] = at;
    const matches =
      columns !== undefined
        ? matchById(interest, columns.store, columns.start + k, activities[k]!)
        : matchActivity(interest, activities[k]!.title, activities[k]!.url);
    const packedAt = at * RULE_SLOTS;
    const rules = matches.engagement;
    for (let i = 0; i < rules.length; i++) reserve(events)[events.length++] = packedAt + rules[i]!;
    const triggers = matches.triggers;
    for (let i = 0; i < triggers.length; i++)
      reserve(triggerHits)[triggerHits.length++] = packedAt + triggers[i]!;
  }
  // Sorting by time (then rule) makes every later sum independent of the page's listing order.
  sortNumbers(events);
  sortNumbers(triggerHits);
  sortNumbers(outbound);
  fields.values = snapshot.fields;
  const groups = compiled.fields.groups.length;
  if (prepared.masks.length < groups) prepared.masks = new Int32Array(groups * 2);
  writeMasks(compiled.fields, snapshot.fields, prepared.masks);
  return prepared;
}

/** The fit score, with its contributions. */
export function scoreFit(
  compiled: CompiledRules,
  lead: PreparedLead,
  explanation: Contribution[] | null,
): number {
  let fit = 0;
  for (const rule of compiled.fitRules) {
    if (!holds(lead.masks, rule.checks)) continue;
    fit += rule.points;
    explanation?.push({ ruleId: rule.id, kind: 'fit', label: rule.label, points: rule.points });
  }
  return fit;
}

/** Whether the lead matches the ICP. */
export function icpMatchOf(compiled: CompiledRules, lead: PreparedLead): boolean {
  return holds(lead.masks, compiled.fields.icp);
}

/**
 * Math.round for an activity's decayed milli-points. Math.round branches on the fraction, which goes either
 * way at random here and costs a misprediction every other activity; floor(x + 0.5) has no such branch and
 * equals Math.round(x) for |x| < 2^52 but at 0.49999999999999994 (the sum rounds up to 1) and in the sign
 * of a zero, which no sum can show (they start at +0).
 */
function roundTerm(x: number): number {
  return x < 2 ** 52 && x > -(2 ** 52) && x !== 0.49999999999999994 ? Math.floor(x + 0.5) : Math.round(x);
}

// Scratch space reused across calls (scoring is synchronous, so no two calls interleave).
let milli = new Float64Array(16);
let counts = new Uint32Array(16);

/**
 * The engagement score as it stood at `at`: each activity's points decayed by its age then, rounded to
 * milli-points; each rule's sum capped and rounded to whole points.
 */
export function engagementAt(
  compiled: CompiledRules,
  events: PackedList,
  at: number,
  explanation: Contribution[] | null,
): number {
  const rules = compiled.engagementRules;
  if (milli.length < rules.length) {
    milli = new Float64Array(rules.length * 2);
    counts = new Uint32Array(rules.length * 2);
  } else {
    // A loop, not fill(): for the handful of rules a rule set has, the builtin's call costs more than the stores.
    for (let i = 0; i < rules.length; i++) {
      milli[i] = 0;
      counts[i] = 0;
    }
  }
  const end = (at + 1) * RULE_SLOTS;
  const packed = events.values;
  for (let k = 0; k < events.length; k++) {
    const event = packed[k]!;
    if (event >= end) break;
    const index = unpackIndex(event);
    const rule = rules[index]!;
    const age = at - unpackAt(event);
    if (rule.windowMs !== null && age > rule.windowMs) continue;
    const factor = rule.decayRate === null ? 1 : Math.exp(-age * rule.decayRate);
    milli[index]! += roundTerm(rule.points * 1000 * factor);
    counts[index]!++;
  }
  let total = 0;
  for (let i = 0; i < rules.length; i++) {
    if (counts[i] === 0) continue;
    const rule = rules[i]!;
    let sum = milli[i]!;
    let capped = false;
    if (rule.capMilli !== null) {
      if (sum > rule.capMilli) {
        sum = rule.capMilli;
        capped = true;
      } else if (sum < -rule.capMilli) {
        sum = -rule.capMilli;
        capped = true;
      }
    }
    const points = Math.round(sum / 1000);
    total += points;
    if (explanation !== null && points !== 0) {
      const activities = counts[i]!;
      // Two literals rather than adding `capped` afterwards, which would allocate a property store.
      explanation.push(
        capped
          ? { ruleId: rule.id, kind: 'engagement', label: rule.label, points, activities, capped }
          : { ruleId: rule.id, kind: 'engagement', label: rule.label, points, activities },
      );
    }
  }
  return total;
}

export function fitGradeOf(compiled: CompiledRules, fit: number): FitGrade {
  const { A, B, C } = compiled.rules.fitGrades;
  return fit >= A ? 'A' : fit >= B ? 'B' : fit >= C ? 'C' : 'D';
}

/** A handoff the activity history shows (lib/evaluate.ts Handoff, which adds the CRM's MQL date). */
export interface Qualification {
  at: number;
  reason: 'trigger' | 'score';
  triggerId?: string;
}

/** The first exclusion rule that holds for the lead (it is never handed over), or null. */
export function exclusionOf(
  compiled: CompiledRules,
  lead: PreparedLead,
): { id: string; label: LocalizedText } | null {
  for (const exclusion of compiled.exclusions) {
    if (holds(lead.masks, exclusion.checks)) return { id: exclusion.id, label: exclusion.label };
  }
  return null;
}

/**
 * The first trigger hit at or after `from`, as its position in lead.triggerHits (read with triggerAt and
 * triggerOf), or -1: it hands the lead over whatever its fit and engagement, unless an exclusion rule
 * holds (or the rules require an ICP match it lacks). A position rather than an object: this runs two or
 * three times per lead, and a position needs no allocation.
 */
export function firstTrigger(
  compiled: CompiledRules,
  lead: PreparedLead,
  icpMatch: boolean,
  from: number,
): number {
  if (compiled.rules.requireIcpMatch && !icpMatch) return -1;
  if (exclusionOf(compiled, lead) !== null) return -1;
  const { values, length } = lead.triggerHits;
  for (let k = 0; k < length; k++) if (unpackAt(values[k]!) >= from) return k;
  return -1;
}

/** The time of the trigger hit at position k of lead.triggerHits. */
export function triggerAt(lead: PreparedLead, k: number): number {
  return unpackAt(lead.triggerHits.values[k]!);
}

/** The trigger of the hit at position k of lead.triggerHits. */
export function triggerOf(compiled: CompiledRules, lead: PreparedLead, k: number): CompiledTrigger {
  return compiled.triggers[unpackIndex(lead.triggerHits.values[k]!)]!;
}

/**
 * The first moment at or after `from` the lead qualified: a trigger's time, or the first activity at
 * which the running score reached the threshold (it only rises at activities; decay only lowers it). A
 * lead whose fit alone clears the threshold qualified when it was created (`createdAt`). Deterministic,
 * so every browser reconstructs the same handoff without asking anyone.
 */
export function firstQualified(
  compiled: CompiledRules,
  lead: PreparedLead,
  fit: number,
  icpMatch: boolean,
  from: number,
  createdAt: number | null,
): Qualification | null {
  const hit = firstTrigger(compiled, lead, icpMatch, from);
  const hitAt = hit < 0 ? Number.POSITIVE_INFINITY : triggerAt(lead, hit);
  const byScore = firstScoreCrossing(compiled, lead, fit, icpMatch, from, createdAt, hitAt);
  if (hit >= 0 && (byScore === null || hitAt <= byScore)) {
    return { at: hitAt, reason: 'trigger', triggerId: triggerOf(compiled, lead, hit).id };
  }
  return byScore === null ? null : { at: byScore, reason: 'score' };
}

function firstScoreCrossing(
  compiled: CompiledRules,
  lead: PreparedLead,
  fit: number,
  icpMatch: boolean,
  from: number,
  createdAt: number | null,
  stopAt: number,
): number | null {
  const { rules } = compiled;
  const { total, minFit, minEngagement } = rules.threshold;
  if (rules.requireIcpMatch && !icpMatch) return null;
  if (minFit !== undefined && fit < minFit) return null;
  if (exclusionOf(compiled, lead) !== null) return null;
  const needed = Math.max(total - fit, minEngagement ?? Number.NEGATIVE_INFINITY);
  const events = lead.events;
  if (needed <= 0 && createdAt !== null && createdAt >= from && createdAt < stopAt) {
    if (engagementAt(compiled, events, createdAt, null) >= needed) return createdAt;
  }
  // Undecayed, capped positive points so far: an upper bound on engagement that is cheap to keep, so the
  // exact (decayed) score is computed only at activities where crossing is possible. Points and caps are
  // whole numbers, so the bound is too, and each rule's rounded decayed share stays below its part of it.
  const engagementRules = compiled.engagementRules;
  if (undecayed.length < engagementRules.length) undecayed = new Float64Array(engagementRules.length * 2);
  else for (let i = 0; i < engagementRules.length; i++) undecayed[i] = 0;
  let bound = 0;
  let positiveHere = false;
  const packed = events.values;
  for (let i = 0; i < events.length; i++) {
    const event = packed[i]!;
    const index = unpackIndex(event);
    const at = unpackAt(event);
    const rule = engagementRules[index]!;
    if (rule.points > 0) {
      const cap = rule.capMilli ?? Number.POSITIVE_INFINITY;
      const previous = Math.min(undecayed[index]!, cap);
      undecayed[index]! += rule.points * 1000;
      bound += Math.min(undecayed[index]!, cap) - previous;
      positiveHere = true;
    }
    // All activities at one instant count together; the score can only have risen if one was positive.
    if (i + 1 < events.length && packed[i + 1]! < (at + 1) * RULE_SLOTS) continue;
    const rose = positiveHere;
    positiveHere = false;
    if (!rose || at < from) continue;
    if (at >= stopAt) return null;
    if (bound / 1000 < needed) continue;
    if (engagementAt(compiled, events, at, null) >= needed) return at;
  }
  return null;
}

let undecayed = new Float64Array(16);

/** The stage a CRM status value means under the rules, or undefined when the value is not mapped. */
export function stageFromStatus(
  compiled: CompiledRules,
  crm: LeadSnapshot['crm'],
  status: string | undefined,
) {
  if (status === undefined) return undefined;
  return compiled.statusStages.get(crm)?.get(normalizeTextCached(status)) as Stage | undefined;
}
