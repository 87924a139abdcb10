// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmMatchPatterns } from '../../extension/content/crm-hosts';
import { crmIdSchema, leadSnapshotSchema } from '../lead';
import { defaultRuleSet } from '../rules/defaults';
import { adapterFor, crmAdapters, defaultFieldMappings, defaultStatusMapping } from './index';
import { readList, readRecord } from './page';
import type { ExtractOptions } from './types';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');

interface Fixture {
  crm: string;
  kind: 'record' | 'list';
  file: string;
  url: string;
  note: string;
  options?: { utcOffsetMinutes?: number; now?: string };
  expected: {
    recordId: string;
    object: string;
    fields: Record<string, string>;
    activities?: unknown[];
    /** Which tier must read each field, when the fixture pins it (fallback pages). */
    tiers?: Record<string, string>;
  }[];
  /** The adapter's own selectors miss this page (a markup generation it was not written for). */
  ownSelectorsMiss?: boolean;
}

const index = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as { fixtures: Fixture[] };

function load(fixture: Fixture): Document {
  return new DOMParser().parseFromString(readFileSync(join(FIXTURES, fixture.file), 'utf8'), 'text/html');
}

function optionsOf(fixture: Fixture): ExtractOptions {
  const o = fixture.options ?? {};
  return {
    ...(o.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: o.utcOffsetMinutes } : {}),
    ...(o.now ? { now: Date.parse(o.now) } : {}),
  };
}

describe('the fixture index', () => {
  it('lists every fixture file once, and every file is listed', () => {
    const listed = index.fixtures.map((f) => f.file).sort();
    const onDisk = crmIdSchema.options
      .flatMap((crm) => {
        try {
          return readdirSync(join(FIXTURES, crm)).map((name) => `${crm}/${name}`);
        } catch {
          return [];
        }
      })
      .filter((file) => file.endsWith('.html'))
      .sort();
    expect(listed).toEqual(onDisk);
  });

  it('covers a record and a list page in English and Japanese for every CRM', () => {
    for (const crm of crmIdSchema.options) {
      for (const kind of ['record', 'list']) {
        for (const lang of ['en', 'ja']) {
          const found = index.fixtures.some(
            (f) => f.crm === crm && f.kind === kind && f.file.endsWith(`-${lang}.html`),
          );
          expect(found, `${crm} ${kind} ${lang}`).toBe(true);
        }
      }
    }
  });
});

