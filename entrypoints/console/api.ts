import type { ActiveRules, ConsoleApi } from '../../components/console/console-api';
import { liveClock } from '../../extension/clock';
import { type EndpointConfig, EndpointError, endpointConfig, endpointFetch } from '../../extension/endpoint';
import { ask } from '../../extension/messaging';
import { readHealthResponseSchema } from '../../lib/crm/health';
import { pageMapSchema } from '../../lib/crm/page-map';
import {
  activeRulesResponseSchema,
  meResponseSchema,
  type RuleVersion,
  ruleHistoryResponseSchema,
  ruleVersionSchema,
} from '../../lib/events';
import { intakeRefusalsResponseSchema } from '../../lib/intake/api';
import {
  kpiLeadsReportSchema,
  kpiReportSchema,
  outcomeImportResponseSchema,
  scoringReviewSchema,
  whatIfReportSchema,
} from '../../lib/kpi/api';
import type { WhatIfQuery } from '../../lib/kpi/types';
import { validateRuleSet } from '../../lib/rules';

/** How many of this browser's most recently seen leads the preview scores. */
const SAMPLE_SIZE = 300;

/**
 * The console's view of the world from an extension page: the endpoint through endpointFetch (errors in
 * words), this browser's cached leads and rules asked of the worker, which owns them, like every other page.
 */
export function extensionConsoleApi(): ConsoleApi {
  // A token typed into the console lives in this page only: closing the tab forgets it.
  let tokenOverride: string | null = null;
  // The extension's clock, so the e2e build's moved time reaches the preview like the worker.
  const clock = liveClock();

  const config = async (): Promise<EndpointConfig | null> => {
    const configured = await endpointConfig();
    if (!configured) return null;
    return tokenOverride ? { ...configured, token: tokenOverride } : configured;
  };
  const required = async () => {
    const c = await config();
    if (c) return c;
    throw new EndpointError('unconfigured', null, {
      ja: 'エンドポイントが設定されていません（設定ページで入力してください）',
      en: 'No endpoint is set (enter it on the options page)',
    });
  };
  const call = async (path: string, init: RequestInit = {}) =>
    (await endpointFetch(await required(), path, { cache: 'no-store', ...init })).json() as Promise<unknown>;
  const post = async (path: string, body: unknown): Promise<RuleVersion> =>
    ruleVersionSchema.parse(await call(path, { method: 'POST', body: JSON.stringify(body) }));

  const browserRules = async (): Promise<ActiveRules> => {
    const { rules, source } = await ask({ type: 'rules.inForce' });
    return { rules, version: null, activatedAt: null, source: source === 'default' ? 'default' : 'browser' };
  };

  return {
    async endpoint() {
      const c = await config();
      return c ? { url: c.url, managed: c.source === 'managed' } : null;
    },
    async me() {
      if (!(await config())) return null;
      return meResponseSchema.parse(await call('/v1/me'));
    },
    actWith(token) {
      tokenOverride = token;
    },
    async active() {
      if (!(await config())) return browserRules();
      let body: unknown;
      try {
        body = await call('/v1/rules/active');
      } catch (error) {
        // Before the first activation the endpoint has no rules; the console starts from this browser's.
        if (error instanceof EndpointError && error.status === 404) return browserRules();
        // Unreachable, refused or failing: this browser's rules, and why, rather than a page that waits.
        if (error instanceof EndpointError)
          return { ...(await browserRules()), endpointFailure: error.reason };
        throw error;
      }
      const active = activeRulesResponseSchema.parse(body);
      const parsed = validateRuleSet(active.rules);
      if (!parsed.ok) {
        throw new EndpointError('invalid', 200, {
          ja: `エンドポイントの有効なルール（バージョン ${active.version}）が検証を通りません`,
          en: `The endpoint's active rules (version ${active.version}) do not validate`,
        });
      }
      return {
        rules: parsed.value,
        version: active.version,
        activatedAt: active.activatedAt,
        source: 'endpoint',
      };
    },
    async versions() {
      return ruleHistoryResponseSchema.parse(await call('/v1/rules/versions')).versions;
    },
    async version(version) {
      return ruleVersionSchema.parse(await call(`/v1/rules/versions/${version}`));
    },
    propose: (rules, note) => post('/v1/rules/drafts', { rules, ...(note.trim() ? { note } : {}) }),
    signOff: (version, comment) =>
      post(`/v1/rules/versions/${version}/signoffs`, comment.trim() ? { comment } : {}),
    rollback: (toVersion) => post('/v1/rules/rollbacks', { toVersion }),
    sampleLeads: () => ask({ type: 'leads.sample', limit: SAMPLE_SIZE }),
    now: () => clock.now(),
    async kpis(query) {
      const params = new URLSearchParams({ from: query.from, to: query.to });
      if (query.bandWidth !== undefined) params.set('bandWidth', String(query.bandWidth));
      return kpiReportSchema.parse(await call(`/v1/kpis?${params}`));
    },
    async whatIfDraft(body) {
      return whatIfReportSchema.parse(
        await call('/v1/kpis/whatif', { method: 'POST', body: JSON.stringify(body) }),
      );
    },
    async kpiLeads(query) {
      const params = new URLSearchParams({ from: query.from, to: query.to, figure: query.figure });
      return kpiLeadsReportSchema.parse(await call(`/v1/kpis/leads?${params}`));
    },
    async scoringReview(query) {
      const params = new URLSearchParams({ from: query.from, to: query.to });
      return scoringReviewSchema.parse(await call(`/v1/kpis/review?${params}`));
    },
    async whatIf(query) {
      const params = new URLSearchParams();
      for (const key of [
        'from',
        'to',
        'bandWidth',
        'threshold',
        'capacityPerWeek',
        'draftVersion',
      ] as const) {
        const value: WhatIfQuery[typeof key] = query[key];
        if (value !== undefined) params.set(key, String(value));
      }
      return whatIfReportSchema.parse(await call(`/v1/kpis/whatif?${params}`));
    },
    async importOutcomes(csv) {
      return outcomeImportResponseSchema.parse(
        await call('/v1/outcomes', {
          method: 'POST',
          body: csv,
          headers: { 'content-type': 'text/csv; charset=utf-8' },
        }),
      );
    },
    async readHealth() {
      return readHealthResponseSchema.parse(await call('/v1/read-health')).counts;
    },
    async intakeRefusals(since) {
      return intakeRefusalsResponseSchema.parse(
        await call(`/v1/intake/refusals?since=${encodeURIComponent(since)}`),
      );
    },
    async publishPageMap(body) {
      return pageMapSchema.parse(await call('/v1/page-map', { method: 'PUT', body: JSON.stringify(body) }));
    },
  };
}
