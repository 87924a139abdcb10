// @vitest-environment happy-dom

import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../lib/events';
import { drift } from '../../lib/kpi/report';
import type { ScoringReview } from '../../lib/kpi/scoring-review';
import type { KpiReport, ThresholdPoint, WhatIfQuery, WhatIfReport } from '../../lib/kpi/types';
import { defaultRuleSet, type RuleSet } from '../../lib/rules';
import { Console } from './Console';
import type { ConsoleApi } from './console-api';
import { Dashboard } from './Dashboard';
import { measures } from './dashboard/fixture';
import { ruleHistory, ruleVersion as version } from './fixture';

/** Wednesday 25 November 2026, 10:00 in Tokyo: the last 12 weeks are 3 September to 25 November. */
const now = Date.parse('2026-11-25T10:00:00+09:00');
const MIN = 60_000;

/**
 * 10 handoffs: 6 contacted (5 within the SLA), 8 with a verdict of which 2 accepted as SQL (25 %, below the
 * 30–40 % band), 1 opportunity, 1 won, 1 overdue now. Two owners.
 */
function report(over: Partial<KpiReport> = {}): KpiReport {
  const totals = measures({
    mqls: 10,
    withVerdict: 8,
    acceptedSql: 2,
    rejected: 4,
    recycled: 2,
    sqlRateOfVerdicts: 0.25,
    sqlRateOfMqls: 0.2,
    contacted: 6,
    contactedWithinSla: 5,
    contactRate: 0.6,
    contactWithinSlaRate: 0.5,
    timeToContact: {
      businessMedianMs: 135 * MIN,
      businessP90Ms: 6 * 60 * MIN,
      calendarMedianMs: 26 * 60 * MIN,
      calendarP90Ms: 3 * 24 * 60 * MIN + 4 * 60 * MIN,
    },
    overdueNow: 1,
    opportunities: 1,
    won: 1,
    opportunityRate: 0.1,
    winRate: 1,
  });
  return {
    query: { from: '2026-09-03', to: '2026-11-26', bandWidth: 10 },
    now: new Date(now).toISOString(),
    zone: 'Asia/Tokyo',
    target: { min: 0.3, max: 0.4 },
    totals,
    // The report's drift as lib/kpi computes it: 5 SQLs of 20 verdicts against a 30–40 % band.
    drift: drift({ withVerdict: 20, acceptedSql: 5 }, { min: 0.3, max: 0.4 }),
    weeks: [
      {
        week: '2026-11-16',
        days: 7,
        partial: false,
        measures: measures({ mqls: 6, withVerdict: 4, acceptedSql: 1, sqlRateOfVerdicts: 0.25 }),
        drift: { state: 'not_enough_data', verdicts: 4, needed: 20 },
      },
      {
        week: '2026-11-23',
        // 23–25 November: the period ends on the 26th.
        days: 3,
        partial: true,
        measures: measures({ mqls: 4, withVerdict: 4, acceptedSql: 1, sqlRateOfVerdicts: 0.25 }),
        drift: { state: 'not_enough_data', verdicts: 4, needed: 20 },
      },
    ],
    breakdowns: {
      rulesVersion: [{ key: '1', label: { ja: 'バージョン 1', en: 'Version 1' }, measures: totals }],
      owner: [
        {
          key: '田中 太郎',
          label: { ja: '田中 太郎', en: '田中 太郎' },
          measures: measures({ mqls: 6, contacted: 4, contactedWithinSla: 3, contactWithinSlaRate: 0.5 }),
        },
        {
          key: 'Jane Smith',
          label: { ja: 'Jane Smith', en: 'Jane Smith' },
          measures: measures({
            mqls: 4,
            contacted: 2,
            contactedWithinSla: 2,
            contactWithinSlaRate: 0.5 + 0.25,
          }),
        },
      ],
      crm: [],
      reason: [],
      fitGrade: [],
      scoreBand: [],
    },
    funnel: [
      { stage: 'mql', label: { ja: 'MQL', en: 'MQL' }, count: 10 },
      { stage: 'contacted', label: { ja: '初回コンタクト済み', en: 'Contacted' }, count: 6 },
      { stage: 'sql', label: { ja: 'SQL として受け入れ', en: 'Accepted as SQL' }, count: 2 },
      { stage: 'opportunity', label: { ja: '商談化', en: 'Opportunity' }, count: 1 },
      { stage: 'won', label: { ja: '受注', en: 'Won' }, count: 1 },
    ],
    timeToContactHistogram: [
      { fromHours: 0, toHours: 1, count: 2 },
      { fromHours: 1, toHours: 4, count: 3 },
      { fromHours: 4, toHours: null, count: 1 },
    ],
    reasons: [
      {
        verdict: 'reject',
        code: 'no_budget',
        label: { ja: '予算がない', en: 'No budget' },
        count: 3,
        about: 'lead_quality',
      },
      {
        verdict: 'recycle',
        code: 'bad_timing',
        label: { ja: '導入時期が先・未定', en: 'Timing too far out' },
        count: 2,
        about: 'lead_quality',
      },
    ],
    speedToLead: [
      {
        band: 'within_5_minutes',
        label: { ja: '5分以内', en: 'Within 5 minutes' },
        mqls: 2,
        sqls: 1,
        won: 1,
        sqlRate: 0.5,
        winRate: 0.5,
      },
      {
        band: 'within_1_hour',
        label: { ja: '1時間以内', en: 'Within 1 hour' },
        mqls: 2,
        sqls: 1,
        won: 0,
        sqlRate: 0.5,
        winRate: 0,
      },
      {
        band: 'within_sla',
        label: { ja: 'SLA の期限内', en: 'Within the SLA' },
        mqls: 1,
        sqls: 0,
        won: 0,
        sqlRate: 0,
        winRate: 0,
      },
      {
        band: 'later',
        label: { ja: '期限後', en: 'After the due time' },
        mqls: 1,
        sqls: 0,
        won: 0,
        sqlRate: 0,
        winRate: 0,
      },
      {
        band: 'never',
        label: { ja: '未コンタクト', en: 'Not contacted' },
        mqls: 4,
        sqls: 0,
        won: 0,
        sqlRate: 0,
        winRate: 0,
      },
    ],
    ...over,
  };
}

