// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { itRefusesNonLeadPages, savedPage } from '../../tests/unit/crm-adapter';
import { defaultFieldMappings } from '.';
import { kintone } from './kintone';
import { mergeFieldMappings } from './mapping';

const load = (file: string) => savedPage('kintone', file);

describe('kintone URLs', () => {
  it.each([
    ['https://sample-jp.cybozu.com/k/12/show#record=5', '12', '5'],
    ['https://acme.kintone.com/k/34/show#record=17&l.view=20&l.q', '34', '17'],
    ['https://sample-jp.cybozu.com/k/guest/3/12/show#record=5&mode=edit', '12', '5'],
    ['https://sample.cybozu.cn/k/12/show#record=5', '12', '5'],
  ])('%s is record %s/%s, the app id as its object', (href, app, id) => {
    expect(kintone.recordKey(new URL(href))).toEqual({ crm: 'kintone', object: app, recordId: id });
  });

  it('recognises the record list of an app', () => {
    expect(kintone.pageKind(new URL('https://sample-jp.cybozu.com/k/12/?view=20'))).toBe('list');
    expect(kintone.pageKind(new URL('https://sample-jp.cybozu.com/k/12/'))).toBe('list');
  });

  itRefusesNonLeadPages(kintone, [
    'https://sample-jp.cybozu.com/k/#/portal',
    'https://sample-jp.cybozu.com/k/#/space/3',
    'https://sample-jp.cybozu.com/o/',
    'https://kintone.cybozu.co.jp/k/12/show#record=5',
  ]);
});

describe('kintone records', () => {
  const url = new URL('https://sample-jp.cybozu.com/k/12/show#record=5');

  it('ignores labels repeated inside subtables and related-record lists', () => {
    const snapshot = kintone.extract(load('record-ja.html'), url, defaultFieldMappings);
    expect(snapshot?.fields.owner).toBe('鈴木 花子');
    expect(snapshot?.fields.status).toBe('アプローチ中');
  });

  it('reads a field by a custom field code the rule set maps', () => {
    const doc = load('record-ja.html');
    const mapping = mergeFieldMappings(defaultFieldMappings, {
      kintone: { budget: { codes: ['予算'], labels: { ja: [], en: [] } } },
    });
    const layout = doc.querySelector('.layout-gaia')!;
    const control = layout.querySelector('.control-gaia')!.cloneNode(true) as Element;
    control.querySelector('.control-label-text-gaia')!.textContent = '予算';
    control.querySelector('.control-value-content-gaia')!.textContent = '500万円';
    layout.append(control);
    expect(kintone.extract(doc, url, mapping)?.fields.budget).toBe('500万円');
  });

  it('has no lead on a record page whose hash names no record', () => {
    const bare = new URL('https://sample-jp.cybozu.com/k/12/show');
    expect(kintone.extract(load('record-ja.html'), bare, defaultFieldMappings)).toBeNull();
  });
});

describe('kintone lists', () => {
  it('skips the inline add-record row', () => {
    const url = new URL('https://sample-jp.cybozu.com/k/12/?view=20');
    const rows = kintone.listRows(load('list-ja.html'), url, defaultFieldMappings);
    expect(rows.map((r) => r.key.recordId)).toEqual(['5', '4', '3']);
  });
});
