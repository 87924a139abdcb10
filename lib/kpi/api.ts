/**
 * The KPI endpoint's boundary: query strings in (GET /v1/kpis, GET /v1/kpis/whatif), reports out, and the
 * answer of an outcome CSV import. The endpoint validates with these and the console parses its answers
 * with the same, so neither side writes the shapes of lib/kpi/types.ts twice.
 */
import { z } from 'zod';
import { DAY_MS } from '../calendar/zone';
import { bilingual, localizedTextSchema } from '../i18n';
import { crmIdSchema } from '../lead';
import { DEFAULT_BAND_WIDTH } from './report';
import type { ScoringReview } from './scoring-review';
import type {
  BreakdownDimension,
  Drift,
  KpiLeadsReport,
  KpiMeasures,
  KpiReport,
  LeadFigure,
  ThresholdPoint,
  WhatIfReport,
} from './types';

/** Score bands of 10 points unless asked otherwise (lib/kpi/report.ts). */

/** A period longer than this is a different question (a yearly review), and costs a full scan. */
export const MAX_PERIOD_DAYS = 400;
/** POST /v1/outcomes takes a CSV of up to this many bytes (other routes keep the endpoint's own cap). */
export const OUTCOMES_MAX_BYTES = 5 * 1024 * 1024;

const isoDate = z.iso.date({
  error: bilingual('YYYY-MM-DD 形式の日付を指定してください', 'Give a date as YYYY-MM-DD'),
});

/**
 * Query strings carry text; JSON bodies and tests carry numbers: both are accepted. An empty parameter
 * ("?threshold=") is a missing one, not 0, and only plain decimals count as numbers ("0x10" and "1e2"
 * are refused, not read as 16 and 100).
 */
function fromQuery<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === '') return undefined;
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
  }, schema);
}

function queryInt(min: number, max: number, ja: string, en: string) {
  return z
    .number({ error: bilingual(`${ja}は整数で指定してください`, `${en} must be a whole number`) })
    .int({ error: bilingual(`${ja}は整数で指定してください`, `${en} must be a whole number`) })
    .min(min, { error: bilingual(`${ja}は ${min} 以上にしてください`, `${en} must be ${min} or more`) })
    .max(max, { error: bilingual(`${ja}は ${max} 以下にしてください`, `${en} must be ${max} or less`) });
}

const periodShape = {
  from: isoDate,
  to: isoDate,
  bandWidth: fromQuery(queryInt(1, 100, 'スコア帯の幅', 'bandWidth').default(DEFAULT_BAND_WIDTH)),
};

/** from < to, at most MAX_PERIOD_DAYS apart; reported on `to`, the field a reader would change. */
function checkPeriod(query: { from: string; to: string }, ctx: z.core.$RefinementCtx): void {
  const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS;
  if (!(days > 0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      input: query.to,
      message: bilingual('終了日は開始日より後にしてください', 'to must be after from'),
    });
  } else if (days > MAX_PERIOD_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      input: query.to,
      message: bilingual(
        `期間は ${MAX_PERIOD_DAYS} 日以内にしてください`,
        `The period may span at most ${MAX_PERIOD_DAYS} days`,
      ),
    });
  }
}

/**
 * POST /v1/kpis/whatif: the period's handoffs replayed against rules not yet proposed (the editor's
 * draft). `rules` is checked by validateRuleSet (every problem, its path under "rules").
 */
export const whatIfDraftBodySchema = z
  .object({ from: isoDate, to: isoDate, rules: z.unknown() })
  .superRefine(checkPeriod);
export type WhatIfDraftBody = z.infer<typeof whatIfDraftBodySchema>;

/** GET /v1/kpis: handoffs in [from, to), ISO dates in the rule set's zone. */
export const kpiQuerySchema = z.object(periodShape).superRefine(checkPeriod);

/** GET /v1/kpis/whatif: the period, plus the threshold, capacity or draft to weigh it against. */
export const whatIfQuerySchema = z
  .object({
    ...periodShape,
    threshold: fromQuery(queryInt(-10_000, 10_000, 'しきい値', 'threshold').optional()),
    capacityPerWeek: fromQuery(
      z
        .number({
          error: bilingual('週あたりの対応件数は数値で指定してください', 'capacityPerWeek must be a number'),
        })
        .positive({
          error: bilingual(
            '週あたりの対応件数は 0 より大きくしてください',
            'capacityPerWeek must be above 0',
          ),
        })
        .max(1_000_000, {
          error: bilingual('週あたりの対応件数が大きすぎます', 'capacityPerWeek is too large'),
        })
        .optional(),
    ),
    draftVersion: fromQuery(
      queryInt(1, Number.MAX_SAFE_INTEGER, '下書きのバージョン', 'draftVersion').optional(),
    ),
  })
  .superRefine(checkPeriod);

