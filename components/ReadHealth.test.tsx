// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadHealth } from './ReadHealth';

describe('ReadHealth', () => {
  afterEach(cleanup);

  it("shows this browser's counts per CRM and page kind, with the summary in words", async () => {
    const load = async () => [
      {
        day: '2026-12-04',
        crm: 'zoho' as const,
        pageKind: 'record' as const,
        pages: 3,
        nothingRead: 1,
        selector: 0,
        hook: 18,
        label: 2,
      },
    ];
    render(<ReadHealth lang="en" names={{ zoho: 'Zoho CRM' }} load={load} />);
    expect(
      await screen.findByText('Zoho CRM record pages: nothing read on 1 of 3 since 2026-12-04'),
    ).toBeTruthy();
    const cells = screen.getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toEqual(['2026-12-04', 'Zoho CRM', 'record', '3', '1', '0', '18', '2']);
  });

  it('says so when no lead page was opened yet, in Japanese', async () => {
    render(<ReadHealth lang="ja" names={{}} load={async () => []} />);
    expect(await screen.findByText('まだ CRM のリード画面を開いていません。')).toBeTruthy();
  });
});
