import type { ReadHealth as ReadHealthCounts } from '../../lib/crm/health';
import type { PageMap, PageMapBody } from '../../lib/crm/page-map';
import type { MeResponse, RuleVersion } from '../../lib/events';
import type { LocalizedText } from '../../lib/i18n';
import type { IntakeRefusalsResponse } from '../../lib/intake/api';
import type { OutcomeImportResponse } from '../../lib/kpi/api';
import type { ScoringReview } from '../../lib/kpi/scoring-review';
import type {
  KpiLeadsQuery,
  KpiLeadsReport,
  KpiQuery,
  KpiReport,
  WhatIfQuery,
  WhatIfReport,
} from '../../lib/kpi/types';
import type { PreviewLead } from '../../lib/preview';
import type { RuleSet } from '../../lib/rules';

/*
 * What the console needs of the world, apart from the console itself, so its tabs (the dashboard) and
 * the extension page that supplies the real one depend on this, not on Console.tsx.
 */

/** The rules in force, and where the console got them. */
export interface ActiveRules {
  rules: RuleSet;
  /** The endpoint's version number; null when the rules come from this browser or the built-in default. */
  version: number | null;
  activatedAt: string | null;
  source: 'endpoint' | 'browser' | 'default';
  /**
   * Set when an endpoint is configured but did not answer: the rules shown are this browser's, and why
   * the endpoint's could not be had. The console stays usable (edit, preview, print) instead of waiting.
   */
  endpointFailure?: LocalizedText;
}

/** Everything the console asks of the outside world; the extension page passes the real one. */
export interface ConsoleApi {
  /** The endpoint the console acts on, or null when none is set. */
  endpoint(): Promise<{ url: string; managed: boolean } | null>;
  /**
   * Who the token acts as (GET /v1/me); null when no endpoint is set. Rejects when the endpoint cannot
   * say (e.g. one older than /v1/me): the console then lets the endpoint refuse, and explains its 403.
   */
  me(): Promise<MeResponse | null>;
  /** Acts with another token from now on (e.g. the sales manager signing on the same machine). */
  actWith(token: string): void;
  active(): Promise<ActiveRules>;
  versions(): Promise<RuleVersion[]>;
  version(version: number): Promise<RuleVersion>;
  propose(rules: RuleSet, note: string): Promise<RuleVersion>;
  signOff(version: number, comment: string): Promise<RuleVersion>;
  rollback(toVersion: number): Promise<RuleVersion>;
  /** Leads to preview against: this browser's cached snapshots. */
  sampleLeads(): Promise<PreviewLead[]>;
  now(): number;
  /** GET /v1/kpis: the dashboard's figures for handoffs in [from, to). */
  kpis(query: KpiQuery): Promise<KpiReport>;
  /** GET /v1/kpis/review: each scoring rule against the period's outcomes, with suggested points. */
  scoringReview(query: KpiQuery): Promise<ScoringReview>;
  /** GET /v1/kpis/whatif: the recorded history replayed against another threshold or a draft. */
  whatIf(query: WhatIfQuery): Promise<WhatIfReport>;
  /** POST /v1/kpis/whatif: the editor's draft against the team's history, before anyone proposes it. */
  whatIfDraft?(body: { from: string; to: string; rules: RuleSet }): Promise<WhatIfReport>;
  /** GET /v1/kpis/leads: the leads behind a count of the dashboard; without it counts are not opened. */
  kpiLeads?(query: KpiLeadsQuery): Promise<KpiLeadsReport>;
  /** POST /v1/outcomes: opportunities and wins from a CSV the team exported from its CRM. */
  importOutcomes(csv: string): Promise<OutcomeImportResponse>;
  /** GET /v1/read-health: how every browser read CRM pages, per day, CRM and page kind. */
  readHealth?(): Promise<ReadHealthCounts[]>;
  /** GET /v1/intake/refusals: refused intake payloads per sender since an instant (admin). */
  intakeRefusals?(since: string): Promise<IntakeRefusalsResponse>;
  /** PUT /v1/page-map: publishes a page map (marketer, admin). */
  publishPageMap?(body: PageMapBody): Promise<PageMap>;
}
