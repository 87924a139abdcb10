/**
 * The rule set marketers publish and every browser caches: one zod schema, the single source of truth.
 * Types come from it (z.infer), docs/rules.schema.json is generated from it, validateRuleSet reports its
 * issues. Messages follow the convention of ../calendar/schema.ts: `bilingual(ja, en)`, split back into
 * LocalizedText by validate.ts.
 */
import { z } from 'zod';
import { businessCalendarSchema } from '../calendar/schema';
import { fieldKeySchema, fieldMappingsSchema } from '../crm/mapping';
import { bilingual, localizedTextSchema } from '../i18n';
import { intakeMappingsSchema } from '../intake/mapping';
import { activityTypeSchema, crmIdSchema, stageSchema } from '../lead';
import { normalizeText } from '../normalize';
import { escalationLadderSchema, slaPolicySchema } from '../sla/schema';

// ---------------------------------------------------------------------------------------------------
// Building blocks

const idSchema = z
  .string({ error: bilingual('ID を文字列で指定してください', 'Give an id as a string') })
  .max(64, bilingual('ID は64文字以内です', 'An id has at most 64 characters'))
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    bilingual(
      'ID は半角英小文字・数字・"_"・"-" で書いてください（例: "demo_request"）',
      'An id uses lowercase letters, digits, "_" and "-" (e.g. "demo_request")',
    ),
  );

const textSchema = z
  .string({ error: bilingual('文字列を指定してください', 'Give a text') })
  .trim()
  .min(1, bilingual('空にはできません', 'Must not be empty'))
  .max(200, bilingual('200文字以内にしてください', 'Use at most 200 characters'));

const pointsSchema = z
  .int({ error: bilingual('点数は整数で指定してください', 'Points are a whole number') })
  .min(-1000, bilingual('点数は -1000 以上です', 'Points are at least -1000'))
  .max(1000, bilingual('点数は 1000 以下です', 'Points are at most 1000'))
  .refine((p) => p !== 0, {
    error: bilingual('0 点のルールは意味がありません', 'A rule worth 0 points does nothing'),
  });

const positiveIntSchema = z
  .int({ error: bilingual('整数で指定してください', 'Give a whole number') })
  .positive(bilingual('1 以上の整数にしてください', 'Give a whole number of 1 or more'));

const nonNegativeIntSchema = z
  .int({ error: bilingual('整数で指定してください', 'Give a whole number') })
  .nonnegative(bilingual('0 以上の整数にしてください', 'Give a whole number of 0 or more'));

const daysSchema = z
  .number({ error: bilingual('日数を数値で指定してください', 'Give a number of days') })
  .positive(bilingual('日数は 0 より大きくしてください', 'The number of days must be greater than 0'))
  .max(3650, bilingual('日数は 3650 以下です', 'At most 3650 days'));

/** The flags every rule pattern runs with; validation compiles with the same ones. */
export const PATTERN_FLAGS = 'i';

// Nested quantifiers such as (a+)+ can backtrack for minutes on a crafted page text, and rule patterns
// run in every rep's browser on text that strangers typed into web forms.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/;

/** A regular expression source, matched case-insensitively against NFKC-normalised text. */
const patternSchema = z
  .string({ error: bilingual('正規表現を文字列で指定してください', 'Give a regular expression as a string') })
  .min(1, bilingual('正規表現が空です', 'The regular expression is empty'))
  .max(500, bilingual('正規表現は500文字以内です', 'A regular expression has at most 500 characters'))
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, PATTERN_FLAGS);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      ctx.addIssue({
        code: 'custom',
        message: bilingual(
          `正規表現として読めません（${detail}）`,
          `Not a valid regular expression (${detail})`,
        ),
      });
      return;
    }
    if (NESTED_QUANTIFIER.test(source)) {
      ctx.addIssue({
        code: 'custom',
        message: bilingual(
          '繰り返しの入れ子（例: (a+)+）は処理が極端に遅くなるため使えません',
          'Nested repetition such as (a+)+ can take minutes to run, so it is not allowed',
        ),
      });
    }
  });

