// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RulesImport } from './RulesImport';

const pick = (content: string) => {
  const input = screen.getByLabelText('ルールファイル（JSON）') as HTMLInputElement;
  fireEvent.change(input, {
    target: { files: [new File([content], 'rules.json', { type: 'application/json' })] },
  });
};

describe('RulesImport', () => {
  afterEach(cleanup);

  it('lists every problem of a refused file in the user language', async () => {
    const importRules = vi.fn(async () => ({
      ok: false as const,
      problems: [{ path: 'threshold.total', message: { ja: '数値を指定してください', en: 'Give a number' } }],
    }));
    render(<RulesImport lang="ja" importRules={importRules} />);
    pick('{"threshold":{"total":"high"}}');
    expect((await screen.findByRole('status')).textContent).toContain(
      'threshold.total: 数値を指定してください',
    );
    expect(importRules).toHaveBeenCalledWith({ threshold: { total: 'high' } });
  });

  it('says a file that is not JSON is not readable, without sending it', async () => {
    const importRules = vi.fn();
    render(<RulesImport lang="ja" importRules={importRules} />);
    pick('{ not json');
    expect((await screen.findByRole('status')).textContent).toBe('JSON として読めません');
    expect(importRules).not.toHaveBeenCalled();
  });
});
