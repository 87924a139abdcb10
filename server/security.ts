/**
 * The endpoint's defences that are not about one route: headers on every answer but a 304, how deep a
 * JSON body may nest, and how many problems one answer lists. Each limit is named once here; the
 * README's security section states them.
 */
import type { Problem } from '../lib/problems';

/**
 * On every answer with a body. The API serves JSON and text only, never a page: nothing it says may be
 * sniffed into HTML, framed, or leak the URL it was called from.
 *
 * Not on a 304: it has no body, and RFC 9110 (15.4.5) asks a 304 for the validators and caching fields
 * a 200 would carry (ETag, Cache-Control) and little else; a browser keeps the stored 200's headers, these
 * included, and only updates them from a 304. The poll's 304 is most of what the endpoint answers (each
 * extension asks every few minutes): without the four lines it is 150 bytes shorter for the client to
 * read, and Node's character-by-character header checks fell from 316 to 205 ms of a poll load's profile.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/**
 * Answers name leads, colleagues and their KPIs: no cache keeps them. A route that may be cached says so
 * itself (the active rules: `private, no-cache` with an ETag).
 */
export const PERSONAL_CACHE_CONTROL = 'no-store';

/** No body the API takes nests deeper than a dozen levels; far deeper is an attack on the parser's stack. */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests deeper than `limit` arrays/objects. Iterative: deep input cannot overflow it. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Problems one answer lists: enough to fix a file by, small enough that 50,000 bad rows stay a short answer. */
export const PROBLEMS_SHOWN = 100;

/** The first PROBLEMS_SHOWN problems, and their total when there were more. */
export function capProblems(problems: readonly Problem[]): { problems: Problem[]; problemsTotal?: number } {
  if (problems.length <= PROBLEMS_SHOWN) return { problems: [...problems] };
  return { problems: problems.slice(0, PROBLEMS_SHOWN), problemsTotal: problems.length };
}

/**
 * The raw HTTP answer to a request Node could not parse (a request line or headers over Node's 16 KB, bad
 * framing): in the API's error shape, as every other answer, and closing the connection.
 */
export function malformedRequestAnswer(error: { code?: string }): string {
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: tooLarge
      ? {
          code: 'headers_too_large',
          message: {
            ja: 'URL またはヘッダーが長すぎます',
            en: 'The URL or the headers are too long',
          },
        }
      : {
          code: 'malformed_request',
          message: { ja: 'HTTP リクエストとして読めません', en: 'The HTTP request could not be read' },
        },
  });
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': PERSONAL_CACHE_CONTROL,
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n${headers}\r\n${body}`;
}
