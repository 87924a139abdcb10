import { z } from 'zod';
import { leadKeySchema, leadSnapshotSchema } from './lead';

/**
 * Every message a content script or an extension page sends to the background worker: one
 * discriminated union, validated at the receiving end. `type` names the request in the domain's words.
 */
export const requestSchema = z.discriminatedUnion('type', [
  /** A content script read a lead off a CRM page. */
  z.object({ type: z.literal('lead.seen'), snapshot: leadSnapshotSchema }),
  /** The popup asks for the leads this browser has seen, most recent first. */
  z.object({ type: z.literal('leads.recent'), limit: z.number().int().min(1).max(500) }),
]);
export type Request = z.infer<typeof requestSchema>;

export const seenLeadSchema = leadKeySchema.extend({
  company: z.string().optional(),
  name: z.string().optional(),
  url: z.string().optional(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  timesSeen: z.number().int(),
});
export type SeenLead = z.infer<typeof seenLeadSchema>;

/** The answer type of each request, beside it, so both ends agree at compile time. */
export interface Answers {
  'lead.seen': SeenLead;
  'leads.recent': SeenLead[];
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { ja: string; en: string } };
