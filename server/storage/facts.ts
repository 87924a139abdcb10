/**
 * lead_facts: one row per lead, folded from its events as they arrive (lib/kpi/facts.ts decides what a
 * fold means; this file only moves LeadFacts in and out of SQL). Reports read these small rows instead of
 * a million JSON event bodies.
 */

import { emptyFacts } from '../../lib/kpi/facts';
import type { GradeOrUnknown, HandoffReason, LeadFacts, LeadTimeline, Verdict } from '../../lib/kpi/types';
import type { CountedHandoffs, ReplayRow } from '../../lib/kpi/whatif';
import type { CrmId } from '../../lib/lead';
import { type Dialect, forUpdate, placeholders, type Sql, type SqlValue } from './db';
import type { EXPLAINED_COLUMNS } from './migrations';

/** Column of each LeadFacts field, in one order used by every statement below. */
const COLUMNS = [
  ['leadKey', 'lead_key'],
  ['crm', 'crm'],
  ['handoffAt', 'handoff_at'],
  ['dueAt', 'due_at'],
  ['reason', 'reason'],
  ['triggerId', 'trigger_id'],
  ['score', 'score'],
  ['fit', 'fit'],
  ['engagement', 'engagement'],
  ['fitGrade', 'fit_grade'],
  ['rulesVersion', 'rules_version'],
  ['owner', 'owner'],
  ['explanation', 'explanation'],
  ['firstContactAt', 'first_contact_at'],
  ['firstContactBusinessMs', 'first_contact_business_ms'],
  ['verdict', 'verdict'],
  ['verdictAt', 'verdict_at'],
  ['reasonCode', 'reason_code'],
  ['opportunityAt', 'opportunity_at'],
  ['wonAt', 'won_at'],
  ['lostAt', 'lost_at'],
  ['escalations', 'escalations'],
  ['timeline', 'timeline'],
] as const satisfies readonly (readonly [keyof LeadFacts, string])[];

// Compile-time: every LeadFacts field has a column.
type Missing = Exclude<keyof LeadFacts, (typeof COLUMNS)[number][0]>;
const _everyFieldStored: [Missing] extends [never] ? true : Missing = true;
void _everyFieldStored;

const ALL = COLUMNS.map(([, column]) => column);
const SELECT_ALL = ALL.join(', ');
export const EMPTY_TIMELINE_JSON = JSON.stringify(emptyTimeline());

function emptyTimeline(): LeadTimeline {
  return { contacts: [], opportunities: [], won: [], lost: [], escalations: [] };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A row as an array in COLUMNS order (raw rows on SQLite, array row mode on PostgreSQL). */
function factsFromArray(r: readonly unknown[]): LeadFacts {
  return {
    leadKey: r[0] as string,
    crm: r[1] as CrmId,
    handoffAt: num(r[2]),
    dueAt: num(r[3]),
    reason: r[4] as HandoffReason | null,
    triggerId: r[5] as string | null,
    score: num(r[6]),
    fit: num(r[7]),
    engagement: num(r[8]),
    fitGrade: r[9] as GradeOrUnknown,
    rulesVersion: num(r[10]),
    owner: r[11] as string,
    explanation: r[12] as string | null,
    firstContactAt: num(r[13]),
    firstContactBusinessMs: num(r[14]),
    verdict: r[15] as Verdict | null,
    verdictAt: num(r[16]),
    reasonCode: r[17] as string | null,
    opportunityAt: num(r[18]),
    wonAt: num(r[19]),
    lostAt: num(r[20]),
    escalations: Number(r[21]),
    timeline: JSON.parse(r[22] as string) as LeadTimeline,
  };
}

function factsToParams(f: LeadFacts, out: SqlValue[]): void {
  for (const [field] of COLUMNS) {
    out.push(field === 'timeline' ? JSON.stringify(f.timeline) : (f[field] as SqlValue));
  }
}

/** Same facts, field by field (what decides whether an import changed anything). */
export function sameFacts(a: LeadFacts, b: LeadFacts): boolean {
  return COLUMNS.every(([field]) =>
    field === 'timeline' ? JSON.stringify(a.timeline) === JSON.stringify(b.timeline) : a[field] === b[field],
  );
}

// 22 values a row: 1,000 rows stay well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const CHUNK = 1000;

/**
 * The stored facts of these leads, locked until the transaction ends. On PostgreSQL a lead without a row
 * gets an empty one first, so two batches folding into the same new lead wait for each other instead of
 * the second's upsert overwriting the first's fold. Keys are locked in sorted order (no deadlocks).
 */
export async function lockFacts(
  tx: Sql,
  dialect: Dialect,
  leads: ReadonlyMap<string, CrmId>,
  /** The caller already inserted the missing rows (PostgreSQL ingest does, in its one statement). */
  rowsInserted = false,
): Promise<Map<string, LeadFacts>> {
  const keys = [...leads.keys()].sort();
  const found = new Map<string, LeadFacts>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    if (dialect === 'postgres' && !rowsInserted) {
      // The same values as emptyFacts: folding into this row is folding into nothing.
      await tx.run(
        `INSERT INTO lead_facts (lead_key, crm, fit_grade, owner, escalations, timeline)
         VALUES ${chunk.map(() => "(?, ?, 'unknown', '', 0, ?)").join(', ')}
         ON CONFLICT (lead_key) DO NOTHING`,
        chunk.flatMap((key) => [key, leads.get(key)!, EMPTY_TIMELINE_JSON]),
      );
    }
    const rows = await tx.rows(
      `SELECT ${SELECT_ALL} FROM lead_facts WHERE lead_key IN (${placeholders(chunk.length)})
       ORDER BY lead_key${forUpdate(dialect)}`,
      chunk,
    );
    for (const row of rows) {
      const facts = factsFromArray(row);
      found.set(facts.leadKey, facts);
    }
  }
  return found;
}

