/**
 * Systematic mutations of a valid request: each takes a body the document describes and breaks one thing
 * a hostile or buggy client would (a wrong type, a missing or extra field, a bound, a control character,
 * deep nesting, a huge string or array), or sends the bytes wrong (not JSON, not UTF-8, the wrong
 * content type). Deterministic from a number, so a failure names the mutation that found it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** What replaces a value: each is wrong somewhere, in type, range, size or characters. */
export const HOSTILE_VALUES: readonly Json[] = [
  null,
  true,
  0,
  -1,
  0.5,
  -0,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31mred',
  '\u0085\u200b\u202e\ufeff',
  '\ud800',
  '😀'.repeat(300),
  'x'.repeat(70_000),
  '1e999',
  '2026-02-30T25:61:00Z',
  'javascript:alert(1)',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  [],
  [null],
  {},
  { __proto__: { polluted: true } } as never,
  Array.from({ length: 2000 }, (_, i) => i),
];

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'recordedBy', 'type', 'x'.repeat(300)];

function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) paths(item, [...at, i], out);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths(item, [...at, key], out);
  }
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** `value` with the thing at `path` replaced by `make(old)`, or removed when make returns undefined. */
function replaceAt(value: Json, path: Path, make: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return make(value) ?? null;
  const root = clone(value);
  let parent = root as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path.at(-1)!;
  const next = make(parent[last]!);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
  return root;
}

function nest(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

export interface MutatedBody {
  /** What was done, for a failure's report. */
  mutation: string;
  /** A JSON value to send as application/json, or raw bytes with their content type. */
  json?: unknown;
  raw?: string | Uint8Array;
  contentType?: string;
}

/** The `n`th mutation of `body` (any n: it wraps round kinds, paths and values). */
export function mutate(body: Json, n: number): MutatedBody {
  const all = paths(body);
  const path = all[n % all.length]!;
  const value = HOSTILE_VALUES[Math.floor(n / all.length) % HOSTILE_VALUES.length]!;
  const where = `at ${JSON.stringify(path)}`;
  switch (n % 12) {
    case 0:
    case 1:
    case 2:
      return {
        mutation: `replace ${where} with ${JSON.stringify(value).slice(0, 40)}`,
        json: replaceAt(body, path, () => value),
      };
    case 3:
      return { mutation: `remove ${where}`, json: replaceAt(body, path, () => undefined) };
    case 4: {
      const key = EXTRA_KEYS[n % EXTRA_KEYS.length]!;
      const json = replaceAt(body, path, (old) =>
        old && typeof old === 'object' && !Array.isArray(old) ? { ...old, [key]: value } : old,
      );
      // JSON.parse makes "__proto__" an own key: the raw text carries it as a client would send it.
      return {
        mutation: `extra key ${key.slice(0, 20)} ${where}`,
        raw: JSON.stringify(json).replace(/^\{/, `{"${key}":${JSON.stringify(value)},`),
        contentType: 'application/json',
      };
    }
    case 5: {
      const json = replaceAt(body, path, (old) => (typeof old === 'string' ? `${old}\u0000\u001f` : old));
      return { mutation: `control characters ${where}`, json };
    }
    case 6: {
      const json = replaceAt(body, path, (old) =>
        Array.isArray(old) ? Array.from({ length: 1500 }, () => old[0] ?? null) : old,
      );
      return { mutation: `oversized array ${where}`, json };
    }
    case 7: {
      const levels = [65, 1000, 100_000][n % 3]!;
      const marker = '"__deep__"';
      const text = JSON.stringify(replaceAt(body, path, () => '__deep__')).replace(marker, nest(levels));
      return { mutation: `nested ${levels} deep ${where}`, raw: text, contentType: 'application/json' };
    }
    case 8: {
      const text = JSON.stringify(body);
      const cut = text.slice(0, Math.max(0, (n * 7) % Math.max(1, text.length)));
      return { mutation: `truncated at ${cut.length}`, raw: cut, contentType: 'application/json' };
    }
    case 9: {
      const types = [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        '',
        'application/json; charset=utf-16',
      ];
      const type = types[n % types.length]!;
      return { mutation: `content type "${type}"`, raw: JSON.stringify(body), contentType: type };
    }
    case 10: {
      const bytes = Buffer.concat([
        Buffer.from('{"events":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(body))]);
      return n % 2 === 0
        ? { mutation: 'not UTF-8', raw: new Uint8Array(bytes), contentType: 'application/json' }
        : { mutation: 'UTF-8 BOM first', raw: new Uint8Array(bom), contentType: 'application/json' };
    }
    default: {
      const big = JSON.stringify(replaceAt(body, path, () => 'y'.repeat(300_000)));
      return { mutation: `huge string ${where}`, raw: big, contentType: 'application/json' };
    }
  }
}
