// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FunnelChart, ReasonsChart, TrendChart } from './Charts';
import { kpiReport, week } from './fixture';

const period = { from: '2026-11-01', until: '2026-11-30' };
afterEach(cleanup);

describe('TrendChart', () => {
  // November 2026: Sunday 1 November alone in the week of 26 October (1 handoff, rejected: 0 %), four
  // whole weeks at 25 %, and Monday 30 November alone (no verdict yet).
  const report = kpiReport({
    weeks: [
      week('2026-10-26', 1, { mqls: 1, withVerdict: 1, sqlRateOfVerdicts: 0 }),
      ...['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'].map((w) =>
        week(w, 7, { mqls: 40, withVerdict: 20, acceptedSql: 5, sqlRateOfVerdicts: 0.25 }),
      ),
      week('2026-11-30', 1, { mqls: 6 }),
    ],
  });

  it('marks the weeks the period cuts as partial, in the drawing, the table and a note', () => {
    render(<TrendChart lang="en" report={report} period={period} />);
    const partial = [...document.querySelectorAll('rect[data-partial="true"]')].map((r) =>
      r.getAttribute('data-week'),
    );
    expect(partial).toEqual(['2026-10-26', '2026-11-30']);
    expect(screen.getAllByText('partial')).toHaveLength(2);
    expect(screen.getByRole('rowheader', { name: '2026-10-26 (partial, 1 of 7 days)' })).toBeTruthy();
    expect(screen.getByText(/Weeks marked partial are cut by the start or end of the period/)).toBeTruthy();
  });

  it('leaves partial weeks out of the conversion line, so a 1-day week is not a 0 % dip', () => {
    render(<TrendChart lang="en" report={report} period={period} />);
    const line = document.querySelector('path.rate-line:not(.legend *)')!.getAttribute('d')!;
    // One segment through the four whole weeks only: a move and three lines.
    expect(line.match(/[ML]/g)).toEqual(['M', 'L', 'L', 'L']);
    const y = new Set(
      line
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => p.split(',')[1]),
    );
    expect(y.size).toBe(1);
    expect(document.querySelectorAll('circle.rate-point.partial')).toHaveLength(1);
  });

  it('says partial in Japanese', () => {
    render(<TrendChart lang="ja" report={report} period={period} />);
    expect(screen.getAllByText('一部の週')).toHaveLength(2);
    expect(screen.getByRole('rowheader', { name: '2026-10-26 (一部の週・7日中1日)' })).toBeTruthy();
  });
});

describe('ReasonsChart', () => {
  it('names every reason by its label, never by its code, on the page', () => {
    const report = kpiReport({
      reasons: [
        {
          verdict: 'reject',
          code: 'legacy_other',
          label: { ja: 'その他（今のルールにない理由）', en: 'Other (a reason no longer in the rules)' },
          count: 3,
          about: 'lead_quality',
        },
      ],
    });
    render(<ReasonsChart lang="en" report={report} period={period} />);
    const chart = screen.getByRole('region', { name: 'Verdict reasons' });
    expect(chart.textContent).not.toContain('legacy_other');
    expect(within(chart).getByRole('row', { name: /Other/ }).textContent).toBe(
      'Other (a reason no longer in the rules)RejectedLead quality3',
    );
  });
});

describe('FunnelChart', () => {
  it('opens the leads behind each stage’s count', () => {
    const report = kpiReport({
      funnel: [
        { stage: 'mql', label: { ja: 'MQL', en: 'MQL' }, count: 10 },
        { stage: 'sql', label: { ja: 'SQL として受け入れ', en: 'Accepted as SQL' }, count: 2 },
      ],
    });
    const opened: string[] = [];
    render(<FunnelChart lang="en" report={report} period={period} onOpenLeads={(f) => opened.push(f)} />);
    screen.getByRole('button', { name: 'Accepted as SQL 2' }).click();
    screen.getByRole('button', { name: 'MQL 10' }).click();
    expect(opened).toEqual(['sql', 'mql']);
  });
});
