// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeenLead } from '../lib/messaging';
import { RecentLeads } from './RecentLeads';

const lead: SeenLead = {
  crm: 'hubspot',
  object: '0-1',
  recordId: '51',
  company: '<img src=x onerror=alert(1)>株式会社アクメ',
  firstSeenAt: 1,
  lastSeenAt: 2,
  timesSeen: 1,
};

describe('RecentLeads', () => {
  afterEach(cleanup);

  it('lists leads in Japanese, rendering page text as text', async () => {
    render(<RecentLeads lang="ja" load={async () => [lead]} />);
    const item = await screen.findByRole('listitem');
    expect(item.textContent).toBe('<img src=x onerror=alert(1)>株式会社アクメ (hubspot)');
    expect(item.querySelector('img')).toBeNull();
    expect(screen.getByRole('heading').textContent).toBe('最近見たリード');
  });

  it('says so when there is nothing yet, and when loading failed', async () => {
    render(<RecentLeads lang="en" load={async () => []} />);
    expect(await screen.findByText(/No leads seen yet/)).toBeTruthy();
    cleanup();
    render(<RecentLeads lang="en" load={() => Promise.reject(new Error('worker asleep'))} />);
    expect((await screen.findByRole('alert')).textContent).toContain('worker asleep');
  });
});
