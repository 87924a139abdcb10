import { z } from 'zod';
import { ruleSetSchema } from './schema';

/**
 * docs/rules.schema.json as text. Input shape (what an author writes): fields with defaults are optional.
 * Cross-field checks (unique ids, trigger references, reachable thresholds) live only in validateRuleSet.
 */
export function rulesJsonSchemaText(): string {
  const schema = z.toJSONSchema(ruleSetSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  const documented = {
    $schema: schema.$schema,
    title: 'Baton rule set',
    description:
      'MQL/SQL definitions, ICP, scoring, triggers, SLA, calendar and escalation that marketing publishes to every rep. / マーケティングが全営業に配布する MQL・SQL 定義、ICP、スコアリング、トリガー、SLA、カレンダー、エスカレーションのルール。',
    ...schema,
  };
  return `${JSON.stringify(documented, null, 2)}\n`;
}

const EXAMPLE_START = '<!-- example:start (generated from defaultRuleSet by scripts/gen-rules-schema.ts) -->';
const EXAMPLE_END = '<!-- example:end -->';

/** docs/rules.md with its full example replaced by the default rule set, so the example never drifts. */
export function withRulesExample(markdown: string, example: unknown): string {
  const start = markdown.indexOf(EXAMPLE_START);
  const end = markdown.indexOf(EXAMPLE_END);
  if (start < 0 || end < start) throw new Error('docs/rules.md lacks the example markers');
  const block = `${EXAMPLE_START}\n\n\`\`\`json\n${JSON.stringify(example, null, 2)}\n\`\`\`\n\n`;
  return markdown.slice(0, start) + block + markdown.slice(end);
}