/** Inserts or replaces whole rows. */
export async function writeFacts(tx: Sql, facts: readonly LeadFacts[]): Promise<void> {
  const sorted = [...facts].sort((a, b) => (a.leadKey < b.leadKey ? -1 : a.leadKey > b.leadKey ? 1 : 0));
  const row = `(${placeholders(COLUMNS.length)})`;
  const updates = ALL.filter((c) => c !== 'lead_key')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    const params: SqlValue[] = [];
    for (const f of chunk) factsToParams(f, params);
    await tx.run(
      `INSERT INTO lead_facts (${SELECT_ALL}) VALUES ${chunk.map(() => row).join(', ')}
       ON CONFLICT (lead_key) DO UPDATE SET ${updates}`,
      params,
    );
  }
}

/**
 * What each reader of a period needs, and nothing more: every column read costs the database and the
 * parse a value per lead. `report` is what lib/kpi/report.ts reads, `replay` what lib/kpi/whatif.ts reads,
 * `draft` the replay plus the recorded explanations. All but the explanation are in the covering index
 * (migrations.ts REPORT_COLUMNS); on SQLite `draft` and `review` read from a second one that has the
 * explanations too (EXPLAINED_COLUMNS). The server's tests compare each answer with the lib run over whole
 * rows, so a field a lib starts reading shows up there.
 */
export type PeriodRead = 'report' | 'replay' | 'draft' | 'review';

const READS = {
  report: [
    'handoff_at',
    'crm',
    'due_at',
    'reason',
    'score',
    'fit_grade',
    'rules_version',
    'owner',
    'first_contact_at',
    'first_contact_business_ms',
    'verdict',
    'reason_code',
    'opportunity_at',
    'won_at',
  ],
  replay: ['handoff_at', 'score', 'fit', 'engagement', 'reason', 'verdict', 'rules_version'],
  draft: ['handoff_at', 'score', 'fit', 'engagement', 'reason', 'verdict', 'rules_version', 'explanation'],
  // The scoring review (lib/kpi/scoring-review.ts): explanations with what became of each lead.
  review: [
    'handoff_at',
    'score',
    'reason',
    'verdict',
    'reason_code',
    'opportunity_at',
    'won_at',
    'explanation',
  ],
} as const satisfies Record<PeriodRead, readonly (typeof ALL)[number][]>;

// Compile-time: the reads with explanations stay inside their SQLite index.
const _explainedCovered: readonly (typeof EXPLAINED_COLUMNS)[number][] = [...READS.draft, ...READS.review];
void _explainedCovered;

/**
 * The facts of handoffs in [from, to), one JSON array per column: a few hundred thousand rows then cost
 * the database one pass building text and JavaScript one JSON.parse per column, where a row at a time
 * paid a driver call and an array per row (measured on 250,000 rows: about half the time).
 */
export function factsInPeriodSql(dialect: Dialect, read: PeriodRead): string {
  const aggregate =
    dialect === 'sqlite'
      ? (c: string) => `json_group_array(${c})`
      : (c: string) => `COALESCE(json_agg(${c}), '[]')::text`;
  return `SELECT ${READS[read].map(aggregate).join(', ')} FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`;
}

/**
 * A period row starts as lib/kpi's empty facts with its handoff time; the columns read fill the rest. The
 * timeline is shared: a report never reads it, and a fresh one per row of a quarter of a million costs.
 */
const SHARED_TIMELINE = Object.freeze({
  contacts: Object.freeze([]),
  opportunities: Object.freeze([]),
  won: Object.freeze([]),
  lost: Object.freeze([]),
  escalations: Object.freeze([]),
}) as unknown as LeadTimeline;
const blank = (handoffAt: number): LeadFacts => emptyFacts('', 'salesforce', handoffAt, SHARED_TIMELINE);

