import { describe, expect, it } from 'vitest';
import { activityType } from './activity';

describe('activityType', () => {
  it.each([
    ['', '資料請求（製品パンフレット）', 'document_request'],
    ['form', 'Submitted form: Request a demo', 'demo_request'],
    ['form', 'フォーム送信: 資料請求フォーム', 'document_request'],
    ['form', 'Contact us', 'form_submit'],
    ['', 'マーケティングEメールを開封: ニュースレター', 'email_open'],
    ['page view', 'Viewed /pricing', 'page_view'],
    ['', 'ウェビナー参加: DX入門', 'webinar'],
  ])('kind "%s" titled "%s" is %s', (kind, title, type) => {
    expect(activityType(kind, title)).toBe(type);
  });

  it('lets the CRM kind of an outbound activity win over words in its subject', () => {
    expect(activityType('email', 'Brochure download link')).toBe('email_sent');
    expect(activityType('call', 'Demo follow-up')).toBe('call');
    expect(activityType('meeting', '打ち合わせ: 初回デモ')).toBe('meeting');
  });

  it('does not mistake words that merely contain a keyword', () => {
    expect(activityType('', 'Platform information')).toBe('other');
    expect(activityType('', 'Prevent churn')).toBe('other');
  });
});
