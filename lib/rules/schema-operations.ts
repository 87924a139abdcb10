/** What runs after scoring: email-domain lists, CRM statuses, sales feedback reasons, first contact. */
import { z } from 'zod';
import { bilingual, localizedTextSchema } from '../i18n';
import { crmIdSchema, stageSchema } from '../lead';
import { normalizeText } from '../normalize';
import { idSchema, listOf } from './schema-blocks';

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

export const domainListSchema = listOf(domainSchema, 2000).refine(
  (list) => new Set(list).size === list.length,
  {
    error: bilingual('同じドメインが重複しています', 'A domain is listed twice'),
  },
);

/**
 * Per CRM: a status value exactly as the CRM displays it, in ja or en ("未対応", "Open - Not Contacted") →
 * the stage it means. Values are compared after normalisation, so case and full-width do not matter.
 */
export const statusMappingSchema = z
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

export const feedbackReasonSchema = z.strictObject({
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

export const shareSchema = z
  .number({ error: bilingual('割合を 0〜1 の数値で指定してください', 'Give a share between 0 and 1') })
  .min(0, bilingual('割合は 0 以上です', 'A share is at least 0'))
  .max(1, bilingual('割合は 1 以下です', 'A share is at most 1'));

export const FIRST_CONTACT_METHODS = ['call', 'email_sent', 'meeting'] as const;
