import { describe, expect, it } from 'vitest';
import { addPageRead, healthDay, healthSummary, readHealthSchema, tierCounts } from './health';

const day = healthDay(Date.parse('2026-12-03T23:30:00Z'));

describe('read health counts', () => {
  it('buckets by UTC day and counts pages, nothing-read pages and tiers', () => {
    let bucket = addPageRead(
      undefined,
      { crm: 'zoho', pageKind: 'record', selector: 0, hook: 8, label: 2, nothingRead: false },
      day,
    );
    bucket = addPageRead(
      bucket,
      { crm: 'zoho', pageKind: 'record', selector: 0, hook: 0, label: 0, nothingRead: true },
      day,
    );
    expect(bucket).toEqual({
      day: '2026-12-03',
      crm: 'zoho',
      pageKind: 'record',
      pages: 2,
      nothingRead: 1,
      selector: 0,
      hook: 8,
      label: 2,
    });
    expect(readHealthSchema.safeParse(bucket).success).toBe(true);
  });

  it('names the UTC day an instant falls on, up to its last millisecond', () => {
    expect(healthDay(Date.parse('2026-12-03T23:59:59.999Z'))).toBe('2026-12-03');
    expect(healthDay(Date.parse('2026-12-04T00:00:00Z'))).toBe('2026-12-04');
  });

  it('counts each field once under the tier that read it', () => {
    expect(tierCounts({ company: 'hook', title: 'label', name: 'selector', email: 'label' })).toEqual({
      selector: 1,
      hook: 1,
      label: 2,
    });
  });

  it('summarises a CRM and page kind in words, in ja and en', () => {
    const rows = [
      {
        day: '2026-12-04',
        crm: 'zoho' as const,
        pageKind: 'record' as const,
        pages: 30,
        nothingRead: 30,
        selector: 0,
        hook: 0,
        label: 0,
      },
      {
        day: '2026-12-03',
        crm: 'zoho' as const,
        pageKind: 'record' as const,
        pages: 7,
        nothingRead: 7,
        selector: 0,
        hook: 0,
        label: 0,
      },
    ];
    expect(healthSummary(rows, { zoho: 'Zoho CRM' }, 'en')).toEqual([
      'Zoho CRM record pages: nothing read on 37 of 37 since 2026-12-03',
    ]);
    expect(healthSummary(rows, { zoho: 'Zoho CRM' }, 'ja')).toEqual([
      'Zoho CRM レコード画面: 2026-12-03 以降 37 件中 37 件で読み取れず',
    ]);
  });

  it('refuses counts that are not counts', () => {
    expect(
      readHealthSchema.safeParse({
        day,
        crm: 'zoho',
        pageKind: 'record',
        pages: -1,
        nothingRead: 0,
        selector: 0,
        hook: 0,
        label: 0,
      }).success,
    ).toBe(false);
  });
});
