/**
 * The draft re-weighing of ./whatif.ts (rescoreForDraft, draftScorer) read straight from the stored
 * explanation text. Decoding a quarter of a million explanations into ten line objects each cost the
 * what-if against a draft more than its arithmetic (and most of its garbage collection); here each line's
 * rule id is looked up as it is read and its points summed into the rule's slot, nothing else is kept.
 *
 * The answer must be the decoded path's to the bit (tests compare them on generated and damaged text):
 *  - text decodeExplanation refuses gives null, whatever line is damaged, as it does;
 *  - each rule's lines are summed in line order with the same expression, before capping and rounding;
 *  - rules are added as whole points, so the order they are added in cannot change the total.
 */
import type { RuleSet } from '../rules/schema';
import { RULE_ID } from './explanation';
import { type ReplayScore, type RulesById, rulesById } from './whatif';

/** Rule ids seen in explanations but not in the draft, proven well-formed once; bounded against a flood. */
const MAX_REMEMBERED_IDS = 10_000;
const NOT_IN_DRAFT = -1;

/** Per recorded version: each draft rule's recorded points (NaN: the recorded set does not have it). */
type RecordedPoints = Float64Array;

/**
 * The lead's score under the draft, from its stored explanation and the version that scored it; with
 * `from` and `to`, the explanation is text[from, to) (many explanations read as one string).
 */
export type TextScorer = (
  text: string | null,
  rulesVersion: number | null,
  from?: number,
  to?: number,
) => ReplayScore | null;

/**
 * A scorer equal to draftScorer(draft, recordedFor) applied to decodeExplanation(text), without the lines.
 */
