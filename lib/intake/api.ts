/** The answers of the intake routes (POST /v1/intake/{source}, GET /v1/intake/refusals). */
import { z } from 'zod';
import { localizedTextSchema } from '../i18n';
import { leadKeySchema, stageSchema } from '../lead';
import { intakeSourceSchema } from './mapping';

/** One handoff taken in; a redelivery of the same notification gets the identical receipt. */
export const intakeReceiptSchema = z.object({
  /** The source's own id of the notification (its mapping's eventId paths, joined with "|"). */
  eventId: z.string(),
  lead: leadKeySchema,
  handoffAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  score: z.number().nullable(),
  /** The rule set version that scored it; 0 = the built-in default. */
  rulesVersion: z.int().min(0),
  owner: z.string().nullable(),
  /** The stage a CRM status in the payload put the lead in (a stage_change was recorded), else null. */
  stage: stageSchema.nullable(),
  events: z.array(
    z.object({
      type: z.enum(['handoff_observed', 'stage_change']),
      idempotencyKey: z.uuid(),
      seq: z.int().positive(),
      recordedAt: z.iso.datetime(),
    }),
  ),
});
export type IntakeReceipt = z.infer<typeof intakeReceiptSchema>;

/** 200 answer to POST /v1/intake/{source}: one receipt per handoff (one for a webhook, one per CSV row). */
export const intakeResponseSchema = z.object({ handoffs: z.array(intakeReceiptSchema) });

/** 200 answer to GET /v1/intake/refusals: refused payloads per source since `since`. */
export const intakeRefusalsResponseSchema = z.object({
  since: z.iso.datetime(),
  sources: z.array(
    z.object({
      source: intakeSourceSchema,
      refused: z.int().positive(),
      lastRefusedAt: z.iso.datetime(),
      lastProblems: z.array(
        z.object({ path: z.array(z.union([z.string(), z.number()])), message: localizedTextSchema }),
      ),
    }),
  ),
});
export type IntakeRefusalsResponse = z.infer<typeof intakeRefusalsResponseSchema>;
