import { z } from 'zod';
import type { CrmFieldMapping } from './crm/mapping';
import { crmIdSchema, leadKeySchema, leadSnapshotSchema } from './lead';
import type { LeadView } from './lead-view';

/**
 * Every message a content script or an extension page sends to the background worker: one
 * discriminated union, validated at the receiving end. `type` names the request in the domain's words.
 */
export const requestSchema = z.discriminatedUnion('type', [
  /** A content script read a lead off a CRM record page. */
  z.object({ type: z.literal('lead.seen'), snapshot: leadSnapshotSchema }),
  /** A content script read the lead rows of a list view (one request per batch of rows). */
  z.object({ type: z.literal('leads.listed'), snapshots: z.array(leadSnapshotSchema).max(500) }),
  /** A content script starting on a CRM page asks how to read it (the rule set's field mapping). */
  z.object({ type: z.literal('page.config'), crm: crmIdSchema }),
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
  'lead.seen': LeadView;
  'leads.listed': LeadView[];
  'page.config': PageConfig;
  'leads.recent': SeenLead[];
}

export interface PageConfig {
  mapping: CrmFieldMapping;
  /** Offset of the zone CRM dates are displayed in (the rule set's business calendar), minutes east of UTC. */
  utcOffsetMinutes: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { ja: string; en: string } };
