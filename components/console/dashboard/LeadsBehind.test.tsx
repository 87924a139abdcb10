// @vitest-environment happy-dom
import { cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KpiLeadsQuery, KpiLeadsReport } from '../../../lib/kpi/types';
import { LeadsBehind } from './LeadsBehind';

configure({ asyncUtilTimeout: 10_000 });
afterEach(cleanup);

const page = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view';
const answer = (query: KpiLeadsQuery): KpiLeadsReport => ({
  query: { ...query, bandWidth: 10 },
  now: '2026-11-25T01:00:00.000Z',
  label: { ja: '現在の期限超過', en: 'Overdue now' },
  total: 2,
  leads: [
    {
      leadKey: 'salesforce:Lead:00Q5g00000AbCdEFGH',
      crm: 'salesforce',
      owner: '田中 太郎',
      score: 72,
      handoffAt: '2026-11-20T01:00:00.000Z',
      dueAt: '2026-11-21T01:00:00.000Z',
      firstContactAt: null,
      verdict: 'wrong_owner',
      reasonLabel: { ja: '担当者違い', en: 'Wrong owner' },
      url: page,
    },
    {
      leadKey: 'hubspot:0-1:4242',
      crm: 'hubspot',
      owner: '',
      score: null,
      handoffAt: '2026-11-22T05:30:00.000Z',
      dueAt: '2026-11-23T05:30:00.000Z',
      firstContactAt: null,
      verdict: null,
      reasonLabel: null,
      url: 'javascript:alert(1)',
    },
  ],
});

function open(lang: 'ja' | 'en' = 'en') {
  const kpiLeads = vi.fn(async (q: KpiLeadsQuery) => answer(q));
  const onClose = vi.fn();
  render(
    <LeadsBehind
      lang={lang}
      figure="overdue"
      query={{ from: '2026-11-01', to: '2026-12-01' }}
      period={{ from: '2026-11-01', until: '2026-11-30' }}
      timeZone="Asia/Tokyo"
      kpiLeads={kpiLeads}
      onClose={onClose}
    />,
  );
  return { kpiLeads, onClose };
}

describe('LeadsBehind', () => {
  it('lists the leads behind "Overdue now", each linked to its CRM page, times in the team’s zone', async () => {
    const { kpiLeads } = open('en');
    expect(await screen.findByRole('heading', { name: 'Leads: Overdue now (2)' })).toBeTruthy();
    expect(kpiLeads).toHaveBeenCalledWith({ from: '2026-11-01', to: '2026-12-01', figure: 'overdue' });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '00Q5g00000AbCdEFGHSalesforce田中 太郎7220/11/2026, 10:0021/11/2026, 10:00—Wrong ownerWrong owner',
      '4242HubSpotNo owner—22/11/2026, 14:3023/11/2026, 14:30———',
    ]);
    const link = within(rows[0]!).getByRole('link', { name: '00Q5g00000AbCdEFGH' });
    expect(link.getAttribute('href')).toBe(page);
    expect(link.getAttribute('target')).toBe('_blank');
    // A stored address that is not a web page never becomes a link.
    expect(within(rows[1]!).queryByRole('link')).toBeNull();
  });

  it('exports the list as CSV, with each lead’s CRM page', async () => {
    const saved: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:leads';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    try {
      open('ja');
      await screen.findByRole('heading', { name: '現在の期限超過のリード（2 件）' });
      fireEvent.click(screen.getByRole('button', { name: /^CSV をダウンロード/ }));
      const csv = await saved[0]!.text();
      const lines = csv.replace('\uFEFF', '').split('\r\n');
      expect(lines[0]).toBe(
        'リード（CRM で開く）,CRM,担当者,スコア,引き渡し,期限,初回コンタクト,営業の判定,理由,CRM のページ',
      );
      expect(lines[1]).toBe(
        `00Q5g00000AbCdEFGH,Salesforce,田中 太郎,72,2026-11-20T01:00:00.000Z,2026-11-21T01:00:00.000Z,,担当者違い,担当者違い,${page}`,
      );
      expect(lines[2]).toBe('4242,HubSpot,,,2026-11-22T05:30:00.000Z,2026-11-23T05:30:00.000Z,,,,');
    } finally {
      create.mockRestore();
      click.mockRestore();
    }
  });
});
