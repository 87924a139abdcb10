import { expect, it } from 'vitest';
import { RulesService, ruleSetDomain } from './rules';
import type { RuleVersionStore } from './storage/rule-versions';

/**
 * A store whose read of the active rules can be held open, as a slow query would be, while this instance
 * activates a version: the held read then answers what it read before the write committed.
 */
function racingStore() {
  let active = 1;
  let hold = false;
  let release: () => void = () => {};
  const store = {
    activeVersionNumber: async () => active,
    active: () => {
      const read = { version: active, activatedAt: 0, rules: `{"n":${active}}` };
      if (!hold) return Promise.resolve(read);
      hold = false;
      return new Promise((resolve) => {
        release = () => resolve(read);
      });
    },
    seed: async () => {
      active = 2;
      return 2;
    },
  } as unknown as RuleVersionStore;
  return {
    store,
    holdNextCheck: () => {
      hold = true;
    },
    release: () => release(),
  };
}

it('serves the version this instance activated at once, even if an older check finishes after', async () => {
  const { store, holdNextCheck, release } = racingStore();
  const now = 0;
  const rules = new RulesService(store, ruleSetDomain, 'test', 1000, () => now);
  holdNextCheck();
  const racing = rules.active();
  await new Promise((resolve) => setTimeout(resolve, 0)); // the read of version 1 is now in flight
  await rules.seed(); // this instance activates version 2 while that check is in flight
  release();
  await racing;
  expect((await rules.active())?.version).toBe(2);
});