function point(threshold: number, over: Partial<ThresholdPoint> = {}): ThresholdPoint {
  return {
    threshold,
    mqls: 10,
    mqlsPerWeek: 5,
    sqlRate: 0.25,
    sqlsKept: 2,
    sqlsLost: 0,
    load: null,
    withinTarget: false,
    ...over,
  };
}

function whatIfReport(query: WhatIfQuery): WhatIfReport {
  const current = point(60);
  const suggested = point(65, { mqls: 6, mqlsPerWeek: 3, sqlRate: 0.35, sqlsLost: 1, withinTarget: true });
  const proposed =
    query.threshold === 65 ? suggested : query.threshold === 60 ? current : point(query.threshold!);
  return {
    query,
    target: { min: 0.3, max: 0.4 },
    current,
    proposed,
    refused: { current: null, proposed: null },
    suggested,
    curve: [point(40, { mqlsPerWeek: 8, sqlRate: 0.15 }), current, suggested, point(70, { sqlRate: 0.5 })],
    evidenceFrom: 40,
    replayed: 10,
    unscored: 1,
    weeks: 2,
  };
}

function fakeApi(role: Role = 'marketer', kpis: (q: unknown) => Promise<KpiReport> = async () => report()) {
  const versions = [version(1)];
  return {
    ...ruleHistory(versions),
    me: vi.fn(async () => ({ role, name: '佐藤 花子', tokenId: 'demo' })),
    propose: vi.fn(async (rules: RuleSet, note: string) => {
      const draft = version(versions.length + 1, {
        status: 'draft',
        note,
        activatedAt: null,
        activation: null,
        rules,
      });
      versions.push(draft);
      return draft;
    }),
    signOff: vi.fn(async () => versions[0]!),
    rollback: vi.fn(async () => versions[0]!),
    sampleLeads: vi.fn(async () => []),
    now: () => now,
    kpis: vi.fn(kpis),
    whatIf: vi.fn(async (q: WhatIfQuery) => whatIfReport(q)),
    scoringReview: vi.fn(async () => review),
    importOutcomes: vi.fn(async (_csv: string) => ({ imported: 3, leads: 2, unchanged: 1 })),
  } satisfies ConsoleApi;
}

