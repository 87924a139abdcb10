// @vitest-environment happy-dom
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role, RuleVersion } from '../../lib/events';
import type { PreviewLead } from '../../lib/preview';
import { defaultRuleSet, type RuleSet } from '../../lib/rules';
import { Console } from './Console';
import type { ConsoleApi } from './console-api';
import { ruleHistory, ruleVersion as version } from './fixture';

const now = Date.parse('2026-11-25T10:00:00+09:00');

/** 57 points under the default rules: an MQL once the threshold is 55. */
const nearThreshold: PreviewLead = {
  snapshot: {
    crm: 'salesforce',
    object: 'Lead',
    recordId: '00Q000000000001AAA',
    fields: { company: '株式会社ニアミス', industry: 'ソフトウェア', employees: '300', title: '営業部長' },
    activities: [
      { type: 'form_submit', title: 'お問い合わせ', at: '2026-11-25T09:00:00+09:00' },
      { type: 'web_visit', url: 'https://example.co.jp/', at: '2026-11-25T09:10:00+09:00' },
    ],
  },
};

const NAMES: Record<Role, string> = {
  rep: '山田 太郎',
  manager: '高橋 健',
  marketer: '佐藤 花子',
  admin: '鈴木 一郎',
  intake: 'kintone',
};

/**
 * An endpoint in memory: the active rules, the history, and whoever the token is. `knowsRole: false` is
 * an endpoint that cannot answer /v1/me, so only its 403 tells the console what the token may not do.
 */
function fakeApi(
  role: Role = 'marketer',
  { knowsRole = true, versions = [version(1)] }: { knowsRole?: boolean; versions?: RuleVersion[] } = {},
) {
  const refuse = () =>
    Promise.reject({
      kind: 'forbidden',
      status: 403,
      reason: {
        ja: 'この操作は marketer・manager・admin の権限が必要です（あなたの権限: rep）',
        en: 'This needs the role marketer, manager, admin (your role: rep)',
      },
    });
  const api = {
    ...ruleHistory(versions),
    me: vi.fn(async () => {
      if (!knowsRole)
        throw { kind: 'server', status: 404, reason: { ja: 'そのパスはありません', en: 'No such path' } };
      return { role, name: NAMES[role], tokenId: `demo${role}` };
    }),
    propose: vi.fn(async (rules: RuleSet, note: string) => {
      if (role === 'rep') return refuse();
      const draft = version(versions.length + 1, {
        status: 'draft',
        note,
        createdBy: { name: '佐藤 花子', role: 'marketer' },
        activatedAt: null,
        activation: null,
        rules,
      });
      versions.push(draft);
      return draft;
    }),
    signOff: vi.fn(async (v: number) => {
      const draft = versions.find((x) => x.version === v)!;
      draft.signoffs.push({
        side: 'marketing',
        by: { name: '佐藤 花子', role: 'marketer' },
        at: '2026-11-25T01:00:00.000Z',
        comment: null,
      });
      return draft;
    }),
    rollback: vi.fn(async () => refuse()),
    sampleLeads: vi.fn(async () => [nearThreshold]),
    // The dashboard has its own tests (Dashboard.test.tsx); here it must never be asked.
    kpis: vi.fn(async () => {
      throw new Error('the console tests do not open the dashboard');
    }),
    whatIf: vi.fn(async () => {
      throw new Error('the console tests do not open the dashboard');
    }),
    scoringReview: vi.fn(async () => {
      throw new Error('the console tests do not open the dashboard');
    }),
    importOutcomes: vi.fn(async () => {
      throw new Error('the console tests do not open the dashboard');
    }),
    now: () => now,
  } satisfies ConsoleApi;
  return api;
}

async function ready(lang: 'ja' | 'en' = 'en', api = fakeApi(), hash = '') {
  render(<Console lang={lang} api={api} initialHash={hash} />);
  await screen.findByLabelText(lang === 'en' ? 'Total threshold' : '合計の閾値');
  return api;
}

