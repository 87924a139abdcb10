/**
 * The KPI report's read of a period, slimmed for the served path. Every value the database aggregates
 * and JavaScript parses costs about the same whatever it holds (on 250,000 rows: ~12 ms a column to build
 * on SQLite, ~35 ms a column in PostgreSQL's json_agg, ~10 ms a column to parse), so this read sends fewer
 * and shorter values than facts.ts READS.report, which the plain path keeps as the reference:
 *  - crm, reason, fit grade and verdict, and whether there was an opportunity or a win, travel as one
 *    small integer per row, kept by the database as rows are written (migrations.ts KPI_CODED);
 *  - instants travel relative to the handoff (and the handoff relative to the period's start): the same
 *    integers, with three fewer digits each.
 * A row holding a value outside the coded lists makes the whole period read again the plain way
 * (EventStore.reportInPeriod), so any text stored reads back as stored. lib/kpi/report.ts reads the
 * opportunity and win only as "happened or not", so that is all this read carries of them; the server's
 * tests hold its answers to the plain path's, byte for byte.
 */
import type { GradeOrUnknown, HandoffReason, LeadFacts, Verdict } from '../../lib/kpi/types';
import type { CrmId } from '../../lib/lead';
import type { Dialect } from './db';
import { blankPeriodRow, parseColumns, type StoredReplayRow } from './facts';
import { KPI_CODE_BITS, KPI_CODED, KPI_OPPORTUNITY, KPI_OTHER, KPI_WON } from './migrations';

// Compile-time: the coded values are values of their fields.
const _codedValues: [
  readonly CrmId[],
  readonly HandoffReason[],
  readonly GradeOrUnknown[],
  readonly Verdict[],
] = [KPI_CODED[0][1], KPI_CODED[1][1], KPI_CODED[2][1], KPI_CODED[3][1]];
void _codedValues;

/** Columns in the order reportRowsOf reads them: numbers, then owner, reason_code and the code. */
const VALUES = [
  'handoff_at - CAST(? AS BIGINT)',
  'due_at - handoff_at',
  'first_contact_at - handoff_at',
  'first_contact_business_ms',
  'score',
  'rules_version',
  'owner',
  'reason_code',
  'kpi_code',
];
const NUMBERS = 6;

/** In the PostgreSQL read's code: the row's reason_code is not null (its text is among the row's pieces). */
const HAS_REASON_CODE = KPI_WON << 1;
/** Bytes of a row in the PostgreSQL read: its numbers as float8, then its code as int4. */
const ROW_BYTES = NUMBERS * 8 + 4;
/**
 * A null number in the PostgreSQL read: a signalling NaN, which neither PostgreSQL's float8 input nor its
 * arithmetic produces (a stored NaN is the quiet 7ff8…), so it cannot be a stored value's bytes.
 */
const NULL_HIGH = 0x7ff40000;
const NULL_LOW = 1;
/** Between the owners and between the reason codes of the PostgreSQL read. */
const SEPARATOR = '\x1f';

/** A value's bytes in a PostgreSQL record: float8, or the null NaN. */
function float8OrNull(value: string): string {
  const nullBytes = `'\\x${NULL_HIGH.toString(16)}${NULL_LOW.toString(16).padStart(8, '0')}'::bytea`;
  return `COALESCE(float8send(CAST(${value} AS DOUBLE PRECISION)), ${nullBytes})`;
}

/** Whether a PostgreSQL record's number at `at` reads as the plain read's JSON has it: finite or null. */
function exactAt(records: DataView, at: number): boolean {
  const high = records.getUint32(at);
  return (high & 0x7ff00000) !== 0x7ff00000 || (high === NULL_HIGH && records.getUint32(at + 4) === NULL_LOW);
}