/** The webinar rule fired on 12 of 20 MQLs but 2 of 8 SQLs: lift 0.42, 5 points suggested. */
const review: ScoringReview = {
  mqls: 20,
  sqls: 8,
  won: 2,
  unexplained: 1,
  threshold: 60,
  rows: [
    {
      ruleId: 'webinar',
      kind: 'engagement',
      label: { ja: 'ウェビナー・イベント参加', en: 'Webinar or event' },
      points: 10,
      firedMqls: 12,
      firedSqls: 2,
      firedWon: 2,
      shareOfMqls: 0.6,
      shareOfSqls: 0.25,
      shareOfWon: 1,
      lift: 0.25 / 0.6,
      suggestedPoints: 5,
      whatIf: {
        current: { points: 10, mqls: 20, sqls: 8, sqlRate: 0.4 },
        suggested: { points: 5, mqls: 16, sqls: 8, sqlRate: 0.5 },
      },
    },
  ],
};

async function openDashboard(lang: 'ja' | 'en' = 'en', api = fakeApi(), hash = '#dashboard?period=last12w') {
  render(<Console lang={lang} api={api} initialHash={hash} />);
  await screen.findByRole('heading', { name: lang === 'en' ? 'Headline figures' : '主な指標' });
  return api;
}

const figure = (id: string) => screen.getByTestId(`figure-${id}`).textContent;

// The console renders the rule-set form too; a busy two-core machine needs time.
configure({ asyncUtilTimeout: 10_000 });

