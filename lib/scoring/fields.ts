/**
 * The fit rules, exclusions and ICP dimensions of a rule set as bits of per-field masks. Every condition
 * reads one field (the ICP as a whole reads four, as the AND of its dimensions), so a lead's answers to
 * all of them follow from one mask per field, and a mask from the field's value alone. Values recur across
 * leads ("部長", "情報通信業", "gmail.com"), so most leads are answered by a few lookups instead of running
 * every rule's test.
 */
import { normalizeText, normalizeTextCached, parseCount } from '../normalize';
import { type FitCondition, type IcpDimension, PATTERN_FLAGS, type RuleSet } from '../rules/schema';

/** Tests what a group derives from a field: its value as shown, or the domain of an address. */
type ValueTest = (value: string | undefined) => boolean;

/** Tests on one field, up to 31 of them: bit i of a mask is test i's answer. */
export interface FieldGroup {
  field: string;
  /** The domain of an email address rather than the value (addresses are unique, domains recur). */
  derive: ((raw: string) => string | undefined) | null;
  tests: ValueTest[];
  /** Masks by derived value; cleared when full. */
  memo: Map<string, number>;
  /** The mask of a lead without the field (or with a blank one). */
  absent: number;
}

/**
 * A condition as the bits that must all be set: group index × 32 + bit. Empty holds always (an ICP that
 * defines no dimension).
 */
export type FieldChecks = readonly number[];

export interface CompiledFields {
  groups: FieldGroup[];
  fitRules: FieldChecks[];
  exclusions: FieldChecks[];
  /** The ICP's defined dimensions, all of which a lead matches to match the ICP. */
  icp: FieldChecks;
}

const BITS = 31;
const MEMO_LIMIT = 4096;

