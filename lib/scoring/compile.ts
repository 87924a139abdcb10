/**
 * A rule set turned into matchers once, so that scoring thousands of leads never compiles a regex,
 * normalises a rule value or walks a list that a lookup could replace.
 */
import type { LocalizedText } from '../i18n';
import type { Activity, ActivityType, CrmId, Stage } from '../lead';
import { normalizeText } from '../normalize';
import { PATTERN_FLAGS, type RuleSet } from '../rules/schema';
import { ACTIVITY_TYPES, type ColumnStore } from './columns';
import { type CompiledFields, compileFields, type FieldChecks } from './fields';

const DAY_MS = 86_400_000;

export interface CompiledFitRule {
  id: string;
  label: LocalizedText;
  points: number;
  checks: FieldChecks;
}

export interface CompiledEngagementRule {
  id: string;
  label: LocalizedText;
  points: number;
  /** In milli-points, the unit sums are kept in so they are exact integers. */
  capMilli: number | null;
  /** ln 2 / half-life: a point aged t is worth exp(−t × rate), which is 3× cheaper than 2^(−t / half-life). */
  decayRate: number | null;
  windowMs: number | null;
}

export interface CompiledTrigger {
  id: string;
  label: LocalizedText;
}

export interface CompiledExclusion {
  id: string;
  label: LocalizedText;
  checks: FieldChecks;
}

interface Alternative {
  title: RegExp | null;
  url: RegExp | null;
}

/** The rules and triggers one activity matches (indices into CompiledRules' lists). */
export interface ActivityMatches {
  engagement: readonly number[];
  triggers: readonly number[];
}

/**
 * A prototype-less object used as a string-keyed memo. A property load interns the looked-up title or URL
 * once and then compares pointers, where a Map would compare the characters of every fresh string again.
 */
type Memo<T> = Record<string, T | undefined>;

const emptyMemo = <T>(): Memo<T> => Object.create(null) as Memo<T>;

/** What one activity type is looked at for: which rules and triggers, and whether title/URL matter. */
export interface TypeInterest {
  /** [rule index, alternatives]: the activity counts once for the rule when any alternative matches. */
  engagement: [number, Alternative[]][];
  triggers: [number, Alternative[]][];
  needsTitle: boolean;
  needsUrl: boolean;
  firstContact: boolean;
  /**
   * Matches by title then URL. Forms, pages and campaigns recur across leads, so most activities are
   * answered from here without normalising text or running a regex.
   */
  memo: Memo<Memo<ActivityMatches>>;
  memoSize: number;
  /**
   * One shared answer per distinct outcome: thousands of title/URL pairs map to a handful of outcomes, and
   * sharing them keeps the answers scoring reads for every activity few and hot in the CPU cache.
   */
  outcomes: Map<string, ActivityMatches>;
  /** The answer for every activity of the type, when no rule looks at titles or URLs. */
  fixed: ActivityMatches | null;
  /**
   * The memo again, by the interned ids of lib/scoring/columns.ts (title id, then URL id; 0 for a part
   * the interest does not read), for leads scored from columns. Its ids are of generation idGeneration.
   */
  byId: (ActivityMatches[] | undefined)[];
  byIdSize: number;
  idGeneration: number;
}

export interface CompiledRules {
  rules: RuleSet;
  fitRules: CompiledFitRule[];
  engagementRules: CompiledEngagementRule[];
  triggers: CompiledTrigger[];
  /** A lead any of these holds for is never handed over. */
  exclusions: CompiledExclusion[];
  /** Each activity type's interest, for the per-activity lookup (interestIn). */
  typeTable: TypeTable;
  /** The same by type index (lib/scoring/columns.ts ACTIVITY_TYPES), for leads scored from columns. */
  interestByType: (TypeInterest | undefined)[];
  /** Fit rules, exclusions and the ICP as bits of per-field masks (./fields.ts). */
  fields: CompiledFields;
  statusStages: ReadonlyMap<CrmId, ReadonlyMap<string, Stage>>;
  /** The most the fit rules can give: the sum of their positive points. */
  fitCeiling: number;
  recycleCoolDownMs: number;
}

function pattern(source: string | undefined): RegExp | null {
  return source === undefined ? null : new RegExp(source, PATTERN_FLAGS);
}

function alternatives(list: RuleSet['triggers'][number]['activities']): Map<ActivityType, Alternative[]> {
  const byType = new Map<ActivityType, Alternative[]>();
  for (const match of list) {
    const alternative = { title: pattern(match.titlePattern), url: pattern(match.urlPattern) };
    for (const type of match.types) {
      const existing = byType.get(type);
      if (existing) existing.push(alternative);
      else byType.set(type, [alternative]);
    }
  }
  return byType;
}

