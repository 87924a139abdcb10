// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFieldMappings } from '.';
import { readRecord } from './page';
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
});
