import { describe, expect, it } from 'vitest';
import { isoInZone } from './calendar/zone';
import { contactMethodsText, recentEngagement } from './engagement';
import type { LeadSnapshot } from './lead';
import { nextStep } from './next-step';
import { defaultRuleSet } from './rules/defaults';

const NOW = Date.parse('2026-12-04T10:00:00+09:00');
const zoned = (t: number) => isoInZone(t, 'Asia/Tokyo');
const lead = (activities: LeadSnapshot['activities']): LeadSnapshot => ({
  crm: 'salesforce',
  object: 'Lead',
  recordId: '00Q5g00000AbCdE',
  fields: {},
  activities,
});

describe('recent engagement that scored', () => {
  it('lists, newest first, the activities a positive rule counts, with that rule and its points (docs: default rules)', () => {
    const moments = recentEngagement(
      defaultRuleSet,
      lead([
        {
          type: 'web_visit',
          title: '料金プラン',
          url: 'https://example.com/pricing',
          at: '2026-12-03T14:05:00+09:00',
        },
        { type: 'demo_request', title: 'デモ依頼フォーム', at: '2026-12-04T09:30:00+09:00' },
        // Careers (−10) is not engagement to show; the visit itself (+2) is.
        { type: 'page_view', url: 'https://example.com/careers', at: '2026-12-02T11:00:00+09:00' },
        // No rule counts an email open; a download 125 days ago is outside the 90-day window; an
        // activity after now is not counted by scoring either.
        { type: 'email_open', at: '2026-12-04T08:00:00+09:00' },
        { type: 'download', at: '2026-08-01T10:00:00+09:00' },
        { type: 'form_submit', at: '2026-12-05T10:00:00+09:00' },
      ]),
      NOW,
      zoned,
    );
    expect(moments).toEqual([
      {
        at: '2026-12-04T09:30:00+09:00',
        label: { ja: 'デモ依頼', en: 'Demo request' },
        title: 'デモ依頼フォーム',
        points: 30,
      },
      // pricing_page (10) and site_visit (2) both count the visit: 12, named by the first rule.
      {
        at: '2026-12-03T14:05:00+09:00',
        label: { ja: '料金ページ閲覧', en: 'Pricing page view' },
        title: '料金プラン',
        points: 12,
      },
      { at: '2026-12-02T11:00:00+09:00', label: { ja: 'サイト訪問', en: 'Site visit' }, points: 2 },
    ]);
  });

  it('keeps the five latest and shortens a long title', () => {
    const activities = Array.from({ length: 8 }, (_, i) => ({
      type: 'form_submit' as const,
      title: 'x'.repeat(200),
      at: new Date(NOW - (i + 1) * 3_600_000).toISOString(),
    }));
    const moments = recentEngagement(defaultRuleSet, lead(activities), NOW, zoned);
    expect(moments).toHaveLength(5);
    expect(moments[0]!.at).toBe('2026-12-04T09:00:00+09:00');
    expect(moments[0]!.title).toHaveLength(80);
    expect(moments[0]!.title!.endsWith('…')).toBe(true);
  });
});

describe('the next step', () => {
  const base = {
    handoff: { at: NOW, reason: 'score' as const, label: { ja: '', en: '' } },
    stage: 'mql' as const,
    sla: {
      state: 'running' as const,
      tierId: null,
      tier: null,
      dueAt: NOW + 3_600_000,
      dueIso: null,
      dueSoonAt: null,
      contactedAt: null,
      ladder: null,
    },
    contactBy: contactMethodsText(defaultRuleSet.firstContactMethods),
  };

  it('asks for the first contact by the agreed methods, then for feedback, then nothing', () => {
    expect(contactMethodsText(['call', 'email_sent', 'meeting'])).toEqual({
      ja: '電話・メール送信・面談',
      en: 'call, email or meeting',
    });
    expect(contactMethodsText(['call'])).toEqual({ ja: '電話', en: 'call' });
    expect(nextStep(base)).toEqual({
      ja: '次の対応: 初回コンタクト（電話・メール送信・面談）',
      en: 'Next step: first contact by call, email or meeting',
    });
    const contacted = { ...base, stage: 'contacted' as const, sla: { ...base.sla, contactedAt: NOW } };
    expect(nextStep(contacted)?.en).toBe('Next step: send feedback on the lead’s quality');
    expect(nextStep({ ...contacted, stage: 'sql' })).toBeNull();
    expect(nextStep({ ...base, handoff: null })).toBeNull();
  });
});
