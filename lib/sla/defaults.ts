import type { EscalationLadder, SlaPolicy } from './schema';

/**
 * Hot triggers (demo request, pricing page) within 1 business hour, document requests within 4, every
 * other MQL within one business day: the same time on the next working day, which is what "contact within
 * 24 hours" means to a sales team (24 business hours would be about three working days of 9 hours, and a
 * Friday handoff before Golden Week would fall due ten calendar days later). Due soon once 75% is gone.
 */
export const defaultSlaPolicy: SlaPolicy = {
  tiers: [
    {
      id: 'hot',
      label: { ja: 'ホットリード（デモ依頼・料金ページ）', en: 'Hot lead (demo request, pricing page)' },
      match: { triggerIds: ['demo_request', 'pricing_view'], fitGrades: [], default: false },
      duration: { amount: 1, unit: 'hours', clock: 'business' },
    },
    {
      id: 'document_request',
      label: { ja: '資料請求', en: 'Document request' },
      match: { triggerIds: ['document_request'], fitGrades: [], default: false },
      duration: { amount: 4, unit: 'hours', clock: 'business' },
    },
    {
      id: 'score_mql',
      label: { ja: 'スコアによる MQL', en: 'MQL by score' },
      match: { triggerIds: [], fitGrades: [], default: true },
      duration: { amount: 1, unit: 'days', clock: 'business' },
    },
  ],
  dueSoon: { share: 0.75 },
};

/** Remind the owner at 75%, tell the owner at breach, the manager 4 business hours later, marketing after 24. */
export const defaultEscalationLadder: EscalationLadder = {
  steps: [
    {
      id: 'reminder',
      kind: 'reminder',
      label: { ja: '担当者へのリマインド', en: 'Reminder to the owner' },
      when: { share: 0.75 },
    },
    {
      id: 'owner',
      kind: 'owner',
      label: { ja: '期限超過を担当者に通知', en: 'Breach notice to the owner' },
      when: { afterDue: { amount: 0, unit: 'hours', clock: 'business' } },
    },
    {
      id: 'manager',
      kind: 'manager',
      label: { ja: 'マネージャーへエスカレーション', en: 'Escalate to the sales manager' },
      when: { afterDue: { amount: 4, unit: 'hours', clock: 'business' } },
    },
    {
      id: 'marketing',
      kind: 'marketing',
      label: { ja: 'マーケティングに確認を依頼', en: 'Flag back to marketing' },
      when: { afterDue: { amount: 24, unit: 'hours', clock: 'business' } },
    },
  ],
};
