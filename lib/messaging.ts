import { z } from 'zod';
import { pageReadSchema, type ReadHealth } from './crm/health';
import type { CrmFieldMapping } from './crm/mapping';
import type { CrmPageMap } from './crm/page-map';
import {
  bantSchema,
  COMMENT_MAX_CHARS,
  type ContactMethod,
  contactMethodSchema,
  type EventType,
  type FeedbackVerdict,
  feedbackVerdictSchema,
} from './events';
import type { LocalizedText } from './i18n';
import { crmIdSchema, type LeadKey, leadKeySchema, leadSnapshotSchema, type Stage } from './lead';
import type { LeadView } from './lead-view';
import type { PreviewLead } from './preview';
import type { FeedbackReason, RuleSet } from './rules/schema';

/**
 * Every message a content script or an extension page sends to the background worker: one
 * discriminated union, validated at the receiving end. `type` names the request in the domain's words.
 */
export const requestSchema = z.discriminatedUnion('type', [
  /** A content script read a lead off a CRM record page. */
  // `read`: the page's reading counts for the health report, sent along the first time this page is
  // shown rather than as a page.read of its own (one message less on the rep's page).
  z.object({ type: z.literal('lead.seen'), snapshot: leadSnapshotSchema, read: pageReadSchema.optional() }),
  /** A content script read the lead rows of a list view (one request per batch of rows). */
  z.object({
    type: z.literal('leads.listed'),
    snapshots: z.array(leadSnapshotSchema).max(500),
    // Like lead.seen's: the list's health counts, the first time this list is shown.
    read: pageReadSchema.optional(),
  }),
  /** A content script starting on a CRM page asks how to read it (the rule set's field mapping). */
  z.object({ type: z.literal('page.config'), crm: crmIdSchema }),
  /** The popup asks for the leads this browser has seen, most recent first. */
  z.object({ type: z.literal('leads.recent'), limit: z.number().int().min(1).max(500) }),
  /**
   * A rep marked the lead contacted (one click in the overlay or the popup). The key is made by the
   * page once per click, so a resend after a worker restart records one contact, not two.
   */
  z.object({ type: z.literal('lead.contacted'), lead: leadKeySchema, idempotencyKey: z.uuid() }),
  /** The feedback form (popup or in-page frame) opens on a lead: what it may offer. */
  z.object({ type: z.literal('feedback.form'), lead: leadKeySchema }),
  /** A rep sent feedback on a lead; the worker adds who, when and the rules version, and queues it. */
  z.object({
    type: z.literal('feedback.submit'),
    lead: leadKeySchema,
    idempotencyKey: z.uuid(),
    verdict: feedbackVerdictSchema,
    bant: bantSchema.optional(),
    reasonCode: z.string().max(64).optional(),
    contactMethod: contactMethodSchema.optional(),
    rating: z.int().min(1).max(5).optional(),
    comment: z.string().max(COMMENT_MAX_CHARS).optional(),
  }),
  /** The popup's "my queue": every lead seen here or returned by the team state, most urgent first. */
  z.object({ type: z.literal('queue.list') }),
  /** The popup asks which lead the current tab shows (by its URL), if any. */
  z.object({ type: z.literal('tab.lead'), url: z.url().max(4000) }),
  /** The popup footer and the options page: how syncing stands. */
  z.object({ type: z.literal('sync.state') }),
  /** "Sync now" (popup or options page, after settings change): send and pull at once, past any backoff. */
  z.object({ type: z.literal('sync.now') }),
  /** The options page's "test connection" on what was typed (not yet saved). */
  z.object({ type: z.literal('endpoint.test'), url: z.string().max(2000), token: z.string().max(4000) }),
  /** The options page imports a rules file into this browser (for teams without an endpoint). */
  z.object({ type: z.literal('rules.import'), rules: z.unknown() }),
  /** A content script counts how it read one recognised CRM page (counts only, never values). */
  z.object({ type: z.literal('page.read'), read: pageReadSchema }),
  /** The options page asks for this browser's reading counts, by day, CRM and page kind. */
  z.object({ type: z.literal('read.health') }),
  /** The console, without an endpoint (or before its first rules): the rule set in force in this browser. */
  z.object({ type: z.literal('rules.inForce') }),
  /** The console's preview scores this browser's most recently seen leads under a draft rule set. */
  z.object({ type: z.literal('leads.sample'), limit: z.number().int().min(1).max(500) }),
]);
export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];
/** The request of one type, with its own fields. */
export type RequestOf<K extends RequestType> = Extract<Request, { type: K }>;

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
  'lead.contacted': LeadView;
  'feedback.form': FeedbackForm;
  'feedback.submit': { savedAt: number };
  'queue.list': QueueItem[];
  'tab.lead': QueueItem | null;
  'sync.state': SyncState;
  'sync.now': SyncState;
  'endpoint.test': ConnectionTest;
  'rules.import': RulesImport;
  'page.read': { counted: true };
  'read.health': ReadHealth[];
  'rules.inForce': { rules: RuleSet; source: 'default' | 'endpoint' | 'import' };
  'leads.sample': PreviewLead[];
}