// Type errors leave part of the input unparsed, and zod then skips refinements above it. Cross-field
// checks instead run whenever the paths they read are whole, so one typo does not hide every other problem.
const SHAPE_BREAKING = new Set([
  'invalid_type',
  'invalid_union',
  'invalid_value',
  'invalid_key',
  'invalid_element',
]);
type PathPattern = readonly (string | number)[];

function breaks(issuePath: readonly PropertyKey[], pattern: PathPattern): boolean {
  if (issuePath.length > pattern.length) return false;
  return issuePath.every((part, i) => pattern[i] === '*' || pattern[i] === part);
}

/** A `when` for refinements: run unless a type error sits on (or above) one of the paths read. */
function whenWhole(...reads: PathPattern[]) {
  return {
    when: (payload: { issues: readonly { code?: string; path?: PropertyKey[] }[] }) =>
      payload.issues.every(
        (issue) => !SHAPE_BREAKING.has(issue.code ?? '') || !reads.some((p) => breaks(issue.path ?? [], p)),
      ),
  };
}

function uniqueBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  ctx: z.RefinementCtx,
  what: (k: string) => string,
  path: (i: number) => (string | number)[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: path(i), message: what(k) });
    seen.add(k);
  });
}

function listOf<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item, { error: bilingual('一覧（配列）で指定してください', 'Give a list (array)') })
    .max(max, bilingual(`${max}個以内にしてください`, `Give at most ${max} items`));
}

/** A list of entries whose `id` must be unique within the list. */
function idListOf<T extends z.ZodType<{ id: string }>>(
  item: T,
  max: number,
  what: { ja: string; en: string },
) {
  return listOf(item, max).superRefine(
    (items, ctx) =>
      uniqueBy(
        items,
        (x) => x.id,
        ctx,
        (id) => bilingual(`${what.ja}の ID "${id}" が重複しています`, `${what.en} id "${id}" is used twice`),
        (i) => [i, 'id'],
      ),
    whenWhole(['*', 'id']),
  );
}

const uniqueTextsSchema = (max: number) =>
  listOf(textSchema, max).superRefine((items, ctx) =>
    uniqueBy(
      items,
      normalizeText,
      ctx,
      (v) => bilingual(`"${v}" が重複しています`, `"${v}" is listed twice`),
      (i) => [i],
    ),
  );

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

const employeeRangeSchema = z
  .strictObject({ min: nonNegativeIntSchema.optional(), max: nonNegativeIntSchema.optional() })
  .superRefine((range, ctx) => {
    if (range.min === undefined && range.max === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: bilingual('min と max の少なくとも一方を指定してください', 'Give min, max or both'),
      });
    }
    if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: bilingual('max は min 以上にしてください', 'max must not be below min'),
      });
    }
  });

/** The ideal customer. An empty list (or no employee range) leaves that dimension out of the match. */
const icpSchema = z.strictObject({
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
const fitConditionSchema = z.discriminatedUnion(
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
      .superRefine((c, ctx) => {
        if (c.min === undefined && c.max === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: bilingual('min と max の少なくとも一方を指定してください', 'Give min, max or both'),
          });
        } else if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
          ctx.addIssue({
            code: 'custom',
            path: ['max'],
            message: bilingual('max は min 以上にしてください', 'max must not be below min'),
          });
        }
      }),
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
const activityMatchSchema = z.strictObject({
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
const decaySchema = z.strictObject({
  halfLifeDays: daysSchema.optional(),
  windowDays: daysSchema.optional(),
});
export type Decay = z.infer<typeof decaySchema>;

const fitRuleSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  condition: fitConditionSchema,
  /** Added once when the condition holds; negative for students, job seekers, competitors, free mail. */
  points: pointsSchema,
});
export type FitRule = z.infer<typeof fitRuleSchema>;

/** Alternatives: an activity counts when it matches any of them. */
const activityAlternativesSchema = listOf(activityMatchSchema, 20).min(
  1,
  bilingual('対象の行動を1つ以上指定してください', 'Give at least one activity to match'),
);

