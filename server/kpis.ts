/**
 * The KPI dashboard and threshold review over lead_facts: which rule set a report is judged by, the
 * period's rows, and lib/kpi's pure computations. Rule sets are parsed once per version and kept: a stored
 * version never changes.
 */
import type { BusinessCalendar } from '../lib/calendar/schema';
import { DAY_MS, periodBounds } from '../lib/calendar/zone';
import { parseOutcomesCsv } from '../lib/kpi/csv';
import { computeKpis } from '../lib/kpi/report';
import { textDraftScorer } from '../lib/kpi/rescore-text';
import { type ScoringReview, scoringReview } from '../lib/kpi/scoring-review';
import type { KpiQuery, KpiReport, WhatIfQuery, WhatIfReport } from '../lib/kpi/types';
import { draftScorer, replayLeadsFrom, type WhatIfOptions, whatIf } from '../lib/kpi/whatif';
import type { Problem } from '../lib/problems';
import { defaultRuleSet, type RuleSet, validateRuleSet } from '../lib/rules';
import { RulesService, ruleSetDomain } from './rules';
import type { OutcomeImport } from './storage/events';
import { versionNotFound } from './storage/rule-versions';
import type { Store } from './storage/store';

/** A version of the rules and its rule set; version null: none was ever activated (the built-in default). */
export interface JudgingRules {
  version: number | null;
  rules: RuleSet;
}