describe.each(index.fixtures)('$file', (fixture) => {
  const url = new URL(fixture.url);
  const doc = load(fixture);
  const options = optionsOf(fixture);

  it('is routed to its own CRM adapter only, as the right page kind', () => {
    expect(adapterFor(url)?.id).toBe(fixture.crm);
    for (const adapter of crmAdapters) {
      expect(adapter.matches(url), adapter.id).toBe(adapter.id === fixture.crm);
    }
    expect(adapterFor(url)?.pageKind(url)).toBe(fixture.kind);
  });

  it('reads exactly the expected leads and values, tier by tier', () => {
    const adapter = adapterFor(url)!;
    if (fixture.kind === 'record') {
      const [expected] = fixture.expected;
      const read = readRecord(adapter, doc, url, defaultFieldMappings, options);
      expect(read?.key).toEqual({ crm: fixture.crm, object: expected!.object, recordId: expected!.recordId });
      expect(read?.snapshot?.fields ?? {}).toEqual(expected!.fields);
      if (read?.snapshot) expect(leadSnapshotSchema.safeParse(read.snapshot).success).toBe(true);
      if (expected!.tiers) expect(read?.tiers).toEqual(expected!.tiers);
    } else {
      const { rows } = readList(adapter, doc, url, defaultFieldMappings, options);
      expect(rows.map((r) => ({ recordId: r.key.recordId, object: r.key.object, fields: r.fields }))).toEqual(
        fixture.expected.map(({ recordId, object, fields }) => ({ recordId, object, fields })),
      );
      expect(readRecord(adapter, doc, url, defaultFieldMappings, options)).toBeNull();
    }
  });

  it.runIf(fixture.ownSelectorsMiss)('is a page the adapter alone misses (the failure it reproduces)', () => {
    const adapter = adapterFor(url)!;
    if (fixture.kind === 'record') {
      const own = adapter.extract(doc, url, defaultFieldMappings, options);
      expect(Object.keys(own?.fields ?? {}).length).toBeLessThan(
        Math.max(1, Object.keys(fixture.expected[0]!.fields).length),
      );
    } else {
      expect(adapter.listRows(doc, url, defaultFieldMappings, options)).toEqual([]);
    }
  });

  it.skipIf(fixture.ownSelectorsMiss)(
    'yields exactly the expected leads and values to the adapter alone',
    () => {
      const adapter = adapterFor(url)!;
      if (fixture.kind === 'record') {
        const [expected] = fixture.expected;
        const snapshot = adapter.extract(doc, url, defaultFieldMappings, options);
        expect(snapshot).not.toBeNull();
        expect(leadSnapshotSchema.safeParse(snapshot).success).toBe(true);
        expect(adapter.recordKey(url)).toEqual({
          crm: fixture.crm,
          object: expected!.object,
          recordId: expected!.recordId,
        });
        expect({ recordId: snapshot!.recordId, object: snapshot!.object, fields: snapshot!.fields }).toEqual({
          recordId: expected!.recordId,
          object: expected!.object,
          fields: expected!.fields,
        });
        if (expected!.activities) expect(snapshot!.activities).toEqual(expected!.activities);
        expect(adapter.listRows(doc, url, defaultFieldMappings, options)).toEqual([]);
      } else {
        const rows = adapter.listRows(doc, url, defaultFieldMappings, options);
        expect(
          rows.map((r) => ({ recordId: r.key.recordId, object: r.key.object, fields: r.fields })),
        ).toEqual(fixture.expected);
        expect(new Set(rows.map((r) => r.element)).size).toBe(rows.length);
        expect(adapter.extract(doc, url, defaultFieldMappings, options)).toBeNull();
      }
    },
  );

  it('yields nothing to any other CRM adapter, even when handed this page', () => {
    for (const adapter of crmAdapters) {
      if (adapter.id === fixture.crm) continue;
      expect(adapter.extract(doc, url, defaultFieldMappings, options), adapter.id).toBeNull();
      expect(adapter.listRows(doc, url, defaultFieldMappings, options), adapter.id).toEqual([]);
    }
  });
});

describe('each CRM has one home', () => {
  // Every host form each adapter accepts (regional data centres, sandboxes): the manifest must inject
  // the content script on all of them, or the adapter's knowledge of them is dead code.
  const hosts: Record<string, string[]> = {
    salesforce: [
      'acme.lightning.force.com',
      'acme--uat.sandbox.lightning.force.com',
      'acme.my.salesforce.com',
      'na123.salesforce.com/00Q5g00000Tt9Jk',
    ],
    hubspot: ['app.hubspot.com', 'app-eu1.hubspot.com', 'app-na2.hubspot.com', 'app-ap1.hubspot.com'],
    dynamics: [
      'contoso.crm.dynamics.com',
      'contoso.crm4.dynamics.com',
      'contoso.crm7.dynamics.com',
      'contoso.crm.dynamics.cn',
    ],
    zoho: ['com', 'eu', 'in', 'jp', 'com.au', 'com.cn', 'ca', 'sa', 'uk']
      .map((tld) => `crm.zoho.${tld}`)
      .concat('crm.zohocloud.ca'),
    pipedrive: ['acme-sales.pipedrive.com'],
    kintone: ['sample.cybozu.com', 'acme.kintone.com', 'sample.cybozu.cn'],
  };
  const paths: Record<string, string> = {
    salesforce: '/lightning/r/Lead/00Q5g00000KzWbTEAV/view',
    hubspot: '/contacts/123/record/0-136/456',
    dynamics: '/main.aspx?pagetype=entityrecord&etn=lead&id=3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    zoho: '/crm/org1/tab/Leads/5725767000000398123',
    pipedrive: '/leads/inbox/4b5f3c2a-1d2e-4f6a-8b9c-0d1e2f3a4b5c',
    kintone: '/k/12/show#record=5',
  };

  /** Whether a URL is injected: each CRM's content script matches its adapter's patterns only. */
  function covered(href: string, patterns: readonly string[] = crmMatchPatterns): boolean {
    const url = new URL(href);
    return patterns.some((pattern) => {
      const m = /^(https?):\/\/(\*\.)?([^/]+)\//.exec(pattern)!;
      const host = url.hostname;
      return (
        `${m[1]}:` === url.protocol && (m[2] ? host.endsWith(`.${m[3]}`) || host === m[3] : host === m[3])
      );
    });
  }

  it.each(crmAdapters.map((a) => [a.id, a] as const))(
    'the manifest covers every host %s accepts',
    (id, adapter) => {
      for (const host of hosts[id]!) {
        const href = host.includes('/') ? `https://${host}` : `https://${host}${paths[id]}`;
        expect(adapter.matches(new URL(href)), href).toBe(true);
        expect(covered(href, adapter.matchPatterns), href).toBe(true);
      }
    },
  );

  it('derives the manifest patterns from the adapters alone', () => {
    expect(new Set(crmMatchPatterns)).toEqual(new Set(crmAdapters.flatMap((a) => a.matchPatterns)));
    for (const fixture of index.fixtures) expect(covered(fixture.url), fixture.url).toBe(true);
  });
});