/**
 * The period [?2, ?3) as one row, handoffs relative to ?1 (the same instant as ?2: bind it twice), from
 * the index lead_facts_handoff alone. SQLite: one JSON array per column. PostgreSQL spends most of that
 * read building JSON (json_agg converts each value to text) and JavaScript most of its part parsing it
 * back, so there the numbers and code of all rows travel as one bytea of fixed-width binary records (read
 * as bytes through COPY, pg-copy.ts), and the owners and the reason codes as text joined
 * by a separator (reason codes of the rows that have one, as a bit of the record's code says): on
 * 125,000 rows the database's part took 74-90 ms against 118-172 for the JSON (EXPLAIN ANALYZE,
 * interleaved), and the JavaScript read's CPU 91-100 ms against 112-207 (both halves, paired runs).
 */
export function kpiReadSql(dialect: Dialect): string {
  const where = 'FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?';
  if (dialect === 'sqlite')
    return `SELECT ${VALUES.map((v) => `json_group_array(${v})`).join(', ')} ${where}`;
  const numbers = VALUES.slice(0, NUMBERS).map(float8OrNull);
  // A null code would drop the row from the concatenation: it reads as uncoded, and the period goes plain.
  const code = `int4send(COALESCE(kpi_code, ${NULL_CODE}) + CASE WHEN reason_code IS NULL THEN 0 ELSE ${HAS_REASON_CODE} END)`;
  // Read as bytes (Sql.binaryRow), not text: no base64 to make and undo, no string of megabytes.
  return `SELECT string_agg(${[...numbers, code].join(' || ')}, ''), string_agg(owner, E'\\x1f'), string_agg(reason_code, E'\\x1f') ${where}`;
}

/**
 * One reader's part of the period, handoffs relative to `from`: SQLite's parsed columns, or PostgreSQL's
 * records as bytes with the owners and the reason codes split apart.
 */
export type KpiPart =
  | { from: number; columns: readonly (readonly unknown[])[] }
  | { from: number; records: DataView; owners: readonly string[]; reasonCodes: readonly string[] };

/** The part a kpiReadSql row holds: SQLite's as text, PostgreSQL's as bytes (Sql.binaryRow). */
export function kpiPartOf(dialect: Dialect, from: number, row: readonly unknown[]): KpiPart {
  if (dialect === 'sqlite') return { from, columns: parseColumns(row) };
  const [records, ownerBytes, reasonBytes] = row as [Buffer | null, Buffer | null, Buffer | null];
  // A copy: the fields are views of a buffer node-postgres reuses (Sql.binaryRow).
  const bytes = records === null ? Buffer.alloc(0) : Buffer.from(records);
  return {
    from,
    records: new DataView(bytes.buffer, bytes.byteOffset, bytes.length),
    owners: ownerBytes === null ? [] : ownerBytes.toString('utf8').split(SEPARATOR),
    reasonCodes: reasonBytes === null ? [] : reasonBytes.toString('utf8').split(SEPARATOR),
  };
}

/**
 * What a null kpi_code reads as: every coded field outside its list, so whichever fields a decoder
 * checks (the report all of them, the draft read reason and verdict), the period goes plain. The column
 * is generated and never null today; this keeps a change to it from being read as coded values.
 */
const NULL_CODE = KPI_CODED.reduce((code, _, i) => code | (KPI_OTHER << (KPI_CODE_BITS * i)), 0);

/** Whether a code holds a value outside the coded lists. */
function uncoded(code: number): boolean {
  for (let i = 0; i < KPI_CODED.length; i++) {
    if (((code >> (KPI_CODE_BITS * i)) & KPI_OTHER) === KPI_OTHER) return true;
  }
  return false;
}

/**
 * Whether every row of the parts reads exactly as the plain read has it: its values in the coded lists
 * and, from PostgreSQL, every number finite (the plain read's JSON has NaN and infinities as text) and
 * as many owners and reason codes as rows that have them (a separator inside one makes more pieces).
 * Otherwise only the plain read will do.
 */
