/**
 * What extensions tell the sync endpoint, and the bodies of the endpoint's API. The extension builds and
 * validates with these schemas before sending; the endpoint validates the same schemas on receipt.
 *
 * Messages follow the convention in ./calendar/schema.ts: `{ error: bilingual(ja, en) }`, split back with
 * splitBilingual.
 */
import { z } from 'zod';
import { isCrmPageUrl } from './crm/hosts';
import { bilingual, localizedTextSchema } from './i18n';
import { type CrmId, leadKeySchema, stageSchema } from './lead';
import { plainText } from './plain-text';
import { approverSideSchema, roleSchema } from './roles';
import type { EscalationStep } from './sla/schema';

/** A single event, serialised as JSON, may not exceed this (UTF-8 bytes); the endpoint answers 413. */
export const EVENT_MAX_BYTES = 16 * 1024;
/** Events per batch; the extension splits longer queues. */
export const EVENT_BATCH_MAX_EVENTS = 100;
/** Default cap on any request body (the endpoint's BATON_MAX_BODY_BYTES); split batches to stay under it. */
export const REQUEST_MAX_BYTES = 256 * 1024;
/** Lead keys per team-state request: a CRM list view page holds at most a few hundred rows. */
export const TEAM_STATE_MAX_LEADS = 500;
export const COMMENT_MAX_CHARS = 2000;
/** A rule set holds at most 200 fit and 200 engagement rules (lib/rules/schema.ts). */
export const EXPLANATION_MAX_LINES = 400;

const instantSchema = z.iso.datetime({
  offset: true,
  error: bilingual(
    '日時は ISO 8601 形式（例: "2025-04-01T09:30:00+09:00"）で指定してください',
    'Give a date-time in ISO 8601 (e.g. "2025-04-01T09:30:00+09:00")',
  ),
});

/** Who did what the event records: the CRM user, as the page names them. */
export const actorSchema = z.object({
  name: plainText(
    z
      .string({ error: bilingual('担当者名を指定してください', 'Give the person’s name') })
      .min(1, bilingual('担当者名を指定してください', 'Give the person’s name'))
      .max(200, bilingual('担当者名は200文字以内です', 'A name has at most 200 characters')),
  ),
  /** The CRM's user id, when the page shows it; names are not unique. */
  crmUserId: plainText(z.string().min(1).max(128)).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** Fields every event carries. */
const eventBase = {
  /** Made by the extension when it records the event, kept across retries: the endpoint stores it once. */
  idempotencyKey: z.uuid({
    error: bilingual('idempotencyKey は UUID で指定してください', 'idempotencyKey must be a UUID'),
  }),
  /** When it happened in the CRM (not when it was sent). */
  occurredAt: instantSchema,
  lead: leadKeySchema,
  /** The rule set version the extension applied; 0 = its built-in default, before any server version. */
  rulesVersion: z
    .int({ error: bilingual('ルールのバージョンは整数です', 'The rules version is a whole number') })
    .min(0, bilingual('ルールのバージョンは0以上です', 'The rules version is 0 or more'))
    .max(2_147_483_647),
  actor: actorSchema,
};

export const contactMethodSchema = z.enum(['phone', 'email', 'meeting', 'other'], {
  error: bilingual(
    '連絡手段は phone・email・meeting・other のいずれかです',
    'The contact method is phone, email, meeting or other',
  ),
});
export type ContactMethod = z.infer<typeof contactMethodSchema>;

/**
 * An event's lead link is shown to reps and forwarded to chat: only an https page on the lead's own CRM
 * (lib/crm/hosts.ts), never any other address a sender puts there.
 */
function urlOnLeadsCrm(
  event: { url?: string | undefined; lead: { crm: CrmId } },
  ctx: z.RefinementCtx,
): void {
  if (event.url !== undefined && !isCrmPageUrl(event.lead.crm, event.url)) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: bilingual(
        'URL はそのリードの CRM の https ページにしてください',
        'The URL must be an https page on the lead’s CRM',
      ),
    });
  }
}

