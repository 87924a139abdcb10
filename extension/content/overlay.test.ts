// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type LeadView, NO_SLA } from '../../lib/lead-view';
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
    tierId: 'hot',
    tier: { ja: 'デモ依頼: 1営業時間', en: 'Demo request: 1 business hour' },
    dueAt: handoffAt + HOUR,
    dueIso: '2026-11-25T11:00:00+09:00',
    dueSoonAt: handoffAt + 0.75 * HOUR,
    contactedAt: null,
    ladder: [],
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

  it('splits the score into fit and engagement in the reader’s language', () => {
    for (const [lang, words] of [
      ['ja', ['スコア 72', '属性', '行動']],
      ['en', ['Score 72', 'fit', 'engagement']],
    ] as const) {
      const overlay = createOverlay('panel', lang);
      overlay.show(view, handoffAt + 10 * 60_000);
      const title = overlay.host.shadowRoot!.querySelector('[title]')!.getAttribute('title')!;
      for (const word of words) expect(title, lang).toContain(word);
    }
  });

  it('moves from running to due soon to overdue as the clock ticks, in words as well as colour', () => {
    const overlay = createOverlay('chip', 'ja');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt + 10 * 60_000);
    const text = () => overlay.host.shadowRoot?.querySelector('.box')?.textContent ?? '';
    expect(text()).toContain('対応期限内');
    expect(text()).toContain('11:00 まで · あと 50分00秒');
    overlay.tick(handoffAt + 50 * 60_000);
    expect(overlay.host.dataset.slaState).toBe('due_soon');
    expect(text()).toContain('期限間近');
    overlay.tick(handoffAt + 2 * HOUR + 5 * 60_000);
    expect(overlay.host.dataset.slaState).toBe('overdue');
    expect(text()).toContain('期限超過');
    expect(text()).toContain('期限超過 · 1時間5分遅れ');
  });

  it('renders explanation labels as text, never as markup', () => {
    const overlay = createOverlay('panel', 'en');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt);
    const root = overlay.host.shadowRoot!;
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('[data-action="why"]')?.textContent).toBe('Why it is an MQL: Demo request');
    expect([...root.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '+40 Industry: manufacturing',
      '+32 <b>Pricing page</b>',
    ]);
  });

  it('opens and closes the score’s reasons from its button, saying which it is', () => {
    const overlay = createOverlay('panel', 'en');
    document.body.append(overlay.host);
    overlay.show(view, handoffAt);
    const root = overlay.host.shadowRoot!;
    const toggle = root.querySelector<HTMLButtonElement>('[data-action="why"]')!;
    const list = root.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect([toggle.getAttribute('aria-expanded'), list.hidden]).toEqual(['false', true]);
    toggle.click();
    expect([toggle.getAttribute('aria-expanded'), list.hidden]).toEqual(['true', false]);
    toggle.click();
    expect([toggle.getAttribute('aria-expanded'), list.hidden]).toEqual(['false', true]);
  });

  it('names the exclusion rule that keeps a lead from being handed over', () => {
    const overlay = createOverlay('panel', 'ja');
    document.body.append(overlay.host);
    overlay.show(
      {
        ...view,
        handoff: null,
        excludedBy: { ja: '競合企業', en: 'Competitor' },
        sla: { ...view.sla, state: 'none', dueAt: null, dueIso: null, dueSoonAt: null },
      },
      handoffAt,
    );
    expect(overlay.host.shadowRoot!.querySelector('[data-action="why"]')?.textContent).toBe(
      '除外ルールにより引き渡し対象外: 競合企業',
    );
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

describe('the panel’s actions', () => {
  afterEach(() => document.body.replaceChildren());

  it('marks contacted in one click and shows the stopped clock, and frames the feedback page on demand', async () => {
    const contacted = {
      ...view,
      sla: { ...view.sla, state: 'met' as const, contactedAt: handoffAt + 20 * 60_000 },
    };
    const calls: string[] = [];
    const overlay = createOverlay('panel', 'en', {
      contacted: async (v) => {
        calls.push(v.recordId);
        return contacted;
      },
      feedbackUrl: (v, lang) => `chrome-extension://id/feedback.html?recordId=${v.recordId}&lang=${lang}`,
      now: () => handoffAt + 20 * 60_000,
    });
    document.body.append(overlay.host);
    overlay.show(view, handoffAt + 10 * 60_000);
    const root = overlay.host.shadowRoot!;
    const mark = root.querySelector<HTMLButtonElement>('button[data-action="contacted"]')!;
    expect(mark.textContent).toBe('Mark contacted');
    mark.click();
    await new Promise((done) => setTimeout(done, 0));
    expect(calls).toEqual([view.recordId]);
    expect(overlay.host.dataset.slaState).toBe('met');
    expect(root.querySelector('button[data-action="contacted"]')).toBeNull();
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Contacted (saved)');
    // A re-render right after (the team's news, new rules) keeps the confirmation, announced only once.
    overlay.show(contacted, handoffAt + 21 * 60_000);
    expect(root.querySelector('.actions')?.textContent).toContain('Contacted (saved)');
    expect(root.querySelector('[role="status"]')).toBeNull();

    const toggle = root.querySelector<HTMLButtonElement>('button[data-action="feedback"]')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    const frame = root.querySelector('iframe')!;
    expect(frame.getAttribute('src')).toBe(
      `chrome-extension://id/feedback.html?recordId=${view.recordId}&lang=en`,
    );
    expect(frame.title).toBe('Baton lead feedback form');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    toggle.click();
    expect(root.querySelector('iframe')).toBeNull();
  });

  it('folds the docked panel to its first line, in words, and opens the next record folded the same way', () => {
    const first = createOverlay('panel', 'en');
    document.body.append(first.host);
    first.show(view, handoffAt);
    const root = first.host.shadowRoot!;
    const fold = root.querySelector<HTMLButtonElement>('button[data-action="fold"]')!;
    expect([fold.textContent, fold.getAttribute('aria-expanded')]).toEqual(['Hide details', 'true']);
    const box = root.querySelector('.box')!;
    const folding = [...box.children].filter((node) => node.classList.contains('more'));
    // Owner/next step, the explanation: everything under the first line folds, nothing of that line does.
    expect(folding.some((node) => node.classList.contains('why'))).toBe(true);
    expect(root.querySelector('.sla')!.classList.contains('more')).toBe(false);
    expect(box.getAttribute('role')).toBe('complementary');
    fold.click();
    expect(box.classList.contains('minimised')).toBe(true);
    expect([fold.textContent, fold.getAttribute('aria-expanded')]).toEqual(['Show details', 'false']);

    const next = createOverlay('panel', 'ja');
    next.show({ ...view, recordId: '00Q5g00000ZzZzZZZZ' }, handoffAt);
    const nextFold = next.host.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="fold"]')!;
    expect([nextFold.textContent, nextFold.getAttribute('aria-expanded')]).toEqual(['詳細を表示', 'false']);
    nextFold.click();
    expect(next.host.shadowRoot!.querySelector('.box')!.classList.contains('minimised')).toBe(false);
    expect(nextFold.textContent).toBe('詳細を隠す');
  });

  it('offers no actions on a chip', () => {
    const overlay = createOverlay('chip', 'en');
    overlay.show(view, handoffAt);
    expect(overlay.host.shadowRoot!.querySelector('button')).toBeNull();
  });

  describe('a lead whose record page was never read (unknown is not zero)', () => {
    const listOnly: LeadView = {
      ...view,
      score: 0,
      fit: 0,
      engagement: 0,
      grade: 'D',
      stage: 'new',
      handoff: null,
      why: [],
      sla: NO_SLA,
      partial: true,
    };

    it('says "not read yet" with an empty data-score, never "0 D New · No SLA"', () => {
      for (const [lang, text] of [
        ['en', 'Not read yet'],
        ['ja', '未読み取り'],
      ] as const) {
        const chip = createOverlay('chip', lang);
        document.body.append(chip.host);
        chip.show(listOnly, handoffAt);
        const shown = chip.host.shadowRoot!.textContent!.trim();
        expect(shown).toBe(text);
        expect(shown).not.toMatch(/\b0\b|No SLA|SLA対象外|New|新規/);
        expect(chip.host.dataset.score).toBe('');
        expect(chip.host.dataset.grade).toBe('');
        expect(chip.host.dataset.partial).toBe('true');
        // The state attribute stays, for styles and scripts, though no SLA is said in words.
        expect(chip.host.dataset.slaState).toBe('none');
      }
    });

    it('marks a score from the list’s columns as partial, without a grade', () => {
      const chip = createOverlay('chip', 'en');
      chip.show({ ...listOnly, score: 35, fit: 35 }, handoffAt);
      const shown = chip.host.shadowRoot!.textContent!;
      expect(shown).toContain('35 · partial');
      expect(shown).not.toMatch(/\bD\b/);
      expect(chip.host.dataset.score).toBe('35');
      expect(chip.host.title).toContain('list’s columns only');
      const ja = createOverlay('chip', 'ja');
      ja.show({ ...listOnly, score: 35, fit: 35 }, handoffAt);
      expect(ja.host.shadowRoot!.textContent).toContain('35（一部）');
    });

    it('drops the mark once the whole lead is known', () => {
      const chip = createOverlay('chip', 'en');
      chip.show(listOnly, handoffAt);
      chip.show(view, handoffAt + 60_000);
      expect(chip.host.dataset.partial).toBeUndefined();
      expect(chip.host.dataset.score).toBe('72');
      expect(chip.host.shadowRoot!.textContent).toContain('72 A');
    });
  });

  it('tells the rep who owns the lead, what to do next and the engagement that scored, as text', () => {
    const overlay = createOverlay('panel', 'ja');
    document.body.append(overlay.host);
    overlay.show(
      {
        ...view,
        owner: '田中 太郎',
        contactBy: { ja: '電話・メール送信', en: 'call or email' },
        moments: [
          {
            at: '2026-11-25T09:30:00+09:00',
            label: { ja: 'デモ依頼', en: 'Demo request' },
            title: '<img src=x onerror=alert(1)>',
            points: 30,
          },
          {
            at: '2026-11-24T14:05:00+09:00',
            label: { ja: '料金ページ閲覧', en: 'Pricing page view' },
            points: 12,
          },
        ],
      },
      handoffAt + 10 * 60_000,
    );
    const root = overlay.host.shadowRoot!;
    expect(root.textContent).toContain('担当: 田中 太郎');
    expect(root.querySelector('[data-next]')?.textContent).toBe(
      '次の対応: 初回コンタクト（電話・メール送信）',
    );
    const items = [...root.querySelectorAll('ol.moments li')].map((li) => li.textContent);
    expect(items).toEqual([
      '11/25 09:30 デモ依頼 — <img src=x onerror=alert(1)> (+30)',
      '11/24 14:05 料金ページ閲覧 (+12)',
    ]);
    expect(root.querySelector('img')).toBeNull();
    // In English the date reads as people write it there: day and month name, never "11/25".
    const en = createOverlay('panel', 'en');
    en.show(
      {
        ...view,
        moments: [
          { at: '2026-11-25T09:30:00+09:00', label: { ja: 'デモ依頼', en: 'Demo request' }, points: 30 },
        ],
      },
      handoffAt,
    );
    expect(en.host.shadowRoot!.querySelector('ol.moments li')?.textContent).toBe(
      '25 Nov 09:30 Demo request (+30)',
    );
    expect(root.querySelector('ol.moments')?.getAttribute('aria-labelledby')).toBe('baton-moments');

    // Contacted: the next step becomes the verdict on quality; re-rendering leaves one of each line.
    overlay.show(
      { ...view, stage: 'contacted', sla: { ...view.sla, state: 'met', contactedAt: handoffAt + 600_000 } },
      handoffAt + 20 * 60_000,
    );
    expect(root.querySelector('[data-next]')?.textContent).toBe('次の対応: リードの質を評価して送る');
    expect(root.querySelectorAll('[data-next]')).toHaveLength(1);
    expect(root.querySelectorAll('ol.moments')).toHaveLength(0);
  });
});

describe('a chip cloned from the template', () => {
  /** The chip as a reader and the overlay contract see it: host attributes and the shadow tree. */
  const seen = (host: HTMLElement) => ({
    host: [...host.attributes].map((a) => `${a.name}=${a.value}`),
    shadow: host.shadowRoot?.innerHTML,
  });
  const shown = (overlay: ReturnType<typeof createOverlay>, lead: LeadView, now: number) => {
    overlay.show(lead, now);
    return seen(overlay.host);
  };

  it('is the chip built element by element, for every lead shown in it', async () => {
    // This module's templates first, made as a browser with clonable shadow roots makes them.
    createOverlay('chip', 'ja');
    createOverlay('chip', 'en');
    // The plain path: a fresh copy of the module in a browser whose clones carry no shadow root, which
    // builds every chip.
    const { vi } = await import('vitest');
    vi.resetModules();
    const { createOverlay: built } = await import('./overlay');
    const clone = Element.prototype.cloneNode;
    const shadowless = vi.spyOn(Element.prototype, 'cloneNode').mockImplementation(function (
      this: Element,
      deep?: boolean,
    ) {
      if (this.tagName !== 'BATON-LEAD') return clone.call(this, deep);
      const copy = document.createElement(this.localName);
      for (const a of this.attributes) copy.setAttribute(a.name, a.value);
      return copy;
    });
    try {
      built('chip', 'ja');
      built('chip', 'en');
    } finally {
      shadowless.mockRestore();
    }
    const partial: LeadView = { ...view, partial: true, score: 0, handoff: null, stage: 'new', sla: NO_SLA };
    for (const lang of ['ja', 'en'] as const)
      for (const [lead, now] of [
        [view, handoffAt + 10 * 60_000],
        [view, handoffAt + 2 * HOUR],
        [partial, handoffAt],
        [{ ...view, partial: true } as LeadView, handoffAt + 30 * 60_000],
      ] as const) {
        const plain = built('chip', lang);
        expect(plain.host.shadowRoot?.clonable).toBe(false);
        const cloned = createOverlay('chip', lang);
        expect(cloned.host.shadowRoot?.clonable).toBe(true);
        expect(shown(cloned, lead, now)).toEqual(shown(plain, lead, now));
        // Shown again (the team's news, new rules): still the same.
        expect(shown(cloned, view, now + HOUR)).toEqual(shown(plain, view, now + HOUR));
      }
  });
});
