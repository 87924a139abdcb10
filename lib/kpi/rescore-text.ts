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

/** The lead's score under the draft, from its stored explanation and the version that scored it. */
export type TextScorer = (text: string | null, rulesVersion: number | null) => ReplayScore | null;

/**
 * A scorer equal to draftScorer(draft, recordedFor) applied to decodeExplanation(text), without the lines.
 */
export function textDraftScorer(
  draft: RuleSet,
  recordedFor: (rulesVersion: number | null) => RuleSet | undefined,
): TextScorer {
  const draftRules = rulesById(draft);
  // Slots: the draft's fit rules, then its engagement rules.
  const fitSlots = new Map<string, number>();
  const engagementSlots = new Map<string, number>();
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
  /** The slot of a well-formed rule id, NOT_IN_DRAFT, or undefined when the id is not well-formed. */
  const slotOf = (slots: Map<string, number>, id: string): number | undefined => {
    const slot = slots.get(id);
    if (slot !== undefined) return slot;
    if (!RULE_ID.test(id)) return undefined;
    if (remembered < MAX_REMEMBERED_IDS) {
      remembered++;
      slots.set(id, NOT_IN_DRAFT);
    }
    return NOT_IN_DRAFT;
  };

  const sums = new Float64Array(slotCount);
  const touched = new Int32Array(slotCount);
  return (text, rulesVersion) => {
    if (text === null) return null;
    const recorded = recordedOf(rulesVersion);
    let count = 0;
    let start = 0;
    // '' is an explanation with no lines (score 0); otherwise every '|'-separated part must be a line.
    while (text.length > 0) {
      let end = text.indexOf('|', start);
      if (end === -1) end = text.length;
      const c = text.charCodeAt(start);
      const slots = c === 102 /* f */ ? fitSlots : c === 101 /* e */ ? engagementSlots : null;
      const last = text.lastIndexOf(':', end - 1);
      if (slots === null || end - start < 2 || text.charCodeAt(start + 1) !== 58 || last - start <= 2) {
        return clear(sums, touched, count);
      }
      const digits = text.slice(last + 1, end);
      const linePoints = Number(digits);
      const slot = slotOf(slots, text.slice(start + 2, last));
      if (slot === undefined || digits === '' || !Number.isFinite(linePoints)) {
        return clear(sums, touched, count);
      }
      if (slot !== NOT_IN_DRAFT) {
        const recordedPoints = recorded === undefined ? Number.NaN : recorded[slot]!;
        if (sums[slot] === 0 && !isTouched(touched, count, slot)) touched[count++] = slot;
        sums[slot]! += Number.isNaN(recordedPoints)
          ? linePoints
          : (linePoints * points[slot]!) / recordedPoints;
      }
      if (end === text.length) break;
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