/** A period row to be filled by a read (kpi-read.ts): lib/kpi's empty facts with the shared timeline. */
export const blankPeriodRow = (): LeadFacts => blank(0);

/**
 * LeadFacts from the columns factsInPeriodSql read; a field the read leaves out keeps its empty value (a
 * period's rows are only ever reported on, never folded again).
 */
export function factsFromColumns(read: PeriodRead, row: readonly unknown[]): LeadFacts[] {
  const c = parseColumns(row);
  const handoffAt = c[0] as number[];
  const n = handoffAt.length;
  const facts = new Array<LeadFacts>(n);
  if (read === 'report') {
    for (let i = 0; i < n; i++) {
      const f = blank(0);
      fillReportRow(f, c, i);
      facts[i] = f;
    }
    return facts;
  }
  if (read === 'review') {
    const [, score, reason, verdict, code, opp, won, explanation] = c;
    for (let i = 0; i < n; i++) {
      const f = blank(handoffAt[i]!);
      f.score = score![i] as number | null;
      f.reason = reason![i] as HandoffReason | null;
      f.verdict = verdict![i] as Verdict | null;
      f.reasonCode = code![i] as string | null;
      f.opportunityAt = opp![i] as number | null;
      f.wonAt = won![i] as number | null;
      f.explanation = explanation![i] as string | null;
      facts[i] = f;
    }
    return facts;
  }
  const [, score, fit, engagement, reason, verdict, rulesVersion, explanation] = c;
  for (let i = 0; i < n; i++) {
    const f = blank(handoffAt[i]!);
    f.score = score![i] as number | null;
    f.fit = fit![i] as number | null;
    f.engagement = engagement![i] as number | null;
    f.reason = reason![i] as HandoffReason | null;
    f.verdict = verdict![i] as Verdict | null;
    f.rulesVersion = rulesVersion![i] as number | null;
    if (explanation) f.explanation = explanation[i] as string | null;
    facts[i] = f;
  }
  return facts;
}

/**
 * A handoff as the what-if replays it, with its explanation as stored (lib/kpi/rescore-text.ts reads it):
 * explanationText[explanationFrom, explanationTo), the text often shared by all rows of a read.
 */
export interface StoredReplayRow extends ReplayRow {
  /** Null when no explanation was recorded (or the read took none). */
  explanationText: string | null;
  explanationFrom: number;
  explanationTo: number;
}

/**
 * The what-if's rows straight from a 'replay' or 'draft' read: no LeadFacts in between, which the replay
 * would only copy five fields out of (a quarter of a million objects of 23 fields for the collector).
 */
export function replayRowsFromColumns(row: readonly unknown[]): StoredReplayRow[] {
  const c = parseColumns(row);
  const explanation = c[7];
  return replayRowsOf(c, (rows) => {
    if (!explanation) return;
    for (let i = 0; i < rows.length; i++) {
      const text = explanation[i] as string | null;
      rows[i]!.explanationText = text;
      rows[i]!.explanationTo = text === null ? 0 : text.length;
    }
  });
}

/**
 * SQLite's read for the what-if against a draft: the replay's columns, then the explanations as ONE
 * string with the length of each in bytes. As a JSON array of strings they cost an escaping pass over
 * every character and JSON.parse as much again, and a string per lead for the collector. PostgreSQL's
 * read is kpi-read.ts draftRecordsSql.
 */
export function draftReadSql(): string {
  const replay = READS.replay.map((c) => `json_group_array(${c})`);
  const explanations = [
    'json_group_array(length(CAST(explanation AS BLOB)))',
    "COALESCE(group_concat(explanation, ''), '')",
  ];
  return `SELECT ${[...replay, ...explanations].join(', ')} FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`;
}

/**
 * The rows of one draftReadSql row, each explanation a stretch of the one string; null when that string
 * is not all ASCII (its length in characters then differs from its length in bytes, and the stretches
 * cannot be told apart without decoding it): the caller reads the period the JSON way instead.
 */
export function draftRowsFrom(row: readonly unknown[]): StoredReplayRow[] | null {
  const c = parseColumns(row.slice(0, READS.replay.length + 1));
  const lengths = c[READS.replay.length] as (number | null)[];
  const text = row[READS.replay.length + 1] as string;
  let total = 0;
  for (const length of lengths) if (length !== null) total += length;
  if (total !== text.length) return null;
  return replayRowsOf(c, (rows) => {
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const length = lengths[i]!;
      if (length === null) continue;
      const r = rows[i]!;
      r.explanationText = text;
      r.explanationFrom = at;
      at += length;
      r.explanationTo = at;
    }
  });
}

