// @vitest-environment happy-dom
import { cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WhatIfQuery, WhatIfReport } from '../../../lib/kpi/types';
import { whatIf as replay } from '../../../lib/kpi/whatif';
import { defaultRuleSet, type RuleSet } from '../../../lib/rules';
import { WhatIf } from './WhatIf';

configure({ asyncUtilTimeout: 10_000 });
afterEach(cleanup);

/** Handoffs by score 60–90, the lowest 60: every one at 60, 70 or 80 is on record. */
const leads = [60, 62, 65, 70, 75, 80, 85, 90].map((score, i) => ({
  score,
  fit: 30,
  engagement: score - 30,
  reason: 'threshold' as const,
  verdict: i % 3 === 0 ? ('accept_sql' as const) : ('reject' as const),
  handoffAt: 0,
  explanation: null,
  rulesVersion: 1,
}));

/** The endpoint as lib/kpi answers it, judged by `active`'s threshold. */
function endpoint(active: () => RuleSet) {
  return vi.fn(
    async (query: WhatIfQuery): Promise<WhatIfReport> =>
      replay(leads, {
        query,
        threshold: query.threshold ?? active().threshold.total,
        currentThreshold: active().threshold.total,
        target: active().conversionTarget,
        weeks: 4,
      }),
  );
}

const props = (whatIf: ReturnType<typeof endpoint>, activeRules: RuleSet) => ({
  lang: 'en' as const,
  whatIf,
  version: vi.fn(),
  query: { from: '2026-11-01', to: '2026-12-01' },
  period: { from: '2026-11-01', until: '2026-11-30' },
  activeRules,
  drafts: [],
  refusal: undefined,
  proposeDraft: vi.fn(),
});

const cells = (point: string) =>
  [...document.querySelectorAll(`td[data-point="${point}"]`)].map((td) => td.textContent);

describe('WhatIf', () => {
  it('refuses 45 and 50 below the lowest recorded score, saying why, instead of the figures of 60', async () => {
    const rules = defaultRuleSet;
    const whatIf = endpoint(() => rules);
    render(<WhatIf {...props(whatIf, rules)} />);
    await waitFor(() => expect(cells('current').length).toBeGreaterThan(0));
    for (const threshold of ['45', '50']) {
      fireEvent.change(screen.getByLabelText('Threshold to try (total points)'), {
        target: { value: threshold },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Predict' }));
      await waitFor(() =>
        expect(screen.getByRole('alert').textContent).toBe(
          `Threshold ${threshold} is outside the recorded range, so it is not predicted: the lowest score handed over by score was 60, and nothing records how leads below it would convert. Try 60 or more`,
        ),
      );
      // No column of figures for the refused threshold, so no "Yes" for the target band either.
      expect(cells('entered')).toEqual([]);
      expect(document.querySelector('th[data-point="entered"]')).toBeNull();
      // Nor offered as a draft beside the refusal.
      expect(
        screen.queryByRole('button', { name: `Create a draft with this threshold: ${threshold}` }),
      ).toBeNull();
    }
  });

  it('takes "current" from the version that went live, not the one it opened with', async () => {
    let live: RuleSet = defaultRuleSet;
    const whatIf = endpoint(() => live);
    const { rerender } = render(<WhatIf {...props(whatIf, live)} />);
    await waitFor(() => expect(cells('current')[0]).toBe('60'));
    live = { ...defaultRuleSet, threshold: { ...defaultRuleSet.threshold, total: 70 } };
    rerender(<WhatIf {...props(whatIf, live)} />);
    await waitFor(() => expect(whatIf).toHaveBeenLastCalledWith(expect.objectContaining({ threshold: 70 })));
    await waitFor(() => expect(cells('current')[0]).toBe('70'));
    expect(screen.getByText('Current: 70')).toBeTruthy();
    expect((screen.getByLabelText('Threshold to try (total points)') as HTMLInputElement).value).toBe('70');
    // Nothing was entered: the table compares the live threshold only (and the suggestion).
    expect(cells('entered')).toEqual([]);
  });
});