const share = z.number().min(0).max(1);
const rate = share.nullable();
const count = z.number().int().min(0);
const msOrNull = z.number().nullable();

export const kpiMeasuresSchema = z.object({
  mqls: count,
  duplicates: count,
  withVerdict: count,
  notAboutQuality: count,
  acceptedSql: count,
  rejected: count,
  recycled: count,
  sqlRateOfVerdicts: rate,
  sqlRateOfMqls: rate,
  contacted: count,
  contactedWithinSla: count,
  contactRate: rate,
  contactWithinSlaRate: rate,
  timeToContact: z.object({
    businessMedianMs: msOrNull,
    businessP90Ms: msOrNull,
    calendarMedianMs: msOrNull,
    calendarP90Ms: msOrNull,
  }),
  overdueNow: count,
  opportunities: count,
  won: count,
  opportunityRate: rate,
  winRate: rate,
  mqlToOpportunityRate: rate,
  mqlToWonRate: rate,
});

export const driftSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('not_enough_data'), verdicts: count, needed: count }),
  z.object({ state: z.literal('within'), rate: share }),
  z.object({ state: z.literal('below'), rate: share, message: localizedTextSchema }),
  z.object({ state: z.literal('above'), rate: share, message: localizedTextSchema }),
]);

const breakdownRowSchema = z.object({
  key: z.string(),
  label: localizedTextSchema,
  measures: kpiMeasuresSchema,
});

const targetSchema = z.object({ min: share, max: share });

export const kpiReportSchema = z.object({
  query: z.object({ from: z.string(), to: z.string(), bandWidth: z.number().int() }),
  now: z.string(),
  zone: z.string(),
  target: targetSchema,
  totals: kpiMeasuresSchema,
  drift: driftSchema,
  weeks: z.array(
    z.object({
      week: z.string(),
      days: z.number().int().min(1).max(7),
      partial: z.boolean(),
      measures: kpiMeasuresSchema,
      drift: driftSchema,
    }),
  ),
  breakdowns: z.object({
    rulesVersion: z.array(breakdownRowSchema),
    owner: z.array(breakdownRowSchema),
    crm: z.array(breakdownRowSchema),
    reason: z.array(breakdownRowSchema),
    fitGrade: z.array(breakdownRowSchema),
    scoreBand: z.array(breakdownRowSchema),
  }),
  funnel: z.array(
    z.object({
      stage: z.enum(['mql', 'contacted', 'sql', 'opportunity', 'won']),
      label: localizedTextSchema,
      count,
    }),
  ),
  timeToContactHistogram: z.array(z.object({ fromHours: z.number(), toHours: z.number().nullable(), count })),
  reasons: z.array(
    z.object({
      verdict: z.enum(['reject', 'recycle', 'wrong_owner', 'duplicate']),
      code: z.string(),
      label: localizedTextSchema,
      count,
      about: z.enum(['lead_quality', 'not_lead_quality', 'duplicate']),
    }),
  ),
  speedToLead: z.array(
    z.object({
      band: z.enum(['within_5_minutes', 'within_1_hour', 'within_sla', 'later', 'never']),
      label: localizedTextSchema,
      mqls: count,
      sqls: count,
      won: count,
      sqlRate: rate,
      winRate: rate,
    }),
  ),
});

export const thresholdPointSchema = z.object({
  threshold: z.number(),
  mqls: count,
  mqlsPerWeek: z.number().min(0),
  sqlRate: rate,
  sqlsKept: count,
  sqlsLost: count,
  load: z.number().min(0).nullable(),
  withinTarget: z.boolean(),
});

const whatIfRefusalSchema = z.object({
  threshold: z.number(),
  reason: z.enum(['below_evidence', 'above_evidence', 'no_evidence']),
  message: localizedTextSchema,
});

