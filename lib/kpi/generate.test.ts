import { describe, expect, it } from 'vitest';
import { type BatonEvent, eventSchema, type HandoffObservedEvent } from '../events';
import { leadKeyString } from '../lead-key';
import { defaultRuleSet } from '../rules';
import { parseOutcomesCsv, toCsv } from './csv';
import { foldEvent } from './facts';
import { generateHistory } from './generate';
import type { LeadFacts } from './types';
import { replayLeadsFrom, whatIf } from './whatif';

const rules = defaultRuleSet;
const options = { leads: 3000, seed: 42, from: '2026-09-07', weeks: 8, rules };
const history = generateHistory(options);
const handoffs = history.events.filter((e): e is HandoffObservedEvent => e.type === 'handoff_observed');
const ofType = <T extends BatonEvent['type']>(type: T) =>
  history.events.filter((e): e is Extract<BatonEvent, { type: T }> => e.type === type);

describe('generateHistory', () => {
  it('makes events every one of which the endpoint’s schema accepts', () => {
    for (const event of history.events) {
      const parsed = eventSchema.safeParse(event);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  it('gives the same history for the same options and another for another seed', () => {
    expect(generateHistory(options)).toEqual(history);
    expect(generateHistory({ ...options, seed: 43 }).events).not.toEqual(history.events);
  });

  it('hands over every lead, some reported by two browsers with the same handoffAt', () => {
    const leads = new Set(history.events.map((e) => leadKeyString(e.lead)));
    expect(leads.size).toBe(options.leads);
    expect(new Set(handoffs.map((h) => leadKeyString(h.lead))).size).toBe(options.leads);
    const reports = new Map<string, number>();
    for (const h of handoffs) {
      const key = `${leadKeyString(h.lead)} ${h.handoffAt}`;
      reports.set(key, (reports.get(key) ?? 0) + 1);
    }
    const twice = [...reports.values()].filter((n) => n === 2).length;
    expect(twice / options.leads).toBeGreaterThan(0.1);
    expect(twice / options.leads).toBeLessThan(0.2);
    expect(new Set(handoffs.map((h) => h.idempotencyKey)).size).toBe(handoffs.length);
  });

  it('keeps everything inside the history, with handoffs from the first day on', () => {
    const start = Date.parse('2026-09-07T00:00:00+09:00');
    for (const event of history.events) expect(Date.parse(event.occurredAt)).toBeLessThan(history.until);
    const current = handoffs.map((h) => Date.parse(h.handoffAt)).filter((t) => t >= start);
    expect(current.length).toBeGreaterThan(0.95 * handoffs.length);
  });

  it('mixes reasons, CRMs, grades, rule versions and a dozen owners like a real team', () => {
    expect(new Set(handoffs.map((h) => h.reason))).toEqual(new Set(['threshold', 'trigger', 'manual']));
    expect(new Set(handoffs.map((h) => h.lead.crm)).size).toBe(6);
    expect(new Set(handoffs.map((h) => h.fitGrade))).toEqual(new Set(['A', 'B', 'C', 'D', undefined]));
    expect(new Set(handoffs.map((h) => h.rulesVersion))).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(handoffs.map((h) => h.owner).filter(Boolean)).size).toBe(12);
    expect(handoffs.some((h) => h.owner === undefined)).toBe(true);
  });

  it('scores threshold handoffs at or above the threshold, explained line by line with the rules’ ids', () => {
    const ruleIds = new Set([...rules.fitRules, ...rules.engagementRules].map((r) => r.id));
    for (const h of handoffs.filter((x) => x.reason === 'threshold' && x.score !== undefined)) {
      expect(h.score).toBeGreaterThanOrEqual(rules.threshold.total);
      expect(h.fit).toBeGreaterThanOrEqual(rules.threshold.minFit ?? 0);
    }
    for (const h of handoffs.filter((x) => x.explanation)) {
      const sum = h.explanation!.reduce((total, line) => total + line.points, 0);
      expect(sum).toBeCloseTo(h.score!, 5);
      for (const line of h.explanation!) expect(ruleIds.has(line.ruleId)).toBe(true);
    }
    const triggerIds = new Set(rules.triggers.map((t) => t.id));
    for (const h of handoffs.filter((x) => x.reason === 'trigger'))
      expect(triggerIds.has(h.triggerId!)).toBe(true);
  });

  it('contacts most leads, some late and some never, and escalates the untouched ones', () => {
    const contacted = new Set(ofType('first_contact').map((e) => leadKeyString(e.lead)));
    expect(contacted.size / options.leads).toBeGreaterThan(0.8);
    expect(contacted.size / options.leads).toBeLessThan(0.95);
    expect(ofType('escalation_step').length).toBeGreaterThan(0);
    expect(new Set(ofType('escalation_step').map((e) => e.kind))).toEqual(
      new Set(['reminder', 'owner', 'manager', 'marketing']),
    );
  });

  it('gives every kind of verdict, with reason codes the rule set offers (and a few older ones)', () => {
    const feedback = ofType('feedback');
    expect(new Set(feedback.map((f) => f.verdict))).toEqual(
      new Set(['accept_sql', 'reject', 'recycle', 'wrong_owner', 'duplicate']),
    );
    for (const f of feedback.filter((x) => x.verdict === 'reject' || x.verdict === 'recycle')) {
      const reason = rules.feedbackReasons.find((r) => r.code === f.reasonCode);
      if (reason) expect(reason.appliesTo).toContain(f.verdict);
      else expect(f.reasonCode).toBe('legacy_other');
    }
    const accepted = feedback.filter((f) => f.verdict === 'accept_sql').length;
    expect(accepted / feedback.length).toBeGreaterThan(0.15);
    expect(accepted / feedback.length).toBeLessThan(0.35);
  });

  it('converts leads that fit and engage far more often than leads that scraped past the threshold', () => {
    // What a real funnel shows and the threshold review relies on: among leads handed over by score, the
    // top fifth by score is accepted as SQL clearly more often than the bottom fifth.
    const big = generateHistory({ ...options, leads: 20_000 });
    const scoreOf = new Map<string, number>();
    for (const e of big.events) {
      if (e.type === 'handoff_observed' && e.reason === 'threshold' && e.score !== undefined)
        scoreOf.set(leadKeyString(e.lead), e.score);
    }
    const verdictOf = new Map<string, string>();
    for (const e of big.events) {
      if (e.type === 'feedback' && e.verdict !== 'wrong_owner' && e.verdict !== 'duplicate')
        verdictOf.set(leadKeyString(e.lead), e.verdict);
    }
    const judged = [...scoreOf]
      .filter(([key]) => verdictOf.has(key))
      .sort((a, b) => a[1] - b[1])
      .map(([key]) => verdictOf.get(key) === 'accept_sql');
    const fifth = Math.floor(judged.length / 5);
    const rate = (band: boolean[]) => band.filter(Boolean).length / band.length;
    const bottom = rate(judged.slice(0, fifth));
    const top = rate(judged.slice(-fifth));
    expect(top).toBeGreaterThan(2.5 * bottom);
    expect(top - bottom).toBeGreaterThan(0.2);
  });

  it('gives the threshold review a curve with a shape: raising the threshold raises conversion first', () => {
    const demo = generateHistory({ ...options, leads: 20_000 });
    const facts = new Map<string, LeadFacts>();
    for (const e of demo.events) {
      const key = leadKeyString(e.lead);
      facts.set(key, foldEvent(facts.get(key), e, rules.calendar));
    }
    const period = { from: options.from, to: '2026-11-02', zone: rules.calendar.timeZone };
    const report = whatIf(replayLeadsFrom([...facts.values()], period), {
      query: { from: period.from, to: period.to },
      threshold: rules.threshold.total,
      currentThreshold: rules.threshold.total,
      target: rules.conversionTarget,
      weeks: options.weeks,
    });
    const at = (t: number) => report.curve.find((p) => p.threshold === t)!.sqlRate!;
    // Trigger and manual handoffs stay at every threshold and hold the rate up at both ends; in between,
    // cutting the weakest score handoffs lifts it by points, not by noise.
    expect(at(90) - at(60)).toBeGreaterThan(0.025);
  });

  it('converts some accepted leads and closes some deals in outcome rows', () => {
    expect(ofType('stage_change').some((e) => e.to === 'converted')).toBe(true);
    expect(new Set(history.outcomes.map((o) => o.outcome)).size).toBeGreaterThanOrEqual(2);
    for (const o of history.outcomes) expect(o.at).toBeLessThan(history.until);
  });

  it('keys leads as the CRM adapters do, so an exported outcome file imports onto the same leads', () => {
    const { outcomes } = generateHistory({ leads: 3000, seed: 11, from: '2026-01-05', weeks: 8, rules });
    expect(new Set(outcomes.map((o) => o.crm)).size).toBe(6);
    const csv = toCsv(
      ['crm', 'object', 'record_id', 'outcome', 'date'],
      outcomes.map((o) => {
        const [crm, object, ...id] = o.leadKey.split(':');
        return [crm!, object!, id.join(':'), o.outcome, new Date(o.at).toISOString()];
      }),
    );
    const parsed = parseOutcomesCsv(csv, rules.calendar.timeZone);
    expect(parsed.ok ? parsed.rows.map((r) => r.leadKey) : parsed.problems).toEqual(
      outcomes.map((o) => o.leadKey),
    );
  });
});
