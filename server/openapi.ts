/** The OpenAPI 3.1 document, generated from the same zod schemas the endpoint validates with. */
import { z } from 'zod';
import { readHealthQuerySchema, readHealthReportSchema, readHealthResponseSchema } from '../lib/crm/health';
import { pageMapBodySchema, pageMapSchema } from '../lib/crm/page-map';
import {
  activeRulesResponseSchema,
  apiErrorSchema,
  eventBatchResponseSchema,
  eventBatchSchema,
  eventSchema,
  meResponseSchema,
  ruleDraftBodySchema,
  ruleHistoryResponseSchema,
  ruleRollbackBodySchema,
  ruleSignoffBodySchema,
  ruleVersionSchema,
  teamStateRequestSchema,
  teamStateResponseSchema,
} from '../lib/events';
import { intakeRefusalsResponseSchema, intakeResponseSchema } from '../lib/intake/api';
import {
  kpiLeadsQuerySchema,
  kpiLeadsReportSchema,
  kpiQuerySchema,
  kpiReportSchema,
  LEADS_BEHIND_MAX,
  OUTCOMES_MAX_BYTES,
  outcomeImportResponseSchema,
  scoringReviewSchema,
  whatIfDraftBodySchema,
  whatIfQuerySchema,
  whatIfReportSchema,
} from '../lib/kpi/api';
import { defaultRuleSet } from '../lib/rules';
import type { Config } from './config';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
const error = (description: string) => ({ description, ...json('ApiError') });

/** A request body with a valid example: readers copy it, and the fuzzer mutates it. */
const jsonBody = (id: string, example: unknown) => ({
  required: true,
  content: { 'application/json': { schema: ref(id), example } },
});

const EXAMPLE_LEAD = { crm: 'salesforce', object: 'Lead', recordId: '00Q5g00000AbCdEFGH' };
const EXAMPLE_EVENTS = {
  events: [
    {
      type: 'handoff_observed',
      idempotencyKey: '0b8a4c3e-7f1d-4e2a-9c55-3d6f0e1a2b7c',
      occurredAt: '2026-11-25T10:00:00+09:00',
      lead: EXAMPLE_LEAD,
      rulesVersion: 1,
      actor: { name: '山田 太郎' },
      handoffAt: '2026-11-25T09:55:00+09:00',
      dueAt: '2026-11-26T09:55:00+09:00',
      reason: 'trigger',
      triggerId: 'demo_request',
      score: 72,
    },
    {
      type: 'escalation_step',
      idempotencyKey: '5d2e9f10-3c4b-5a6d-8e7f-9a0b1c2d3e4f',
      occurredAt: '2026-11-26T09:55:00+09:00',
      lead: EXAMPLE_LEAD,
      rulesVersion: 1,
      actor: { name: '山田 太郎' },
      stepId: 'manager-24h',
      kind: 'manager',
      handoffAt: '2026-11-25T09:55:00+09:00',
      dueAt: '2026-11-26T09:55:00+09:00',
      leadLabel: '株式会社サンプル / 佐藤様',
      url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view',
    },
  ],
};

const common = {
  '400': error(
    'Bad input: every problem with its JSON path, in ja and en (the first 100, with problemsTotal when there were more)',
  ),
  '401': error('No valid bearer token'),
  '403': error('The token’s role may not do this'),
  '429': error('Rate limited, or too many failed authentications from this address; see Retry-After'),
  '431': error('The URL or the headers are over 16 KB'),
  '503': error('Database briefly unavailable; retry'),
};

/** Every route that reads a JSON body: its size cap and its content type. */
const jsonBodyErrors = {
  '413': error('Body over its byte cap'),
  '415': error('Not application/json'),
};

