import { describe, expect, it } from 'vitest';
import { describeError } from './errors';

const forbidden = {
  kind: 'forbidden',
  reason: { ja: 'CSV の取り込みには marketer の権限が必要です', en: 'Importing needs the role marketer' },
};

describe('describeError', () => {
  it('says a refusal in the endpoint’s words, adding only what the caller knows of the action', () => {
    expect(describeError(forbidden).en).toBe('The endpoint refused: Importing needs the role marketer');
    expect(describeError(forbidden).ja).not.toContain('ルール');
    const hint = { ja: 'KPI は見られません', en: 'KPIs are not for this token' };
    expect(describeError(forbidden, hint)).toEqual({
      ja: 'エンドポイントが拒否しました: CSV の取り込みには marketer の権限が必要です。KPI は見られません',
      en: 'The endpoint refused: Importing needs the role marketer. KPIs are not for this token',
    });
  });

  it('passes other endpoint reasons through and words anything else in both languages', () => {
    expect(describeError({ kind: 'server', reason: forbidden.reason })).toBe(forbidden.reason);
    expect(describeError(new Error('boom'))).toEqual({ ja: '失敗しました: boom', en: 'Failed: boom' });
  });
});
