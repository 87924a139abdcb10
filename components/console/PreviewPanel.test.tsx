// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhatIfReport } from '../../lib/kpi/types';
import type { RulesPreview } from '../../lib/preview';
import { PreviewPanel } from './PreviewPanel';

afterEach(cleanup);

const emptyPreview: RulesPreview = {
  rows: [],
  mqlBefore: 0,
  mqlAfter: 0,
  became: 0,
  stopped: 0,
  dueChanged: 0,
};
const point = {
  threshold: 65,
  mqls: 120,
  mqlsPerWeek: 10,
  sqlRate: 0.25,
  sqlsKept: 24,
  sqlsLost: 6,
  load: null,
  withinTarget: true,
};
/** 144 handoffs replayed over 12 weeks; the draft would have handed over 10 a week where today's rules hand over 12. */
const report = (over: Partial<WhatIfReport> = {}): WhatIfReport => ({
  query: { from: '2026-09-12', to: '2026-12-05', bandWidth: 10 },
  target: { min: 0.2, max: 0.3 },
  current: { ...point, threshold: 60, mqlsPerWeek: 12 },
  proposed: point,
  refused: { current: null, proposed: null },
  suggested: null,
  curve: [],
  evidenceFrom: 40,
  replayed: 144,
  unscored: 0,
  weeks: 12,
  ...over,
});

describe('the preview against the team’s history', () => {
  it('shows what the draft would have done to the recorded handoffs, in the reader’s language', () => {
    render(
      <PreviewPanel
        lang="en"
        preview={emptyPreview}
        timeZone="Asia/Tokyo"
        team={{
          kind: 'ready',
          report: report(),
          today: { ...point, threshold: 60, mqlsPerWeek: 12, sqlRate: 0.2 },
        }}
      />,
    );
    const shown = screen.getByTestId('team-preview').textContent;
    expect(shown).toContain('MQLs per week (now → draft)12 → 10');
    expect(shown).toContain('MQL→SQL rate (now → draft)20% → 25%');
    expect(shown).toContain('SQLs the draft would not hand over6');
    expect(shown).toContain('Handoffs replayed144');
    // The team's section shows even when this browser has seen no lead.
    expect(screen.getByText(/This browser has no leads yet/)).toBeTruthy();
  });

  it('says why it will not predict, and that it is working or failed, in words', () => {
    const refusal = {
      threshold: 10,
      reason: 'below_evidence' as const,
      message: { ja: '記録より低い閾値です', en: 'Below every recorded score' },
    };
    const { rerender } = render(
      <PreviewPanel
        lang="ja"
        preview={emptyPreview}
        timeZone="Asia/Tokyo"
        team={{
          kind: 'ready',
          report: report({ proposed: null, refused: { current: null, proposed: refusal } }),
          today: null,
        }}
      />,
    );
    expect(screen.getByTestId('team-refused').textContent).toBe('記録より低い閾値です');
    rerender(
      <PreviewPanel lang="ja" preview={emptyPreview} timeZone="Asia/Tokyo" team={{ kind: 'loading' }} />,
    );
    expect(screen.getByText('試算中…')).toBeTruthy();
    rerender(
      <PreviewPanel
        lang="ja"
        preview={emptyPreview}
        timeZone="Asia/Tokyo"
        team={{ kind: 'failed', reason: { ja: 'エンドポイントが拒否しました', en: 'refused' } }}
      />,
    );
    expect(screen.getByText('エンドポイントが拒否しました')).toBeTruthy();
    // No team section while the draft does not validate, nor without an endpoint.
    rerender(<PreviewPanel lang="ja" preview={null} timeZone="Asia/Tokyo" team={{ kind: 'loading' }} />);
    expect(screen.queryByText('試算中…')).toBeNull();
  });
});
