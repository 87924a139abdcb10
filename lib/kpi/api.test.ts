import { describe, expect, it } from 'vitest';
import { splitBilingual } from '../i18n';
import { kpiQuerySchema, outcomeImportResponseSchema, whatIfQuerySchema } from './api';

function messagesAt(
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  key: string,
) {
  return (result.error?.issues ?? [])
    .filter((issue) => issue.path[0] === key)
    .map((issue) => splitBilingual(issue.message));
}

describe('kpiQuerySchema', () => {
  it('reads a query string and fills in the default band width', () => {
    expect(kpiQuerySchema.parse({ from: '2026-09-01', to: '2026-11-24' })).toEqual({
      from: '2026-09-01',
      to: '2026-11-24',
      bandWidth: 10,
    });
    expect(kpiQuerySchema.parse({ from: '2026-09-01', to: '2026-09-02', bandWidth: '5' }).bandWidth).toBe(5);
  });

  it('rejects a period that ends before it starts, in both languages on the to field', () => {
    const result = kpiQuerySchema.safeParse({ from: '2026-09-02', to: '2026-09-02' });
    expect(result.success).toBe(false);
    const [message] = messagesAt(result, 'to');
    expect(message?.en).toMatch(/after/);
    expect(message?.ja).toMatch(/開始日/);
  });

  it('accepts 400 days and rejects 401', () => {
    expect(kpiQuerySchema.safeParse({ from: '2025-01-01', to: '2026-02-05' }).success).toBe(true);
    const result = kpiQuerySchema.safeParse({ from: '2025-01-01', to: '2026-02-06' });
    expect(messagesAt(result, 'to')[0]?.en).toMatch(/400 days/);
  });

  it('rejects malformed dates and band widths outside 1–100', () => {
    const result = kpiQuerySchema.safeParse({ from: '2026-9-1', to: '2026-02-30', bandWidth: '0' });
    expect(messagesAt(result, 'from')[0]?.en).toMatch(/YYYY-MM-DD/);
    expect(messagesAt(result, 'to')[0]?.en).toMatch(/YYYY-MM-DD/);
    expect(messagesAt(result, 'bandWidth')[0]?.ja).toMatch(/1 以上/);
    expect(
      messagesAt(
        kpiQuerySchema.safeParse({ from: '2026-09-01', to: '2026-09-02', bandWidth: '2.5' }),
        'bandWidth',
      ),
    ).toHaveLength(1);
  });
});

describe('whatIfQuerySchema', () => {
  it('coerces the optional threshold, capacity and draft version from text', () => {
    expect(
      whatIfQuerySchema.parse({
        from: '2026-09-01',
        to: '2026-11-24',
        threshold: '55',
        capacityPerWeek: '12.5',
        draftVersion: '3',
      }),
    ).toEqual({
      from: '2026-09-01',
      to: '2026-11-24',
      bandWidth: 10,
      threshold: 55,
      capacityPerWeek: 12.5,
      draftVersion: 3,
    });
  });

  it('reads an empty parameter as missing, not as 0, and refuses numbers that are not plain decimals', () => {
    const period = { from: '2026-09-01', to: '2026-11-24' };
    expect(
      whatIfQuerySchema.parse({ ...period, threshold: '', capacityPerWeek: ' ', bandWidth: '' }),
    ).toEqual({
      ...period,
      bandWidth: 10,
    });
    for (const threshold of ['0x10', '1e2', '12abc']) {
      const result = whatIfQuerySchema.safeParse({ ...period, threshold });
      expect(result.success, threshold).toBe(false);
    }
  });

  it('rejects a capacity of zero and a draft version of zero', () => {
    const result = whatIfQuerySchema.safeParse({
      from: '2026-09-01',
      to: '2026-11-24',
      capacityPerWeek: '0',
      draftVersion: '0',
    });
    expect(messagesAt(result, 'capacityPerWeek')).toHaveLength(1);
    expect(messagesAt(result, 'draftVersion')).toHaveLength(1);
  });
});

describe('outcomeImportResponseSchema', () => {
  it('requires whole, non-negative counts', () => {
    expect(outcomeImportResponseSchema.safeParse({ imported: 2, leads: 1, unchanged: 0 }).success).toBe(true);
    expect(outcomeImportResponseSchema.safeParse({ imported: -1, leads: 1, unchanged: 0 }).success).toBe(
      false,
    );
  });
});
