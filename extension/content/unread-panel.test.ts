// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueItem } from '../../lib/messaging';
import { createUnreadPanel } from './unread-panel';

const key = { crm: 'zoho', object: 'Leads', recordId: '4451230000000499777' } as const;
const handoffAt = Date.parse('2026-11-25T10:00:00+09:00');
const known: QueueItem = {
  ...key,
  key: 'zoho:Leads:4451230000000499777',
  label: '森田工業株式会社',
  stage: 'mql',
  sla: {
    state: 'running',
    tierId: 'document_request',
    tier: { ja: '資料請求: 24時間', en: 'Document request: 24 hours' },
    dueAt: handoffAt + 86_400_000,
    dueIso: '2026-11-26T10:00:00+09:00',
    dueSoonAt: handoffAt + 80_000_000,
    contactedAt: null,
    ladder: [],
  },
  handoffAt,
  awaitingFeedback: true,
  source: 'team',
};

describe('the panel of a record that cannot be read', () => {
  afterEach(() => document.body.replaceChildren());

  it('says so in Japanese, shows the team state and no score, and reports without values', async () => {
    const copy = vi.fn(async () => {});
    const report = () => ({
      subject: 'Baton: Zoho CRM のレコード画面を読み取れません',
      body: 'CRM: Zoho CRM',
    });
    const panel = createUnreadPanel('ja', report, copy);
    document.body.append(panel.host);
    panel.show(key, known, handoffAt + 3_600_000);
    const text = panel.host.shadowRoot!.textContent!;
    expect(text).toContain('Baton: この画面の項目を読み取れませんでした');
    expect(text).toContain('スコアとランクは不明です（0点ではありません）。');
    expect(text).toContain('チームの情報: ');
    // Tomorrow (Thu 26th) at 10:00 JST, 23 hours from now: the clock time as everywhere else.
    expect(text).toContain('11月26日(木) 10:00 まで · あと 23時間');
    expect(panel.host.dataset).toMatchObject({ read: 'none', recordId: key.recordId, stage: 'mql' });
    expect(panel.host.dataset.score).toBeUndefined();
    (panel.host.shadowRoot!.querySelector('button[data-action="report"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(panel.host.shadowRoot!.textContent).toContain('報告をコピーしました'));
    expect(copy).toHaveBeenCalledWith('Baton: Zoho CRM のレコード画面を読み取れません\n\nCRM: Zoho CRM');
  });

  it('says the team has no record of the lead when nothing is known, and shows the text when copying fails', async () => {
    const panel = createUnreadPanel(
      'en',
      () => ({ subject: 's', body: 'b' }),
      async () => {
        throw new Error('denied');
      },
    );
    document.body.append(panel.host);
    panel.show(key, null, handoffAt);
    expect(panel.host.shadowRoot!.textContent).toContain('The team has no record of this lead yet.');
    (panel.host.shadowRoot!.querySelector('button[data-action="report"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(panel.host.shadowRoot!.querySelector('details')!.open).toBe(true));
    expect(panel.host.shadowRoot!.textContent).toContain('Could not copy');
  });
});