export function readsExactly(parts: readonly KpiPart[]): boolean {
  for (const part of parts) {
    if ('columns' in part) {
      // A null code (the column is generated and never null today) reads as uncoded, as NULL_CODE has it.
      for (const code of part.columns[VALUES.length - 1] as (number | null)[]) {
        if (code === null || uncoded(code)) return false;
      }
      continue;
    }
    const { records, owners, reasonCodes } = part;
    const n = records.byteLength / ROW_BYTES;
    if (!Number.isInteger(n) || owners.length !== n) return false;
    let withReason = 0;
    for (let at = 0; at < records.byteLength; at += ROW_BYTES) {
      for (let c = at; c < at + NUMBERS * 8; c += 8) if (!exactAt(records, c)) return false;
      const code = records.getInt32(at + NUMBERS * 8);
      if (uncoded(code)) return false;
      if (code & HAS_REASON_CODE) withReason++;
    }
    if (withReason !== reasonCodes.length) return false;
  }
  return true;
}

const tables = KPI_CODED.map(([, values]) => [null, ...values] as (string | null)[]);
const [crms, reasons, grades, verdicts] = tables as [
  CrmId[],
  (HandoffReason | null)[],
  GradeOrUnknown[],
  (Verdict | null)[],
];

/** A number of a PostgreSQL record (readsExactly has checked it is finite or null). */
function numberAt(records: DataView, at: number): number | null {
  return records.getUint32(at) === NULL_HIGH && records.getUint32(at + 4) === NULL_LOW
    ? null
    : records.getFloat64(at);
}

/** f as a row read relative to its handoff, its enumerated fields from its code. */
function fill(
  f: LeadFacts,
  handoffAt: number,
  dueAt: number | null,
  contactAt: number | null,
  business: number | null,
  score: number | null,
  version: number | null,
  owner: string,
  reasonCode: string | null,
  c: number,
): void {
  f.handoffAt = handoffAt;
  f.dueAt = dueAt === null ? null : handoffAt + dueAt;
  f.firstContactAt = contactAt === null ? null : handoffAt + contactAt;
  f.firstContactBusinessMs = business;
  f.score = score;
  f.rulesVersion = version;
  f.owner = owner;
  f.reasonCode = reasonCode;
  f.crm = crms[c & KPI_OTHER]!;
  f.reason = reasons[(c >> KPI_CODE_BITS) & KPI_OTHER] ?? null;
  f.fitGrade = grades[(c >> (2 * KPI_CODE_BITS)) & KPI_OTHER]!;
  f.verdict = verdicts[(c >> (3 * KPI_CODE_BITS)) & KPI_OTHER] ?? null;
  // Whether they happened, not when (see the head of this file): NaN, so any arithmetic on them shows up
  // as a difference from the plain path instead of a plausible number.
  f.opportunityAt = c & KPI_OPPORTUNITY ? Number.NaN : null;
  f.wonAt = c & KPI_WON ? Number.NaN : null;
}

/**
 * The report's rows of the parts (readsExactly's), as ONE LeadFacts object rewritten for each row in
 * turn: computeKpis reads a row's fields in its turn and keeps none of them, and a quarter of a million
 * short-lived rows of 23 fields cost more than the report's own counting. Only for such a reader.
 * PostgreSQL's records are read where they lie, not copied into arrays first.
 */
export function reportRowsOf(parts: readonly KpiPart[]): Iterable<LeadFacts> {
  return { [Symbol.iterator]: () => new ReportRows(parts) };
}

/**
 * reportRowsOf's iterator, written out rather than a generator: a generator allocates a result object
 * per row and resumes a frame, for each of a quarter of a million rows; this hands back one result,
 * rewritten as the row is.
 */
class ReportRows implements Iterator<LeadFacts> {
  private readonly f = blankPeriodRow();
  private readonly result: IteratorResult<LeadFacts> = { value: this.f, done: false };
  private part = 0;
  /** The next row of the part (PostgreSQL: its record's byte offset is i * ROW_BYTES). */
  private i = 0;
  /** The next of a PostgreSQL part's reason codes. */
  private reason = 0;

  constructor(private readonly parts: readonly KpiPart[]) {}