/** An outcome CSV with bad lines: nothing was stored. */
export class OutcomesInvalidError extends Error {
  override name = 'OutcomesInvalidError';
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the outcome file`);
  }
}

/**
 * A stored version as today's format: versions stored before a format change are upgraded on read
 * (lib/rules/upgrade.ts) and validated as every reader does. A version stored valid that no longer
 * validates is a bug in an upgrade step, reported rather than judged by.
 */
function storedRules(version: number, stored: unknown): RuleSet {
  const checked = validateRuleSet(stored);
  if (!checked.ok) {
    throw new Error(
      `Stored rule set version ${version} does not validate after upgrade: ${checked.problems
        .map((p) => `${p.path.join('.')}: ${p.message.en}`)
        .join('; ')}`,
    );
  }
  return checked.value;
}

/**
 * 'plain': every answer computed as before the reads were tuned, by lib/kpi's functions over LeadFacts
 * rows. The benchmark and the tests compare the served answers with it byte for byte; nothing serves it.
 */
export type KpiPath = 'tuned' | 'plain';

export class KpiService {
  private readonly byVersion = new Map<number, RuleSet>();

  constructor(
    private readonly store: Store,
    private readonly rules: RulesService,
    private readonly clock: () => number,
    private readonly path: KpiPath = 'tuned',
  ) {}

  /** The active rule set (from RulesService's memory when fresh), or the built-in default. */
  async active(): Promise<JudgingRules> {
    const entry = await this.rules.active();
    if (!entry) return { version: null, rules: defaultRuleSet };
    let rules = this.byVersion.get(entry.version);
    if (!rules) {
      rules = storedRules(entry.version, (JSON.parse(entry.body) as { rules: unknown }).rules);
      this.remember(entry.version, rules);
    }
    return { version: entry.version, rules };
  }

  /** The calendar events are folded by (business time to first contact). */
  async calendar(): Promise<BusinessCalendar> {
    return (await this.active()).rules.calendar;
  }

  /** A stored version's rule set; 0 is the extensions' built-in default. */
  async version(version: number): Promise<RuleSet | undefined> {
    if (version === 0) return defaultRuleSet;
    let rules = this.byVersion.get(version);
    if (!rules) {
      const text = await this.store.ruleVersions.rulesOf(version);
      if (text === undefined) return undefined;
      rules = storedRules(version, JSON.parse(text));
      this.remember(version, rules);
    }
    return rules;
  }

  private remember(version: number, rules: RuleSet): void {
    // Versions are few (a handful a quarter); the bound only guards against a runaway.
    if (this.byVersion.size > 1000) this.byVersion.clear();
    this.byVersion.set(version, rules);
  }

  async report(query: Required<KpiQuery>): Promise<KpiReport> {
    const { rules } = await this.active();
    const [from, to] = periodBounds(query, rules.calendar.timeZone);
    const rows =
      this.path === 'plain'
        ? await this.store.events.factsInPeriod(from, to)
        : await this.store.events.reportInPeriod(from, to);
    return computeKpis(rows, { query, now: this.clock(), rules });
  }

  /** The scoring review of the period's handoffs, judged by the active rule set's rules and threshold. */
  async review(query: Required<KpiQuery>): Promise<ScoringReview> {
    const { rules } = await this.active();
    const [from, to] = periodBounds(query, rules.calendar.timeZone);
    return scoringReview(await this.store.events.factsInPeriod(from, to, 'review'), rules);
  }

  /** `given`: rules not stored as a version (the editor's draft), weighed as a draft version would be. */
  async whatIf(query: WhatIfQuery, given?: RuleSet): Promise<WhatIfReport> {
    const { rules } = await this.active();
    const draft =
      given ?? (query.draftVersion === undefined ? undefined : await this.version(query.draftVersion));
    if (query.draftVersion !== undefined && !draft) throw versionNotFound(query.draftVersion);
    const zone = rules.calendar.timeZone;
    const [from, to] = periodBounds(query, zone);
    const judged = draft ?? rules;
    const options: Omit<WhatIfOptions, 'scoreOf'> = {
      query,
      threshold: query.threshold ?? judged.threshold.total,
      currentThreshold: rules.threshold.total,
      target: rules.conversionTarget,
      weeks: (to - from) / (7 * DAY_MS),
      ...(query.capacityPerWeek === undefined ? {} : { capacityPerWeek: query.capacityPerWeek }),
      ...(judged.threshold.minFit === undefined ? {} : { minFit: judged.threshold.minFit }),
      ...(judged.threshold.minEngagement === undefined
        ? {}
        : { minEngagement: judged.threshold.minEngagement }),
    };
    if (this.path === 'plain') {
      const rows = await this.store.events.factsInPeriod(from, to, draft ? 'draft' : 'replay');
      const leads = replayLeadsFrom(rows, { from: query.from, to: query.to, zone });
      if (!draft) return whatIf(leads, options);
      const recorded = await this.recordedVersions(leads);
      return whatIf(leads, { ...options, scoreOf: draftScorer(draft, (v) => recorded.get(v)) });
    }
    if (!draft) {
      const { rows, counted } = await this.store.events.byScoreInPeriod(from, to);
      return whatIf(rows, { ...options, counted });
    }
    const rows = await this.store.events.draftInPeriod(from, to);
    const recorded = await this.recordedVersions(rows);
    const scoreOf = textDraftScorer(draft, (v) => recorded.get(v));
    return whatIf(rows, {
      ...options,
      scoreOf: (row) =>
        scoreOf(row.explanationText, row.rulesVersion, row.explanationFrom, row.explanationTo),
    });
  }

  /** The scorer asks synchronously, so every version that scored a replayed lead is looked up first. */
  private async recordedVersions(
    leads: readonly { rulesVersion: number | null }[],
  ): Promise<Map<number | null, RuleSet | undefined>> {
    const recorded = new Map<number | null, RuleSet | undefined>();
    for (const lead of leads) {
      if (!recorded.has(lead.rulesVersion)) {
        recorded.set(
          lead.rulesVersion,
          lead.rulesVersion === null ? undefined : await this.version(lead.rulesVersion),
        );
      }
    }
    return recorded;
  }

  /** Parses the whole file first: one bad line and nothing is stored. */
  async importOutcomes(csv: string): Promise<OutcomeImport> {
    const { rules } = await this.active();
    const parsed = parseOutcomesCsv(csv, rules.calendar.timeZone);
    if (!parsed.ok) {
      throw new OutcomesInvalidError(
        parsed.problems.map(({ line, message }) => ({ path: ['line', line], message })),
      );
    }
    return this.store.events.importOutcomes(parsed.rows, rules.calendar);
  }

  /** Builds lead_facts from stored events on a database from before them; the number of leads folded. */
  async backfill(): Promise<number> {
    return this.store.events.backfillFacts(await this.calendar());
  }
}

/**
 * The KPIs over a store by either path, as the benchmark and tests compare them with the served answers;
 * `clock` is the served answer's own `now`, so "overdue now" is judged at the same instant.
 */
export function kpisOver(store: Store, clock: () => number, path: KpiPath): KpiService {
  const rules = new RulesService(store.ruleVersions, ruleSetDomain, path, 0, clock);
  return new KpiService(store, rules, clock, path);
}