/** The extension saw a lead handed to sales: the SLA clock started at handoffAt and runs to dueAt. */
export const handoffObservedEventSchema = z
  .object({
    type: z.literal('handoff_observed'),
    ...eventBase,
    handoffAt: instantSchema,
    dueAt: instantSchema,
    /**
     * Score threshold reached, a behaviour trigger fired, or someone handed it over by hand (which includes
     * an MQL date set in the CRM itself).
     */
    reason: z.enum(['threshold', 'trigger', 'manual'], {
      error: bilingual(
        '引き渡し理由は threshold・trigger・manual のいずれかです',
        'The handoff reason is threshold, trigger or manual',
      ),
    }),
    triggerId: plainText(z.string().min(1).max(64)).optional(),
    /** Fit + engagement total at handoff. */
    score: z.number().finite().optional(),
    /** The owning rep as the CRM shows them. */
    owner: plainText(z.string().min(1).max(200)).optional(),
    /**
     * The lead's company as the CRM shows it, so a rep's queue names a lead no browser of theirs opened
     * (business data; the lead's own name never goes to the endpoint).
     */
    company: plainText(z.string().min(1).max(200)).optional(),
    /**
     * The lead's record page, when known (intake builds it with lib/crm/links.ts), to open it from a queue:
     * shown to reps, so only https on the lead's CRM (checked below with the escalation step's rule).
     */
    url: plainText(z.string().max(4000)).optional(),
    /** Fit and engagement at handoff (they sum to score), and the fit grade: the KPIs break down by them. */
    fit: z.number().finite().optional(),
    engagement: z.number().finite().optional(),
    fitGrade: z.enum(['A', 'B', 'C', 'D']).optional(),
    /**
     * The score's explanation at handoff, rule by rule: the threshold what-if re-weighs it against a draft
     * rule set without the lead's personal data ever reaching the endpoint.
     */
    explanation: z
      .array(
        z.object({
          // The rule set's id syntax (lib/rules/schema.ts): the endpoint stores lines as "f:rule_id:20|…".
          ruleId: z
            .string()
            .max(64)
            .regex(
              /^[a-z0-9][a-z0-9_-]*$/,
              bilingual(
                'ルール ID は半角英小文字・数字・"_"・"-" です',
                'A rule id uses lowercase letters, digits, "_" and "-"',
              ),
            ),
          kind: z.enum(['fit', 'engagement']),
          points: z.number().finite(),
        }),
      )
      .max(EXPLANATION_MAX_LINES)
      .optional(),
  })
  .superRefine(urlOnLeadsCrm);

/** Sales' first call/email after handoff; occurredAt is the contact time. */
export const firstContactEventSchema = z.object({
  type: z.literal('first_contact'),
  ...eventBase,
  method: contactMethodSchema,
  /** Found in the CRM's activity history, or marked by the rep in the overlay. */
  source: z.enum(['crm_activity', 'manual'], {
    error: bilingual('記録元は crm_activity か manual です', 'The source is crm_activity or manual'),
  }),
});

const bantAnswerSchema = z.enum(['yes', 'no', 'unknown'], {
  error: bilingual('BANT の各項目は yes・no・unknown です', 'Each BANT item is yes, no or unknown'),
});

/** What sales confirmed in the conversation (ヒアリング): Budget 予算, Authority 決裁権, Need ニーズ, Timing 導入時期. */
export const bantSchema = z.object({
  budget: bantAnswerSchema,
  authority: bantAnswerSchema,
  need: bantAnswerSchema,
  timing: bantAnswerSchema,
  /** When the lead expects to buy, if timing was discussed. */
  timeframe: z
    .enum(['within_1_month', 'within_3_months', 'within_6_months', 'within_12_months', 'later', 'unknown'], {
      error: bilingual(
        '導入時期は within_1_month・within_3_months・within_6_months・within_12_months・later・unknown のいずれかです',
        'The timeframe is within_1_month, within_3_months, within_6_months, within_12_months, later or unknown',
      ),
    })
    .optional(),
});
export type Bant = z.infer<typeof bantSchema>;

export const feedbackVerdictSchema = z.enum(['accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate'], {
  error: bilingual(
    '判定は accept_sql・reject・recycle・wrong_owner・duplicate のいずれかです',
    'The verdict is accept_sql, reject, recycle, wrong_owner or duplicate',
  ),
});
export type FeedbackVerdict = z.infer<typeof feedbackVerdictSchema>;

