// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedbackForm as FormInfo } from '../lib/messaging';
import { FeedbackForm } from './FeedbackForm';

const form: FormInfo = {
  lead: null,
  reasons: [
    { code: 'no_budget', label: { ja: '予算がない', en: 'No budget' }, appliesTo: ['reject', 'recycle'] },
    { code: 'not_icp', label: { ja: 'ICP の対象外', en: 'Outside the ICP' }, appliesTo: ['reject'] },
    { code: 'bad_timing', label: { ja: '導入時期が先', en: 'Timing too far out' }, appliesTo: ['recycle'] },
  ],
  // A lenient rule for the tests below; the 3-of-4 default has its own test.
  bantMinConfirmed: 1,
  contactMethods: ['phone', 'email', 'meeting', 'other'],
  rulesVersion: 7,
  sent: [],
  syncConfigured: true,
};

describe('FeedbackForm', () => {
  afterEach(cleanup);

  it('refuses an SQL acceptance with 2 of 4 BANT items under a 3-of-4 rule, saying why, and sends 3 of 4', async () => {
    const submit = vi.fn(async () => ({ savedAt: 1 }));
    render(
      <FeedbackForm lang="ja" form={{ ...form, bantMinConfirmed: 3 }} submit={submit} newKey={() => 'k1'} />,
    );
    fireEvent.click(screen.getByLabelText('SQL として受け入れ'));
    fireEvent.change(screen.getByLabelText('予算'), { target: { value: 'yes' } });
    fireEvent.change(screen.getByLabelText('ニーズ'), { target: { value: 'yes' } });
    fireEvent.change(screen.getByLabelText('決裁権'), { target: { value: 'no' } });
    const reason =
      'SQL として受け入れるには BANT の4項目中3項目以上の確認が必要です。確認できたのは2項目（予算・ニーズ）で、未確認は 決裁権・導入時期 です。';
    expect(screen.getByTestId('bant-shortfall').textContent).toBe(reason);
    fireEvent.submit(screen.getByRole('form'));
    expect((await screen.findByRole('alert')).textContent).toBe(reason);
    expect(submit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('導入時期'), { target: { value: 'yes' } });
    expect(screen.queryByTestId('bant-shortfall')).toBeNull();
    fireEvent.submit(screen.getByRole('form'));
    await screen.findByRole('status');
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('offers only the reasons the rule set lists for the chosen verdict, and requires one to reject', async () => {
    const submit = vi.fn(async () => ({ savedAt: 1 }));
    render(<FeedbackForm lang="en" form={form} submit={submit} newKey={() => 'k1'} />);
    fireEvent.click(screen.getByLabelText('Send back to nurture'));
    const reason = screen.getByLabelText('Reason') as HTMLSelectElement;
    expect([...reason.options].map((o) => o.textContent)).toEqual([
      'Choose…',
      'No budget',
      'Timing too far out',
    ]);
    fireEvent.submit(screen.getByRole('form'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Choose a reason to reject or send back to nurture',
    );
    expect(submit).not.toHaveBeenCalled();
  });

  it('sends BANT with an SQL acceptance and says it is saved, keeping the key for a resend until then', async () => {
    const submit = vi.fn(async () => ({ savedAt: 1 }));
    const keys = ['first', 'second'];
    render(<FeedbackForm lang="en" form={form} submit={submit} newKey={() => keys.shift()!} />);
    fireEvent.click(screen.getByLabelText('Accept as SQL'));
    fireEvent.change(screen.getByLabelText('Budget'), { target: { value: 'yes' } });
    fireEvent.change(screen.getByLabelText('Timeframe'), { target: { value: 'within_3_months' } });
    fireEvent.change(screen.getByLabelText('First-contact method'), { target: { value: 'phone' } });
    fireEvent.change(screen.getByLabelText('Lead quality (1 poor – 5 excellent)'), {
      target: { value: '4' },
    });
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: '  <b>予算あり</b>  ' } });
    fireEvent.submit(screen.getByRole('form'));
    expect((await screen.findByRole('status')).textContent).toMatch(/^Saved\./);
    expect(submit).toHaveBeenCalledWith(
      {
        verdict: 'accept_sql',
        bant: {
          budget: 'yes',
          authority: 'unknown',
          need: 'unknown',
          timing: 'unknown',
          timeframe: 'within_3_months',
        },
        contactMethod: 'phone',
        rating: 4,
        comment: '<b>予算あり</b>',
      },
      'first',
    );
  });

  it('says feedback stays in this browser when team sync is not set up, instead of "waiting to send"', async () => {
    const submit = vi.fn(async () => ({ savedAt: 1 }));
    render(
      <FeedbackForm lang="ja" form={{ ...form, syncConfigured: false }} submit={submit} newKey={() => 'k'} />,
    );
    fireEvent.click(screen.getByLabelText('ナーチャリングへ戻す'));
    fireEvent.change(screen.getByLabelText('理由'), { target: { value: 'no_budget' } });
    fireEvent.submit(screen.getByRole('form'));
    const status = (await screen.findByRole('status')).textContent;
    expect(status).toMatch(/^このブラウザーに保存しました。チームとの同期が設定されていないため/);
    expect(status).not.toMatch(/エンドポイント|送信待ち/);
  });

  it('shows the worker’s refusal and names the rules version in Japanese', async () => {
    render(
      <FeedbackForm
        lang="ja"
        form={form}
        submit={() => Promise.reject(new Error('理由コードが不正です'))}
        newKey={() => 'k'}
      />,
    );
    expect(screen.getByText('MQL 判定に使われたルール: v7')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('担当者違い'));
    fireEvent.submit(screen.getByRole('form'));
    expect((await screen.findByRole('alert')).textContent).toBe('理由コードが不正です');
  });
});
