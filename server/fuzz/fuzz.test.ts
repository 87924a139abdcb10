/**
 * The API fuzzer tier, in the manner of schemathesis: it reads the served /openapi.json and, for every
 * operation listed there (a route added later is covered once it is documented), sends requests drawn
 * from the document's own schemas under a token of each role, without one and with a made-up one, then
 * systematic mutations of valid bodies and parameters (mutations.ts). Every answer must be a documented
 * status, never 5xx, with a body that validates against the document (ajv); a refused write must store
 * nothing; the server must be healthy after. Runs on SQLite and PostgreSQL.
 *
 * Counts go to the file BATON_FUZZ_SUMMARY names (one JSON line per backend): `npm test` prints them.
 * BATON_FUZZ_SEED replays another draw; BATON_FUZZ_SCALE multiplies the requests per operation.
 */
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../lib/roles';
import { handoff } from '../test/fixtures';
import { describeBackends, startTestServer, type TestServer } from '../test/harness';
import { arbitraryOf, type JsonSchema } from './arbitrary';
import { mutate } from './mutations';

const SEED = Number(process.env.BATON_FUZZ_SEED ?? 17);
const SCALE = Number(process.env.BATON_FUZZ_SCALE ?? 1);
/** Requests drawn from the schemas per operation and caller. */
const DRAWN = Math.round(10 * SCALE);
/** Mutations of valid requests per operation, sent with a token allowed to call it. */
const MUTATED = Math.round(160 * SCALE);
const BASE = 'https://baton.invalid/openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const ROLES: readonly Role[] = ['rep', 'manager', 'marketer', 'admin'];
const MADE_UP = `baton_abcdef123456_${'A'.repeat(43)}`;

// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field, as any client would.
type Doc = any;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface Sent {
  operation: string;
  caller: string;
  what: string;
  method: string;
  url: string;
  body?: string | Uint8Array;
  contentType?: string;
}

