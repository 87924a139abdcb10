/**
 * Rule distribution and the two-party sign-off. The active rule set is served from memory with its ETag,
 * re-checked against the database at most every `cacheMs` (one tiny indexed read), so thousands of
 * browsers polling cost almost nothing; writes on this instance refresh it at once.
 */
import type { RuleVersion } from '../lib/events';
import type { Problem, Result } from '../lib/problems';
import { APPROVER_SIDE } from '../lib/roles';
import { defaultRuleSet, type RuleSet, validateRuleSet } from '../lib/rules';
import type { Principal } from './principal';
import { type RuleVersionStore, versionNotFound } from './storage/rule-versions';

/** The domain's rule checks (lib/rules), injected so this module does not care how rules look inside. */
export interface RulesDomain<R = unknown> {
  validate(input: unknown): Result<R>;
  /** Writes the endpoint's version number into the rule set (browsers keep the highest they have seen). */
  stamp(rules: R, version: number): R;
  defaultRules: R;
}

/** lib/rules' rule set: the endpoint's number goes into `version.number`, the revision name stays. */
export const ruleSetDomain: RulesDomain<RuleSet> = {
  validate: validateRuleSet,
  stamp: (rules, version) => ({ ...rules, version: { ...rules.version, number: version } }),
  defaultRules: defaultRuleSet,
};

/** A rules write whose rule set did not validate: every problem, answered 422. */
export class RulesInvalidError extends Error {
  override name = 'RulesInvalidError';
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the rule set`);
  }
}

export interface ActiveRulesEntry {
  version: number;
  etag: string;
  /** The serialised 200 body, built once per version. */
  body: string;
}

export class RulesService<R = unknown> {
  private cached: { entry: ActiveRulesEntry | null; checkedAt: number } | undefined;
  private refreshing: Promise<ActiveRulesEntry | null> | undefined;
  /** Bumped by every write here: a refresh that began before it must not store what it read. */
  private generation = 0;

  constructor(
    private readonly versions: RuleVersionStore,
    private readonly domain: RulesDomain<R>,
    /** Distinguishes databases, so an ETag from another installation never matches. */
    private readonly instanceId: string,
    private readonly cacheMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The active rule set, or null when none was ever activated. */
  active(): ActiveRulesEntry | null | Promise<ActiveRulesEntry | null> {
    const cached = this.cached;
    if (cached && this.clock() - cached.checkedAt < this.cacheMs) return cached.entry;
    if (!this.refreshing) {
      const refreshing = this.refresh().finally(() => {
        if (this.refreshing === refreshing) this.refreshing = undefined;
      });
      this.refreshing = refreshing;
    }
    return this.refreshing;
  }

  /** The active rule set if memory holds a fresh answer, else undefined (ask `active()`). */
  cachedActive(now = this.clock()): ActiveRulesEntry | undefined {
    const cached = this.cached;
    return cached?.entry && now - cached.checkedAt < this.cacheMs ? cached.entry : undefined;
  }

  private async refresh(): Promise<ActiveRulesEntry | null> {
    const generation = this.generation;
    const checkedAt = this.clock();
    const version = await this.versions.activeVersionNumber();
    const held = this.cached?.entry ?? null;
    if (held && held.version === version) {
      if (generation === this.generation) this.cached = { entry: held, checkedAt };
      return held;
    }
    const active = await this.versions.active();
    const entry = active
      ? {
          version: active.version,
          etag: `"${this.instanceId}-${active.version}"`,
          body: `{"version":${active.version},"activatedAt":${JSON.stringify(new Date(active.activatedAt).toISOString())},"rules":${active.rules}}`,
        }
      : null;
    if (generation === this.generation) this.cached = { entry, checkedAt };
    return entry;
  }

  private invalidate(): void {
    this.generation++;
    this.cached = undefined;
    // A refresh already under way may have read the version before this write committed.
    this.refreshing = undefined;
  }

  private check(input: unknown): R {
    const result = this.domain.validate(input);
    if (!result.ok) {
      throw new RulesInvalidError(result.problems.map((p) => ({ ...p, path: ['rules', ...p.path] })));
    }
    return result.value;
  }

  private render(rules: R) {
    return (version: number) => JSON.stringify(this.domain.stamp(rules, version));
  }

  async draft(input: unknown, note: string | null, by: Principal): Promise<RuleVersion> {
    const rules = this.check(input);
    const version = await this.versions.createDraft(this.render(rules), note, by, this.clock());
    return (await this.versions.version(version))!;
  }

  async signOff(version: number, by: Principal, comment: string | null): Promise<RuleVersion> {
    const side = APPROVER_SIDE[by.role];
    if (!side) throw new Error(`role ${by.role} has no approver side`);
    const { activated } = await this.versions.signOff(version, side, by, comment, this.clock());
    if (activated) this.invalidate();
    return (await this.versions.version(version))!;
  }

  async rollback(toVersion: number, note: string | null, by: Principal): Promise<RuleVersion> {
    const target = await this.versions.version(toVersion);
    if (!target) throw versionNotFound(toVersion);
    // Validated again: the schema may have tightened since that version was signed.
    const rules = this.check(target.rules);
    const version = await this.versions.rollback(toVersion, this.render(rules), note, by, this.clock());
    this.invalidate();
    return (await this.versions.version(version))!;
  }

  /** Activates the default rule set on a database that has no rules yet. */
  async seed(): Promise<number | null> {
    const rules = this.check(this.domain.defaultRules);
    const version = await this.versions.seed(this.render(rules), this.clock());
    this.invalidate();
    return version;
  }

  history(): Promise<RuleVersion[]> {
    return this.versions.history();
  }

  version(version: number): Promise<RuleVersion | undefined> {
    return this.versions.version(version);
  }
}