describe('Dashboard', { timeout: 30_000 }, () => {
  beforeEach(() => window.history.replaceState(null, '', '/console.html'));
  afterEach(cleanup);

  it('asks for the period in the hash and shows the headline figures in English', async () => {
    const api = await openDashboard('en');
    expect(api.kpis).toHaveBeenCalledWith({ from: '2026-09-03', to: '2026-11-26', bandWidth: 10 });
    expect(screen.getByRole('tab', { name: 'Dashboard' }).getAttribute('aria-selected')).toBe('true');
    expect(figure('mqls')).toBe('10');
    expect(figure('sql-of-verdicts')).toBe('25%');
    expect(figure('sql-of-all')).toBe('20%');
    expect(figure('within-sla')).toBe('50%');
    expect(figure('business-time')).toBe('2h 15m / 6h');
    expect(figure('calendar-time')).toBe('1d 2h / 3d 4h');
    expect(figure('overdue')).toBe('1');
    expect(figure('win-rate')).toBe('100%');
    expect(screen.getByTestId('period-shown').textContent).toBe('Showing: 2026-09-03 – 2026-11-25');
  });

  it('says the drift in words, which way and what it suggests, in Japanese', async () => {
    await openDashboard('ja');
    const banner = screen.getAllByRole('status').find((s) => s.classList.contains('drift'))!;
    expect(banner.getAttribute('data-drift')).toBe('below');
    expect(banner.textContent).toBe(
      '▼ MQL→SQL 転換率 25% は目標 30%–40% を下回っています。閾値が低すぎて、見込みの薄いリードまで営業に渡っている可能性があります。閾値の引き上げを検討してください。',
    );
    // Said once: the banner does not repeat the rate and band before the report's sentence.
    expect(banner.textContent!.match(/25%/g)).toHaveLength(1);
    expect(figure('business-time')).toBe('2時間15分 / 6時間');
    expect(figure('calendar-time')).toBe('1日2時間 / 3日4時間');
  });

  it('puts each chart’s figures in a table and exports its rows as CSV', async () => {
    const saved: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:funnel';
    });
    const names: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    try {
      await openDashboard('en');
      const funnel = screen.getByRole('region', {
        name: 'Funnel (MQL → contacted → SQL → opportunity → won)',
      });
      const rows = within(funnel)
        .getAllByRole('row')
        .map((r) => r.textContent);
      expect(rows).toEqual([
        'StageCountShare of MQLs (%)',
        'MQL10100%',
        'Contacted660%',
        'Accepted as SQL220%',
        'Opportunity110%',
        'Won110%',
      ]);
      fireEvent.click(within(funnel).getByRole('button', { name: /^Download as CSV/ }));
      expect(names).toEqual(['baton-funnel-2026-09-03_2026-11-25.csv']);
      expect(await saved[0]!.text()).toBe(
        '\uFEFFStage,Count,Share of MQLs (%)\r\nMQL,10,100\r\nContacted,6,60\r\nAccepted as SQL,2,20\r\nOpportunity,1,10\r\nWon,1,10\r\n',
      );
    } finally {
      create.mockRestore();
      click.mockRestore();
    }
  });

  it('draws the weekly trend, reasons and owners with their figures as text', async () => {
    await openDashboard('en');
    const trend = screen.getByRole('region', { name: 'MQLs and MQL→SQL conversion by week' });
    expect(within(trend).getByRole('img').querySelectorAll('rect[data-week]')).toHaveLength(2);
    expect(within(trend).getByText('Target band 30%–40%')).toBeTruthy();
    const reasons = screen.getByRole('region', { name: 'Verdict reasons' });
    expect(within(reasons).getByRole('row', { name: /No budget/ }).textContent).toBe(
      // The reason by its label; its code goes to the CSV only.
      'No budgetRejectedLead quality3',
    );
    const speed = screen.getByRole('region', {
      name: 'SQL and win rates by speed to first contact (your own data)',
    });
    expect(within(speed).getByRole('row', { name: /Within 5 minutes/ }).textContent).toBe(
      'Within 5 minutes21150%50%',
    );
    // Owners best first: Jane Smith (75 %) above 田中 太郎 (50 %).
    const owners = screen.getByRole('region', { name: 'Contact within the SLA by owner' });
    const ownerRows = within(owners).getAllByRole('row').slice(1);
    expect(ownerRows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Jane Smith',
      '田中 太郎',
    ]);
    expect(ownerRows[0]!.textContent).toContain('75%');
  });

  it('shows the scoring review and turns a suggested change of points into a draft', async () => {
    const api = await openDashboard('en');
    const row = (await screen.findByText('Webinar or event', { selector: 'th' })).closest('tr')!;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([
      '+10',
      '60% (12)',
      '25% (2)',
      '100% (2)',
      '0.42',
      '+5',
      'MQL 20 → 16, SQL 40% → 50%',
      'Make a draft',
    ]);
    fireEvent.click(within(row).getByRole('button', { name: 'Make a draft: Webinar or event +10 → +5' }));
    await waitFor(() => expect(api.propose).toHaveBeenCalledTimes(1));
    const [rules, note] = (api.propose as unknown as { mock: { calls: [RuleSet, string][] } }).mock.calls[0]!;
    const webinar = rules.engagementRules.find((r) => r.id === 'webinar')!;
    expect([webinar.points, webinar.cap]).toEqual([5, 15]);
    expect(note).toBe('Scoring review: Webinar or event +10 → +5 (lift 0.42)');
  });

  it('breaks the figures down by the dimension chosen', async () => {
    await openDashboard('en');
    const versions = screen.getByRole('region', { name: 'Breakdown by rule version' });
    expect(within(versions).getByRole('rowheader').textContent).toBe('Version 1');
    fireEvent.change(screen.getByLabelText('Break down by'), { target: { value: 'owner' } });
    const owners = screen.getByRole('region', { name: 'Breakdown by owner' });
    const row = within(owners).getByRole('row', { name: /田中 太郎/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['6', '0', '0', '—', '—', '50%', '—', '0', '0', '—', '—']);
  });

  it('moves through the period presets with the arrow keys and keeps the choice in the URL', async () => {
    const api = await openDashboard('en');
    const checked = (name: string) => (screen.getByRole('radio', { name }) as HTMLInputElement).checked;
    const twelve = screen.getByRole('radio', { name: 'Last 12 weeks' });
    expect(checked('Last 12 weeks')).toBe(true);
    // One group: the browser gives it one tab stop.
    const names = new Set(screen.getAllByRole('radio').map((r) => (r as HTMLInputElement).name));
    expect(names).toEqual(new Set(['dashboard-period']));
    twelve.focus();
    fireEvent.keyDown(twelve, { key: 'ArrowRight' });
    const quarter = screen.getByRole('radio', { name: 'This quarter' });
    expect(checked('This quarter')).toBe(true);
    expect(checked('Last 12 weeks')).toBe(false);
    expect(document.activeElement).toBe(quarter);
    await waitFor(() =>
      expect(api.kpis).toHaveBeenLastCalledWith({ from: '2026-10-01', to: '2026-11-26', bandWidth: 10 }),
    );
    expect(window.location.hash).toBe('#dashboard?period=thisQuarter');
    fireEvent.keyDown(quarter, { key: 'ArrowRight' });
    await waitFor(() =>
      expect(api.kpis).toHaveBeenLastCalledWith({ from: '2026-07-01', to: '2026-10-01', bandWidth: 10 }),
    );
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(checked('Custom dates')).toBe(true);
    fireEvent.change(screen.getByLabelText('Period from'), { target: { value: '2026-08-01' } });
    fireEvent.change(screen.getByLabelText('Period to (inclusive)'), { target: { value: '2026-08-31' } });
    await waitFor(() =>
      expect(api.kpis).toHaveBeenLastCalledWith({ from: '2026-08-01', to: '2026-09-01', bandWidth: 10 }),
    );
    expect(window.location.hash).toBe('#dashboard?from=2026-08-01&until=2026-08-31');
  });

  it('reopens a custom period from the URL after a reload', async () => {
    const api = await openDashboard('en', fakeApi(), '#dashboard?from=2026-08-01&until=2026-08-31');
    expect(api.kpis).toHaveBeenCalledWith({ from: '2026-08-01', to: '2026-09-01', bandWidth: 10 });
    expect((screen.getByLabelText('Period from') as HTMLInputElement).value).toBe('2026-08-01');
  });

  it('turns the suggested threshold into a draft and goes to the Agreement tab', async () => {
    const api = await openDashboard('en');
    const suggestion = await screen.findByTestId('whatif-suggestion');
    expect(suggestion.textContent).toContain('Suggested threshold: 65 points');
    expect(api.whatIf).toHaveBeenCalledWith({ from: '2026-09-03', to: '2026-11-26', threshold: 60 });
    const curve = screen.getByRole('region', { name: 'Prediction by threshold' });
    expect(within(curve).getByText('Current 60')).toBeTruthy();
    expect(within(curve).getByText('Suggested 65')).toBeTruthy();
    expect(curve.textContent).toContain(
      'Below 40 points nothing was handed over by score, so the curve stops there.',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Create a draft with this threshold: 65' }));
    await waitFor(() => expect(api.propose).toHaveBeenCalledTimes(1));
    const [rules, note] = api.propose.mock.calls[0]!;
    expect(rules.threshold.total).toBe(65);
    expect(rules.threshold.minFit).toBe(defaultRuleSet.threshold.minFit);
    expect(note).toBe('Threshold review: 60 → 65 (what-if)');
    await waitFor(() =>
      expect(screen.getByRole('tab', { name: 'Agreement' }).getAttribute('aria-selected')).toBe('true'),
    );
    expect(await screen.findByRole('article', { name: 'Version 2' })).toBeTruthy();
  });

  it('predicts an entered threshold and capacity, and can draft that one too', async () => {
    const api = await openDashboard('en');
    await screen.findByTestId('whatif-suggestion');
    fireEvent.change(screen.getByLabelText('Threshold to try (total points)'), { target: { value: '70' } });
    fireEvent.change(screen.getByLabelText('Contacts the team can make per week (optional)'), {
      target: { value: '4' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Predict' }));
    await waitFor(() =>
      expect(api.whatIf).toHaveBeenLastCalledWith({
        from: '2026-09-03',
        to: '2026-11-26',
        threshold: 70,
        capacityPerWeek: 4,
      }),
    );
    expect(await screen.findByRole('columnheader', { name: 'Entered' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create a draft with this threshold: 70' }));
    await waitFor(() => expect(api.propose.mock.calls[0]![0].threshold.total).toBe(70));
  });

  it('drops the period from the URL when the user leaves the tab', async () => {
    await openDashboard('en');
    expect(window.location.hash).toBe('#dashboard?period=last12w');
    fireEvent.click(screen.getByRole('tab', { name: 'Checklist' }));
    await waitFor(() => expect(window.location.hash).toBe(''));
  });

  it('disables the draft button with the reason when the role may not propose', async () => {
    const api = fakeApi('manager');
    const refusal = { ja: '提案できません', en: 'This role may not propose rules' };
    const proposeDraft = vi.fn();
    render(
      <Dashboard
        lang="en"
        api={api}
        initialHash="#dashboard?period=last4w"
        visible
        timeZone="Asia/Tokyo"
        endpoint={{ url: 'https://baton.example.co.jp' }}
        signedInRole="manager"
        activeRules={defaultRuleSet}
        drafts={[]}
        refusal={refusal}
        proposeDraft={proposeDraft}
      />,
    );
    const button = await screen.findByRole('button', { name: 'Create a draft with this threshold: 65' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    const note = screen.getByRole('note');
    expect(note.textContent).toBe('This role may not propose rules');
    expect(button.getAttribute('aria-describedby')).toBe(note.id);
    fireEvent.click(button);
    expect(proposeDraft).not.toHaveBeenCalled();
  });

  it('explains that a rep token cannot see the dashboard, without asking the endpoint', async () => {
    const api = fakeApi('rep');
    render(<Console lang="ja" api={api} initialHash="#dashboard?period=last4w" />);
    expect(
      await screen.findByText(
        '営業担当のトークンではダッシュボードを見られません。マネージャー・マーケティング担当・管理者のトークンを使ってください',
      ),
    ).toBeTruthy();
    expect(api.kpis).not.toHaveBeenCalled();
  });

  it('says so when the period has no handoffs', async () => {
    render(
      <Console
        lang="en"
        api={fakeApi('manager', async () => report({ totals: measures(), weeks: [], reasons: [] }))}
        initialHash="#dashboard?period=last4w"
      />,
    );
    expect((await screen.findByTestId('dashboard-empty')).textContent).toContain(
      'No handoffs in this period',
    );
    expect(screen.queryByRole('heading', { name: 'Headline figures' })).toBeNull();
  });

  it('shows the endpoint’s error in words when the KPIs cannot be loaded', async () => {
    render(
      <Console
        lang="en"
        api={fakeApi('manager', () =>
          Promise.reject({
            kind: 'server',
            status: 500,
            reason: { ja: 'エラー（500）', en: 'The endpoint failed (500)' },
          }),
        )}
        initialHash="#dashboard?period=last4w"
      />,
    );
    expect((await screen.findByRole('alert')).textContent).toBe('The endpoint failed (500)');
  });

  it('imports an outcome CSV and lists each line’s problem when the endpoint refuses it', async () => {
    const api = await openDashboard('en');
    const input = screen.getByLabelText('CSV file to import') as HTMLInputElement;
    const file = new File(
      ['crm,object,record_id,outcome,date\r\nsalesforce,Lead,00Q5g00000AbCdE,won,2026-11-20\r\n'],
      'o.csv',
      {
        type: 'text/csv',
      },
    );
    fireEvent.change(input, { target: { files: [file] } });
    expect((await screen.findByText(/^Imported 3 rows/)).textContent).toBe(
      'Imported 3 rows for 2 leads (1 unchanged)',
    );
    expect(api.importOutcomes.mock.calls[0]![0]).toContain('salesforce,Lead,00Q5g00000AbCdE,won');

    api.importOutcomes.mockRejectedValueOnce({
      kind: 'invalid',
      status: 400,
      reason: { ja: '取り込めません', en: 'Cannot import' },
      body: {
        error: {
          code: 'invalid_outcomes',
          message: { ja: '取り込めません', en: 'Cannot import' },
          problems: [
            {
              path: ['line', 3],
              message: { ja: '結果「maybe」は使えません', en: 'Outcome "maybe" is not known' },
            },
          ],
        },
      },
    });
    fireEvent.change(input, { target: { files: [file] } });
    const alert = await screen.findByText('Fix these lines and import again');
    expect(alert.parentElement!.textContent).toContain('Line 3: Outcome "maybe" is not known');
  });
});
