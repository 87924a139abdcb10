/** The OpenAPI 3.1 document, generated from the same zod schemas the endpoint validates with. */
import { z } from 'zod';
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
import {
  kpiQuerySchema,
  kpiReportSchema,
  OUTCOMES_MAX_BYTES,
  outcomeImportResponseSchema,
  scoringReviewSchema,
  whatIfQuerySchema,
  whatIfReportSchema,
} from '../lib/kpi/api';
import type { Config } from './config';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
const error = (description: string) => ({ description, ...json('ApiError') });

const common = {
  '400': error('Bad input: every problem with its JSON path, in ja and en'),
  '401': error('No valid bearer token'),
  '403': error('The token’s role may not do this'),
  '429': error('Rate limited; see Retry-After'),
  '503': error('Database briefly unavailable; retry'),
};

export function buildOpenApi(
  config: Pick<Config, 'maxBodyBytes' | 'maxEventBytes' | 'maxBatchEvents'>,
  ruleSetSchema?: z.ZodType,
) {
  const registry = z.registry<{ id: string }>();
  registry.add(eventSchema, { id: 'Event' });
  registry.add(eventBatchSchema, { id: 'EventBatch' });
  registry.add(eventBatchResponseSchema, { id: 'EventBatchResponse' });
  registry.add(teamStateRequestSchema, { id: 'TeamStateRequest' });
  registry.add(teamStateResponseSchema, { id: 'TeamStateResponse' });
  registry.add(ruleDraftBodySchema, { id: 'RuleDraftBody' });
  registry.add(ruleSignoffBodySchema, { id: 'RuleSignoffBody' });
  registry.add(ruleRollbackBodySchema, { id: 'RuleRollbackBody' });
  registry.add(ruleVersionSchema, { id: 'RuleVersion' });
  registry.add(ruleHistoryResponseSchema, { id: 'RuleHistory' });
  registry.add(activeRulesResponseSchema, { id: 'ActiveRules' });
  registry.add(meResponseSchema, { id: 'Me' });
  registry.add(apiErrorSchema, { id: 'ApiError' });
  registry.add(kpiReportSchema, { id: 'KpiReport' });
  registry.add(whatIfReportSchema, { id: 'WhatIfReport' });
  registry.add(scoringReviewSchema, { id: 'ScoringReview' });
  registry.add(outcomeImportResponseSchema, { id: 'OutcomeImport' });
  if (ruleSetSchema) registry.add(ruleSetSchema, { id: 'RuleSet' });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    io: 'input',
  });
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
          responses: { '200': { description: 'OK' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (admin)',
          responses: { '200': { description: 'text/plain; version=0.0.4' }, ...common },
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
          requestBody: { required: true, ...json('RuleDraftBody') },
          responses: {
            '201': { description: 'Draft stored', ...json('RuleVersion') },
            '422': error('The rule set has problems: each with its path under "rules"'),
            ...common,
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
          requestBody: { required: true, ...json('RuleSignoffBody') },
          responses: {
            '200': { description: 'Signed (status "active" once both sides signed)', ...json('RuleVersion') },
            '404': error('No such version'),
            '409': error('Not a draft, or already signed by this side'),
            ...common,
          },
        },
      },
      '/v1/rules/rollbacks': {
        post: {
          summary:
            'A new version restoring an earlier active one: needs both sign-offs, or is active at once for an admin',
          requestBody: { required: true, ...json('RuleRollbackBody') },
          responses: {
            '201': { description: 'Rollback version', ...json('RuleVersion') },
            '404': error('No such version'),
            '409': error('That version was never active, or is active now'),
            '422': error('The earlier rules no longer validate'),
            ...common,
          },
        },
      },
      '/v1/events': {
        post: {
          summary:
            'Record a batch of events; a retried idempotencyKey with the same body gets its original receipt',
          requestBody: { required: true, ...json('EventBatch') },
          responses: {
            '200': {
              description: 'Every event stored (durably) or already stored',
              ...json('EventBatchResponse'),
            },
            '409': error('A key came back with a different body; nothing stored'),
            '413': error('Body, event or batch over its cap'),
            ...common,
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
      },
      '/v1/outcomes': {
        post: {
          summary:
            'Import opportunity/won/lost outcomes from a CSV (marketer, manager, admin); importing a file again changes nothing',
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
      '/v1/team-state': {
        post: {
          summary: 'Latest handoff, first contact, stage, feedback and escalation the team recorded per lead',
          requestBody: { required: true, ...json('TeamStateRequest') },
          responses: { '200': json('TeamStateResponse'), ...common },
        },
      },
    },
  };
}
