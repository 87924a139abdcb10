/**
 * Values for a JSON Schema, as fast-check arbitraries: what the fuzzer sends where the OpenAPI document
 * describes a body or a parameter. It covers the keywords zod's toJSONSchema writes (type, enum, const,
 * anyOf/oneOf/allOf, $ref, pattern, format, bounds, required); a keyword it does not know is ignored, so a
 * value may break a rule the schema states: the endpoint must answer that with a documented 4xx too.
 */
import fc from 'fast-check';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is open-ended; each keyword is checked before use.
export type JsonSchema = Record<string, any> | boolean;

/** Where $refs point: "#/components/schemas/Name" → that schema. */
export type Resolve = (ref: string) => JsonSchema;

/** Arrays and strings stay short: the point is shapes and edges, not volume (mutations add volume). */
const MAX_ITEMS = 4;
const MAX_CHARS = 40;
/** Beyond this depth of $refs a value is cut short with null, which the schema may or may not allow. */
const MAX_DEPTH = 12;

const DAY = 86_400_000;
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });

export function arbitraryOf(schema: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) {
    return fc.jsonValue({ maxDepth: 2 });
  }
  if (schema === false || depth > MAX_DEPTH) return fc.constant(null);
  const s = schema;
  if (typeof s.$ref === 'string') return arbitraryOf(resolve(s.$ref), resolve, depth + 1);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) {
      const { [key]: options, ...rest } = s;
      return fc.oneof(
        ...(options as JsonSchema[]).map((option) => arbitraryOf(merge(rest, option), resolve, depth + 1)),
      );
    }
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    return arbitraryOf((allOf as JsonSchema[]).reduce<JsonSchema>(merge, rest), resolve, depth + 1);
  }
  if (Array.isArray(s.type)) {
    return fc.oneof(...(s.type as string[]).map((type) => arbitraryOf({ ...s, type }, resolve, depth)));
  }
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integers(s);
    case 'number':
      return fc.oneof(
        integers(s),
        fc.double({
          min: s.minimum ?? -1e9,
          max: s.maximum ?? 1e9,
          noNaN: true,
          noDefaultInfinity: true,
          minExcluded: s.exclusiveMinimum !== undefined,
          maxExcluded: s.exclusiveMaximum !== undefined,
        }),
      );
    case 'string':
      return strings(s);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.max(min, Math.min(s.maxItems ?? MAX_ITEMS, MAX_ITEMS));
      const items =
        s.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : arbitraryOf(s.items, resolve, depth + 1);
      return fc.array(items, { minLength: min, maxLength: max });
    }
    case 'object':
      return objects(s, resolve, depth);
    default:
      return s.properties ? objects(s, resolve, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (typeof a === 'boolean') return b;
  if (typeof b === 'boolean') return a;
  return { ...a, ...b };
}

// biome-ignore lint/suspicious/noExplicitAny: see JsonSchema.
function integers(s: Record<string, any>): fc.Arbitrary<number> {
  const min = Math.max(
    Number.MIN_SAFE_INTEGER,
    Math.ceil(s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1e9)),
  );
  const max = Math.min(
    Number.MAX_SAFE_INTEGER,
    Math.floor(s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : (s.maximum ?? 1e9)),
  );
  // Small values near the lower bound find the rows that exist (version 1, 2...); the rest, the edges.
  return fc.oneof(
    fc.integer({ min, max: Math.min(max, min + 5) }),
    fc.constantFrom(min, max),
    fc.integer({ min, max }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see JsonSchema.
function strings(s: Record<string, any>): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? MAX_CHARS, MAX_CHARS));
  const fits = (text: string) => text.length >= minLength && text.length <= (s.maxLength ?? Infinity);
  switch (s.format) {
    case 'date-time':
      return fc.tuple(instants, fc.constantFrom('Z', '+09:00', '-05:00')).map(([ms, zone]) => {
        const iso = new Date(ms).toISOString();
        return zone === 'Z' ? iso : iso.replace('Z', zone);
      });
    case 'date':
      return instants.map((ms) => new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'uri':
    case 'url':
      return fc.webUrl();
    case 'email':
      return fc.emailAddress();
  }
  if (typeof s.pattern === 'string') {
    const pattern = new RegExp(s.pattern, 'u');
    let matching: fc.Arbitrary<string>;
    try {
      matching = fc.stringMatching(pattern);
    } catch {
      // A pattern fast-check cannot generate from: draw text and keep what matches.
      matching = fc.string({ minLength, maxLength, unit: 'grapheme' }).filter((t) => pattern.test(t));
    }
    return fc
      .oneof(
        matching,
        fc.string({ minLength, maxLength, unit: 'grapheme' }).filter((t) => pattern.test(t)),
      )
      .map((text) => (fits(text) ? text : text.slice(0, s.maxLength ?? text.length).padEnd(minLength, 'a')));
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see JsonSchema.
function objects(s: Record<string, any>, resolve: Resolve, depth: number): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(s.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    shape[name] = arbitraryOf(property, resolve, depth + 1);
  }
  return fc.record(shape, { requiredKeys: [...required].filter((name) => name in shape) });
}
