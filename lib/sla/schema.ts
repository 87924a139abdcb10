/**
 * SLA tiers (how fast sales must make first contact after handoff), the due-soon warning and the
 * escalation ladder. Messages follow the convention documented in ../calendar/schema.ts:
 * `{ error: bilingual(ja, en) }`, split back with splitBilingual.
 */
import { z } from 'zod';
import { bilingual, localizedTextSchema } from '../i18n';

export const fitGradeSchema = z.enum(['A', 'B', 'C', 'D'], {
  error: bilingual('属性のランクは A・B・C・D のいずれかです', 'A fit grade is one of A, B, C, D'),
});
export type FitGrade = z.infer<typeof fitGradeSchema>;

const idSchema = z
  .string({ error: bilingual('ID を指定してください', 'Give an id') })
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    bilingual(
      'ID は半角英小文字・数字・"_"・"-" で書いてください（例: "demo_request"）',
      'An id uses lowercase letters, digits, "_" and "-" (e.g. "demo_request")',
    ),
  );

const amountSchema = z
  .number({ error: bilingual('数値を指定してください', 'Give a number') })
  .positive(bilingual('0 より大きい数値にしてください', 'Give a number greater than 0'));

const clockSchema = z.enum(['business', 'calendar'], {
  error: bilingual(
    '時計は "business"（営業時間）か "calendar"（暦時間）です',
    'The clock is "business" (working hours) or "calendar" (elapsed time)',
  ),
});

const unitSchema = z.enum(['minutes', 'hours', 'days'], {
  error: bilingual('単位は minutes・hours・days のいずれかです', 'The unit is minutes, hours or days'),
});

/**
 * A span of time on one clock. On the business clock, minutes and hours count working time only, and
 * days count working days (due at the same local time on the nth working day, see addWorkingDays); on
 * the calendar clock a day is 24 hours.
 */
function durationSchemaWith(amount: z.ZodNumber) {
  return z
    .object({ amount, unit: unitSchema, clock: clockSchema })
    .refine((d) => !(d.unit === 'days' && d.clock === 'business' && !Number.isInteger(d.amount)), {
      error: bilingual('営業日数は整数で指定してください', 'Give a whole number of business days'),
      path: ['amount'],
    });
}

export const slaDurationSchema = durationSchemaWith(amountSchema);
export type SlaDuration = z.infer<typeof slaDurationSchema>;

const uniqueList = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, {
    error: bilingual('同じ値が重複しています', 'The list has a value twice'),
  });

/**
 * Which handoffs get a tier. The lists are alternatives: a handoff matches by trigger when its trigger is
 * listed, by grade when its fit grade is listed. chooseTier prefers a trigger match over a grade match
 * over the default tier.
 */
const tierMatchSchema = z.object({
  triggerIds: uniqueList(idSchema).default([]),
  fitGrades: uniqueList(fitGradeSchema).default([]),
  default: z.boolean().default(false),
});

export const slaTierSchema = z
  .object({
    id: idSchema,
    label: localizedTextSchema,
    match: tierMatchSchema,
    duration: slaDurationSchema,
  })
  .refine((t) => t.match.default || t.match.triggerIds.length > 0 || t.match.fitGrades.length > 0, {
    error: bilingual(
      '対象となるトリガー・属性のランクを指定するか、既定のティアにしてください',
      'List the triggers or fit grades this tier applies to, or make it the default tier',
    ),
    path: ['match'],
  });
export type SlaTier = z.infer<typeof slaTierSchema>;

/** When a running SLA turns due_soon: at `share` of the SLA elapsed or `before` the due time, whichever is earlier. */
const dueSoonSchema = z
  .object({
    share: z
      .number({ error: bilingual('割合を数値で指定してください', 'Give the share as a number') })
      .gt(0, bilingual('割合は 0 より大きく 1 より小さい値です', 'The share is between 0 and 1 (exclusive)'))
      .lt(1, bilingual('割合は 0 より大きく 1 より小さい値です', 'The share is between 0 and 1 (exclusive)'))
      .optional(),
    before: z
      .object({
        amount: amountSchema,
        unit: z.enum(['minutes', 'hours'], {
          error: bilingual('単位は minutes か hours です', 'The unit is minutes or hours'),
        }),
      })
      .optional(),
  })
  .refine((d) => d.share !== undefined || d.before !== undefined, {
    error: bilingual(
      '期限間近の基準（share または before）を指定してください',
      'Say when an SLA is due soon: give share, before, or both',
    ),
  });

export const slaPolicySchema = z
  .object({
    tiers: z
      .array(slaTierSchema)
      .min(1, bilingual('SLA ティアを1つ以上定義してください', 'Define at least one SLA tier')),
    dueSoon: dueSoonSchema,
  })
  .superRefine((policy, ctx) => {
    const defaults = policy.tiers.filter((t) => t.match.default).length;
    if (defaults !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: bilingual(
          `既定のティア（match.default: true）はちょうど1つ必要です（現在 ${defaults} 個）`,
          `Exactly one tier must be the default (match.default: true); found ${defaults}`,
        ),
      });
    }
    const seen = new Set<string>();
    policy.tiers.forEach((tier, i) => {
      if (seen.has(tier.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'id'],
          message: bilingual(`ティア ID "${tier.id}" が重複しています`, `Tier id "${tier.id}" is used twice`),
        });
      }
      seen.add(tier.id);
    });
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export type SlaPolicyInput = z.input<typeof slaPolicySchema>;

const escalationWhenSchema = z.union(
  [
    z.object({
      share: z
        .number({ error: bilingual('割合を数値で指定してください', 'Give the share as a number') })
        .positive(bilingual('割合は 0 より大きい値です', 'The share must be greater than 0')),
    }),
    z.object({
      afterDue: durationSchemaWith(
        z
          .number({ error: bilingual('数値を指定してください', 'Give a number') })
          .nonnegative(bilingual('0 以上の数値にしてください', 'Give a number of 0 or more')),
      ),
    }),
  ],
  {
    error: bilingual(
      'when は { "share": 0.75 }（SLA の経過割合）か { "afterDue": { amount, unit, clock } } です',
      'when is { "share": 0.75 } (share of the SLA elapsed) or { "afterDue": { amount, unit, clock } }',
    ),
  },
);

/** One rung: who is told, and when relative to the handoff's SLA. */
const escalationStepSchema = z.object({
  id: idSchema,
  kind: z.enum(['reminder', 'owner', 'manager', 'marketing'], {
    error: bilingual(
      '種類は reminder・owner・manager・marketing のいずれかです',
      'The kind is reminder, owner, manager or marketing',
    ),
  }),
  label: localizedTextSchema,
  when: escalationWhenSchema,
});
export type EscalationStep = z.infer<typeof escalationStepSchema>;

export const escalationLadderSchema = z
  .object({
    steps: z
      .array(escalationStepSchema)
      .min(
        1,
        bilingual('エスカレーションの段階を1つ以上定義してください', 'Define at least one escalation step'),
      ),
  })
  .superRefine((ladder, ctx) => {
    const seen = new Set<string>();
    ladder.steps.forEach((step, i) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'id'],
          message: bilingual(`段階 ID "${step.id}" が重複しています`, `Step id "${step.id}" is used twice`),
        });
      }
      seen.add(step.id);
    });
  });
export type EscalationLadder = z.infer<typeof escalationLadderSchema>;
