import { describe, expect, it } from 'vitest';
import { pageShape, unreadReport } from './report';

const url = new URL(
  'https://crm.zoho.jp/crm/org70088888/tab/Leads/4451230000000499777?email=aki%40morita.example#x',
);

describe('the report of an unreadable page', () => {
  it('names the CRM and the page kind in both languages', () => {
    const base = {
      crmName: 'Zoho CRM',
      pageKind: 'record' as const,
      url,
      tiers: {},
      extensionVersion: '0.1.0',
    };
    const ja = unreadReport({ ...base, lang: 'ja' });
    const en = unreadReport({ ...base, lang: 'en' });
    expect(ja.subject).toBe('Baton: Zoho CRM のレコード画面を読み取れません');
    expect(en.subject).toBe('Baton cannot read a Zoho CRM record page');
    expect(en.body).toContain('Fields read: selector=0, hook=0, label=0');
    expect(ja.body).toContain('画面の種類: レコード (record)');
  });

  it('carries no record id, query or fragment: they can name a customer', () => {
    const { body } = unreadReport({
      crmName: 'Zoho CRM',
      pageKind: 'record',
      url,
      tiers: { label: 1 },
      extensionVersion: '0.1.0',
      lang: 'en',
    });
    expect(pageShape(url)).toBe('https://crm.zoho.jp/crm/{id}/tab/Leads/{id}');
    expect(body).not.toContain('4451230000000499777');
    expect(body).not.toContain('70088888');
    expect(body).not.toContain('morita');
  });
});
