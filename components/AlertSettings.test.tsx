// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultAlertPrefs } from '../extension/alert-settings';
import { AlertSettings } from './AlertSettings';

describe('AlertSettings', () => {
  afterEach(cleanup);

  it('saves each change at once: kinds switched off, the sound choice and the digest time', async () => {
    const save = vi.fn(async () => {});
    render(<AlertSettings lang="en" initial={defaultAlertPrefs} save={save} />);
    fireEvent.click(screen.getByLabelText('Due soon'));
    fireEvent.click(screen.getByLabelText('Play a sound'));
    fireEvent.change(screen.getByLabelText(/Daily digest time/), { target: { value: '10:30' } });
    expect((await screen.findByRole('status')).textContent).toBe('✓ Saved');
    expect(save).toHaveBeenCalledTimes(3);
    expect(save).toHaveBeenLastCalledWith({
      kinds: { due_soon: false, overdue: true, step: true },
      sound: false,
      digestTime: '10:30',
    });
  });

  it('shows the stored choices, in Japanese', () => {
    render(
      <AlertSettings
        lang="ja"
        initial={{ kinds: { due_soon: true, overdue: true, step: false }, sound: true, digestTime: '08:45' }}
        save={async () => {}}
      />,
    );
    expect((screen.getByLabelText('期限間近') as HTMLInputElement).checked).toBe(true);
    expect(
      (screen.getByLabelText('エスカレーション（マネージャー・マーケティング）') as HTMLInputElement).checked,
    ).toBe(false);
    expect((screen.getByLabelText('通知音を鳴らす') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/まとめて知らせる時刻/) as HTMLInputElement).value).toBe('08:45');
  });
});
