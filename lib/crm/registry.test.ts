// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmIdSchema, leadSnapshotSchema } from '../lead';
import { adapterFor, crmAdapters } from './index';
import { defaultFieldMappings } from './mapping';
import type { ExtractOptions } from './types';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');

interface Fixture {
  crm: string;
  kind: 'record' | 'list';
  file: string;
  url: string;
  note: string;
  options?: { utcOffsetMinutes?: number; now?: string };
  expected: { recordId: string; object: string; fields: Record<string, string>; activities?: unknown[] }[];
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

  it('yields exactly the expected leads and values', () => {
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
      expect(adapter.anchor(doc, url)).not.toBeNull();
      expect(adapter.listRows(doc, url, defaultFieldMappings, options)).toEqual([]);
    } else {
      const rows = adapter.listRows(doc, url, defaultFieldMappings, options);
      expect(rows.map((r) => ({ recordId: r.key.recordId, object: r.key.object, fields: r.fields }))).toEqual(
        fixture.expected,
      );
      expect(new Set(rows.map((r) => r.element)).size).toBe(rows.length);
      expect(adapter.extract(doc, url, defaultFieldMappings, options)).toBeNull();
    }
  });

  it('yields nothing to any other CRM adapter, even when handed this page', () => {
    for (const adapter of crmAdapters) {
      if (adapter.id === fixture.crm) continue;
      expect(adapter.extract(doc, url, defaultFieldMappings, options), adapter.id).toBeNull();
      expect(adapter.listRows(doc, url, defaultFieldMappings, options), adapter.id).toEqual([]);
    }
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