/** Sales' verdict on a handed-over lead, back to marketing (the feedback rule of the SLA). */
export const feedbackEventSchema = z
  .object({
    type: z.literal('feedback'),
    ...eventBase,
    verdict: feedbackVerdictSchema,
    bant: bantSchema.optional(),
    /** One of the rule set's reason codes ("no_budget", "student"...). */
    reasonCode: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,63}$/,
        bilingual(
          '理由コードは半角英小文字・数字・"_"・"-" の64文字以内です',
          'A reason code is up to 64 lowercase letters, digits, "_" and "-"',
        ),
      )
      .optional(),
    contactMethod: contactMethodSchema.optional(),
    /** Lead quality, 1 (poor) to 5 (excellent). */
    rating: z
      .int({ error: bilingual('評価は1〜5の整数です', 'The rating is a whole number from 1 to 5') })
      .min(1, bilingual('評価は1〜5の整数です', 'The rating is a whole number from 1 to 5'))
      .max(5, bilingual('評価は1〜5の整数です', 'The rating is a whole number from 1 to 5'))
      .optional(),
    comment: plainText(
      z
        .string()
        .max(
          COMMENT_MAX_CHARS,
          bilingual(
            `コメントは${COMMENT_MAX_CHARS}文字以内です`,
            `A comment has at most ${COMMENT_MAX_CHARS} characters`,
          ),
        ),
      { multiline: true },
    ).optional(),
  })
  .superRefine((feedback, ctx) => {
    // Marketing can only tune the threshold from rejections it can count by reason.
    if ((feedback.verdict === 'reject' || feedback.verdict === 'recycle') && !feedback.reasonCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasonCode'],
        message: bilingual(
          '却下とナーチャリングへ戻すときは理由コードが必要です',
          'Give a reason code when rejecting or recycling a lead',
        ),
      });
    }
    // SQL means BANT was checked in a conversation; accepting without it makes MQL→SQL meaningless.
    if (feedback.verdict === 'accept_sql' && !feedback.bant) {
      ctx.addIssue({
        code: 'custom',
        path: ['bant'],
        message: bilingual(
          'SQL として受け入れるには BANT を記入してください',
          'Fill in BANT to accept as SQL',
        ),
      });
    }
  });

export const stageChangeEventSchema = z
  .object({
    type: z.literal('stage_change'),
    ...eventBase,
    from: stageSchema,
    to: stageSchema,
  })
  .refine((change) => change.from !== change.to, {
    path: ['to'],
    error: bilingual('変更前と変更後のステージが同じです', 'The stage did not change (from equals to)'),
  });

/** Who an escalation step reaches; kept equal to the rule set's ladder step kinds (lib/sla/schema.ts). */
export const escalationKindSchema = z.enum(['reminder', 'owner', 'manager', 'marketing'], {
  error: bilingual(
    '種類は reminder・owner・manager・marketing のいずれかです',
    'The kind is reminder, owner, manager or marketing',
  ),
});
export type EscalationKind = z.infer<typeof escalationKindSchema>;
// Compile-time guard: a kind added to the ladder must be added here too.
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _kindsMatchLadder: SameKinds<EscalationKind, EscalationStep['kind']> = true;
void _kindsMatchLadder;

/** A ladder step fired for a lead left untouched past its SLA; manager and marketing steps go to the webhook. */
export const escalationStepEventSchema = z
  .object({
    type: z.literal('escalation_step'),
    ...eventBase,
    stepId: plainText(z.string().min(1).max(64)),
    kind: escalationKindSchema,
    /**
     * The handoff whose SLA the step belongs to: with lead, step and kind it is what the step is, and the
     * endpoint stores each step once by it (server/escalation-steps.ts). Absent from browsers before it was
     * sent; the endpoint then tells the cycle by dueAt.
     */
    handoffAt: instantSchema.optional(),
    /** The SLA due time the lead missed (or is about to). */
    dueAt: instantSchema,
    /** Company / person as displayed, so the webhook message is readable without opening the CRM. */
    leadLabel: plainText(z.string().min(1).max(200)).optional(),
    /** The lead's page: forwarded to Slack and shown to every rep, so only https on the lead's CRM. */
    url: plainText(z.string().max(4000)).optional(),
  })
  .superRefine(urlOnLeadsCrm);

export const eventSchema = z.discriminatedUnion(
  'type',
  [
    handoffObservedEventSchema,
    firstContactEventSchema,
    feedbackEventSchema,
    stageChangeEventSchema,
    escalationStepEventSchema,
  ],
  {
    error: bilingual(
      'type は handoff_observed・first_contact・feedback・stage_change・escalation_step のいずれかです',
      'type is handoff_observed, first_contact, feedback, stage_change or escalation_step',
    ),
  },
);
export type BatonEvent = z.infer<typeof eventSchema>;
export type EventType = BatonEvent['type'];
export type HandoffObservedEvent = z.infer<typeof handoffObservedEventSchema>;

