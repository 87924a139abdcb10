// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kpiReport, measures } from './fixture';
import { Headline } from './Headline';

const MIN = 60_000;
/** 10 MQLs, 8 judged on quality, 2 SQLs: 25 % of judged, 20 % of all; 2 not judged yet. */
const report = kpiReport({
  totals: measures({
    mqls: 10,
    withVerdict: 8,
    acceptedSql: 2,
    sqlRateOfVerdicts: 0.25,
    sqlRateOfMqls: 0.2,
    overdueNow: 210,
    timeToContact: {
      businessMedianMs: (11 * 60 + 41) * MIN,
      businessP90Ms: 26 * 60 * MIN,
      calendarMedianMs: null,
      calendarP90Ms: null,
    },
  }),
});

afterEach(cleanup);

describe('Headline', () => {
  it('shows one headline MQL→SQL rate, with the rate of all MQLs inside it and which to read, in English', () => {
    render(<Headline lang="en" report={report} />);
    const tiles = screen
      .getAllByRole('term')
      .filter((dt) => dt.textContent!.startsWith('MQL→SQL'))
      .map((dt) => dt.textContent);
    expect(tiles).toEqual(['MQL→SQL conversion (of judged MQLs)']);
    const headline = document.querySelector('[data-headline]')!;
    expect(headline.getAttribute('data-figure')).toBe('sql-of-verdicts');
    expect(within(headline as HTMLElement).getByTestId('figure-sql-of-verdicts').textContent).toBe('25%');
    expect(within(headline as HTMLElement).getByTestId('figure-sql-of-all').textContent).toBe('20%');
    expect(screen.getByTestId('sql-rate-reading').textContent).toBe(
      'Read this one: it leaves out MQLs sales has not judged yet, and the target band is judged on it. Of all MQLs, 20% counts the 2 not yet judged as not SQL, so it reads low until verdicts are in.',
    );
  });

  it('says which MQL→SQL rate to read in Japanese', () => {
    render(<Headline lang="ja" report={report} />);
    expect(screen.getByTestId('sql-rate-reading').textContent).toBe(
      '見るのはこちら: 営業がまだ判定していない MQL を除いた率で、目標帯もこの率で判断します。全 MQL に対する 20% は未判定の 2 件を SQL でないとして数えるため、判定が揃うまで低く出ます。',
    );
  });

  it('keeps each number with its unit, so a tile never breaks inside 「11時間」', () => {
    render(<Headline lang="ja" report={report} />);
    const figure = screen.getByTestId('figure-business-time');
    expect(figure.textContent).toBe('11時間41分 / 1日2時間');
    expect([...figure.querySelectorAll('.keep')].map((s) => s.textContent)).toEqual([
      '11時間',
      '41分',
      '1日',
      '2時間',
    ]);
  });

  it('opens the leads behind the overdue and MQL counts', () => {
    const open = vi.fn();
    render(<Headline lang="en" report={report} onOpenLeads={open} />);
    fireEvent.click(screen.getByRole('button', { name: 'Overdue now 210: see the leads' }));
    fireEvent.click(screen.getByRole('button', { name: 'MQLs 10: see the leads' }));
    expect(open.mock.calls).toEqual([['overdue'], ['mql']]);
  });
});