/** A field's value, or undefined when the lead has none or only blanks. */
export function rawField(values: Readonly<Record<string, string>>, field: string): string | undefined {
  const value = values[field];
  if (value === undefined) return undefined;
  // A value that starts with a printable ASCII character or a CJK one is not blank, whatever follows: most
  // do, and this spares a call to trim() for each of the ten-odd fields a lead is read for.
  const first = value.charCodeAt(0);
  if ((first > 0x20 && first < 0x7f) || (first >= 0x3001 && first < 0xfeff)) return value;
  return value.trim() === '' ? undefined : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regex for a list of words: ASCII words must stand alone ("it" must not match "Hospitality"), other
 * scripts have no spaces between words and match anywhere.
 */
function wordsPattern(words: readonly string[]): RegExp {
  const parts = words.map((word) => {
    const normal = normalizeText(word);
    const w = escapeRegExp(normal);
    return /^[\x20-\x7e]+$/.test(normal) ? `(?<![a-z0-9])${w}(?![a-z0-9])` : w;
  });
  return new RegExp(parts.join('|'));
}

// Memo of parsed head counts: the same display values ("100-499", "1,000名以上") recur across leads.
const countCache = new Map<string, { min: number; max: number | null } | null>();

function countOf(raw: string): { min: number; max: number | null } | null {
  let parsed = countCache.get(raw);
  if (parsed === undefined) {
    parsed = parseCount(raw);
    if (countCache.size >= MEMO_LIMIT) countCache.clear();
    countCache.set(raw, parsed);
  }
  return parsed;
}

/** A range such as "100-499" is within bounds only when all of it is: the rule cannot know where it lies. */
function countWithin(raw: string | undefined, min: number | undefined, max: number | undefined): boolean {
  const count = raw === undefined ? null : countOf(raw);
  if (!count) return false;
  if (min !== undefined && count.min < min) return false;
  if (max !== undefined && (count.max === null || count.max > max)) return false;
  return true;
}

const textOf = (raw: string | undefined) => (raw === undefined ? undefined : normalizeTextCached(raw));

/** Where an address's domain is read: after its last "@" (a full-width ＠ too), normalised. */
export function emailDomainOf(email: string): string | undefined {
  // Only the domain is normalised: addresses are unique per lead, domains recur (and hit the memo).
  const address = email.includes('@') ? email : normalizeText(email);
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : domainOf(address.slice(at + 1));
}

// Normalised domains by the text after "@": domains recur across leads, and the memo saves a regex run.
const domains = new Map<string, string>();

function domainOf(afterAt: string): string {
  let domain = domains.get(afterAt);
  if (domain === undefined) {
    domain = normalizeTextCached(afterAt).replace(/[>\s.]+$/, '');
    if (domains.size >= MEMO_LIMIT) domains.clear();
    domains.set(afterAt, domain);
  }
  return domain;
}

function inDomainList(list: readonly string[]): ValueTest {
  const set = new Set(list);
  return (domain) => {
    if (domain === undefined) return false;
    // Subdomains belong to their domain: mail.competitor.co.jp is competitor.co.jp.
    for (let d = domain; d !== ''; d = d.slice(d.indexOf('.') + 1 || d.length)) {
      if (set.has(d)) return true;
    }
    return false;
  };
}

/** What a condition reads (field, and whether the domain of it), and its test of that. */
interface Reading {
  field: string;
  domain: boolean;
  test: ValueTest;
}

function icpReadings(icp: RuleSet['icp']): Partial<Record<IcpDimension, Reading>> {
  const readings: Partial<Record<IcpDimension, Reading>> = {};
  if (icp.industries.length) {
    const words = wordsPattern(icp.industries.flatMap((i) => i.synonyms));
    readings.industry = { field: 'industry', domain: false, test: (raw) => textTest(words, raw) };
  }
  if (icp.regions.length) {
    const words = wordsPattern(icp.regions.flatMap((r) => r.synonyms));
    readings.region = { field: 'region', domain: false, test: (raw) => textTest(words, raw) };
  }
  if (icp.titles.length) {
    const titles = icp.titles.map((t) => new RegExp(t.pattern, PATTERN_FLAGS));
    readings.title = {
      field: 'title',
      domain: false,
      test: (raw) => {
        const text = textOf(raw);
        return text !== undefined && titles.some((re) => re.test(text));
      },
    };
  }
  const range = icp.employees;
  if (range) {
    readings.employees = {
      field: 'employees',
      domain: false,
      test: (raw) => countWithin(raw, range.min, range.max),
    };
  }
  return readings;
}

function textTest(re: RegExp, raw: string | undefined): boolean {
  const text = textOf(raw);
  return text !== undefined && re.test(text);
}

function conditionReading(condition: Exclude<FitCondition, { op: 'icp' }>, rules: RuleSet): Reading {
  switch (condition.op) {
    case 'equals': {
      const value = normalizeText(condition.value);
      return { field: condition.field, domain: false, test: (raw) => textOf(raw) === value };
    }
    case 'in': {
      const values = new Set(condition.values.map(normalizeText));
      return { field: condition.field, domain: false, test: (raw) => values.has(textOf(raw) ?? '\u0000') };
    }
    case 'contains': {
      const values = condition.values.map(normalizeText);
      return {
        field: condition.field,
        domain: false,
        test: (raw) => {
          const text = textOf(raw);
          return text !== undefined && values.some((v) => text.includes(v));
        },
      };
    }
    case 'matches': {
      const re = new RegExp(condition.pattern, PATTERN_FLAGS);
      return { field: condition.field, domain: false, test: (raw) => textTest(re, raw) };
    }
    case 'range':
      return {
        field: condition.field,
        domain: false,
        test: (raw) => countWithin(raw, condition.min, condition.max),
      };
    case 'emailDomain':
      return { field: 'email', domain: true, test: inDomainList(rules.emailDomains[condition.list]) };
  }
}

export function compileFields(rules: RuleSet): CompiledFields {
  const groups: FieldGroup[] = [];
  // One bit per distinct condition: an exclusion repeating a fit rule's condition shares its bit.
  const bitOf = new Map<string, number>();
  const place = (key: string, reading: Reading): number => {
    const known = bitOf.get(key);
    if (known !== undefined) return known;
    let index = groups.findIndex(
      (g) => g.field === reading.field && (g.derive !== null) === reading.domain && g.tests.length < BITS,
    );
    if (index < 0) {
      index = groups.length;
      groups.push({
        field: reading.field,
        derive: reading.domain ? emailDomainOf : null,
        tests: [],
        memo: new Map(),
        absent: 0,
      });
    }
    const group = groups[index]!;
    const bit = group.tests.length;
    group.tests.push(reading.test);
    if (reading.test(undefined)) group.absent |= 1 << bit;
    const check = index * 32 + bit;
    bitOf.set(key, check);
    return check;
  };
  const dimensions = icpReadings(rules.icp);
  const icp: number[] = [];
  for (const [dimension, reading] of Object.entries(dimensions)) icp.push(place(`icp:${dimension}`, reading));
  const checksOf = (condition: FitCondition): FieldChecks => {
    if (condition.op !== 'icp') return [place(JSON.stringify(condition), conditionReading(condition, rules))];
    if (condition.dimension === 'all') return icp;
    const reading = dimensions[condition.dimension];
    return reading ? [place(`icp:${condition.dimension}`, reading)] : [];
  };
  return {
    groups,
    fitRules: rules.fitRules.map((rule) => checksOf(rule.condition)),
    exclusions: rules.exclusions.map((x) => checksOf(x.condition)),
    icp,
  };
}

/** The lead's mask of each group, in group order. */
export function fieldMasks(fields: CompiledFields, values: Readonly<Record<string, string>>): number[] {
  const masks: number[] = new Array(fields.groups.length);
  writeMasks(fields, values, masks);
  return masks;
}

/**
 * fieldMasks into a buffer of at least one slot per group, for scoring, which reuses one buffer from lead
 * to lead instead of allocating an array per lead.
 */
export function writeMasks(
  fields: CompiledFields,
  values: Readonly<Record<string, string>>,
  masks: { [group: number]: number },
): void {
  const { groups } = fields;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const raw = rawField(values, group.field);
    const value = raw === undefined || group.derive === null ? raw : group.derive(raw);
    if (value === undefined) {
      masks[g] = group.absent;
      continue;
    }
    let mask = group.memo.get(value);
    if (mask === undefined) {
      mask = 0;
      for (let bit = 0; bit < group.tests.length; bit++) if (group.tests[bit]!(value)) mask |= 1 << bit;
      if (group.memo.size >= MEMO_LIMIT) group.memo.clear();
      group.memo.set(value, mask);
    }
    masks[g] = mask;
  }
}

/** Whether every check holds in the lead's masks. */
export function holds(masks: ArrayLike<number>, checks: FieldChecks): boolean {
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    if ((masks[check >> 5]! & (1 << (check & 31))) === 0) return false;
  }
  return true;
}
