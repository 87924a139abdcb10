// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFieldMappings } from '.';
import { kintone } from './kintone';
import { readList, readRecord } from './page';
import { type PageMap, pageMapBodySchema, pageMapSchema } from './page-map';
import { zoho } from './zoho';

const canvas = new DOMParser().parseFromString(
  readFileSync(join(import.meta.dirname, '../../tests/fixtures/crm/zoho/record-canvas-ja.html'), 'utf8'),
  'text/html',
);
const url = new URL('https://crm.zoho.jp/crm/org70088888/tab/Leads/4451230000000499777');

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');
const repairBody = JSON.parse(readFileSync(join(FIXTURES, 'page-maps/zoho-canvas.json'), 'utf8'));
delete repairBody.$comment;
/** The repair an admin would publish for Zoho Canvas views, as the endpoint numbers it. */
const canvasRepair: PageMap = pageMapSchema.parse({ ...repairBody, version: 3 });

describe('page maps', () => {
  it('repair a page nothing could be read on, and say the selectors read it', () => {
    expect(readRecord(zoho, canvas, url, defaultFieldMappings)?.snapshot).toBeNull();
    const read = readRecord(zoho, canvas, url, defaultFieldMappings, {}, canvasRepair.crms.zoho);
    expect(read?.snapshot?.fields).toEqual({
      name: '森田 亜希',
      company: '森田工業株式会社',
      email: 'aki.morita@morita-kogyo.example',
      leadSource: '展示会',
    });
    expect(new Set(Object.values(read!.tiers))).toEqual(new Set(['selector']));
  });

  it('are refused whole when any entry is not a selector or label, with the path, in ja and en', () => {
    const result = pageMapBodySchema.safeParse({
      crms: {
        zoho: { fields: { company: { selectors: ['.ok', 'a { color: red }'] } } },
        hubspot: { fields: { title: { selectors: ['.x'], script: 'alert(1)' } } },
      },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('crms.zoho.fields.company.selectors.1');
    expect(paths).toContain('crms.hubspot.fields.title');
    expect(pageMapSchema.safeParse({ ...canvasRepair, crms: { notacrm: {} } }).success).toBe(false);
    expect(pageMapSchema.safeParse(canvasRepair).success).toBe(true);
  });

  it('repair a list view whose rows neither the adapter nor the links-in-rows fallback find', () => {
    // A kintone app shown as cards (a plug-in's layout): no table rows, no list items.
    const cards = new DOMParser().parseFromString(
      `<main><div class="lead-cards">
        <div class="lead-card"><a href="/k/58/show#record=7">見る</a><span class="card-company">株式会社カード</span></div>
        <div class="lead-card"><a href="/k/58/show#record=8">見る</a><span class="card-company">カード工業</span></div>
        <div class="lead-card"><a href="/k/58/">一覧へ</a></div>
      </div></main>`,
      'text/html',
    );
    const list = new URL('https://acme.cybozu.com/k/58/');
    expect(readList(kintone, cards, list, defaultFieldMappings).rows).toEqual([]);
    const map = pageMapSchema.parse({
      version: 4,
      crms: {
        kintone: {
          fields: { company: { selectors: ['.card-company'] } },
          list: { rows: ['div.lead-card', 'not a [valid selector'] },
        },
      },
    });
    const { rows, tier } = readList(kintone, cards, list, defaultFieldMappings, {}, map.crms.kintone);
    expect(tier).toBe('selector');
    expect(rows.map((r) => [r.key.recordId, r.fields.company])).toEqual([
      ['7', '株式会社カード'],
      ['8', 'カード工業'],
    ]);
    expect(rows[0]!.element.className).toBe('lead-card');
    // A row selector is a selector: braces are refused like anywhere else in a page map.
    expect(
      pageMapSchema.safeParse({ version: 1, crms: { kintone: { list: { rows: ['a { x }'] } } } }).success,
    ).toBe(false);
    expect(pageMapSchema.safeParse({ version: 1, crms: { kintone: { list: { rows: [] } } } }).success).toBe(
      false,
    );
  });
});
