import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from './defaults';
import { rulesJsonSchemaText, withRulesExample } from './json-schema';
import { validateRuleSet } from './validate';

const committed = new URL('../../docs/rules.schema.json', import.meta.url);

describe('docs/rules.schema.json', () => {
  it('matches the zod schema it is generated from', () => {
    const onDisk = readFileSync(committed, 'utf8');
    expect(
      onDisk === rulesJsonSchemaText(),
      'docs/rules.schema.json is out of date: run `npx tsx scripts/gen-rules-schema.ts` and commit the result',
    ).toBe(true);
  });

  it('describes a strict object with the rule-set fields an author must write', () => {
    const schema = JSON.parse(rulesJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(['version', 'definitions', 'icp', 'fitRules', 'threshold', 'triggers', 'sla']),
    );
    expect(schema.required).not.toContain('fieldMappings');
  });
});

describe('docs/rules.md', () => {
  it('shows the default rule set as its full example', () => {
    const markdown = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(
      markdown === withRulesExample(markdown, defaultRuleSet),
      'the example in docs/rules.md is out of date: run `npx tsx scripts/gen-rules-schema.ts` and commit the result',
    ).toBe(true);
  });

  it('has an example that passes validation', () => {
    const markdown = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];
    expect(validateRuleSet(JSON.parse(json ?? 'null')).ok).toBe(true);
  });
});
