/**
 * What every route shares: the problem answer (`{ error: { code, message: {ja, en}, problems? } }`), the
 * role check, and the body readers that refuse too large, badly typed or too deeply nested bodies before
 * any route sees them.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { LocalizedText } from '../lib/i18n';
import type { Problem } from '../lib/problems';
import type { Principal, Role } from './principal';
import { builtInMessage, problemsOf } from './problems';
import { capProblems, MAX_JSON_DEPTH, nestsDeeperThan } from './security';

export type Env = { Bindings: HttpBindings; Variables: { principal: Principal | undefined } };

export class HttpProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    readonly text: LocalizedText,
    readonly problems?: Problem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(text.en);
  }
}

export function errorResponse(c: Context, error: HttpProblem): Response {
  const body = {
    error: {
      code: error.code,
      message: error.text,
      ...(error.problems ? capProblems(error.problems) : {}),
    },
  };
  return c.json(body, error.status, error.headers);
}

export function allow(...roles: Role[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal || !roles.includes(principal.role)) {
      throw new HttpProblem(403, 'forbidden', {
        ja: `この操作は ${roles.join('・')} の権限が必要です（あなたの権限: ${principal?.role ?? 'なし'}）`,
        en: `This needs the role ${roles.join(', ')} (your role: ${principal?.role ?? 'none'})`,
      });
    }
    await next();
  };
}

function bodyTooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(
    413,
    'body_too_large',
    {
      ja: `リクエスト本文が大きすぎます（上限 ${maxBytes} バイト）。分割して送ってください`,
      en: `The request body is too large (limit ${maxBytes} bytes); split it`,
    },
    undefined,
    { connection: 'close' },
  );
}

/** Reads a CSV body (Content-Type: text/csv, UTF-8) of at most `maxBytes`. */
export async function readCsv(c: Context<Env>, maxBytes: number): Promise<string> {
  if (!/^text\/csv\b/i.test(c.req.header('content-type') ?? '')) {
    throw new HttpProblem(415, 'unsupported_media_type', {
      ja: 'Content-Type: text/csv で CSV（UTF-8）を送ってください',
      en: 'Send the CSV (UTF-8) with Content-Type: text/csv',
    });
  }
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  const bytes = await readIncoming(c.env.incoming, maxBytes, () => bodyTooLarge(maxBytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'invalid_encoding', {
      ja: 'CSV を UTF-8 で保存して送ってください（Excel では「CSV UTF-8」形式）',
      en: 'Save the CSV as UTF-8 and send it again (in Excel: "CSV UTF-8")',
    });
  }
}

/** Reads a JSON body of at most `maxBytes`, refusing larger ones before reading them in full. */
export async function readJson(c: Context<Env>, maxBytes: number, empty?: unknown): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // A body-less POST (e.g. a sign-off without a comment) means `empty` where the route allows it.
  if (
    empty !== undefined &&
    !type &&
    !Number(c.req.header('content-length')) &&
    !c.req.header('transfer-encoding')
  ) {
    return empty;
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, 'unsupported_media_type', {
      ja: 'Content-Type: application/json で JSON を送ってください',
      en: 'Send JSON with Content-Type: application/json',
    });
  }
  // The rest of the body stays unread, so the connection cannot carry another request.
  const tooLarge = () => bodyTooLarge(maxBytes);
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const bytes = await readIncoming(c.env.incoming, maxBytes, tooLarge);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new HttpProblem(400, 'invalid_json', {
      ja: '本文が正しい JSON（UTF-8）ではありません',
      en: 'The body is not valid JSON (UTF-8)',
    });
  }
  // Everything after the parse (size checks, validation, storing) walks the value recursively.
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    throw new HttpProblem(400, 'too_deep', {
      ja: `JSON の入れ子が深すぎます（上限 ${MAX_JSON_DEPTH} 段）`,
      en: `The JSON nests too deeply (limit ${MAX_JSON_DEPTH} levels)`,
    });
  }
  return parsed;
}

/**
 * The body straight from Node's request stream: going through the fetch Request's web stream cost a
 * tenth of an ingest request's CPU. Stops reading at `maxBytes`.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.off('data', onData);
        incoming.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(Buffer.concat(chunks, size)));
    incoming.once('error', reject);
    incoming.once('close', () => {
      if (!incoming.complete) {
        reject(
          new HttpProblem(400, 'incomplete_body', {
            ja: '本文を最後まで受け取れませんでした',
            en: 'The body was cut off before its end',
          }),
        );
      }
    });
  });
}
export function invalidInput(problems: Problem[]): HttpProblem {
  return new HttpProblem(
    400,
    'invalid_input',
    { ja: '入力に問題があります（problems を参照）', en: 'The input has problems (see problems)' },
    problems,
  );
}

/** The value as `schema` reads it, or a 400 listing every problem (in ja and en). */
export function valid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value, { error: builtInMessage });
  if (!parsed.success) throw invalidInput(problemsOf(parsed.error));
  return parsed.data;
}

/** True when If-None-Match names the current ETag (a list, weak validators and * included). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/**

/** A body that is already JSON text (stored bodies spliced together), answered without parsing it again. */
export function jsonText(c: Context, text: string, headers: Record<string, string> = {}): Response {
  return c.body(text, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
}
