/**
 * Regenerates what the rule-set schema and defaults feed in docs/: rules.schema.json (so anyone can check
 * a rules file with standard JSON Schema tools) and the full example in rules.md. Run after changing
 * lib/rules/schema.ts or lib/rules/defaults.ts: npx tsx scripts/gen-rules-schema.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultRuleSet } from '../lib/rules/defaults';
import { rulesJsonSchemaText, withRulesExample } from '../lib/rules/json-schema';

const schemaFile = fileURLToPath(new URL('../docs/rules.schema.json', import.meta.url));
const docFile = fileURLToPath(new URL('../docs/rules.md', import.meta.url));

writeFileSync(schemaFile, rulesJsonSchemaText());
writeFileSync(docFile, withRulesExample(readFileSync(docFile, 'utf8'), defaultRuleSet));
console.log(`wrote ${schemaFile} and the example in ${docFile}`);
