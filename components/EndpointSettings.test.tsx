// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EndpointSettings } from './EndpointSettings';

const initial = { url: '', token: '', repName: '' };

describe('EndpointSettings', () => {
  afterEach(cleanup);

  it('asks for the endpoint origin’s permission on click and reports the test result in words', async () => {
    const allowAccess = vi.fn(async () => true);
    const test = vi.fn(async () => ({
      ok: false,
      kind: 'forbidden' as const,
      reason: { ja: '権限がありません（403）', en: "This token's role may not do that (403)" },
    }));
    render(
      <EndpointSettings
        lang="en"
        initial={initial}
        managedUrl={null}
        save={async () => ({ ok: true })}
        allowAccess={allowAccess}
        test={test}
      />,
    );
    fireEvent.change(screen.getByLabelText('Endpoint URL'), {
      target: { value: 'https://baton.example.co.jp' },
    });
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Allow access' }));
    expect((await screen.findByRole('status')).textContent).toBe('✓ Baton may reach this endpoint');
    expect(allowAccess).toHaveBeenCalledWith('https://baton.example.co.jp');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByRole('alert')).textContent).toBe("✗ This token's role may not do that (403)");
    expect(test).toHaveBeenCalledWith('https://baton.example.co.jp', 'secret');
  });

  it('shows a policy-set endpoint locked, with no token field', () => {
    render(
      <EndpointSettings
        lang="ja"
        initial={initial}
        managedUrl="https://baton.corp.example"
        save={async () => ({ ok: true })}
        allowAccess={async () => true}
        test={async () => ({ ok: true, kind: 'ok', reason: { ja: '接続できました', en: 'Connected' } })}
      />,
    );
    const url = screen.getByLabelText('エンドポイントの URL') as HTMLInputElement;
    expect(url.readOnly).toBe(true);
    expect(url.value).toBe('https://baton.corp.example');
    expect(screen.queryByLabelText('トークン')).toBeNull();
    expect(screen.getByRole('note').textContent).toContain('管理者がポリシーで設定');
  });
});
