export { type CompiledRules, compileRules } from './compile';
export type { Contribution, Scores } from './score';
