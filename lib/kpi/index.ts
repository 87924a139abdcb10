/**
 * KPIs of the handoff: events folded into one row per lead, the report of a period, the threshold what-if,
 * CSV in and out, and test histories.
 */

export { OUTCOMES_CSV_MAX_ROWS, parseOutcomesCsv, readCsv, toCsv } from './csv';
export { decodeExplanation, type ExplanationLine, encodeExplanation } from './explanation';
export { emptyFacts, foldEvent, foldOutcome, TIMELINE_MAX_ENTRIES } from './facts';
export { acceptChance, type GeneratedHistory, type GenerateOptions, generateHistory } from './generate';
export { FIGURE_LABELS, type LeadsBehind, leadsBehind } from './leads';
export {
  BREAKDOWN_DIMENSIONS,
  computeKpis,
  DRIFT_MIN_VERDICTS,
  drift,
  type KpiContext,
  TIME_TO_CONTACT_BUCKET_HOURS,
} from './report';
export type * from './types';
export {
  draftScorer,
  type ReplayLead,
  type ReplayScore,
  replayLeadsFrom,
  rescoreForDraft,
  type ScoreOf,
  type WhatIfOptions,
  whatIf,
} from './whatif';