/** Rows from parsed 'replay' columns, without explanations until `explain` fills them in. */
function replayRowsOf(
  c: readonly (readonly unknown[] | undefined)[],
  explain: (rows: StoredReplayRow[]) => void = () => {},
): StoredReplayRow[] {
  const [handoffAt, score, fit, engagement, reason, verdict, rulesVersion] = c;
  const n = handoffAt!.length;
  const rows = new Array<StoredReplayRow>(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      score: score![i] as number | null,
      fit: fit![i] as number | null,
      engagement: engagement![i] as number | null,
      reason: reason![i] as HandoffReason | null,
      verdict: verdict![i] as Verdict | null,
      handoffAt: handoffAt![i] as number,
      rulesVersion: rulesVersion![i] as number | null,
      explanationText: null,
      explanationFrom: 0,
      explanationTo: 0,
    };
  }
  explain(rows);
  return rows;
}

/** A read's columns, parsed: one array per column read, in READS order. */
export function parseColumns(row: readonly unknown[]): unknown[][] {
  return row.map((text) => JSON.parse(text as string) as unknown[]);
}

/** A 'report' read's columns, parsed, in READS.report order. */
type ReportColumns = readonly (readonly unknown[])[];

/** Row i of a 'report' read into f: the fields that read has, the others left as they are. */
function fillReportRow(f: LeadFacts, c: ReportColumns, i: number): void {
  f.handoffAt = c[0]![i] as number;
  f.crm = c[1]![i] as CrmId;
  f.dueAt = c[2]![i] as number | null;
  f.reason = c[3]![i] as HandoffReason | null;
  f.score = c[4]![i] as number | null;
  f.fitGrade = c[5]![i] as GradeOrUnknown;
  f.rulesVersion = c[6]![i] as number | null;
  f.owner = c[7]![i] as string;
  f.firstContactAt = c[8]![i] as number | null;
  f.firstContactBusinessMs = c[9]![i] as number | null;
  f.verdict = c[10]![i] as Verdict | null;
  f.reasonCode = c[11]![i] as string | null;
  f.opportunityAt = c[12]![i] as number | null;
  f.wonAt = c[13]![i] as number | null;
}

const NOT_BY_SCORE = "(reason IS NULL OR reason <> 'threshold')";
const NOT_DUPLICATE = "(verdict IS NULL OR verdict <> 'duplicate')";

/**
 * The threshold what-if's read: the handoffs by score as columns, and the others only counted, as the
 * replay would count them (lib/kpi/whatif.ts CountedHandoffs). Nearly half the period's leads are handed
 * over by trigger or by hand; their rows were read, parsed and built only to be counted. One statement,
 * so rows and counts come from one snapshot.
 */
export function replayByScoreSql(dialect: Dialect): string {
  const byScore =
    dialect === 'sqlite'
      ? (c: string) => `json_group_array(${c}) FILTER (WHERE reason = 'threshold')`
      : (c: string) => `COALESCE(json_agg(${c}) FILTER (WHERE reason = 'threshold'), '[]')::text`;
  const count = (condition: string) => `COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
  const columns = ['handoff_at', 'score', 'fit', 'engagement', 'verdict', 'rules_version'].map(byScore);
  const counts = [
    count(NOT_BY_SCORE),
    count(`${NOT_BY_SCORE} AND ${NOT_DUPLICATE}`),
    count(`${NOT_BY_SCORE} AND verdict IS NOT NULL AND verdict NOT IN ('duplicate', 'wrong_owner')`),
    count(`${NOT_BY_SCORE} AND verdict = 'accept_sql'`),
    count(`${NOT_BY_SCORE} AND ${NOT_DUPLICATE} AND score IS NULL`),
  ];
  return `SELECT ${[...columns, ...counts].join(', ')} FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`;
}

/** The rows and counts of one replayByScoreSql row. */
export function byScoreFromColumns(row: readonly unknown[]): {
  rows: ReplayRow[];
  counted: CountedHandoffs;
} {
  const [handoffAt, score, fit, engagement, verdict, rulesVersion] = parseColumns(row.slice(0, 6));
  const byScore = new Array<HandoffReason>(handoffAt!.length).fill('threshold');
  const rows = replayRowsOf([handoffAt, score, fit, engagement, byScore, verdict, rulesVersion]);
  // PostgreSQL's SUM is a bigint, which arrives as text.
  const [handoffs, mqls, withVerdict, accepted, unscored] = row.slice(6).map(Number);
  return {
    rows,
    counted: {
      handoffs: handoffs!,
      mqls: mqls!,
      withVerdict: withVerdict!,
      accepted: accepted!,
      unscored: unscored!,
    },
  };
}