export function buildOpenApi(
  config: Pick<Config, 'maxBodyBytes' | 'maxEventBytes' | 'maxBatchEvents'>,
  ruleSetSchema?: z.ZodType,
) {
  // What clients send, as zod takes it in (defaults optional, unknown keys dropped)...
  const requests = z.registry<{ id: string }>();
  requests.add(eventSchema, { id: 'Event' });
  requests.add(eventBatchSchema, { id: 'EventBatch' });
  requests.add(teamStateRequestSchema, { id: 'TeamStateRequest' });
  requests.add(ruleDraftBodySchema, { id: 'RuleDraftBody' });
  requests.add(ruleSignoffBodySchema, { id: 'RuleSignoffBody' });
  requests.add(ruleRollbackBodySchema, { id: 'RuleRollbackBody' });
  requests.add(readHealthReportSchema, { id: 'ReadHealthReport' });
  requests.add(pageMapBodySchema, { id: 'PageMapBody' });
  requests.add(whatIfDraftBodySchema, { id: 'WhatIfDraftBody' });
  if (ruleSetSchema) requests.add(ruleSetSchema, { id: 'RuleSet' });
  // ...and what the endpoint answers, exactly: every field it may send, and no other
  // (additionalProperties: false), so a client can rely on the shape and the fuzzer hold the answers to it.
  const answers = z.registry<{ id: string }>();
  answers.add(eventBatchResponseSchema, { id: 'EventBatchResponse' });
  answers.add(teamStateResponseSchema, { id: 'TeamStateResponse' });
  answers.add(ruleVersionSchema, { id: 'RuleVersion' });
  answers.add(ruleHistoryResponseSchema, { id: 'RuleHistory' });
  answers.add(activeRulesResponseSchema, { id: 'ActiveRules' });
  answers.add(meResponseSchema, { id: 'Me' });
  answers.add(apiErrorSchema, { id: 'ApiError' });
  answers.add(kpiReportSchema, { id: 'KpiReport' });
  answers.add(whatIfReportSchema, { id: 'WhatIfReport' });
  answers.add(kpiLeadsReportSchema, { id: 'KpiLeads' });
  answers.add(scoringReviewSchema, { id: 'ScoringReview' });
  answers.add(outcomeImportResponseSchema, { id: 'OutcomeImport' });
  answers.add(intakeResponseSchema, { id: 'IntakeResponse' });
  answers.add(intakeRefusalsResponseSchema, { id: 'IntakeRefusals' });
  answers.add(pageMapSchema, { id: 'PageMap' });
  answers.add(readHealthResponseSchema, { id: 'ReadHealthCounts' });
  const schemas = {
    ...z.toJSONSchema(requests, {
      uri: (id) => `#/components/schemas/${id}`,
      unrepresentable: 'any',
      io: 'input',
    }).schemas,
    ...z.toJSONSchema(answers, {
      uri: (id) => `#/components/schemas/${id}`,
      unrepresentable: 'any',
      io: 'output',
    }).schemas,
  };
  for (const schema of Object.values(schemas)) delete (schema as { $schema?: string }).$schema;

  const bearer = [{ bearer: [] }];
  const queryParameters = (schema: z.ZodObject) =>
    Object.entries(
      (
        z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
          properties: Record<string, { description?: string }>;
          required?: string[];
        }
      ).properties,
    ).map(([name, property]) => ({
      name,
      in: 'query',
      required: ['from', 'to'].includes(name),
      schema: property,
    }));
  const kpiRoles = 'manager, marketer, admin; a rep gets 403: KPIs name colleagues by owner';
  return {
    openapi: '3.1.0',
    info: {
      title: 'Baton sync endpoint',
      version: '1',
      description:
        'Rules distribution with two-party sign-off, idempotent event ingest and team lead state. ' +
        `Bodies are capped at ${config.maxBodyBytes} bytes, single events at ${config.maxEventBytes} bytes, ` +
        `batches at ${config.maxBatchEvents} events (413 beyond).`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
    security: bearer,
    paths: {
      '/health': {
        get: {
          security: [],
          summary: 'Liveness and database reachability',
          responses: {
            '200': {
              description: 'OK',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { status: { const: 'ok' } },
                    required: ['status'],
                  },
                },
              },
            },
            '503': error('Database briefly unavailable'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (admin)',
          responses: { '200': { description: 'text/plain; version=0.0.4' }, ...common },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document (every role)',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            ...common,
          },
        },
      },
      '/v1/me': {
        get: {
          summary: 'Who this token belongs to: role, name and token id (every role)',
          responses: { '200': json('Me'), ...common },
        },
      },
      '/v1/rules/active': {
        get: {
          summary: 'The active rule set; send If-None-Match with the last ETag to get 304 when unchanged',
          parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Active rule set', ...json('ActiveRules') },
            '304': { description: 'Unchanged since the ETag sent' },
            '404': error('No rule set active yet'),
            ...common,
          },
        },
      },
      '/v1/rules/versions': {
        get: {
          summary: 'Every version, newest first, with sign-offs',
          responses: { '200': json('RuleHistory'), ...common },
        },
      },
      '/v1/rules/versions/{version}': {
        get: {
          summary: 'One version with its rules',
          parameters: [
            { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { '200': json('RuleVersion'), '404': error('No such version'), ...common },
        },
      },
      '/v1/rules/drafts': {
        post: {
          summary: 'Propose a rule set (marketer, manager, admin)',
          requestBody: jsonBody('RuleDraftBody', { rules: defaultRuleSet, note: 'Q3 review' }),
          responses: {
            '201': { description: 'Draft stored', ...json('RuleVersion') },
            '422': error('The rule set has problems: each with its path under "rules"'),
            ...common,
            ...jsonBodyErrors,
          },
        },
      },
      '/v1/rules/versions/{version}/signoffs': {
        post: {
          summary:
            'Sign off a draft: a marketer signs for marketing, a manager for sales; the second side activates it',
          parameters: [
            { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          requestBody: jsonBody('RuleSignoffBody', { comment: '営業部として承認します' }),
          responses: {
            '200': { description: 'Signed (status "active" once both sides signed)', ...json('RuleVersion') },
            '404': error('No such version'),
            '409': error('Not a draft, or already signed by this side'),
            ...common,
            ...jsonBodyErrors,
          },
        },
      },
      '/v1/rules/rollbacks': {
        post: {
          summary:
            'A new version restoring an earlier active one: needs both sign-offs, or is active at once for an admin',
          requestBody: jsonBody('RuleRollbackBody', { toVersion: 1, note: 'Back to the seed' }),
          responses: {
            '201': { description: 'Rollback version', ...json('RuleVersion') },
            '404': error('No such version'),
            '409': error('That version was never active, or is active now'),
            '422': error('The earlier rules no longer validate'),
            ...common,
            ...jsonBodyErrors,
          },
        },
      },
      '/v1/events': {
        post: {
          summary:
            'Record a batch of events; a retried idempotencyKey with the same body gets its original receipt',
          requestBody: jsonBody('EventBatch', EXAMPLE_EVENTS),
          responses: {
            '200': {
              description: 'Every event stored (durably) or already stored',
              ...json('EventBatchResponse'),
            },
            '409': error('A key came back with a different body; nothing stored'),
            ...common,
            ...jsonBodyErrors,
            '413': error('Body, event or batch over its cap'),
          },
        },
      },
      '/v1/kpis': {
        get: {
          summary: `KPIs of the handoffs in [from, to) (local dates of the active rule set's zone, at most 400 days): totals, weeks with drift, breakdowns, funnel, time to contact, reasons (${kpiRoles})`,
          parameters: queryParameters(kpiQuerySchema),
          responses: { '200': json('KpiReport'), ...common },
        },
      },
      '/v1/kpis/review': {
        get: {
          summary: `Scoring review of the period's handoffs: per fit and behaviour rule, its share among MQLs, SQLs and wins, lift, suggested points and their what-if (${kpiRoles})`,
          parameters: queryParameters(kpiQuerySchema),
          responses: { '200': json('ScoringReview'), ...common },
        },
      },
      '/v1/kpis/whatif': {
        get: {
          summary: `The period's handoffs replayed at other thresholds, or against a draft version's rules (${kpiRoles})`,
          parameters: queryParameters(whatIfQuerySchema),
          responses: {
            '200': json('WhatIfReport'),
            '404': error('No such draftVersion'),
            ...common,
          },
        },
        post: {
          summary: `The period's handoffs replayed against rules not yet proposed, such as the editor's draft; nothing is stored (${kpiRoles})`,
          requestBody: jsonBody('WhatIfDraftBody', {
            from: '2026-09-07',
            to: '2026-11-30',
            rules: defaultRuleSet,
          }),
          responses: {
            '200': json('WhatIfReport'),
            '422': error('The rule set has problems: each with its path under "rules"'),
            ...common,
            ...jsonBodyErrors,
          },
        },
      },
      '/v1/kpis/leads': {
        get: {
          summary: `The leads behind a count of the dashboard (figure: mql, contacted, sql, opportunity, won or overdue), as many as the count says, the first ${LEADS_BEHIND_MAX} most urgent first, each with its CRM record page as a browser last saw it (${kpiRoles})`,
          parameters: queryParameters(kpiLeadsQuerySchema),
          responses: { '200': json('KpiLeads'), ...common },
        },
      },
      '/v1/outcomes': {
        post: {
          summary:
            'Import a history from a CSV: past MQLs, SQL/rejected verdicts, opportunity/won/lost outcomes (marketer, manager, admin); all or nothing, importing a file again changes nothing',
          requestBody: {
            required: true,
            description: `text/csv, UTF-8, at most ${OUTCOMES_MAX_BYTES} bytes`,
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          responses: {
            ...common,
            '200': { description: "Every row folded into the leads' facts", ...json('OutcomeImport') },
            '400': error('Bad lines (path ["line", n]) or not UTF-8: nothing was imported'),
            '413': error(`Body over ${OUTCOMES_MAX_BYTES} bytes`),
            '415': error('Not text/csv'),
          },
        },
      },
      '/v1/intake/{source}': {
        post: {
          summary:
            'A handoff notification from an automation (intake token named for the source): scored with the active rules and recorded as handoff_observed (+ stage_change for a mapped CRM status); a redelivery gets the original receipt. docs/intake/<source>.md',
          parameters: [
            {
              name: 'source',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['hubspot', 'kintone', 'pipedrive', 'salesforce', 'csv'] },
            },
          ],
          requestBody: {
            required: true,
            description: `The source's own payload (JSON, at most ${config.maxBodyBytes} bytes), read through its field mapping; for csv, text/csv UTF-8 with a header line (at most ${OUTCOMES_MAX_BYTES} bytes), one handoff per row, all or nothing`,
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: true } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          responses: {
            ...common,
            '200': {
              description: 'Every handoff stored durably (or stored before)',
              ...json('IntakeResponse'),
            },
            '400': error(
              'Bad payload: each problem with its payload path ([line, column] for CSV); nothing stored',
            ),
            '403': error('Not the intake token of this source'),
            '404': error('No such source'),
            '413': error('Body over its cap'),
            '415': error('Not application/json (text/csv for csv)'),
            '422': error(
              'The lead is not a handoff (MQL time in the future or unreadable, score below threshold)',
            ),
          },
        },
      },
      '/v1/handoffs/open': {
        get: {
          summary:
            "A rep's queue of leads nobody opened: open (uncontacted) handoffs of the named owners, soonest due first, as team state (every person's role)",
          parameters: [
            {
              name: 'owner',
              in: 'query',
              required: true,
              description:
                'The owner as the CRM names them (a name, or an id such as HubSpot’s owner id); repeat for 1 to 10',
              schema: { type: 'array', items: { type: 'string', maxLength: 200 }, minItems: 1, maxItems: 10 },
              style: 'form',
              explode: true,
            },
          ],
          responses: { '200': json('TeamStateResponse'), ...common },
        },
      },
      '/v1/intake/refusals': {
        get: {
          summary: 'Refused intake payloads per source since a time, with the latest problems (admin)',
          parameters: [
            {
              name: 'since',
              in: 'query',
              required: false,
              description: 'ISO 8601 date-time; default 24 hours ago',
              schema: { type: 'string', format: 'date-time' },
            },
          ],
          responses: { '200': json('IntakeRefusals'), ...common },
        },
      },
      '/v1/team-state': {
        post: {
          summary: 'Latest handoff, first contact, stage, feedback and escalation the team recorded per lead',
          requestBody: jsonBody('TeamStateRequest', { leads: [EXAMPLE_LEAD] }),
          responses: { '200': json('TeamStateResponse'), ...common, ...jsonBodyErrors },
        },
      },
      '/v1/page-map': {
        get: {
          summary:
            'The published page map: per-CRM CSS selectors and labels that repair reading (every role); ETag is its version',
          parameters: [
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              schema: { type: 'string' },
              description: 'The ETag of the copy the browser has; 304 when unchanged',
            },
          ],
          responses: {
            ...common,
            '200': {
              description: 'The page map, with its ETag',
              headers: { ETag: { schema: { type: 'string' } } },
              ...json('PageMap'),
            },
            '304': { description: 'Unchanged since the ETag sent' },
            '404': error('No page map published yet'),
          },
        },
        put: {
          summary:
            'Publish a page map as the next version (marketer, admin); refused whole when any entry is invalid',
          requestBody: jsonBody('PageMapBody', {
            note: 'Zoho detail page: company moved into the header',
            crms: {
              zoho: {
                fields: {
                  company: {
                    selectors: ['[data-zcqa="detailView_Company"] .dvValue'],
                    labels: { ja: ['会社名'], en: ['Company'] },
                  },
                },
                outside: ['.relatedListContainer'],
              },
            },
          }),
          responses: {
            ...common,
            '200': {
              description: 'Published, numbered one above the previous version',
              headers: { ETag: { schema: { type: 'string' } } },
              ...json('PageMap'),
            },
            ...jsonBodyErrors,
          },
        },
      },
      '/v1/read-health': {
        post: {
          summary:
            "A browser's CRM read health totals per day, CRM and page kind (counts only, every role); a repeat replaces, never adds",
          requestBody: jsonBody('ReadHealthReport', {
            reporter: '6f1c2b7e-3d4a-4e5f-8a9b-0c1d2e3f4a5b',
            counts: [
              {
                day: '2026-12-03',
                crm: 'zoho',
                pageKind: 'record',
                pages: 37,
                nothingRead: 37,
                selector: 0,
                hook: 0,
                label: 0,
              },
            ],
          }),
          responses: {
            ...common,
            '200': {
              description: 'Stored',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { accepted: { type: 'integer', minimum: 0 } },
                    required: ['accepted'],
                  },
                },
              },
            },
            ...jsonBodyErrors,
          },
        },
        get: {
          summary:
            'CRM read health of every browser, summed per day, CRM and page kind (manager, marketer, admin)',
          parameters: queryParameters(readHealthQuerySchema),
          responses: { '200': json('ReadHealthCounts'), ...common },
        },
      },
    },
  };
}
