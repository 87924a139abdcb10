// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../lib/messaging';
import { LeadQueue } from './LeadQueue';
import { SyncFooter } from './SyncFooter';

const now = Date.parse('2026-11-25T10:00:00+09:00');
const item = (recordId: string, dueIn: number | null, extra: Partial<QueueItem> = {}): QueueItem => ({
  key: `salesforce:Lead:${recordId}`,
  crm: 'salesforce',
  object: 'Lead',
  recordId,
  label: `Company ${recordId}`,
  url: `https://acme.lightning.force.com/lightning/r/Lead/${recordId}/view`,
  stage: 'mql',
  sla: {
    state: dueIn === null ? 'none' : 'running',
    tierId: null,
    tier: null,
    dueAt: dueIn === null ? null : now + dueIn,
    dueIso:
      dueIn === null ? null : new Date(now + dueIn + 9 * 3_600_000).toISOString().replace('Z', '+09:00'),
    dueSoonAt: null,
    contactedAt: null,
    ladder: [],
  },
  handoffAt: dueIn === null ? null : now - 3_600_000,
  awaitingFeedback: dueIn !== null,
  source: 'seen',
  ...extra,
});

describe('LeadQueue', () => {
  afterEach(cleanup);

  it('shows each lead’s state in words with its countdown and a link into the CRM', () => {
    render(<LeadQueue lang="en" items={[item('A', -90_000), item('B', 30 * 60_000)]} now={() => now} />);
    const [a, b] = screen.getAllByRole('listitem');
    // 10:00 in Tokyo: A was due at 09:58:30 (overdue says how late), B is due at 10:30 today.
    expect(a!.textContent).toContain('Overdue · 1m 30s late');
    expect(b!.textContent).toContain('On time · by 10:30 · 30m 00s left');
    expect(within(a!).getByRole('link').getAttribute('href')).toBe(
      'https://acme.lightning.force.com/lightning/r/Lead/A/view',
    );
  });

  it('tells leads of one company apart by name, names the CRM as people do, and gives the deadline as a clock time', () => {
    render(
      <LeadQueue
        lang="ja"
        items={[
          item('A', 60_000, { name: '山田 太郎', company: '株式会社ABC' }),
          item('B', 120_000, { name: '佐藤 花子', company: '株式会社ABC' }),
        ]}
        now={() => now}
      />,
    );
    const links = screen.getAllByRole('link').map((a) => a.textContent);
    expect(links).toEqual(['山田 太郎 — 株式会社ABC', '佐藤 花子 — 株式会社ABC']);
    const first = screen.getAllByRole('listitem')[0]!.textContent;
    expect(first).toContain('· Salesforce');
    expect(first).not.toContain('(salesforce)');
    expect(first).toContain('10:01 まで · あと 1分00秒');
  });

  it('filters overdue, due today and awaiting feedback, with counts', () => {
    const items = [
      item('A', -60_000),
      item('B', 2 * 3_600_000),
      item('C', 5 * 24 * 3_600_000),
      item('D', null),
      item('E', 60_000, { awaitingFeedback: false }),
    ];
    render(<LeadQueue lang="en" items={items} now={() => now} />);
    const ids = () => screen.getAllByRole('listitem').map((li) => li.dataset.recordId);
    fireEvent.click(screen.getByLabelText('Overdue (1)'));
    expect(ids()).toEqual(['A']);
    fireEvent.click(screen.getByLabelText('Due today (3)'));
    expect(ids()).toEqual(['A', 'B', 'E']);
    fireEvent.click(screen.getByLabelText('Awaiting feedback (3)'));
    expect(ids()).toEqual(['A', 'B', 'C']);
  });
});

describe('SyncFooter', () => {
  afterEach(cleanup);

  it('says which rules are in force, what waits and the last error, and that an invalid set was refused', () => {
    render(
      <SyncFooter
        lang="en"
        state={{
          configured: true,
          managed: true,
          rules: { id: 'team-2026-b', number: 2, source: 'endpoint', receivedAt: now },
          rulesRefused: {
            version: 3,
            at: now,
            problems: [{ path: 'threshold', message: { ja: '数値です', en: 'Give a number' } }],
          },
          waiting: 4,
          refused: [
            {
              idempotencyKey: 'k',
              type: 'feedback',
              leadKey: 'salesforce:Lead:A',
              at: now,
              reason: { ja: '拒否', en: 'The endpoint refused the request (422)' },
            },
          ],
          lastSuccessAt: null,
          lastError: { at: now, reason: { ja: '接続できません', en: 'Cannot reach the endpoint' } },
          nextAttemptAt: null,
        }}
      />,
    );
    expect(screen.getByTestId('rules-in-force').textContent).toBe('team-2026-b (from the team v2)');
    expect(screen.getByTestId('events-waiting').textContent).toBe('4');
    expect(screen.getByTestId('last-error').textContent).toMatch(/^Cannot reach the endpoint/);
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts[0]).toContain('The team’s rule set v3 is invalid and was not applied');
    expect(alerts[0]).toContain('threshold: Give a number');
    expect(alerts[1]).toContain('feedback · salesforce:Lead:A · The endpoint refused the request (422)');
    expect(screen.getByText('set by your administrator (locked)')).toBeTruthy();
  });
});