export const whatIfReportSchema = z.object({
  query: z.object({
    from: z.string(),
    to: z.string(),
    bandWidth: z.number().int().optional(),
    threshold: z.number().optional(),
    capacityPerWeek: z.number().optional(),
    draftVersion: z.number().int().optional(),
  }),
  target: targetSchema,
  current: thresholdPointSchema.nullable(),
  proposed: thresholdPointSchema.nullable(),
  refused: z.object({ current: whatIfRefusalSchema.nullable(), proposed: whatIfRefusalSchema.nullable() }),
  suggested: thresholdPointSchema.nullable(),
  curve: z.array(thresholdPointSchema),
  evidenceFrom: z.number().nullable(),
  replayed: count,
  unscored: count,
  weeks: z.number().min(0),
});

/** The counts a dashboard reader can open to the leads behind them. */
export const LEAD_FIGURES = [
  'mql',
  'contacted',
  'sql',
  'opportunity',
  'won',
  'overdue',
] as const satisfies readonly LeadFigure[];
/** A list longer than this is for the CSV import's other direction (a CRM report), not a dashboard. */
export const LEADS_BEHIND_MAX = 2000;

/** GET /v1/kpis/leads: the period and the count whose leads to list. */
export const kpiLeadsQuerySchema = z
  .object({
    ...periodShape,
    figure: z.enum(LEAD_FIGURES, {
      error: bilingual(
        `figure は ${LEAD_FIGURES.join('・')} のいずれかです`,
        `figure is one of ${LEAD_FIGURES.join(', ')}`,
      ),
    }),
  })
  .superRefine(checkPeriod);

const isoInstant = z.string();
export const kpiLeadsReportSchema = z.object({
  query: z.object({
    from: z.string(),
    to: z.string(),
    bandWidth: z.number().int(),
    figure: z.enum(LEAD_FIGURES),
  }),
  now: isoInstant,
  label: localizedTextSchema,
  total: count,
  leads: z.array(
    z.object({
      leadKey: z.string(),
      crm: crmIdSchema,
      owner: z.string(),
      score: z.number().nullable(),
      handoffAt: isoInstant,
      dueAt: isoInstant.nullable(),
      firstContactAt: isoInstant.nullable(),
      verdict: z.enum(['accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate']).nullable(),
      reasonLabel: localizedTextSchema.nullable(),
      url: z.string().nullable(),
    }),
  ),
});

const ruleWhatIfSchema = z.object({ points: z.number(), mqls: count, sqls: count, sqlRate: rate });

/** GET /v1/kpis/review: the scoring review of a period (lib/kpi/scoring-review.ts). */
export const scoringReviewSchema = z.object({
  mqls: count,
  sqls: count,
  won: count,
  unexplained: count,
  threshold: z.number(),
  rows: z.array(
    z.object({
      ruleId: z.string(),
      kind: z.enum(['fit', 'engagement']),
      label: localizedTextSchema,
      points: z.number(),
      firedMqls: count,
      firedSqls: count,
      firedWon: count,
      shareOfMqls: rate,
      shareOfSqls: rate,
      shareOfWon: rate,
      lift: z.number().min(0).nullable(),
      suggestedPoints: z.number().nullable(),
      whatIf: z.object({ current: ruleWhatIfSchema, suggested: ruleWhatIfSchema }).nullable(),
    }),
  ),
});

/** POST /v1/outcomes: rows stored, distinct leads they touched, rows that changed nothing (already known). */
export const outcomeImportResponseSchema = z.object({
  imported: count,
  leads: count,
  unchanged: count,
});
export type OutcomeImportResponse = z.infer<typeof outcomeImportResponseSchema>;

/*
 * Compile-time: the schemas describe lib/kpi/types.ts exactly. If a field is added there and not here (or
 * the other way round), one of these lines stops compiling.
 */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type SchemasMatchTypes = [
  Expect<Equals<z.infer<typeof kpiMeasuresSchema>, KpiMeasures>>,
  Expect<Equals<z.infer<typeof driftSchema>, Drift>>,
  Expect<Equals<z.infer<typeof thresholdPointSchema>, ThresholdPoint>>,
  Expect<Equals<keyof z.infer<typeof kpiReportSchema>['breakdowns'], BreakdownDimension>>,
  Expect<Equals<z.infer<typeof kpiReportSchema>, KpiReport>>,
  Expect<Equals<z.infer<typeof whatIfReportSchema>, WhatIfReport>>,
  Expect<Equals<z.infer<typeof scoringReviewSchema>, ScoringReview>>,
  Expect<Equals<z.infer<typeof kpiLeadsReportSchema>, KpiLeadsReport>>,
];