/** A retired version 1, the active version 2, and version 3 awaiting sign-off. */
function history(): RuleVersion[] {
  return [
    version(1, { status: 'retired' }),
    version(2),
    version(3, { status: 'draft', activatedAt: null, activation: null, note: 'しきい値を見直し' }),
  ];
}

const enabled = (button: HTMLElement) => !(button as HTMLButtonElement).disabled;

// Rendering the whole rule-set form takes a second or more on a busy two-core machine.
configure({ asyncUtilTimeout: 10_000 });

describe('Console', { timeout: 60_000 }, () => {
  afterEach(cleanup);

  it('previews the changed MQLs when the threshold is lowered', async () => {
    await ready();
    expect((await screen.findByTestId('mql-count')).textContent).toBe('0 → 0');
    fireEvent.change(screen.getByLabelText('Total threshold'), { target: { value: '55' } });
    await waitFor(() => expect(screen.getByTestId('mql-count').textContent).toBe('0 → 1 (+1)'));
    const row = screen.getByRole('row', { name: /株式会社ニアミス/ });
    expect(row.getAttribute('data-change')).toBe('became_mql');
    expect(within(row).getByText(/Becomes MQL/)).toBeTruthy();
  });

  it('proposes the draft with its readable diff as the summary, then signs it off', async () => {
    const api = await ready();
    fireEvent.change(screen.getByLabelText('Total threshold'), { target: { value: '55' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Agreement' }));
    const diff = screen.getByRole('list', { name: 'Changes from the active rules' });
    expect(diff.textContent).toBe('Changed Threshold 60 → 55');
    expect((screen.getByLabelText('Change summary') as HTMLTextAreaElement).value).toBe(
      '- Threshold 60 → 55',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Propose for sign-off' }));
    expect(await screen.findByText('Proposed as version 2')).toBeTruthy();
    expect(api.propose.mock.calls[0]![0].threshold.total).toBe(55);
    expect(api.propose.mock.calls[0]![1]).toBe('- Threshold 60 → 55');

    const pending = await screen.findByRole('article', { name: 'Version 2' });
    expect(within(pending).getByText('not signed yet', { selector: '[data-side="marketing"]' })).toBeTruthy();
    fireEvent.change(within(pending).getByLabelText('Sign-off comment (optional)'), {
      target: { value: 'OK' },
    });
    fireEvent.click(within(pending).getByRole('button', { name: 'Sign off version 2' }));
    expect(await screen.findByText('Signed off version 2')).toBeTruthy();
    expect(api.signOff).toHaveBeenCalledWith(2, 'OK');
  });

  it('shows the signed-in role and leaves a marketer every write action', async () => {
    await ready('en', fakeApi('marketer', { versions: history() }));
    expect(screen.getByText('Signed in as: 佐藤 花子 · marketer')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Total threshold'), { target: { value: '55' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Agreement' }));
    expect(screen.queryByRole('note')).toBeNull();
    expect(enabled(screen.getByRole('button', { name: 'Propose for sign-off' }))).toBe(true);
    expect(enabled(screen.getByRole('button', { name: 'Sign off version 3' }))).toBe(true);
    expect(enabled(screen.getByRole('button', { name: 'Roll back to this version (1)' }))).toBe(true);
  });

  it('disables a rep token’s write actions up front and says why, in Japanese', async () => {
    const api = await ready('ja', fakeApi('rep', { versions: history() }));
    expect(
      screen.getByText('サインイン中: 山田 太郎 · 営業担当 · このトークンでは閲覧とプレビューのみできます'),
    ).toBeTruthy();
    fireEvent.change(screen.getByLabelText('合計の閾値'), { target: { value: '55' } });
    fireEvent.click(screen.getByRole('tab', { name: '合意' }));
    const notes = screen.getAllByRole('note');
    expect(notes.map((n) => n.textContent)).toEqual([
      '営業担当のトークンではルールの提案・承認・ロールバックはできません。マーケティング担当またはマネージャーのトークンを使ってください',
    ]);
    const buttons = [
      screen.getByRole('button', { name: '承認を依頼する' }),
      screen.getByRole('button', { name: 'バージョン 3 を承認' }),
      screen.getByRole('button', { name: 'このバージョンに戻す (1)' }),
    ];
    for (const button of buttons) {
      expect(enabled(button), button.textContent!).toBe(false);
      expect(button.getAttribute('aria-describedby')).toBe(notes[0]!.id);
      fireEvent.click(button);
    }
    expect(api.propose).not.toHaveBeenCalled();
    expect(api.signOff).not.toHaveBeenCalled();
    expect(api.rollback).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lets an admin propose and roll back but not sign, saying why', async () => {
    await ready('en', fakeApi('admin', { versions: history() }));
    expect(screen.getByText('Signed in as: 鈴木 一郎 · administrator')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Total threshold'), { target: { value: '55' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Agreement' }));
    const note = screen.getByRole('note');
    expect(note.textContent).toBe(
      'An admin does not sign off: the SLA is signed by a marketer for marketing and a manager for sales',
    );
    const signOff = screen.getByRole('button', { name: 'Sign off version 3' });
    expect(enabled(signOff)).toBe(false);
    expect(signOff.getAttribute('aria-describedby')).toBe(note.id);
    expect(enabled(screen.getByRole('button', { name: 'Propose for sign-off' }))).toBe(true);
    expect(enabled(screen.getByRole('button', { name: 'Roll back to this version (1)' }))).toBe(true);
  });

  it('still explains the endpoint’s refusal in Japanese when the endpoint could not say the role', async () => {
    await ready('ja', fakeApi('rep', { knowsRole: false }));
    expect(screen.queryByText(/サインイン中/)).toBeNull();
    fireEvent.change(screen.getByLabelText('合計の閾値'), { target: { value: '55' } });
    fireEvent.click(screen.getByRole('tab', { name: '合意' }));
    fireEvent.click(screen.getByRole('button', { name: '承認を依頼する' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'エンドポイントが拒否しました: この操作は marketer・manager・admin の権限が必要です（あなたの権限: rep）',
    );
    expect(alert.textContent).toContain('営業担当のトークンではルールの提案・承認・ロールバックはできません');
  });

  it('switches the token it acts with', async () => {
    const api = await ready();
    fireEvent.change(screen.getByLabelText('Token this console acts with'), {
      target: { value: ' baton_mgr_x ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Use this token' }));
    expect(api.actWith).toHaveBeenCalledWith('baton_mgr_x');
    expect(await screen.findByText(/Switched token/)).toBeTruthy();
  });

  it('moves between tabs with the arrow keys', async () => {
    await ready();
    const rules = screen.getByRole('tab', { name: 'Rules' });
    fireEvent.keyDown(rules, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Agreement' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Agreement' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'SLA document' }).getAttribute('aria-selected')).toBe('true');
  });

  it('lists the checklist with reasons, and a link takes the user to the section that sets it', async () => {
    await ready('en', fakeApi(), '#checklist');
    const item = screen.getByRole('listitem', { name: /1\. MQL definition documented/ });
    expect(item.textContent).toContain('✗ Not met');
    expect(item.textContent).toContain("Still Baton's default wording");
    const agreed = screen.getByRole('listitem', { name: /13\. SLA agreed/ });
    expect(agreed.textContent).toContain('seeded default');
    fireEvent.click(within(item).getByRole('button', { name: 'Set it in: Rules › Name and definitions' }));
    expect(screen.getByRole('tab', { name: 'Rules' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(document.activeElement?.id).toBe('rules-definitions'));
  });

  it('shows a due review and the printable SLA document', async () => {
    const api = fakeApi();
    api.active.mockResolvedValue({
      rules: defaultRuleSet,
      version: 1,
      activatedAt: '2026-09-01T00:00:00.000Z',
      source: 'endpoint',
    });
    await ready('en', api);
    expect(screen.getByText(/The review meeting with sales is due/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'SLA document' }));
    const doc = screen.getByRole('article', { name: 'Service level agreement between marketing and sales' });
    expect(doc.textContent).toContain('60 points or more (fit at least 20, engagement at least 10)');
    expect(doc.textContent).toContain('Hot lead (demo request, pricing page): 1 business hour');
    expect(doc.textContent).toContain('Review meeting: monthly');
  });
});
