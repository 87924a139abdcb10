/**
 * The KPI report over 250,000 leads (half a year of a large team's handoffs, about a million events);
 * the target is well under 300 ms for the whole report. Folding is measured too: the endpoint folds every
 * event as it arrives. Rows come from the seeded generator, so every run measures the same work.
 * Run: npx vitest bench --run lib/kpi
 */
import { bench, describe } from 'vitest';
import { leadKeyString } from '../lead-key';
import { defaultRuleSet } from '../rules';
import { foldEvent, foldOutcome } from './facts';
import { generateHistory } from './generate';
import { computeKpis } from './report';
import type { LeadFacts } from './types';

const rules = defaultRuleSet;
const history = generateHistory({ leads: 250_000, seed: 20261125, from: '2026-06-01', weeks: 26, rules });
const byLead = new Map<string, LeadFacts>();
for (const event of history.events) {
  const key = leadKeyString(event.lead);
  byLead.set(key, foldEvent(byLead.get(key), event, rules.calendar));
}
for (const outcome of history.outcomes) {
  byLead.set(outcome.leadKey, foldOutcome(byLead.get(outcome.leadKey), outcome, rules.calendar));
}
const rows = [...byLead.values()];
const sample = history.events.slice(0, 100_000);
const context = { query: { from: '2026-06-01', to: '2026-11-30' }, now: history.until, rules };

describe(`KPIs of ${rows.length} leads (${history.events.length} events)`, () => {
  bench('computeKpis, the whole report', () => {
    computeKpis(rows, context);
  });

  bench('foldEvent, 100,000 events in arrival order', () => {
    const folded = new Map<string, LeadFacts>();
    for (const event of sample) {
      const key = leadKeyString(event.lead);
      folded.set(key, foldEvent(folded.get(key), event, rules.calendar));
    }
  });
});
