/**
 * The fuzzer reaches only what /openapi.json lists: every route the app serves must be in the document,
 * with the same methods, or it would go unfuzzed (and undocumented) without anyone noticing.
 */
import { describe, expect, it } from 'vitest';
import { ruleSetSchema } from '../../lib/rules';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { buildOpenApi } from '../openapi';
import type { Services } from '../services';

describe('the OpenAPI document', () => {
  it('lists every route the app serves, with its methods, and no route it does not serve', () => {
    const config = loadConfig({});
    // Routes are registered without touching the services; handlers never run here.
    const app = createApp({ config } as Services);
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && r.path !== '*')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const doc = buildOpenApi(config, ruleSetSchema);
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].sort()).toEqual([...documented].sort());
  });
});
