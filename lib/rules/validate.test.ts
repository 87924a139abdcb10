import { describe, expect, it } from 'vitest';
import { formatPath, type Problem } from '../problems';
import { defaultRuleSet } from './defaults';
import type { RuleSet } from './schema';
import { validateRuleSet } from './validate';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

// biome-ignore lint/suspicious/noExplicitAny: these tests write deliberately ill-typed values into a rule set.
type Editable = Record<string, any>;

function broken(edit: (rules: Editable) => void): unknown {
  const rules = structuredClone(defaultRuleSet) as Editable;
  edit(rules);
  return rules;
}

function problemsOf(input: unknown): Problem[] {
  const result = validateRuleSet(input);
  if (result.ok) throw new Error('expected the rule set to be rejected');
  return result.problems;
}

function paths(problems: Problem[]): string[] {
  return problems.map((p) => formatPath(p.path));
}

describe('validateRuleSet', () => {
  it('accepts the default rule set and returns it parsed', () => {
    const result = validateRuleSet(defaultRuleSet);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.threshold).toEqual(defaultRuleSet.threshold);
  });

  it('survives a JSON round trip of the default rule set, as a published rules file does', () => {
    expect(validateRuleSet(JSON.parse(JSON.stringify(defaultRuleSet))).ok).toBe(true);
  });

  it('reports every problem at once, each with its JSON path, rejecting the whole rule set', () => {
    const input = broken((r) => {
      r.fitRules[0].points = 'ten';
      r.fitRules[1].id = r.fitRules[0].id;
      r.triggers[0].activities[0].titlePattern = '(unclosed';
      r.fitGrades.B = r.fitGrades.A + 1;
      r.sla.tiers[0].match.triggerIds.push('no_such_trigger');
      r.engagementRules[0].activities[0].types = ['telepathy'];
      r.calendar.timeZone = 'Mars/Olympus';
      r.conversionTarget = { min: 0.4, max: 0.2 };
      r.treshold = 50;
    });
    const result = validateRuleSet(input);
    expect(result.ok).toBe(false);
    expect(paths(problemsOf(input)).sort()).toEqual(
      [
        '(root)',
        'calendar.timeZone',
        'conversionTarget.max',
        'engagementRules[0].activities[0].types[0]',
        'fitGrades.B',
        'fitRules[0].points',
        'fitRules[1].id',
        'sla.tiers[0].match.triggerIds[2]',
        'triggers[0].activities[0].titlePattern',
      ].sort(),
    );
  });

  it('gives every problem a Japanese and an English message', () => {
    const problems = problemsOf(
      broken((r) => {
        r.fitRules[0].points = 'ten';
        r.fitRules[2].condition = { op: 'between', field: 'employees' };
        r.threshold.total = -1;
        r.name = { ja: '', en: 'x' };
        r.recycle = {};
        r.review.cadence = 'weekly';
        r.extra = true;
        r.feedbackReasons[0].appliesTo = [];
        r.icp.titles[0].pattern = 42;
        r.emailDomains.freeMail.push('Not A Domain');
      }),
    );
    expect(problems.length).toBeGreaterThanOrEqual(10);
    for (const problem of problems) {
      expect(problem.message.ja, formatPath(problem.path)).toMatch(JAPANESE);
      expect(problem.message.en, formatPath(problem.path)).not.toMatch(JAPANESE);
    }
  });

  it('translates zod type errors by issue code, naming the expected type', () => {
    const [problem] = problemsOf(broken((r) => (r.icp.titles[0].pattern = 42)));
    expect(problem?.path).toEqual(['icp', 'titles', 0, 'pattern']);
    expect(problem?.message.en).toBe('Give a regular expression as a string');
    const missing = problemsOf(broken((r) => delete r.recycle.coolDownDays));
    expect(missing[0]?.message).toEqual({ ja: '日数を数値で指定してください', en: 'Give a number of days' });
    const name = problemsOf(broken((r) => (r.name = 'Rules')));
    expect(name[0]?.message.ja).toContain('型が正しくありません');
    expect(name[0]?.message.en).toBe('Expected an object, got a text');
  });

  it('rejects a regular expression that does not compile, quoting the reason', () => {
    const [problem] = problemsOf(broken((r) => (r.fitRules[3].condition.pattern = '部長|(')));
    expect(formatPath(problem!.path)).toBe('fitRules[3].condition.pattern');
    expect(problem!.message.ja).toContain('正規表現として読めません');
  });

  it('rejects nested repetition that could hang a browser on a crafted page text', () => {
    const [problem] = problemsOf(broken((r) => (r.triggers[1].activities[1].titlePattern = '(a+)+$')));
    expect(formatPath(problem!.path)).toBe('triggers[1].activities[1].titlePattern');
  });

  it('rejects duplicate ids within a list and between fit and engagement rules', () => {
    const problems = problemsOf(
      broken((r) => {
        r.triggers[1].id = r.triggers[0].id;
        r.engagementRules[0].id = r.fitRules[0].id;
        r.icp.industries[1].id = r.icp.industries[0].id;
        r.feedbackReasons[1].code = r.feedbackReasons[0].code;
      }),
    );
    expect(paths(problems).sort()).toEqual(
      [
        'engagementRules[0].id',
        'feedbackReasons[1].code',
        'icp.industries[1].id',
        'triggers[1].id',
        // pricing_view no longer exists, and the hot SLA tier names it.
        'sla.tiers[0].match.triggerIds[1]',
      ].sort(),
    );
  });

  it('rejects a threshold no lead can reach, naming the reachable maximum', () => {
    const [problem] = problemsOf(broken((r) => (r.threshold.total = 10_000)));
    expect(formatPath(problem!.path)).toBe('threshold.total');
    expect(problem!.message.en).toMatch(/at most \d+ points/);
  });

  it('rejects fit and engagement minimums above what the rules can give', () => {
    const problems = problemsOf(
      broken((r) => {
        r.threshold.minFit = 1000;
        r.threshold.minEngagement = 1000;
      }),
    );
    expect(paths(problems).sort()).toEqual(['threshold.minEngagement', 'threshold.minFit']);
  });

  it('accepts any threshold when an uncapped positive behaviour rule makes engagement unbounded', () => {
    const input = broken((r) => {
      delete r.engagementRules[0].cap;
      r.threshold.total = 10_000;
    });
    expect(validateRuleSet(input).ok).toBe(true);
  });

  it('requires fit grade bands in descending order', () => {
    const problems = problemsOf(broken((r) => (r.fitGrades = { A: 50, B: 50, C: 60 })));
    expect(paths(problems).sort()).toEqual(['fitGrades.B', 'fitGrades.C']);
  });

  it('rejects requiring an ICP match when the ICP defines nothing, and ICP rules on undefined dimensions', () => {
    const problems = problemsOf(
      broken((r) => {
        r.icp = { industries: [], titles: [], regions: [] };
        r.requireIcpMatch = true;
      }),
    );
    expect(paths(problems)).toContain('requireIcpMatch');
    expect(paths(problems)).toContain('fitRules[0].condition.dimension');
  });

  it('rejects an email-domain rule whose list is empty', () => {
    const [problem] = problemsOf(broken((r) => (r.emailDomains.competitor = [])));
    expect(formatPath(problem!.path)).toBe('fitRules[9].condition.list');
    // Said in the editor's words, not as the member path emailDomains.competitor.
    expect(problem!.message).toEqual({
      ja: '競合企業のドメイン一覧が空のため、このルールは一致しません',
      en: 'The competitor domain list is empty, so this rule can never match',
    });
  });

  it('says which ICP part a rule needs in words, and a range’s bounds as minimum and maximum', () => {
    const problems = problemsOf(
      broken((r) => {
        r.icp.industries = [];
        r.icp.employees = { min: 500, max: 100 };
      }),
    );
    expect(problems.map((p) => p.message.en)).toEqual(
      expect.arrayContaining([
        'The ICP does not define industries, so this rule cannot be decided',
        'The maximum must not be below the minimum',
      ]),
    );
  });

  it('rejects a status value that normalises to one already mapped to another stage', () => {
    const fullWidth = 'ＭＱＬ'; // the default kintone mapping has "MQL" → mql
    const [problem] = problemsOf(broken((r) => (r.statusMapping.kintone[fullWidth] = 'sql')));
    expect(problem!.path).toEqual(['statusMapping', 'kintone', 'ＭＱＬ']);
  });

  it('rejects unknown stages and unknown CRMs in the status mapping', () => {
    const problems = problemsOf(
      broken((r) => {
        r.statusMapping.salesforce.Nurture = 'nurturing';
        r.statusMapping.excel = { New: 'new' };
      }),
    );
    expect(paths(problems)).toContain('statusMapping.salesforce.Nurture');
    expect(problems.length).toBe(2);
  });

  it('rejects range conditions without bounds or with bounds reversed', () => {
    const problems = problemsOf(
      broken((r) => {
        r.fitRules[2].condition = { op: 'range', field: 'employees' };
        r.fitRules[0].condition = { op: 'range', field: 'employees', min: 10, max: 5 };
      }),
    );
    expect(paths(problems).sort()).toEqual(['fitRules[0].condition.max', 'fitRules[2].condition']);
  });

  it('rejects zero-point rules, which would do nothing', () => {
    expect(paths(problemsOf(broken((r) => (r.engagementRules[1].points = 0))))).toEqual([
      'engagementRules[1].points',
    ]);
  });

  it('still runs cross-field checks on parts untouched by a type error elsewhere', () => {
    const problems = problemsOf(
      broken((r) => {
        r.calendar.workingHours = 'weekdays';
        r.sla.tiers[1].match.triggerIds = ['ghost'];
      }),
    );
    expect(paths(problems)).toContain('sla.tiers[1].match.triggerIds[0]');
  });

  it('types the parsed value as a RuleSet', () => {
    const result = validateRuleSet(defaultRuleSet);
    const value: RuleSet | undefined = result.ok ? result.value : undefined;
    expect(value?.version.number).toBe(1);
  });
});
