/** How a lead scores: the ideal customer, fit and engagement rules, the MQL threshold and fit grades. */
import { z } from 'zod';
import { fieldKeySchema } from '../crm/mapping';
import { bilingual, localizedTextSchema } from '../i18n';
import { activityTypeSchema } from '../lead';
import {
  daysSchema,
  idListOf,
  idSchema,
  listOf,
  nonNegativeIntSchema,
  patternSchema,
  pointsSchema,
  positiveIntSchema,
  textSchema,
  uniqueTextsSchema,
} from './schema-blocks';

// ---------------------------------------------------------------------------------------------------
// ICP and conditions

const synonymEntrySchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  /** Words that identify it on a CRM page, in ja and en; a lead matches when its value contains one. */
  synonyms: uniqueTextsSchema(50).min(
    1,
    bilingual('同義語を1つ以上指定してください', 'Give at least one synonym'),
  ),
});

const titleEntrySchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  pattern: patternSchema,
});

/** A range needs one bound at least, and its bounds in order. */
function checkRange(range: { min?: number; max?: number }, ctx: z.RefinementCtx): void {
  if (range.min === undefined && range.max === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: bilingual('最小・最大の少なくとも一方を指定してください', 'Give a minimum, a maximum or both'),
    });
  } else if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    ctx.addIssue({
      code: 'custom',
      path: ['max'],
      message: bilingual('最大は最小以上にしてください', 'The maximum must not be below the minimum'),
    });
  }
}

const employeeRangeSchema = z
  .strictObject({ min: nonNegativeIntSchema.optional(), max: nonNegativeIntSchema.optional() })
  .superRefine(checkRange);

/** The ideal customer. An empty list (or no employee range) leaves that dimension out of the match. */
export const icpSchema = z.strictObject({
  industries: idListOf(synonymEntrySchema, 100, { ja: '業種', en: 'Industry' }),
  employees: employeeRangeSchema.optional(),
  titles: idListOf(titleEntrySchema, 100, { ja: '役職', en: 'Title' }),
  regions: idListOf(synonymEntrySchema, 100, { ja: '地域', en: 'Region' }),
});

export const ICP_DIMENSIONS = ['industry', 'employees', 'title', 'region'] as const;
export type IcpDimension = (typeof ICP_DIMENSIONS)[number];

const fieldSchema = fieldKeySchema;

/**
 * What a fit rule tests on the lead's fields. Text values are compared after NFKC, lower-casing and
 * space folding on both sides, so "ＳａａＳ" equals "saas".
 */
export const fitConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ op: z.literal('equals'), field: fieldSchema, value: textSchema }),
    z.strictObject({
      op: z.literal('in'),
      field: fieldSchema,
      values: uniqueTextsSchema(200).min(
        1,
        bilingual('値を1つ以上指定してください', 'Give at least one value'),
      ),
    }),
    z.strictObject({
      op: z.literal('contains'),
      field: fieldSchema,
      values: uniqueTextsSchema(200).min(
        1,
        bilingual('値を1つ以上指定してください', 'Give at least one value'),
      ),
    }),
    z.strictObject({ op: z.literal('matches'), field: fieldSchema, pattern: patternSchema }),
    z
      .strictObject({
        op: z.literal('range'),
        field: fieldSchema,
        min: z.number({ error: bilingual('数値で指定してください', 'Give a number') }).optional(),
        max: z.number({ error: bilingual('数値で指定してください', 'Give a number') }).optional(),
      })
      .superRefine(checkRange),
    z.strictObject({
      op: z.literal('emailDomain'),
      list: z.enum(['freeMail', 'competitor'], {
        error: bilingual('list は "freeMail" か "competitor" です', 'list is "freeMail" or "competitor"'),
      }),
    }),
    z.strictObject({
      op: z.literal('icp'),
      dimension: z.enum(['all', ...ICP_DIMENSIONS], {
        error: bilingual(
          'dimension は all・industry・employees・title・region のいずれかです',
          'dimension is all, industry, employees, title or region',
        ),
      }),
    }),
  ],
  {
    error: bilingual(
      'op は equals・in・contains・matches・range・emailDomain・icp のいずれかです',
      'op is one of equals, in, contains, matches, range, emailDomain, icp',
    ),
  },
);
export type FitCondition = z.infer<typeof fitConditionSchema>;

/** One kind of activity a behaviour rule or trigger looks at: any listed type, and every given pattern. */
export const activityMatchSchema = z.strictObject({
  types: listOf(activityTypeSchema, 20)
    .min(1, bilingual('行動の種類を1つ以上指定してください', 'Give at least one activity type'))
    .refine((types) => new Set(types).size === types.length, {
      error: bilingual('同じ種類が重複しています', 'An activity type is listed twice'),
    }),
  /** Against the activity's title or subject ("資料請求: 製品概要"). */
  titlePattern: patternSchema.optional(),
  /** Against the activity's URL ("https://example.co.jp/pricing"). */
  urlPattern: patternSchema.optional(),
});
export type ActivityMatch = z.infer<typeof activityMatchSchema>;

/**
 * How behaviour points fade. halfLifeDays: a point is worth half after that many days; windowDays: points
 * older than that count nothing. Both may be given; neither means points never fade.
 */
export const decaySchema = z.strictObject({
  halfLifeDays: daysSchema.optional(),
  windowDays: daysSchema.optional(),
});
export type Decay = z.infer<typeof decaySchema>;

export const fitRuleSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  condition: fitConditionSchema,
  /** Added once when the condition holds; negative for students, job seekers, competitors, free mail. */
  points: pointsSchema,
});
export type FitRule = z.infer<typeof fitRuleSchema>;

/** Alternatives: an activity counts when it matches any of them. */
export const activityAlternativesSchema = listOf(activityMatchSchema, 20).min(
  1,
  bilingual('対象の行動を1つ以上指定してください', 'Give at least one activity to match'),
);

export const engagementRuleSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  activities: activityAlternativesSchema,
  /** Per matching activity, before decay. */
  points: pointsSchema,
  /** Bound on the rule's total after decay: at most cap points (or at least -cap for negative points). */
  cap: positiveIntSchema.max(10_000, bilingual('上限は 10000 以下です', 'A cap is at most 10000')).optional(),
  /** Overrides the rule set's engagementDecay for this rule. */
  decay: decaySchema.optional(),
});
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

export const thresholdSchema = z.strictObject({
  /** Fit + engagement at or above this makes an MQL. */
  total: positiveIntSchema,
  minFit: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }).optional(),
  minEngagement: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }).optional(),
});

/** Minimum fit score of each grade; below C is D. */
export const fitGradesSchema = z
  .strictObject({
    A: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }),
    B: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }),
    C: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }),
  })
  .superRefine((grades, ctx) => {
    if (!(grades.B < grades.A)) {
      ctx.addIssue({
        code: 'custom',
        path: ['B'],
        message: bilingual('B の下限は A の下限より小さくしてください', "B's minimum must be below A's"),
      });
    }
    if (!(grades.C < grades.B)) {
      ctx.addIssue({
        code: 'custom',
        path: ['C'],
        message: bilingual('C の下限は B の下限より小さくしてください', "C's minimum must be below B's"),
      });
    }
  });
export type FitGrades = z.infer<typeof fitGradesSchema>;