const engagementRuleSchema = z.strictObject({
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

/**
 * A trigger hands the lead over at once, whatever its fit and engagement (a demo request from a free-mail
 * address with nothing else known too); only an exclusion rule keeps a lead out.
 */
const triggerSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  activities: activityAlternativesSchema,
});
export type Trigger = z.infer<typeof triggerSchema>;

/**
 * A lead this condition holds for is never handed over, by trigger or by score: competitors, students,
 * job seekers. Explicit, so a team sees who is kept out and why, rather than a fit floor doing it unseen.
 */
const exclusionSchema = z.strictObject({
  id: idSchema,
  label: localizedTextSchema,
  condition: fitConditionSchema,
});
export type Exclusion = z.infer<typeof exclusionSchema>;

const thresholdSchema = z.strictObject({
  /** Fit + engagement at or above this makes an MQL. */
  total: positiveIntSchema,
  minFit: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }).optional(),
  minEngagement: z.int({ error: bilingual('整数で指定してください', 'Give a whole number') }).optional(),
});

/** Minimum fit score of each grade; below C is D. */
const fitGradesSchema = z
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

// ---------------------------------------------------------------------------------------------------
// Operations: CRM statuses, feedback, review

const domainSchema = z
  .string({ error: bilingual('ドメインを文字列で指定してください', 'Give a domain as a string') })
  .max(253, bilingual('ドメインが長すぎます', 'The domain is too long'))
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    bilingual(
      '"gmail.com" のような小文字のドメインで指定してください',
      'Give a lower-case domain such as "gmail.com"',
    ),
  );

const domainListSchema = listOf(domainSchema, 2000).refine((list) => new Set(list).size === list.length, {
  error: bilingual('同じドメインが重複しています', 'A domain is listed twice'),
});

/**
 * Per CRM: a status value exactly as the CRM displays it, in ja or en ("未対応", "Open - Not Contacted") →
 * the stage it means. Values are compared after normalisation, so case and full-width do not matter.
 */
const statusMappingSchema = z
  .partialRecord(
    crmIdSchema,
    z.record(
      z
        .string()
        .trim()
        .min(1, bilingual('ステータス値が空です', 'A status value is empty'))
        .max(128, bilingual('ステータス値は128文字以内です', 'A status value has at most 128 characters')),
      z.enum(stageSchema.options, {
        error: bilingual(
          'ステージは new・mql・contacted・sql・disqualified・recycled・converted・won・lost のいずれかです',
          'A stage is new, mql, contacted, sql, disqualified, recycled, converted, won or lost',
        ),
      }),
    ),
    {
      error: bilingual(
        'CRM ごとに { "ステータス値": "ステージ" } の対応を指定してください',
        'Give, per CRM, an object { "status value": "stage" }',
      ),
    },
  )
  .superRefine((mapping, ctx) => {
    for (const [crm, values] of Object.entries(mapping)) {
      const stages = new Map<string, string>();
      for (const [value, stage] of Object.entries(values ?? {})) {
        const key = normalizeText(value);
        const earlier = stages.get(key);
        if (earlier !== undefined && earlier !== stage) {
          ctx.addIssue({
            code: 'custom',
            path: [crm, value],
            message: bilingual(
              `"${value}" は表記ゆれを除くと別のステージ（${earlier}）にも対応しています`,
              `"${value}" normalises to a value already mapped to another stage (${earlier})`,
            ),
          });
        }
        stages.set(key, stage);
      }
    }
  });
export type StatusMapping = z.infer<typeof statusMappingSchema>;

export const REASON_ABOUT = ['lead_quality', 'not_lead_quality', 'duplicate'] as const;
export type ReasonAbout = (typeof REASON_ABOUT)[number];

