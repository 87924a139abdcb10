import { z } from 'zod';
import { plainText } from './plain-text';

/** The CRMs Baton reads. One adapter file per CRM in lib/crm/. */
export const crmIdSchema = z.enum(['salesforce', 'hubspot', 'dynamics', 'zoho', 'pipedrive', 'kintone']);
export type CrmId = z.infer<typeof crmIdSchema>;

/** Where a lead lives: enough to find it again in its CRM and to key it everywhere. */
export const leadKeySchema = z.object({
  crm: crmIdSchema,
  /** The CRM's object name: Lead, contact (0-1), lead (0-136), lead (Dynamics), Leads (Zoho), app id (kintone)... */
  object: plainText(z.string().min(1).max(64)),
  /** The record's id in the CRM (Salesforce ids always in their 18-character form). */
  recordId: plainText(z.string().min(1).max(128)),
});
export type LeadKey = z.infer<typeof leadKeySchema>;

export { leadKeyString } from './lead-key';

/** Lifecycle stages, in the order a lead normally moves through them. */
export const stageSchema = z.enum([
  'new',
  'mql',
  'contacted',
  'sql',
  'disqualified',
  'recycled',
  /** Converted to an opportunity (商談化). */
  'converted',
  /** The opportunity was won (受注). */
  'won',
  /** The opportunity was lost (失注). */
  'lost',
]);
export type Stage = z.infer<typeof stageSchema>;

/**
 * The canonical lead fields that CRM adapters extract and rules read. Field mappings in the rule set
 * say which CRM field or label feeds each one; values are kept exactly as the page displayed them
 * (normalisation happens in lib/, not in the adapter).
 */
export const leadFieldSchema = z.enum([
  'company',
  'name',
  'email',
  'title',
  'industry',
  'employees',
  'region',
  'leadSource',
  'status',
  'owner',
  'createdAt',
  'mqlAt',
]);
export type LeadField = z.infer<typeof leadFieldSchema>;

/** Kinds of activity the rules can score or trigger on. Outbound ones count as contact. */
export const activityTypeSchema = z.enum([
  'web_visit',
  'page_view',
  'form_submit',
  'document_request',
  'download',
  'demo_request',
  'webinar',
  'event',
  'email_open',
  'email_click',
  'call',
  'email_sent',
  'meeting',
  'other',
]);
export type ActivityType = z.infer<typeof activityTypeSchema>;

export const activitySchema = z.object({
  type: activityTypeSchema,
  /** Title or subject as shown (e.g. "資料請求: 製品概要", "Viewed /pricing"). */
  title: z.string().max(2000).optional(),
  url: z.string().max(2000).optional(),
  /** ISO 8601 with offset or Z. */
  at: z.iso.datetime({ offset: true }),
});
export type Activity = z.infer<typeof activitySchema>;

/** What a content script read from a CRM page: data, never trusted, validated at every boundary. */
export const leadSnapshotSchema = leadKeySchema.extend({
  /** The page the lead was read from, to open it again. */
  url: z.url().max(4000).optional(),
  /** Canonical field → value as displayed; custom mapped fields may use other keys. */
  fields: z.record(z.string().max(64), z.string().max(2000)),
  activities: z.array(activitySchema).max(500).default([]),
});
export type LeadSnapshot = z.infer<typeof leadSnapshotSchema>;