/**
 * How the worker answers: one function per request type, taking that request and owing its answer, so a
 * handler that answers the wrong type fails to compile. `Context` is what every handler is given (the
 * worker passes `now`).
 */
export type AnswerHandlers<Context> = {
  [K in RequestType]: (request: RequestOf<K>, context: Context) => Answers[K] | Promise<Answers[K]>;
};

/** The answer of `request` by its own handler, typed as that request's answer. */
export function answerOf<K extends RequestType, Context>(
  handlers: AnswerHandlers<Context>,
  request: RequestOf<K>,
  context: Context,
): Promise<Answers[K]> {
  const handler: (request: RequestOf<K>, context: Context) => Answers[K] | Promise<Answers[K]> =
    handlers[request.type];
  return Promise.resolve(handler(request, context));
}

/** One lead of "my queue", with the SLA as absolute times so the popup's countdowns tick on their own. */
export interface QueueItem extends LeadKey {
  key: string;
  /** What to call the lead when neither name nor company was read (its record id, the team's label). */
  label: string;
  name?: string;
  company?: string;
  url?: string;
  stage: Stage | null;
  sla: LeadView['sla'];
  handoffAt: number | null;
  /** Handed over and no feedback recorded (here or by the team) yet. */
  awaitingFeedback: boolean;
  /** seen: this browser read the lead; team: known only from the team state. */
  source: 'seen' | 'team';
  /** The full view, for leads this browser read. */
  view?: LeadView;
}

export interface FeedbackForm {
  lead: QueueItem | null;
  reasons: FeedbackReason[];
  /** BANT items of four to confirm before accepting as SQL (the rule set's sqlBant). */
  bantMinConfirmed: number;
  contactMethods: ContactMethod[];
  /** The rules version that made the lead an MQL (0: the built-in default). */
  rulesVersion: number;
  /** What this browser already sent for the lead, newest first. */
  sent: { verdict: FeedbackVerdict; at: number; state: 'pending' | 'sent' | 'refused' }[];
  /** Whether team sync is set up: without it feedback stays in this browser and marketing never sees it. */
  syncConfigured: boolean;
}

export interface SyncState {
  configured: boolean;
  /** The endpoint is set by enterprise policy (shown locked). */
  managed: boolean;
  rules: { id: string; number: number; source: 'default' | 'endpoint' | 'import'; receivedAt: number | null };
  /** The last rule set the endpoint published that this browser refused, while the last good one stays. */
  rulesRefused: {
    version: number | null;
    at: number;
    problems: { path: string; message: LocalizedText }[];
  } | null;
  waiting: number;
  /** Events the endpoint refused for good: kept for the rep to read, never sent again. */
  refused: { idempotencyKey: string; type: EventType; leadKey: string; at: number; reason: LocalizedText }[];
  lastSuccessAt: number | null;
  lastError: { reason: LocalizedText; at: number } | null;
  /** When the next automatic attempt to send is due (backoff), if one is waiting. */
  nextAttemptAt: number | null;
}

export interface ConnectionTest {
  ok: boolean;
  kind:
    | 'ok'
    | 'invalid_url'
    | 'no_permission'
    | 'unreachable'
    | 'tls'
    | 'unauthorized'
    | 'forbidden'
    | 'server'
    | 'not_baton';
  reason: LocalizedText;
  /** The token's role and name when it signed in, e.g. rep "山田 太郎". */
  role?: string;
}

export interface PageConfig {
  mapping: CrmFieldMapping;
  /** The published page map's overrides for this CRM, if any (CSS selectors and labels only). */
  pageMap?: CrmPageMap;
  /** Offset of the zone CRM dates are displayed in (the rule set's business calendar), minutes east of UTC. */
  utcOffsetMinutes: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { ja: string; en: string } };

/** The result of importing a rules file: in force now, or refused whole with every problem. */
export type RulesImport =
  | { ok: true; versionId: string; versionNumber: number }
  | { ok: false; problems: { path: string; message: LocalizedText }[] };
