// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checklist } from '../../lib/checklist';
import { defaultRuleSet } from '../../lib/rules';
import { ChecklistView } from './ChecklistView';

const items = checklist(defaultRuleSet, {
  endpointConfigured: true,
  agreement: null,
  now: Date.parse('2026-11-25T10:00:00+09:00'),
});

describe('ChecklistView', () => {
  afterEach(cleanup);

  it('offers to record a default as decided for each item unmet only because it is the default', () => {
    const confirm = vi.fn();
    render(<ChecklistView lang="en" items={items} go={() => {}} confirm={confirm} />);
    // 14 of 15 items are Baton's defaults; the agreement (13) is decided by signatures, not here.
    const buttons = screen.getAllByRole('button', { name: 'Record the default as decided in the draft' });
    expect(buttons).toHaveLength(14);
    fireEvent.click(buttons[3]!);
    expect(confirm).toHaveBeenCalledWith(4);
  });

  it('offers nothing to record when read-only', () => {
    render(<ChecklistView lang="en" items={items} go={() => {}} />);
    expect(screen.queryAllByRole('button', { name: 'Record the default as decided in the draft' })).toEqual(
      [],
    );
  });
});
