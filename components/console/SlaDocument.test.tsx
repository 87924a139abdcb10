// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lang } from '../../lib/i18n';
import { defaultRuleSet, type RuleSet } from '../../lib/rules';
import { SlaDocument } from './SlaDocument';
import golden from './SlaDocument.golden.json';

function edited(change: (rules: RuleSet) => void): RuleSet {
  const copy = structuredClone(defaultRuleSet);
  change(copy);
  return copy;
}

const version = {
  version: 4,
  activatedAt: '2026-11-02T00:00:00.000Z',
  signoffs: [
    {
      side: 'marketing' as const,
      by: { name: '佐藤 花子', role: 'marketer' as const },
      at: '2026-11-01T09:00:00.000Z',
      comment: null,
    },
  ],
};

function lines(lang: Lang, rules: RuleSet): string[] {
  render(<SlaDocument lang={lang} rules={rules} version={version} />);
  const doc = screen.getByRole('article');
  return [...doc.querySelectorAll('h2, h3, p, li, dt, dd, summary')].map((e) => e.textContent ?? '');
}

/** A rule set that reaches every branch the document words: ranges, titles, holidays, closed days. */
const varied = edited((r) => {
  r.icp.employees = { min: 100 };
  r.icp.titles = [{ id: 'cxo', label: { ja: '役員', en: 'Executives' }, pattern: 'CEO|CTO' }];
  r.threshold = { total: 70 };
  r.requireIcpMatch = true;
  r.calendar.nationalHolidays = 'none';
  r.calendar.workingHours.sat = [{ start: '10:00', end: '15:00' }];
  r.calendar.yearlyHolidays = [{ from: '12-29', to: '01-03', name: { ja: '年末年始', en: 'Year end' } }];
  r.firstContactMethods = ['email_sent', 'meeting'];
  r.review.cadence = 'semiannual';
  r.sla.tiers[1]!.duration = { amount: 2, unit: 'days', clock: 'business' };
  r.escalation.steps[0]!.when = { afterDue: { amount: 0, unit: 'hours', clock: 'business' } };
});

describe('SlaDocument', () => {
  afterEach(cleanup);

  // Written from the document as it stood before the rule-field catalogue (issue 19): drawing it from
  // the catalogue must not change one word of what the department heads sign.
  for (const lang of ['en', 'ja'] as const) {
    it(`words the default rules as before, in ${lang}`, () => {
      expect(lines(lang, defaultRuleSet)).toEqual(golden[`default-${lang}`]);
    });
    it(`words ranges, titles, closed days, yearly holidays and business days as before, in ${lang}`, () => {
      expect(lines(lang, varied)).toEqual(golden[`varied-${lang}`]);
    });
  }
});
