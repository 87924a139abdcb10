/**
 * The rule set marketers publish and every browser caches: one zod schema, the single source of truth.
 * Types come from it (z.infer), docs/rules.schema.json is generated from it, validateRuleSet reports its
 * issues. Messages follow the convention of ../calendar/schema.ts: `bilingual(ja, en)`, split back into
 * LocalizedText by validate.ts. The parts live beside it by concern: schema-blocks (ids, texts, patterns),
 * schema-scoring (ICP, fit, engagement, threshold), schema-triggers (triggers, exclusions),
 * schema-operations (domains, CRM statuses, feedback reasons); the calendar, SLA and intake mapping in
 * their own folders. This file puts them together and checks what spans several parts.
 */
import { z } from 'zod';
import { businessCalendarSchema } from '../calendar/schema';
import { fieldMappingsSchema } from '../crm/mapping';
import { bilingual, localizedTextSchema } from '../i18n';
import { intakeMappingsSchema } from '../intake/mapping';
import { escalationLadderSchema, slaPolicySchema } from '../sla/schema';
import { idListOf, listOf, positiveIntSchema, textSchema, uniqueBy, whenWhole } from './schema-blocks';
import {
  domainListSchema,
  FIRST_CONTACT_METHODS,
  feedbackReasonSchema,
  shareSchema,
  statusMappingSchema,
} from './schema-operations';
import {
  decaySchema,
  engagementRuleSchema,
  fitGradesSchema,
  fitRuleSchema,
  icpSchema,
  thresholdSchema,
} from './schema-scoring';
import { exclusionSchema, triggerSchema } from './schema-triggers';

export { PATTERN_FLAGS } from './schema-blocks';
export type { FeedbackReason, ReasonAbout, StatusMapping } from './schema-operations';
export { FIRST_CONTACT_METHODS, REASON_ABOUT } from './schema-operations';
export type {
  ActivityMatch,
  Decay,
  EngagementRule,
  FitCondition,
  FitGrades,
  FitRule,
  IcpDimension,
} from './schema-scoring';
export { ICP_DIMENSIONS } from './schema-scoring';
export type { Exclusion, Trigger } from './schema-triggers';

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
    error: bilingual('最大は最小以上にしてください', 'The maximum must not be below the minimum'),
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

// Said in the editor's words: a marketer sees these beside the rule, not the schema's member names.
const ICP_WORDS = {
  industry: { ja: '業種', en: 'industries' },
  employees: { ja: '企業規模', en: 'a company size' },
  title: { ja: '役職', en: 'titles' },
  region: { ja: '地域', en: 'regions' },
} as const;
const DOMAIN_LIST_WORDS = {
  freeMail: { ja: 'フリーメールのドメイン一覧', en: 'free-mail domain list' },
  competitor: { ja: '競合企業のドメイン一覧', en: 'competitor domain list' },
} as const;

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
        'ICP 一致を必須にするには ICP の項目を1つ以上定義してください',
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
        message:
          c.dimension === 'all'
            ? bilingual(
                'ICP の項目が1つも定義されていないため、このルールは判定できません',
                'The ICP defines nothing yet, so this rule cannot be decided',
              )
            : bilingual(
                `ICP の${ICP_WORDS[c.dimension].ja}が定義されていないため、このルールは判定できません`,
                `The ICP does not define ${ICP_WORDS[c.dimension].en}, so this rule cannot be decided`,
              ),
      });
    }
    if (c.op === 'emailDomain' && rules.emailDomains[c.list].length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['fitRules', i, 'condition', 'list'],
        message: bilingual(
          `${DOMAIN_LIST_WORDS[c.list].ja}が空のため、このルールは一致しません`,
          `The ${DOMAIN_LIST_WORDS[c.list].en} is empty, so this rule can never match`,
        ),
      });
    }
  });
}