/** `$id`s zod writes as "#/components/schemas/X" are fragments, which 2020-12 forbids: refs say the same. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '$id')
        .map(([key, v]) => [key, withoutIds(v)]),
    );
  }
  return value;
}

/** CSV bodies: the documented columns with values drawn from edges, and text that is no CSV at all. */
const csvBodies = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.constantFrom('salesforce', 'hubspot', 'kintone', 'nope', ''),
        fc.constantFrom('Lead', '0-1', 'Le\u0000ad', '"quoted,comma"'),
        fc.oneof(fc.constantFrom('00Q5g00000AbCdEFGH', '123', '\u0000', '=cmd|x'), fc.string()),
        fc.constantFrom('opportunity', 'won', 'lost', 'bought', ''),
        fc.oneof(fc.constantFrom('2026-01-15', '2026-02-30', 'someday', '2026-01-15T10:00:00Z'), fc.string()),
      ),
      { maxLength: 6 },
    )
    .map((rows) => `crm,object,record_id,outcome,date\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describeBackends('API fuzzer', (backend) => {
  let t: TestServer;
  let doc: Doc;
  const summary = {
    backend: backend.name,
    operations: 0,
    requests: 0,
    failures: 0,
    statuses: {} as Record<string, number>,
  };
  const failures: string[] = [];

  beforeAll(async () => {
    // The demo seed: active rules and a KPI history, so reads have something to read.
    t = await startTestServer(backend, { BATON_SEED_DEMO: '1' });
    const res = await t.call('GET', '/openapi.json', { role: 'rep' });
    expect(res.status).toBe(200);
    doc = res.json;
  });
  afterAll(async () => {
    await t.stop();
    if (process.env.BATON_FUZZ_SUMMARY) {
      fs.appendFileSync(process.env.BATON_FUZZ_SUMMARY, `${JSON.stringify(summary)}\n`);
    }
  });

  const stored = async () =>
    JSON.stringify(
      await t.server.store.db.get(
        `SELECT (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(*) FROM rule_versions) AS versions,
                (SELECT COUNT(*) FROM rule_signoffs) AS signoffs, (SELECT COUNT(*) FROM lead_facts) AS facts,
                (SELECT COUNT(*) FROM lead_state) AS state, (SELECT COUNT(*) FROM webhook_outbox) AS outbox`,
      ),
    );

  it('answers every operation, caller and mutation as the OpenAPI document says, never with a 5xx', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats.default(ajv);
    // Components as $defs, where ajv resolves refs; every "#/components/schemas/X" becomes "#/$defs/X".
    const asDefs = (schema: unknown) =>
      JSON.parse(JSON.stringify(withoutIds(schema)).replaceAll('"#/components/schemas/', '"#/$defs/'));
    ajv.addSchema({ $id: BASE, $defs: asDefs(doc.components.schemas) });
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    /** A response schema, its refs pointing into the document's components. */
    const validatorOf = (schema: JsonSchema) => {
      const text = JSON.stringify(asDefs(schema)).replaceAll('"#/$defs/', `"${BASE}#/$defs/`);
      let validate = validators.get(text);
      if (!validate) {
        validate = ajv.compile(JSON.parse(text));
        validators.set(text, validate);
      }
      return validate;
    };

    /** Sends one request and checks its answer; the status, or undefined when none came. */
    const send = async (request: Sent, responses: Record<string, Doc>): Promise<number | undefined> => {
      summary.requests++;
      const before = request.method === 'GET' ? '' : await stored();
      const headers: Record<string, string> = {};
      if (request.caller === 'none') {
        // no token
      } else if (request.caller === 'made-up') headers.authorization = `Bearer ${MADE_UP}`;
      else headers.authorization = `Bearer ${t.tokens[request.caller as Role]}`;
      if (request.contentType) headers['content-type'] = request.contentType;
      const fail = (why: string, detail = '') => {
        summary.failures++;
        if (failures.length < 30) {
          failures.push(
            `${request.operation} as ${request.caller}, ${request.what}: ${why}${detail ? `\n    ${detail.slice(0, 400)}` : ''}`,
          );
        }
      };
      let response: Response;
      try {
        response = await fetch(`${t.url}${request.url}`, {
          method: request.method,
          headers,
          body: request.body as BodyInit | undefined,
        });
      } catch (error) {
        fail('no answer (connection dropped)', String(error));
        return undefined;
      }
      const text = await response.text();
      const status = String(response.status);
      summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
      if (response.status >= 500) fail(`answered ${status}`, text);
      // A 304 carries its validators only (server/security.ts SECURITY_HEADERS).
      if (response.status !== 304 && response.headers.get('x-content-type-options') !== 'nosniff')
        fail(`answered ${status} without nosniff`);
      const documented = responses[status] ?? responses.default;
      if (!documented) {
        fail(`answered ${status}, which the document does not list`, text);
      } else if (documented.content?.['application/json']) {
        if (!/^application\/json\b/.test(response.headers.get('content-type') ?? '')) {
          fail(`answered ${status} as ${response.headers.get('content-type')}, not JSON`);
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          fail(`answered ${status} with a body that is not JSON`, text);
          return response.status;
        }
        const validate = validatorOf(documented.content['application/json'].schema);
        if (!validate) fail(`no schema for ${status}`);
        else if (!validate(json))
          fail(
            `answered ${status} with a body the document does not describe`,
            `${ajv.errorsText(validate.errors)} in ${text}`,
          );
      }
      if (before && response.status >= 400 && (await stored()) !== before) {
        fail(`answered ${status} but stored something`, text);
      }
      return response.status;
    };

    const resolve = (ref: string) => {
      const name = ref.replace('#/components/schemas/', '');
      return doc.components.schemas[name] as JsonSchema;
    };

    let round = 0;
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        summary.operations++;
        const operation = `${method.toUpperCase()} ${path}`;
        const parameters: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
        const params = Object.fromEntries(
          parameters
            .filter((p) => p.in !== 'header')
            .map((p) => [`${p.in}:${p.name}`, arbitraryOf(p.schema, resolve)]),
        );
        const required = parameters
          .filter((p) => p.required && p.in !== 'header')
          .map((p) => `${p.in}:${p.name}`);
        const content = op.requestBody?.content ?? {};
        const bodyType = Object.keys(content)[0] as string | undefined;
        const example = bodyType ? content[bodyType].example : undefined;
        // JSON (and +json types), CSV and forms as such; any other type a route documents later gets
        // values of its schema as text, so it is at least reached.
        const isJson = bodyType !== undefined && /^application\/(?:[\w.+-]+\+)?json$/.test(bodyType);
        const isForm = bodyType === 'application/x-www-form-urlencoded';
        const schemaOf = (type: string) => (content[type].schema ?? true) as JsonSchema;
        const bodies: fc.Arbitrary<unknown> =
          bodyType === undefined
            ? fc.constant(undefined)
            : bodyType === 'text/csv'
              ? csvBodies
              : example === undefined
                ? arbitraryOf(schemaOf(bodyType), resolve)
                : fc.oneof(arbitraryOf(schemaOf(bodyType), resolve), fc.constant(example));
        const requests = fc.record({ params: fc.record(params, { requiredKeys: required }), body: bodies });

        const urlOf = (values: Record<string, unknown>) => {
          let url = path;
          const query = new URLSearchParams();
          for (const [key, value] of Object.entries(values)) {
            const [where, name] = key.split(':') as [string, string];
            if (where === 'path') url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
            else if (value !== undefined) query.set(name, String(value));
          }
          const qs = query.toString();
          return qs ? `${url}?${qs}` : url;
        };
        const form = (body: unknown) =>
          new URLSearchParams(
            Object.entries(body && typeof body === 'object' ? body : { value: body }).map(([k, v]) => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ]),
          ).toString();
        const encode = (body: unknown): { body?: string; contentType?: string } =>
          body === undefined || bodyType === undefined
            ? {}
            : isJson
              ? { body: JSON.stringify(body), contentType: bodyType }
              : isForm
                ? { body: form(body), contentType: bodyType }
                : { body: typeof body === 'string' ? body : JSON.stringify(body), contentType: bodyType };

        // Drawn from the schemas, under every caller.
        const callers = [...ROLES, 'none', 'made-up'];
        let allowed: string | undefined;
        for (const caller of callers) {
          const drawn = fc.sample(requests, {
            numRuns: caller === 'none' || caller === 'made-up' ? 2 : DRAWN,
            seed: SEED + round++,
          });
          for (const request of drawn) {
            const status = await send(
              {
                operation,
                caller,
                what: 'drawn from the schema',
                method: method.toUpperCase(),
                url: urlOf(request.params),
                ...encode(request.body),
              },
              op.responses,
            );
            if (!allowed && ROLES.includes(caller as Role) && status !== 403) allowed = caller;
          }
        }

        // Mutations of valid requests, by a caller the route lets in.
        const caller = allowed ?? 'admin';
        const bases = fc.sample(requests, { numRuns: MUTATED, seed: SEED + round++ });
        for (const [n, base] of bases.entries()) {
          const mutateParams = parameters.length > 0 && (bodyType === undefined || n % 4 === 0);
          if (mutateParams) {
            const hostile = mutate(base.params as never, n * 5 + 3);
            const values = (hostile.json ?? base.params) as Record<string, unknown>;
            await send(
              {
                operation,
                caller,
                what: `parameters: ${hostile.mutation}`,
                method: method.toUpperCase(),
                url: urlOf(values && typeof values === 'object' ? values : {}),
                ...encode(base.body),
              },
              op.responses,
            );
            continue;
          }
          if (bodyType === 'text/csv') {
            const csv = String(base.body);
            const variants = [
              `${csv}${'\u0000'.repeat(n % 3)}`,
              csv.replaceAll(',', ';'),
              `\ufeff${csv}`,
              csv.repeat(1 + (n % 4)),
            ];
            await send(
              {
                operation,
                caller,
                what: `CSV variant ${n % variants.length}`,
                method: method.toUpperCase(),
                url: urlOf(base.params),
                body: variants[n % variants.length],
                contentType: n % 5 === 0 ? 'text/plain' : 'text/csv',
              },
              op.responses,
            );
            continue;
          }
          // Nothing to mutate: no parameters and no body (the parameter-free GETs were drawn above).
          if (bodyType === undefined) continue;
          const source = n % 3 === 0 && example !== undefined ? example : base.body;
          const mutated = mutate(source as never, n);
          if (!isJson) {
            // A form or another type: the mutated value encoded as the route takes it, or raw bytes as they came.
            await send(
              {
                operation,
                caller,
                what: `body: ${mutated.mutation}`,
                method: method.toUpperCase(),
                url: urlOf(base.params),
                ...(mutated.raw !== undefined
                  ? {
                      body: mutated.raw,
                      contentType: n % 2 === 0 ? bodyType : (mutated.contentType ?? bodyType),
                    }
                  : encode(mutated.json)),
              },
              op.responses,
            );
            continue;
          }
          await send(
            {
              operation,
              caller,
              what: `body: ${mutated.mutation}`,
              method: method.toUpperCase(),
              url: urlOf(base.params),
              ...(mutated.raw !== undefined
                ? { body: mutated.raw, ...(mutated.contentType ? { contentType: mutated.contentType } : {}) }
                : { body: JSON.stringify(mutated.json), contentType: 'application/json' }),
            },
            op.responses,
          );
        }
      }
    }

    // Still healthy, and still storing.
    expect((await t.call('GET', '/health', { token: null })).status).toBe(200);
    const after = await t.call('POST', '/v1/events', { body: { events: [handoff()] } });
    expect(after.status, after.text).toBe(200);
    console.log(
      `[fuzzer] ${backend.name}: ${summary.requests} requests over ${summary.operations} operations, ${summary.failures} failures (seed ${SEED}); statuses ${JSON.stringify(summary.statuses)}`,
    );
    expect(failures.join('\n')).toBe('');
  }, 180_000);
});
