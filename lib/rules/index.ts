import { defaultFieldMappings } from '../crm';
import { type FieldMappings, mergeFieldMappings } from '../crm/mapping';
import type { RuleSet } from './schema';

export { defaultRuleSet } from './defaults';
export type {
  ActivityMatch,
  Decay,
  EngagementRule,
  FeedbackReason,
  FitCondition,
  FitGrades,
  FitRule,
  IcpDimension,
  RuleSet,
  RuleSetInput,
  StatusMapping,
  Trigger,
} from './schema';
export { ruleSetSchema } from './schema';
export { validateRuleSet } from './validate';

/** The field mappings adapters use under a rule set: its own laid over the built-in ones for every CRM. */
export function effectiveFieldMappings(rules: Pick<RuleSet, 'fieldMappings'>): FieldMappings {
  return mergeFieldMappings(defaultFieldMappings, rules.fieldMappings);
}