const feedbackReasonSchema = z.strictObject({
  code: idSchema,
  label: localizedTextSchema,
  /** Which sales decisions offer this reason. */
  appliesTo: listOf(
    z.enum(['reject', 'recycle'], {
      error: bilingual('appliesTo は "reject" か "recycle" です', 'appliesTo holds "reject" or "recycle"'),
    }),
    2,
  )
    .min(1, bilingual('reject か recycle を1つ以上指定してください', 'Give reject, recycle or both'))
    .refine((list) => new Set(list).size === list.length, {
      error: bilingual('同じ値が重複しています', 'A value is listed twice'),
    }),
  /**
   * Whether the verdict judges the lead's quality. Verdicts that do not (a lead routed to the wrong rep,
   * an existing customer) stay out of MQL→SQL conversion and drift; duplicates also out of the MQL count.
   * Left out: lead_quality.
   */
  about: z
    .enum(REASON_ABOUT, {
      error: bilingual(
        'about は lead_quality・not_lead_quality・duplicate のいずれかです',
        'about is lead_quality, not_lead_quality or duplicate',
      ),
    })
    .optional(),
});
export type FeedbackReason = z.infer<typeof feedbackReasonSchema>;

const shareSchema = z
  .number({ error: bilingual('割合を 0〜1 の数値で指定してください', 'Give a share between 0 and 1') })
  .min(0, bilingual('割合は 0 以上です', 'A share is at least 0'))
  .max(1, bilingual('割合は 1 以下です', 'A share is at most 1'));

export const FIRST_CONTACT_METHODS = ['call', 'email_sent', 'meeting'] as const;

// ---------------------------------------------------------------------------------------------------
// The rule set

const ruleSetObject = z.strictObject({
  version: z.strictObject({
    /** A name for this revision, e.g. "2026-11-a". */
    id: textSchema,
    /** Increases with every publication; browsers keep the highest they have seen. */
    number: positiveIntSchema,
  }),
  name: localizedTextSchema,
  publishedAt: z.iso
    .datetime({
      offset: true,
      error: bilingual(
        '日時は ISO 8601（例: "2026-11-25T09:00:00+09:00"）で指定してください',
        'Give an ISO 8601 date-time such as "2026-11-25T09:00:00+09:00"',
      ),
    })
    .optional(),
  definitions: z.strictObject({ mql: localizedTextSchema, sql: localizedTextSchema }),
  /** The SQL definition's BANT rule: items of the four sales must confirm to accept a lead as SQL. */
  sqlBant: z
    .strictObject({
      minConfirmed: z
        .int({ error: bilingual('0〜4 の整数で指定してください', 'Give a whole number from 0 to 4') })
        .min(0, bilingual('0〜4 の整数で指定してください', 'Give a whole number from 0 to 4'))
        .max(4, bilingual('0〜4 の整数で指定してください', 'Give a whole number from 0 to 4')),
    })
    .default({ minConfirmed: 3 }),
  icp: icpSchema,
  emailDomains: z.strictObject({ freeMail: domainListSchema, competitor: domainListSchema }),
  fitRules: idListOf(fitRuleSchema, 200, { ja: 'ルール', en: 'Rule' }),
  engagementRules: idListOf(engagementRuleSchema, 200, { ja: 'ルール', en: 'Rule' }),
  engagementDecay: decaySchema,
  threshold: thresholdSchema,
  requireIcpMatch: z.boolean({ error: bilingual('true か false です', 'Give true or false') }),
  fitGrades: fitGradesSchema,
  triggers: idListOf(triggerSchema, 100, { ja: 'トリガー', en: 'Trigger' }),
  exclusions: idListOf(exclusionSchema, 100, { ja: '除外ルール', en: 'Exclusion' }).default([]),
  recycle: z.strictObject({
    /** Days after recycling before the lead may become an MQL again. */
    coolDownDays: z
      .number({ error: bilingual('日数を数値で指定してください', 'Give a number of days') })
      .min(0, bilingual('0 日以上にしてください', 'Give 0 days or more'))
      .max(3650, bilingual('日数は 3650 以下です', 'At most 3650 days')),
  }),
  calendar: businessCalendarSchema,
  sla: slaPolicySchema,
  escalation: escalationLadderSchema,
  firstContactMethods: listOf(
    z.enum(FIRST_CONTACT_METHODS, {
      error: bilingual(
        '初回コンタクトの手段は call・email_sent・meeting のいずれかです',
        'A first-contact method is call, email_sent or meeting',
      ),
    }),
    3,
  )
    .min(1, bilingual('手段を1つ以上指定してください', 'Give at least one method'))
    .refine((list) => new Set(list).size === list.length, {
      error: bilingual('同じ手段が重複しています', 'A method is listed twice'),
    }),
  statusMapping: statusMappingSchema,
  feedbackReasons: listOf(feedbackReasonSchema, 100).superRefine(
    (items, ctx) =>
      uniqueBy(
        items,
        (r) => r.code,
        ctx,
        (code) => bilingual(`理由コード "${code}" が重複しています`, `Reason code "${code}" is used twice`),
        (i) => [i, 'code'],
      ),
    whenWhole(['*', 'code']),
  ),
  /** Laid over the built-in mappings of lib/crm/mapping.ts (see effectiveFieldMappings). */
  fieldMappings: fieldMappingsSchema.default({}),
  review: z.strictObject({
    cadence: z.enum(['monthly', 'quarterly', 'semiannual', 'annual'], {
      error: bilingual(
        'cadence は monthly・quarterly・semiannual・annual のいずれかです',
        'cadence is monthly, quarterly, semiannual or annual',
      ),
    }),
    thresholdReviewEveryDays: positiveIntSchema.max(
      730,
      bilingual('730 日以下にしてください', 'Give at most 730 days'),
    ),
    lastReviewedAt: z.iso
      .date({ error: bilingual('日付は "2026-11-25" の形式です', 'Give a date such as "2026-11-25"') })
      .optional(),
  }),
  /**
   * Checklist items (1–15) the team confirmed as decided while keeping Baton's default for them: an item
   * is met only once its part of the rules was changed or confirmed here (lib/checklist.ts).
   */
  checklistConfirmed: listOf(
    z
      .int({ error: bilingual('1〜15 の整数で指定してください', 'Give a whole number from 1 to 15') })
      .min(1, bilingual('1〜15 の整数で指定してください', 'Give a whole number from 1 to 15'))
      .max(15, bilingual('1〜15 の整数で指定してください', 'Give a whole number from 1 to 15')),
    15,
  )
    .refine((list) => new Set(list).size === list.length, {
      error: bilingual('同じ項目が重複しています', 'An item is listed twice'),
    })
    .default([]),
  /** The MQL→SQL conversion band the team aims for, as shares (0.2 = 20%). */
  conversionTarget: z.strictObject({ min: shareSchema, max: shareSchema }).refine((t) => t.min <= t.max, {
    error: bilingual('max は min 以上にしてください', 'max must not be below min'),
    path: ['max'],
  }),
  /**
   * Handoff intake: per source, the payload paths of each field (lib/intake/mapping.ts), replacing the
   * built-in mapping of that source (lib/intake/sources.ts). Absent: the built-in mappings.
   */
  intake: intakeMappingsSchema.optional(),
});