function interestOf(byType: Map<ActivityType, TypeInterest>, type: ActivityType): TypeInterest {
  let interest = byType.get(type);
  if (!interest) {
    interest = {
      engagement: [],
      triggers: [],
      needsTitle: false,
      needsUrl: false,
      firstContact: false,
      memo: emptyMemo(),
      memoSize: 0,
      outcomes: new Map(),
      fixed: null,
      byId: [],
      byIdSize: 0,
      idGeneration: -1,
    };
    byType.set(type, interest);
  }
  return interest;
}

function build(rules: RuleSet): CompiledRules {
  const byType = new Map<ActivityType, TypeInterest>();
  const note = (interest: TypeInterest, alts: Alternative[]) => {
    for (const alt of alts) {
      if (alt.title) interest.needsTitle = true;
      if (alt.url) interest.needsUrl = true;
    }
  };
  rules.engagementRules.forEach((rule, index) => {
    for (const [type, alts] of alternatives(rule.activities)) {
      const interest = interestOf(byType, type);
      interest.engagement.push([index, alts]);
      note(interest, alts);
    }
  });
  rules.triggers.forEach((trigger, index) => {
    for (const [type, alts] of alternatives(trigger.activities)) {
      const interest = interestOf(byType, type);
      interest.triggers.push([index, alts]);
      note(interest, alts);
    }
  });
  for (const type of rules.firstContactMethods) interestOf(byType, type).firstContact = true;
  for (const interest of byType.values()) {
    if (!interest.needsTitle && !interest.needsUrl)
      interest.fixed = matchActivity(interest, undefined, undefined);
  }

  const statusStages = new Map<CrmId, Map<string, Stage>>();
  for (const [crm, values] of Object.entries(rules.statusMapping) as [CrmId, Record<string, Stage>][]) {
    statusStages.set(
      crm,
      new Map(Object.entries(values).map(([value, stage]) => [normalizeText(value), stage])),
    );
  }

  const fields = compileFields(rules);
  return {
    rules,
    fitRules: rules.fitRules.map((rule, i) => ({
      id: rule.id,
      label: rule.label,
      points: rule.points,
      checks: fields.fitRules[i]!,
    })),
    engagementRules: rules.engagementRules.map((rule) => {
      const decay = rule.decay ?? rules.engagementDecay;
      return {
        id: rule.id,
        label: rule.label,
        points: rule.points,
        capMilli: rule.cap === undefined ? null : rule.cap * 1000,
        decayRate: decay.halfLifeDays === undefined ? null : Math.LN2 / (decay.halfLifeDays * DAY_MS),
        windowMs: decay.windowDays === undefined ? null : decay.windowDays * DAY_MS,
      };
    }),
    triggers: rules.triggers.map((t) => ({ id: t.id, label: t.label })),
    exclusions: rules.exclusions.map((x, i) => ({
      id: x.id,
      label: x.label,
      checks: fields.exclusions[i]!,
    })),
    typeTable: typeTable(byType),
    interestByType: ACTIVITY_TYPES.map((type) => byType.get(type)),
    fields,
    statusStages,
    fitCeiling: rules.fitRules.reduce((sum, r) => sum + Math.max(0, r.points), 0),
    recycleCoolDownMs: rules.recycle.coolDownDays * DAY_MS,
  };
}

/**
 * Interests by activity type, open-addressed on the type's length and end characters. A keyed property
 * load whose key varies per activity goes through V8's megamorphic stub cache at ~30 ns, a Map at ~15 ns;
 * this costs two character reads and one comparison of interned strings (200,000 activities a batch).
 */
export interface TypeTable {
  names: (string | undefined)[];
  interests: (TypeInterest | undefined)[];
  mask: number;
}

const typeSlot = (type: string, mask: number) =>
  (type.length ^ type.charCodeAt(0) ^ (type.charCodeAt(type.length - 1) << 1)) & mask;

function typeTable(byType: ReadonlyMap<ActivityType, TypeInterest>): TypeTable {
  // At least four times the activity types, a power of two, so a probe rarely goes past its first slot
  // (and always finds a free one).
  let mask = 63;
  while (mask + 1 < 4 * byType.size) mask = mask * 2 + 1;
  const table: TypeTable = {
    names: new Array(mask + 1).fill(undefined),
    interests: new Array(mask + 1).fill(undefined),
    mask,
  };
  for (const [type, interest] of byType) {
    let slot = typeSlot(type, mask);
    while (table.names[slot] !== undefined) slot = (slot + 1) & mask;
    table.names[slot] = type;
    table.interests[slot] = interest;
  }
  return table;
}

