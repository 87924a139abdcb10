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
import { blankPeriodRow, parseColumns } from './facts';
import { KPI_CODE_BITS, KPI_CODED, KPI_OPPORTUNITY, KPI_OTHER, KPI_WON } from './migrations';

// Compile-time: the coded values are values of their fields.
const _codedValues: [
  readonly CrmId[],
  readonly HandoffReason[],
  readonly GradeOrUnknown[],
  readonly Verdict[],
] = [KPI_CODED[0][1], KPI_CODED[1][1], KPI_CODED[2][1], KPI_CODED[3][1]];
void _codedValues;

/** Columns in the order reportRowsOf reads them. */
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

/**
 * The period [?2, ?3) as one row of JSON arrays, handoffs relative to ?1 (the same instant as ?2: bind
 * it twice), from the index lead_facts_handoff alone.
 */
export function kpiReadSql(dialect: Dialect): string {
  const aggregate =
    dialect === 'sqlite'
      ? (value: string) => `json_group_array(${value})`
      : (value: string) => `COALESCE(json_agg(${value}), '[]')::text`;
  return `SELECT ${VALUES.map(aggregate).join(', ')} FROM lead_facts WHERE handoff_at >= ? AND handoff_at < ?`;
}

/** One reader's part of the period: its parsed columns and the instant its handoffs are relative to. */
export interface KpiPart {
  from: number;
  columns: readonly (readonly unknown[])[];
}

export function kpiPartOf(from: number, row: readonly unknown[]): KpiPart {
  return { from, columns: parseColumns(row) };
}

/** Whether a row of the parts holds a value outside the coded lists: then only the plain read will do. */
export function codedOutside(parts: readonly KpiPart[]): boolean {
  for (const { columns } of parts) {
    for (const code of columns[VALUES.length - 1] as number[]) {
      for (let i = 0; i < KPI_CODED.length; i++) {
        if (((code >> (KPI_CODE_BITS * i)) & KPI_OTHER) === KPI_OTHER) return true;
      }
    }
  }
  return false;
}

const tables = KPI_CODED.map(([, values]) => [null, ...values] as (string | null)[]);
const [crms, reasons, grades, verdicts] = tables as [
  CrmId[],
  (HandoffReason | null)[],
  GradeOrUnknown[],
  (Verdict | null)[],
];

/**
 * The report's rows of the parts, as ONE LeadFacts object rewritten for each row in turn: computeKpis
 * reads a row's fields in its turn and keeps none of them, and a quarter of a million short-lived rows of
 * 23 fields cost more than the report's own counting. Only for such a reader.
 */
export function reportRowsOf(parts: readonly KpiPart[]): Iterable<LeadFacts> {
  return {
    *[Symbol.iterator]() {
      const f = blankPeriodRow();
      for (const { from, columns } of parts) {
        const [handoff, due, contact, business, score, version, owner, reasonCode, code] = columns;
        const n = handoff!.length;
        for (let i = 0; i < n; i++) {
          const handoffAt = from + (handoff![i] as number);
          const dueAt = due![i] as number | null;
          const contactAt = contact![i] as number | null;
          const c = code![i] as number;
          f.handoffAt = handoffAt;
          f.dueAt = dueAt === null ? null : handoffAt + dueAt;
          f.firstContactAt = contactAt === null ? null : handoffAt + contactAt;
          f.firstContactBusinessMs = business![i] as number | null;
          f.score = score![i] as number | null;
          f.rulesVersion = version![i] as number | null;
          f.owner = owner![i] as string;
          f.reasonCode = reasonCode![i] as string | null;
          f.crm = crms[c & KPI_OTHER]!;
          f.reason = reasons[(c >> KPI_CODE_BITS) & KPI_OTHER] ?? null;
          f.fitGrade = grades[(c >> (2 * KPI_CODE_BITS)) & KPI_OTHER]!;
          f.verdict = verdicts[(c >> (3 * KPI_CODE_BITS)) & KPI_OTHER] ?? null;
          // Whether they happened, not when (see the head of this file): NaN, so any arithmetic on them
          // shows up as a difference from the plain path instead of a plausible number.
          f.opportunityAt = c & KPI_OPPORTUNITY ? Number.NaN : null;
          f.wonAt = c & KPI_WON ? Number.NaN : null;
          yield f;
        }
      }
    },
  };
}