type Shape = z.infer<typeof ruleSetObject>;

export const ruleSetSchema = ruleSetObject
  .superRefine(checkRuleIds, whenWhole(['fitRules', '*', 'id'], ['engagementRules', '*', 'id']))
  .superRefine(
    checkTriggerReferences,
    whenWhole(['triggers', '*', 'id'], ['sla', 'tiers', '*', 'match', '*', '*']),
  )
  .superRefine(
    checkThreshold,
    whenWhole(
      ['threshold', '*'],
      ['fitRules', '*', 'points'],
      ['engagementRules', '*', 'points'],
      ['engagementRules', '*', 'cap'],
    ),
  )
  .superRefine(
    checkIcpUse,
    whenWhole(
      ['icp', '*', '*', '*'],
      ['requireIcpMatch'],
      ['fitRules', '*', 'condition', '*'],
      ['emailDomains', '*'],
    ),
  );

export type RuleSet = z.infer<typeof ruleSetSchema>;
/** What an author writes: fields with defaults (calendar holiday lists, field mappings) may be left out. */
export type RuleSetInput = z.input<typeof ruleSetSchema>;

/** The most points fit rules can give, and engagement rules (null: unbounded, an uncapped positive rule). */
export function reachablePoints(rules: Pick<Shape, 'fitRules' | 'engagementRules'>): {
  fit: number;
  engagement: number | null;
} {
  let fit = 0;
  for (const rule of rules.fitRules) if (rule.points > 0) fit += rule.points;
  let engagement: number | null = 0;
  for (const rule of rules.engagementRules) {
    if (rule.points <= 0) continue;
    if (rule.cap === undefined || engagement === null) engagement = null;
    else engagement += rule.cap;
  }
  return { fit, engagement };
}

