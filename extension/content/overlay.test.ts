// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadView } from '../../lib/lead-view';
import { createOverlay } from './overlay';

const HOUR = 3_600_000;
const handoffAt = Date.parse('2026-11-25T10:00:00+09:00');
const view: LeadView = {
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q5g00000AbCdEFGH',
  company: 'Acme',
  score: 72,
  fit: 40,
  engagement: 32,
  grade: 'A',
  stage: 'mql',
  handoff: { at: handoffAt, reason: 'trigger', label: { ja: 'デモ依頼', en: 'Demo request' } },
  why: [
    { label: { ja: '業種: 製造業', en: 'Industry: manufacturing' }, points: 40, kind: 'fit' },
    { label: { ja: '<b>価格ページ閲覧</b>', en: '<b>Pricing page</b>' }, points: 32, kind: 'engagement' },
  ],
  sla: {
    state: 'running',
    tier: { ja: 'デモ依頼: 1営業時間', en: 'Demo request: 1 business hour' },
    dueAt: handoffAt + HOUR,
    dueIso: '2026-11-25T11:00:00+09:00',
    dueSoonAt: handoffAt + 0.75 * HOUR,
    contactedAt: null,
  },
  rulesVersion: 'default-1',
};

describe('the overlay', () => {
  afterEach(() => document.body.replaceChildren());

  it('carries the documented contract in its host attributes', () => {
    const overlay = createOverlay('panel', 'en');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt + 10 * 60_000);
    expect(overlay.host.tagName).toBe('BATON-LEAD');
    expect({ ...overlay.host.dataset }).toMatchObject({
      crm: 'salesforce',
      object: 'Lead',
      recordId: '00Q5g00000AbCdEFGH',
      score: '72',
      grade: 'A',
      stage: 'mql',
      slaState: 'running',
      slaDue: '2026-11-25T11:00:00+09:00',
    });
  });

  it('moves from running to due soon to overdue as the clock ticks, in words as well as colour', () => {
    const overlay = createOverlay('chip', 'ja');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt + 10 * 60_000);
    const text = () => overlay.host.shadowRoot?.querySelector('.box')?.textContent ?? '';
    expect(text()).toContain('対応期限内');
    expect(text()).toContain('残り 50分00秒');
    overlay.tick(handoffAt + 50 * 60_000);
    expect(overlay.host.dataset.slaState).toBe('due_soon');
    expect(text()).toContain('期限間近');
    overlay.tick(handoffAt + 2 * HOUR + 5 * 60_000);
    expect(overlay.host.dataset.slaState).toBe('overdue');
    expect(text()).toContain('期限超過');
    expect(text()).toContain('1時間5分 超過');
  });

  it('renders explanation labels as text, never as markup', () => {
    const overlay = createOverlay('panel', 'en');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt);
    const root = overlay.host.shadowRoot!;
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('summary')?.textContent).toBe('Why it is an MQL: Demo request');
    expect([...root.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '+40 Industry: manufacturing',
      '+32 <b>Pricing page</b>',
    ]);
  });

  it('shows a met SLA without a countdown', () => {
    const overlay = createOverlay('chip', 'en');
    document.body.append(overlay.host);
    overlay.show(
      { ...view, sla: { ...view.sla, state: 'met', contactedAt: handoffAt + 60_000 } },
      handoffAt + 5 * HOUR,
    );
    expect(overlay.host.dataset.slaState).toBe('met');
    expect(overlay.host.shadowRoot?.querySelector('.box')?.textContent).not.toContain('left');
  });
});