/**
 * What a handoff_observed event records of a lead's score, the same from a browser and from intake:
 * totals, the fit grade and the explanation as rule ids with points, never a field value (no personal
 * data leaves for the endpoint). Typed by shape so lib/evaluate and this file need not import each other.
 */
export function recordedScore(evaluation: {
  scores: { total: number; fit: number; engagement: number };
  fitGrade: NonNullable<HandoffObservedEvent['fitGrade']>;
  explanation: readonly { ruleId: string; kind: 'fit' | 'engagement'; points: number }[];
}): Pick<HandoffObservedEvent, 'score' | 'fit' | 'engagement' | 'fitGrade' | 'explanation'> {
  return {
    score: evaluation.scores.total,
    fit: evaluation.scores.fit,
    engagement: evaluation.scores.engagement,
    fitGrade: evaluation.fitGrade,
    explanation: evaluation.explanation
      .slice(0, EXPLANATION_MAX_LINES)
      .map((c) => ({ ruleId: c.ruleId, kind: c.kind, points: c.points })),
  };
}
export type FirstContactEvent = z.infer<typeof firstContactEventSchema>;
export type FeedbackEvent = z.infer<typeof feedbackEventSchema>;
export type StageChangeEvent = z.infer<typeof stageChangeEventSchema>;
export type EscalationStepEvent = z.infer<typeof escalationStepEventSchema>;

// ---- API bodies ----

/** POST /v1/events */
export const eventBatchSchema = z.object({
  events: z
    .array(eventSchema)
    .min(1, bilingual('イベントを1件以上送ってください', 'Send at least one event'))
    .max(
      EVENT_BATCH_MAX_EVENTS,
      bilingual(
        `1回に送れるイベントは${EVENT_BATCH_MAX_EVENTS}件までです`,
        `A batch holds at most ${EVENT_BATCH_MAX_EVENTS} events`,
      ),
    ),
});
export type EventBatch = z.infer<typeof eventBatchSchema>;

/** The endpoint's answer for one stored event; a retry of the same event gets the identical receipt. */
export const eventReceiptSchema = z.object({
  idempotencyKey: z.uuid(),
  /** Server-wide order of arrival. */
  seq: z.int().positive(),
  recordedAt: z.iso.datetime(),
});
export type EventReceipt = z.infer<typeof eventReceiptSchema>;

/** 200 answer to POST /v1/events: one receipt per event, in the batch's order. */
export const eventBatchResponseSchema = z.object({ receipts: z.array(eventReceiptSchema) });
export type EventBatchResponse = z.infer<typeof eventBatchResponseSchema>;

/** POST /v1/team-state */
export const teamStateRequestSchema = z.object({
  leads: z
    .array(leadKeySchema)
    .min(1, bilingual('リードを1件以上指定してください', 'List at least one lead'))
    .max(
      TEAM_STATE_MAX_LEADS,
      bilingual(
        `1回に問い合わせられるリードは${TEAM_STATE_MAX_LEADS}件までです`,
        `Ask for at most ${TEAM_STATE_MAX_LEADS} leads at once`,
      ),
    ),
});
export type TeamStateRequest = z.infer<typeof teamStateRequestSchema>;

/**
 * The latest event of each kind anyone in the team recorded for one lead (latest by occurredAt), or null
 * when nobody has. A rep's list view shows leads they never opened from this.
 */
/**
 * Whose token sent an event, set by the endpoint (a client's own is dropped): `actor` is what the page
 * showed, this is who vouched for it. Absent on events stored before the endpoint kept it.
 */
export const recordedBySchema = z.object({ tokenId: z.string(), name: z.string() });
export type RecordedBy = z.infer<typeof recordedBySchema>;
const asRecorded = { recordedBy: recordedBySchema.optional() };

export const leadTeamStateSchema = z.object({
  lead: leadKeySchema,
  handoff: handoffObservedEventSchema.safeExtend(asRecorded).nullable(),
  firstContact: firstContactEventSchema.safeExtend(asRecorded).nullable(),
  stage: stageChangeEventSchema.safeExtend(asRecorded).nullable(),
  feedback: feedbackEventSchema.safeExtend(asRecorded).nullable(),
  escalation: escalationStepEventSchema.safeExtend(asRecorded).nullable(),
});
export type LeadTeamState = z.infer<typeof leadTeamStateSchema>;

/** 200 answer to POST /v1/team-state: one entry per requested lead, in the request's order. */
export const teamStateResponseSchema = z.object({ leads: z.array(leadTeamStateSchema) });
export type TeamStateResponse = z.infer<typeof teamStateResponseSchema>;