function checkRuleIds(rules: Shape, ctx: z.RefinementCtx): void {
  const fitIds = new Set(rules.fitRules.map((r) => r.id));
  rules.engagementRules.forEach((rule, i) => {
    if (fitIds.has(rule.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['engagementRules', i, 'id'],
        message: bilingual(
          `ルール ID "${rule.id}" は fitRules でも使われています（説明で区別できません）`,
          `Rule id "${rule.id}" is also a fit rule's id; explanations could not tell them apart`,
        ),
      });
    }
  });
}

function checkTriggerReferences(rules: Shape, ctx: z.RefinementCtx): void {
  const triggerIds = new Set(rules.triggers.map((t) => t.id));
  rules.sla.tiers.forEach((tier, i) => {
    tier.match.triggerIds.forEach((id, j) => {
      if (!triggerIds.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sla', 'tiers', i, 'match', 'triggerIds', j],
          message: bilingual(
            `トリガー "${id}" は triggers に定義されていません`,
            `Trigger "${id}" is not defined in triggers`,
          ),
        });
      }
    });
  });
}

function checkThreshold(rules: Shape, ctx: z.RefinementCtx): void {
  const reachable = reachablePoints(rules);
  const { total, minFit, minEngagement } = rules.threshold;
  if (reachable.engagement !== null && total > reachable.fit + reachable.engagement) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold', 'total'],
      message: bilingual(
        `閾値 ${total} には届きません（最大 ${reachable.fit + reachable.engagement} 点）。閾値を下げるか上限を見直してください`,
        `No lead can reach ${total}: at most ${reachable.fit + reachable.engagement} points are possible. Lower the threshold or raise the caps`,
      ),
    });
  }
  if (minFit !== undefined && minFit > reachable.fit) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold', 'minFit'],
      message: bilingual(
        `属性スコアの下限 ${minFit} には届きません（最大 ${reachable.fit} 点）`,
        `No lead can reach a fit score of ${minFit}: at most ${reachable.fit} points are possible`,
      ),
    });
  }
  if (minEngagement !== undefined && reachable.engagement !== null && minEngagement > reachable.engagement) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold', 'minEngagement'],
      message: bilingual(
        `行動スコアの下限 ${minEngagement} には届きません（最大 ${reachable.engagement} 点）`,
        `No lead can reach an engagement score of ${minEngagement}: at most ${reachable.engagement} points are possible`,
      ),
    });
  }
}

function checkIcpUse(rules: Shape, ctx: z.RefinementCtx): void {
  const icpDimensions = {
    industry: rules.icp.industries.length > 0,
    employees: rules.icp.employees !== undefined,
    title: rules.icp.titles.length > 0,
    region: rules.icp.regions.length > 0,
  };
  const icpDefined = Object.values(icpDimensions).some(Boolean);
  if (rules.requireIcpMatch && !icpDefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['requireIcpMatch'],
      message: bilingual(
        'ICP 一致を必須にするには icp の項目を1つ以上定義してください',
        'Define at least one ICP dimension before requiring an ICP match',
      ),
    });
  }
  rules.fitRules.forEach((rule, i) => {
    const c = rule.condition;
    if (c.op === 'icp' && (c.dimension === 'all' ? !icpDefined : !icpDimensions[c.dimension])) {
      ctx.addIssue({
        code: 'custom',
        path: ['fitRules', i, 'condition', 'dimension'],
        message: bilingual(
          `icp の "${c.dimension}" が定義されていないため、このルールは判定できません`,
          `The ICP does not define "${c.dimension}", so this rule cannot be decided`,
        ),
      });
    }
    if (c.op === 'emailDomain' && rules.emailDomains[c.list].length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['fitRules', i, 'condition', 'list'],
        message: bilingual(
          `emailDomains.${c.list} が空のため、このルールは一致しません`,
          `emailDomains.${c.list} is empty, so this rule can never match`,
        ),
      });
    }
  });
}