/** What activities of this type are looked at for, or undefined when no rule reads them. */
export function interestIn(table: TypeTable, type: string): TypeInterest | undefined {
  const { names, mask } = table;
  for (let slot = typeSlot(type, mask); ; slot = (slot + 1) & mask) {
    const name = names[slot];
    if (name === type) return table.interests[slot];
    if (name === undefined) return undefined;
  }
}

const compiled = new WeakMap<RuleSet, CompiledRules>();

/**
 * The rule set's matchers, built on first use and kept as long as the rule set object lives. Rule sets
 * are immutable once validated: a new publication is a new object, so the cache can never go stale.
 */
export function compileRules(rules: RuleSet): CompiledRules {
  let result = compiled.get(rules);
  if (!result) {
    result = build(rules);
    compiled.set(rules, result);
  }
  return result;
}

function matchesAny(alts: readonly Alternative[], title: string, url: string): boolean {
  for (const alt of alts) {
    if ((alt.title === null || alt.title.test(title)) && (alt.url === null || alt.url.test(url))) return true;
  }
  return false;
}

function normalizeUrl(url: string): string {
  // Japanese slugs arrive percent-encoded ("/%E6%96%99%E9%87%91"); patterns are written decoded.
  if (url.includes('%')) {
    try {
      return normalizeText(decodeURI(url));
    } catch {
      return normalizeText(url);
    }
  }
  return normalizeText(url);
}

const MEMO_LIMIT = 20_000;

/**
 * The rules and triggers an activity of this type with this title and URL matches. Only the lookup is
 * here, small enough to be inlined into scoring's loop over every activity; a first sight is matched apart.
 */
export function matchActivity(
  interest: TypeInterest,
  title: string | undefined,
  url: string | undefined,
): ActivityMatches {
  if (interest.fixed !== null) return interest.fixed;
  const titleKey = interest.needsTitle ? (title ?? '') : '';
  const urlKey = interest.needsUrl ? (url ?? '') : '';
  return interest.memo[titleKey]?.[urlKey] ?? firstMatch(interest, titleKey, urlKey);
}

/**
 * matchActivity for a lead scored from columns: the same answer, found by the activity's title and URL
 * ids. The activity itself (its strings) is read only on a first sight of the pair.
 */
export function matchById(
  interest: TypeInterest,
  columns: ColumnStore,
  entry: number,
  activity: Activity,
): ActivityMatches {
  if (interest.fixed !== null) return interest.fixed;
  const { generation } = columns;
  const titleId = columns.titles[entry]!;
  const urlId = columns.urls[entry]!;
  const byTitle =
    interest.idGeneration === generation ? interest.byId[interest.needsTitle ? titleId : 0] : undefined;
  return (
    byTitle?.[interest.needsUrl ? urlId : 0] ?? firstMatchById(interest, generation, titleId, urlId, activity)
  );
}

function firstMatchById(
  interest: TypeInterest,
  generation: number,
  titleId: number,
  urlId: number,
  activity: Activity,
): ActivityMatches {
  const matches = matchActivity(interest, activity.title, activity.url);
  if (interest.idGeneration !== generation || interest.byIdSize >= MEMO_LIMIT) {
    interest.byId = [];
    interest.byIdSize = 0;
    interest.idGeneration = generation;
  }
  const t = interest.needsTitle ? titleId : 0;
  let byUrl = interest.byId[t];
  if (byUrl === undefined) {
    byUrl = [];
    interest.byId[t] = byUrl;
  }
  byUrl[interest.needsUrl ? urlId : 0] = matches;
  interest.byIdSize++;
  return matches;
}

function firstMatch(interest: TypeInterest, titleKey: string, urlKey: string): ActivityMatches {
  const normalTitle = titleKey === '' ? '' : normalizeText(titleKey);
  const normalUrl = urlKey === '' ? '' : normalizeUrl(urlKey);
  const engagement = interest.engagement
    .filter(([, alts]) => matchesAny(alts, normalTitle, normalUrl))
    .map(([i]) => i);
  const triggers = interest.triggers
    .filter(([, alts]) => matchesAny(alts, normalTitle, normalUrl))
    .map(([i]) => i);
  const outcome = `${engagement.join(',')}|${triggers.join(',')}`;
  let matches = interest.outcomes.get(outcome);
  if (matches === undefined) {
    matches = { engagement, triggers };
    interest.outcomes.set(outcome, matches);
  }
  if (interest.memoSize >= MEMO_LIMIT) {
    interest.memo = emptyMemo();
    interest.memoSize = 0;
    interest.outcomes.clear();
  }
  let byUrl = interest.memo[titleKey];
  if (byUrl === undefined) {
    byUrl = emptyMemo();
    interest.memo[titleKey] = byUrl;
  }
  byUrl[urlKey] = matches;
  interest.memoSize++;
  return matches;
}
