// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPageMap } from './page-map';
import { tryPageMap } from './page-map-trial';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');
const html = readFileSync(join(FIXTURES, 'zoho/record-canvas-ja.html'), 'utf8');
const { $comment: _why, ...repair } = JSON.parse(
  readFileSync(join(FIXTURES, 'page-maps/zoho-canvas.json'), 'utf8'),
);
const url = new URL('https://crm.zoho.jp/crm/org70088888/tab/Leads/4451230000000499777');

describe('trying a page map on a saved page', () => {
  it('shows what each field reads with the map, against nothing without it', () => {
    const checked = checkPageMap(JSON.stringify(repair));
    expect(checked.ok).toBe(true);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const trial = tryPageMap(doc, url, checked.ok ? checked.value : null);
    expect(trial).toMatchObject({
      crm: 'zoho',
      crmName: 'Zoho CRM',
      pageKind: 'record',
      recordId: '4451230000000499777',
    });
    expect(trial!.fields).toContainEqual({
      field: 'company',
      without: null,
      with: '森田工業株式会社',
      tier: 'selector',
    });
    expect(trial!.fields).toHaveLength(4);
  });

  it('lists every problem of an invalid map, with its path, in ja and en', () => {
    const checked = checkPageMap('{"crms":{"zoho":{"fields":{"company":{"selectors":["a { x }"]}}}}}');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems[0]!.path).toEqual(['crms', 'zoho', 'fields', 'company', 'selectors', 0]);
    expect(checked.problems[0]!.message).toEqual({
      ja: 'セレクターに { } は使えません',
      en: 'A selector may not contain { or }',
    });
    expect(checkPageMap('{ nope').ok).toBe(false);
  });

  it('says nothing for a URL that is not a CRM lead page', () => {
    expect(
      tryPageMap(new DOMParser().parseFromString('', 'text/html'), new URL('https://example.com/'), null),
    ).toBeNull();
  });
});