export function textDraftScorer(
  draft: RuleSet,
  recordedFor: (rulesVersion: number | null) => RuleSet | undefined,
): TextScorer {
  const draftRules = rulesById(draft);
  // Slots: the draft's fit rules, then its engagement rules.
  const fitSlots = new IdTable();
  const engagementSlots = new IdTable();
  const points: number[] = [];
  const caps: number[] = [];
  const isFit: boolean[] = [];
  const ids: string[] = [];
  for (const [kind, slots] of [
    ['fit', fitSlots],
    ['engagement', engagementSlots],
  ] as const) {
    for (const [id, rule] of draftRules[kind]) {
      // An id decoding would refuse is left to slotOf, which refuses it the same way.
      if (!RULE_ID.test(id)) continue;
      slots.set(id, points.length);
      ids.push(id);
      points.push(rule.points);
      caps.push(rule.cap ?? Number.NaN);
      isFit.push(kind === 'fit');
    }
  }
  const slotCount = points.length;
  const recordedByVersion = new Map<number | null, RecordedPoints | undefined>();
  const recordedOf = (version: number | null): RecordedPoints | undefined => {
    if (recordedByVersion.has(version)) return recordedByVersion.get(version);
    const rules = recordedFor(version);
    let recorded: RecordedPoints | undefined;
    if (rules) {
      const byId: RulesById = rulesById(rules);
      recorded = new Float64Array(slotCount);
      for (let slot = 0; slot < slotCount; slot++) {
        const rule = byId[isFit[slot] ? 'fit' : 'engagement'].get(ids[slot]!);
        recorded[slot] = rule ? rule.points : Number.NaN;
      }
    }
    recordedByVersion.set(version, recorded);
    return recorded;
  };
  let remembered = 0;
  /**
   * The slot of the well-formed rule id text[from, to) (of hashOf `hash`), NOT_IN_DRAFT, or undefined
   * when it is not well-formed.
   */
  const slotOf = (
    slots: IdTable,
    text: string,
    from: number,
    to: number,
    hash: number,
  ): number | undefined => {
    const slot = slots.find(text, from, to, hash);
    if (slot !== undefined) return slot;
    const id = text.slice(from, to);
    if (!RULE_ID.test(id)) return undefined;
    if (remembered < MAX_REMEMBERED_IDS) {
      remembered++;
      slots.set(id, NOT_IN_DRAFT);
    }
    return NOT_IN_DRAFT;
  };

  const sums = new Float64Array(slotCount);
  const touched = new Int32Array(slotCount);
  return (text, rulesVersion, from = 0, to = text?.length ?? 0) => {
    if (text === null) return null;
    const recorded = recordedOf(rulesVersion);
    let count = 0;
    let start = from;
    // An empty explanation has no lines (score 0); otherwise every '|'-separated part must be a line:
    // kind, ':', rule id, ':', points. Each is read in one pass over its characters, nothing cut out; the
    // id ends at the first ':' (an id never holds one, and a line with a third ':' has points that are
    // no number, as decoding, which takes the last ':', finds the id no id).
    while (to > from) {
      const kind = start < to ? text.charCodeAt(start) : -1;
      const slots = kind === 102 /* f */ ? fitSlots : kind === 101 /* e */ ? engagementSlots : null;
      if (slots === null || start + 1 >= to || text.charCodeAt(start + 1) !== 58) {
        return clear(sums, touched, count);
      }
      let idEnd = start + 2;
      let hash = 0;
      let c = -1;
      for (; idEnd < to; idEnd++) {
        c = text.charCodeAt(idEnd);
        if (c === 58 /* : */ || c === 124 /* | */) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      if (idEnd === to || c !== 58) return clear(sums, touched, count);
      let end: number = idEnd + 1;
      while (end < to && text.charCodeAt(end) !== 124) end++;
      const linePoints = pointsOf(text, idEnd + 1, end);
      const slot = slotOf(slots, text, start + 2, idEnd, hash);
      if (slot === undefined || idEnd + 1 === end || !Number.isFinite(linePoints)) {
        return clear(sums, touched, count);
      }
      if (slot !== NOT_IN_DRAFT) {
        const recordedPoints = recorded === undefined ? Number.NaN : recorded[slot]!;
        if (sums[slot] === 0 && !isTouched(touched, count, slot)) touched[count++] = slot;
        sums[slot]! += Number.isNaN(recordedPoints)
          ? linePoints
          : (linePoints * points[slot]!) / recordedPoints;
      }
      if (end === to) break;
      start = end + 1;
    }
    let fit = 0;
    let engagement = 0;
    for (let i = 0; i < count; i++) {
      const slot = touched[i]!;
      const sum = sums[slot]!;
      sums[slot] = 0;
      if (isFit[slot]) {
        fit += Math.round(sum);
      } else {
        const cap = caps[slot]!;
        engagement += Math.round(Number.isNaN(cap) ? sum : Math.max(-cap, Math.min(cap, sum)));
      }
    }
    return { total: fit + engagement, fit, engagement };
  };
}

function isTouched(touched: Int32Array, count: number, slot: number): boolean {
  for (let i = 0; i < count; i++) if (touched[i] === slot) return true;
  return false;
}

/** A damaged explanation: the sums so far are dropped and the lead has no score, as decoding gives. */
function clear(sums: Float64Array, touched: Int32Array, count: number): null {
  for (let i = 0; i < count; i++) sums[touched[i]!] = 0;
  return null;
}

/**
 * Number(text.slice(from, to)) without the slice: a plain decimal of up to 15 digits is an integer over a
 * power of ten, both exact, so one division rounds it as Number does; anything else goes to Number.
 */
function pointsOf(text: string, from: number, to: number): number {
  let i = from;
  const negative = text.charCodeAt(i) === 45; /* - */
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 1;
  let point = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (point) scale *= 10;
    } else if (c === 46 /* . */ && !point) {
      point = true;
    } else {
      return Number(text.slice(from, to));
    }
  }
  if (digits === 0 || digits > 15) return Number(text.slice(from, to));
  const value = mantissa / scale;
  return negative ? -value : value;
}

/**
 * Rule ids by their text, found in a longer string without cutting it out: by a hash of the characters,
 * then compared in place. A handful of ids, looked up ten times per lead.
 */
class IdTable {
  private readonly byHash = new Map<number, { id: string; slot: number }[]>();

  set(id: string, slot: number): void {
    const hash = hashOf(id, 0, id.length);
    const entries = this.byHash.get(hash);
    const existing = entries?.find((entry) => entry.id === id);
    if (existing) existing.slot = slot;
    else if (entries) entries.push({ id, slot });
    else this.byHash.set(hash, [{ id, slot }]);
  }

  /** The slot of text[from, to), whose hashOf is `hash`. */
  find(text: string, from: number, to: number, hash: number): number | undefined {
    const entries = this.byHash.get(hash);
    if (entries === undefined) return undefined;
    for (const { id, slot } of entries) {
      if (id.length === to - from && text.startsWith(id, from)) return slot;
    }
    return undefined;
  }
}

function hashOf(text: string, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}