  next(): IteratorResult<LeadFacts> {
    for (; this.part < this.parts.length; this.part++, this.i = 0, this.reason = 0) {
      const part = this.parts[this.part]!;
      const i = this.i;
      if ('columns' in part) {
        const [handoff, due, contact, business, score, version, owner, reasonCode, code] = part.columns;
        if (i >= handoff!.length) continue;
        fill(
          this.f,
          part.from + (handoff![i] as number),
          due![i] as number | null,
          contact![i] as number | null,
          business![i] as number | null,
          score![i] as number | null,
          version![i] as number | null,
          owner![i] as string,
          reasonCode![i] as string | null,
          code![i] as number,
        );
      } else {
        const { records, owners, reasonCodes } = part;
        const at = i * ROW_BYTES;
        if (at >= records.byteLength) continue;
        const c = records.getInt32(at + NUMBERS * 8);
        fill(
          this.f,
          part.from + records.getFloat64(at),
          numberAt(records, at + 8),
          numberAt(records, at + 16),
          numberAt(records, at + 24),
          numberAt(records, at + 32),
          numberAt(records, at + 40),
          owners[i]!,
          c & HAS_REASON_CODE ? reasonCodes[this.reason++]! : null,
          c,
        );
      }
      this.i = i + 1;
      return this.result;
    }
    return { value: undefined, done: true };
  }
}

/** The draft what-if's numbers in a PostgreSQL record (handoffs absolute: epoch ms are exact in float8). */
const DRAFT_NUMBERS = ['handoff_at', 'score', 'fit', 'engagement', 'rules_version'];
/** Its numbers, then the code (reason and verdict) and the explanation's length in bytes (-1: none). */
const DRAFT_BYTES = DRAFT_NUMBERS.length * 8 + 8;

/**
 * The what-if against a draft's read on PostgreSQL: as kpiReadSql's, its numbers, code and explanation
 * lengths as binary records instead of eight json_agg columns, then the explanations as one text, both
 * read as bytes (Sql.binaryRow).
 */
export function draftRecordsSql(): string {
  const record = [
    ...DRAFT_NUMBERS.map(float8OrNull),
    `int4send(COALESCE(kpi_code, ${NULL_CODE}))`,
    'int4send(COALESCE(octet_length(explanation), -1))',
  ];
  return `SELECT string_agg(${record.join(' || ')}, ''), COALESCE(string_agg(explanation, ''), '') FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`;
}

/**
 * The rows of one draftRecordsSql row, each explanation a stretch of the one string; null when a row
 * would not read as the plain read has it (a number not finite, a reason or verdict outside the coded
 * lists) or the string is not all ASCII (facts.ts draftRowsFrom): the caller reads the period plainly.
 */
export function draftRowsFromRecords(row: readonly unknown[]): StoredReplayRow[] | null {
  // Read where they lie (Sql.binaryRow): every number is taken out below, the text decoded.
  const bytes = (row[0] as Buffer | null) ?? Buffer.alloc(0);
  // As UTF-8, so a text that is not all ASCII comes out shorter than its bytes and the check below fails.
  const text = (row[1] as Buffer).toString('utf8');
  const records = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = bytes.length / DRAFT_BYTES;
  if (!Number.isInteger(n)) return null;
  const rows = new Array<StoredReplayRow>(n);
  let from = 0;
  for (let i = 0, at = 0; i < n; i++, at += DRAFT_BYTES) {
    for (let c = at; c < at + DRAFT_NUMBERS.length * 8; c += 8) if (!exactAt(records, c)) return null;
    const code = records.getInt32(at + 40);
    const reason = (code >> KPI_CODE_BITS) & KPI_OTHER;
    const verdict = (code >> (3 * KPI_CODE_BITS)) & KPI_OTHER;
    if (reason === KPI_OTHER || verdict === KPI_OTHER) return null;
    const length = records.getInt32(at + 44);
    const explained = length >= 0;
    rows[i] = {
      score: numberAt(records, at + 8),
      fit: numberAt(records, at + 16),
      engagement: numberAt(records, at + 24),
      reason: reasons[reason] ?? null,
      verdict: verdicts[verdict] ?? null,
      handoffAt: records.getFloat64(at),
      rulesVersion: numberAt(records, at + 32),
      explanationText: explained ? text : null,
      explanationFrom: explained ? from : 0,
      explanationTo: explained ? from + length : 0,
    };
    if (explained) from += length;
  }
  return from === text.length ? rows : null;
}