describe('adapter conventions', () => {
  const dir = import.meta.dirname;

  it.each(crmIdSchema.options)(
    '%s has one adapter file exporting a typed object, and its own test',
    async (crm) => {
      const source = readFileSync(join(dir, `${crm}.ts`), 'utf8');
      expect(source).toMatch(new RegExp(`export const ${crm} = \\{[\\s\\S]*\\} satisfies CrmAdapter;`));
      expect(readdirSync(dir)).toContain(`${crm}.test.ts`);
      const module = (await import(`./${crm}.ts`)) as Record<string, unknown>;
      const adapter = crmAdapters.find((a) => a.id === crm);
      expect(module[crm]).toBe(adapter);
    },
  );

  it.each(crmAdapters.map((a) => [a.id, a] as const))(
    '%s selectors are non-empty lists of valid CSS',
    (_id, adapter) => {
      const doc = new DOMParser().parseFromString('<div></div>', 'text/html');
      const entries = Object.entries(adapter.selectors);
      expect(entries.length).toBeGreaterThan(0);
      for (const [name, list] of entries) {
        expect(list.length, name).toBeGreaterThan(0);
        for (const selector of list) {
          expect(selector.trim(), name).not.toBe('');
          expect(
            () => doc.querySelector(selector.replaceAll('{code}', 'Company')),
            `${name}: ${selector}`,
          ).not.toThrow();
        }
      }
    },
  );

  it('registers each CRM exactly once', () => {
    expect(crmAdapters.map((a) => a.id).sort()).toEqual([...crmIdSchema.options].sort());
  });

  it('does no work on pages that are not CRM lead pages', () => {
    for (const href of [
      'https://www.salesforce.com/jp/',
      'https://acme.lightning.force.com/lightning/r/Account/0015000000Gv7qJAAR/view',
      'https://acme.lightning.force.com/lightning/o/Contact/list',
      'https://app.hubspot.com/contacts/123/record/0-3/456',
      'https://example.com/crm/org1/tab/Leads/123',
      'https://github.com/',
    ]) {
      expect(adapterFor(new URL(href)), href).toBeNull();
    }
  });
});

describe('each CRM has one home: its adapter', () => {
  it('owns the built-in field mapping and statuses, from which the defaults are derived', () => {
    for (const adapter of crmAdapters) {
      expect(defaultFieldMappings[adapter.id]).toEqual(adapter.fields);
      // Every standard lead field has somewhere to be read from (a code or a label).
      for (const [field, source] of Object.entries(adapter.fields)) {
        expect(
          source.codes.length + source.labels.ja.length + source.labels.en.length,
          `${adapter.id}.${field}`,
        ).toBeGreaterThan(0);
      }
      const statuses = defaultStatusMapping[adapter.id] ?? {};
      expect(statuses).toEqual(adapter.statuses);
    }
    // The built-in rule set maps the statuses the adapters name, nothing kept elsewhere.
    expect(defaultRuleSet.statusMapping).toEqual(defaultStatusMapping);
    expect(Object.keys(defaultStatusMapping)).toEqual([
      'salesforce',
      'hubspot',
      'dynamics',
      'zoho',
      'kintone',
    ]);
  });
});
