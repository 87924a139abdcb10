/**
 * The rule history of an endpoint in memory, for the console's component tests: the console and the
 * dashboard tests each add the rest of the API (who the token is, proposing, KPIs) the way they need it.
 */
import { vi } from 'vitest';
import type { RuleVersion } from '../../lib/events';
import { defaultRuleSet } from '../../lib/rules';

/** A stored rule version: the seed's active one unless `over` says otherwise. */
export function ruleVersion(v: number, over: Partial<RuleVersion> = {}): RuleVersion {
  return {
    version: v,
    status: 'active',
    note: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: { name: 'Seed', role: 'admin' },
    rollbackOf: null,
    signoffs: [],
    activatedAt: '2026-11-01T00:00:00.000Z',
    activation: 'seed',
    ...over,
  };
}

/** Where the endpoint is, the rules in force (version 1, the defaults) and `versions`, newest first. */
export function ruleHistory(versions: RuleVersion[]) {
  return {
    endpoint: vi.fn(async () => ({ url: 'https://baton.example.co.jp', managed: false })),
    actWith: vi.fn(),
    active: vi.fn(async () => ({
      rules: defaultRuleSet,
      version: 1,
      activatedAt: '2026-11-20T00:00:00.000Z',
      source: 'endpoint' as const,
    })),
    versions: vi.fn(async () => [...versions].reverse()),
    version: vi.fn(async (v: number) => ({
      ...versions.find((x) => x.version === v)!,
      rules: defaultRuleSet,
    })),
  };
}