/** Which slot of a lead's team state each event type fills. */
export const teamStateSlotOf = {
  handoff_observed: 'handoff',
  first_contact: 'firstContact',
  stage_change: 'stage',
  feedback: 'feedback',
  escalation_step: 'escalation',
} as const satisfies Record<EventType, keyof Omit<LeadTeamState, 'lead'>>;

const noteSchema = plainText(
  z
    .string()
    .max(
      COMMENT_MAX_CHARS,
      bilingual(
        `メモは${COMMENT_MAX_CHARS}文字以内です`,
        `A note has at most ${COMMENT_MAX_CHARS} characters`,
      ),
    ),
  { multiline: true },
);

/**
 * POST /v1/rules/drafts. `rules` is checked by validateRuleSet from ./rules (every problem, with its path
 * under "rules"), so the schema here accepts any JSON there.
 */
export const ruleDraftBodySchema = z.object({
  rules: z.unknown(),
  note: noteSchema.optional(),
});
export type RuleDraftBody = z.infer<typeof ruleDraftBodySchema>;

/**
 * POST /v1/rules/versions/{version}/signoffs. The side comes from the signer's role: a marketer signs for
 * marketing, a manager for sales. A version becomes active once both sides have signed.
 */
export const ruleSignoffBodySchema = z.object({ comment: noteSchema.optional() });
export type RuleSignoffBody = z.infer<typeof ruleSignoffBodySchema>;

/**
 * POST /v1/rules/rollbacks: propose a new version carrying an earlier version's rules. It needs both
 * sign-offs like any draft, unless an admin asks, which activates it at once.
 */
export const ruleRollbackBodySchema = z.object({
  toVersion: z
    .int({
      error: bilingual('戻す先のバージョンを整数で指定してください', 'Give the version to roll back to'),
    })
    .positive(bilingual('バージョンは1以上です', 'A version is 1 or more')),
  note: noteSchema.optional(),
});
export type RuleRollbackBody = z.infer<typeof ruleRollbackBodySchema>;

// Roles and sign-off sides live in ./roles; re-exported for the pages that read them with the API bodies.
export {
  APPROVER_SIDE,
  type ApproverSide,
  approverSideSchema,
  type Role,
  RULE_WRITE_ROLES,
  type RuleWrite,
  roleSchema,
} from './roles';

/** 200 answer to GET /v1/me: who the token belongs to, so a client can show what its role may do. */
export const meResponseSchema = z.object({
  role: roleSchema,
  name: z.string(),
  tokenId: z.string(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** The token holder who did something, as stored by the endpoint. */
export const signerSchema = z.object({ name: z.string(), role: roleSchema });

export const ruleSignoffSchema = z.object({
  side: approverSideSchema,
  by: signerSchema,
  at: z.iso.datetime(),
  comment: z.string().nullable(),
});

export const ruleVersionStatusSchema = z.enum(['draft', 'active', 'retired', 'superseded']);

/** One version in the history; `rules` is omitted in the history list and present on a single version. */
export const ruleVersionSchema = z.object({
  version: z.int().positive(),
  status: ruleVersionStatusSchema,
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: signerSchema,
  /** The version whose rules this one restores, for a rollback. */
  rollbackOf: z.int().positive().nullable(),
  signoffs: z.array(ruleSignoffSchema),
  activatedAt: z.iso.datetime().nullable(),
  /** How it became active: both sign-offs, an admin's rollback, or the demo seed. */
  activation: z.enum(['signoffs', 'admin', 'seed']).nullable(),
  rules: z.unknown().optional(),
});
export type RuleVersion = z.infer<typeof ruleVersionSchema>;

/** 200 answer to GET /v1/rules/active (with an ETag; If-None-Match answers 304). */
export const activeRulesResponseSchema = z.object({
  version: z.int().positive(),
  activatedAt: z.iso.datetime(),
  rules: z.unknown(),
});
export type ActiveRulesResponse = z.infer<typeof activeRulesResponseSchema>;

export const ruleHistoryResponseSchema = z.object({ versions: z.array(ruleVersionSchema) });

/** Every 4xx/5xx body: a stable code, a message in both languages and, for bad input, every problem. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: localizedTextSchema,
    problems: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: localizedTextSchema }))
      .optional(),
    /** How many problems there were, when `problems` lists only the first of them. */
    problemsTotal: z.int().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
