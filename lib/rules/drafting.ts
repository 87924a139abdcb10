/**
 * How the editor grows a draft: which optional members it offers even when absent, and what a new list
 * entry or condition starts as. Places are written as paths with "*" for list indices
 * ("engagementRules.*.decay"), as `placeOf` gives them.
 */
import type { LocalizedText } from '../i18n';

/** The path with list indices as "*", to look up what a place in the rule set holds. */
export function placeOf(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
}

/** Optional scalars shown even when absent (empty input = left out), by the shape of their object. */
export const OPTIONAL_SCALARS: Record<string, string[]> = {
  threshold: ['minFit', 'minEngagement'],
  'engagementRules.*': ['cap'],
  'feedbackReasons.*': ['about'],
  engagementDecay: ['halfLifeDays', 'windowDays'],
  'engagementRules.*.decay': ['halfLifeDays', 'windowDays'],
  'engagementRules.*.activities.*': ['titlePattern', 'urlPattern'],
  'triggers.*.activities.*': ['titlePattern', 'urlPattern'],
  'icp.employees': ['min', 'max'],
  review: ['lastReviewedAt'],
  'sla.dueSoon': ['share'],
  'calendar.companyHolidays.*': ['to'],
  'calendar.yearlyHolidays.*': ['to'],
};

/** Optional objects offered with an Add button, and what they start as. */
export const OPTIONAL_OBJECTS: Record<string, Record<string, unknown>> = {
  icp: { employees: { min: 50 } },
  'engagementRules.*': { decay: { windowDays: 90 } },
  'sla.dueSoon': { before: { amount: 1, unit: 'hours' } },
};

const text2 = (): LocalizedText => ({ ja: '', en: '' });

/** What a new entry of a list starts as: incomplete on purpose, so validation says what to fill in. */
export function newEntry(at: string): unknown {
  switch (at) {
    case 'icp.industries':
    case 'icp.regions':
      return { id: '', label: text2(), synonyms: [] };
    case 'icp.titles':
      return { id: '', label: text2(), pattern: '' };
    case 'fitRules':
      return {
        id: '',
        label: text2(),
        condition: { op: 'equals', field: 'industry', value: '' },
        points: 10,
      };
    case 'engagementRules':
      return { id: '', label: text2(), activities: [{ types: ['web_visit'] }], points: 5, cap: 20 };
    case 'triggers':
      return { id: '', label: text2(), activities: [{ types: ['demo_request'] }] };
    case 'exclusions':
      return { id: '', label: text2(), condition: { op: 'matches', field: 'title', pattern: '' } };
    case 'engagementRules.*.activities':
    case 'triggers.*.activities':
      return { types: ['web_visit'] };
    case 'calendar.companyHolidays':
      return { from: '', name: text2() };
    case 'calendar.yearlyHolidays':
      return { from: '', name: text2() };
    case 'calendar.extraWorkingDays':
      return { date: '' };
    case 'sla.tiers':
      return {
        id: '',
        label: text2(),
        match: { triggerIds: [], fitGrades: ['A'], default: false },
        duration: { amount: 4, unit: 'hours', clock: 'business' },
      };
    case 'escalation.steps':
      return { id: '', kind: 'reminder', label: text2(), when: { share: 0.5 } };
    case 'feedbackReasons':
      return { code: '', label: text2(), appliesTo: ['reject'] };
    default:
      // Working hours of a weekday, or of an extra working day.
      return { start: '09:00', end: '18:00' };
  }
}

export const CONDITION_TEMPLATES: Record<string, Record<string, unknown>> = {
  equals: { op: 'equals', field: 'industry', value: '' },
  in: { op: 'in', field: 'leadSource', values: [] },
  contains: { op: 'contains', field: 'leadSource', values: [] },
  matches: { op: 'matches', field: 'title', pattern: '' },
  range: { op: 'range', field: 'employees', min: 0 },
  emailDomain: { op: 'emailDomain', list: 'freeMail' },
  icp: { op: 'icp', dimension: 'all' },
};
