/**
 * A seeded, deterministic history of handoffs for tests and benchmarks: the events a team's browsers would
 * have sent over some weeks, with the traps real data has (a handoff reported by two browsers, the same
 * contact reported twice, late or missing contacts, a wrong-owner verdict corrected later, a recycled
 * lead handed over again, reason codes an older rule set used). The same options always give the same
 * events, on every machine.
 */
import { addBusinessTime } from '../calendar/business-time';
import { DAY_MS, dayOfIsoDate, zoneClock } from '../calendar/zone';
import { salesforceId18 } from '../crm/salesforce-id';
import type { Actor, Bant, BatonEvent, ContactMethod, EscalationKind } from '../events';
import type { CrmId, LeadKey } from '../lead';
import { leadKeyString } from '../lead-key';
import { prng } from '../prng';
import type { RuleSet } from '../rules/schema';
import { addDuration, atShare } from '../sla/duration';
import type { FitGrade } from '../sla/schema';
import { chooseTier, dueAt as dueAtOf } from '../sla/status';
import type { HandoffReason, OutcomeRow } from './types';

export interface GenerateOptions {
  leads: number;
  seed: number;
  /** First day of the history, ISO date in the rule set's calendar zone. */
  from: string;
  weeks: number;
  rules: RuleSet;
  /** Share of handoffs a second browser reports too, with the same handoffAt (default 0.15). */
  duplicateHandoffShare?: number;
  /** Share of leads handed over once before, recycled, and handed over again (default 0.04). */
  earlierCycleShare?: number;
  /** Share of leads never contacted (default 0.12). */
  uncontactedShare?: number;
}

export interface GeneratedHistory {
  events: BatonEvent[];
  /** Won and lost deals (and some opportunities) as a CRM export would list them for the CSV import. */
  outcomes: OutcomeRow[];
  /** The end of the history (epoch ms): nothing happens at or after it; a natural `now` for reports. */
  until: number;
}

const OWNERS = [
  '田中 太郎',
  '佐藤 花子',
  '鈴木 一郎',
  '高橋 美咲',
  '伊藤 健',
  '渡辺 結衣',
  '山本 大輔',
  '中村 さくら',
  'Emily Clark',
  'James Wilson',
  'Sophie Martin',
  'Daniel Kim',
] as const;
const MANAGERS = ['小林 部長', 'Olivia Brown'] as const;

const CRM_WEIGHTS: readonly (readonly [CrmId, number])[] = [
  ['salesforce', 0.4],
  ['hubspot', 0.25],
  ['dynamics', 0.1],
  ['zoho', 0.1],
  ['kintone', 0.1],
  ['pipedrive', 0.05],
];

/**
 * How likely sales accepts a lead, from its fit and engagement points: a lead that matches the ICP and
 * acts like a buyer converts several times as often as one that scraped past the threshold, as in real
 * funnels (the point of scoring). Fit weighs more than engagement; both saturate. An unscored lead (by
 * hand, no score) converts at an average rate.
 */
export function acceptChance(fit: number | null, engagement: number | null): number {
  if (fit === null || engagement === null) return 0.2;
  const readiness = (fit - 40) / 12 + (engagement - 50) / 25;
  return 0.02 + 0.5 / (1 + Math.exp(-readiness));
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function generateHistory(options: GenerateOptions): GeneratedHistory {
  const { leads, seed, weeks, rules } = options;
  const duplicateShare = options.duplicateHandoffShare ?? 0.15;
  const earlierShare = options.earlierCycleShare ?? 0.04;
  const uncontactedShare = options.uncontactedShare ?? 0.12;
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const chance = (p: number) => random() < p;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const calendar = rules.calendar;
  const zone = zoneClock(calendar.timeZone);
  const fromDay = dayOfIsoDate(options.from, 'from');
  const days = weeks * 7;
  const until = zone.dayStart(fromDay + days);

  const uuid = () => {
    // Four 32-bit draws as hex; version 4 and the RFC 9562 variant set as z.uuid() expects.
    const a = Math.floor(random() * 4_294_967_296);
    const b = Math.floor(random() * 4_294_967_296);
    const c = Math.floor(random() * 4_294_967_296);
    const d = Math.floor(random() * 4_294_967_296);
    return `${HEX[a >>> 24]}${HEX[(a >>> 16) & 255]}${HEX[(a >>> 8) & 255]}${HEX[a & 255]}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-4${HEX[(b >>> 8) & 15]!.slice(1)}${HEX[b & 255]}-${'89ab'[c >>> 30]}${HEX[(c >>> 24) & 15]!.slice(1)}${HEX[(c >>> 16) & 255]}-${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${HEX[d >>> 24]}${HEX[(d >>> 16) & 255]}${HEX[(d >>> 8) & 255]}${HEX[d & 255]}`;
  };
  const iso = (t: number) => new Date(t).toISOString();

  const positiveFit = rules.fitRules.filter((r) => r.points > 0);
  const negativeFit = rules.fitRules.filter((r) => r.points < 0);
  const positiveEngagement = rules.engagementRules.filter((r) => r.points > 0);
  const rejectReasons = rules.feedbackReasons
    .filter((r) => r.appliesTo.includes('reject'))
    .map((r) => r.code);
  const recycleReasons = rules.feedbackReasons
    .filter((r) => r.appliesTo.includes('recycle'))
    .map((r) => r.code);
  const { threshold, fitGrades } = rules;

  const events: BatonEvent[] = [];
  const outcomes: OutcomeRow[] = [];

  function leadKeyOf(i: number, crm: CrmId): LeadKey {
    const n = 100_000_000 + i * 7919;
    switch (crm) {
      case 'salesforce': {
        let id = '';
        for (let k = 0, x = n; k < 12; k++, x = Math.floor(x / 62)) id = BASE62[x % 62]! + id;
        // The 18-character form with its real checksum, as the adapter and the CSV import write it.
        return { crm, object: 'Lead', recordId: salesforceId18(`00Q${id}`)! };
      }
      case 'hubspot':
        return { crm, object: 'contact', recordId: String(n) };
      case 'dynamics':
        return {
          crm,
          object: 'lead',
          recordId: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00155d${String(i).padStart(6, '0')}`,
        };
      case 'zoho':
        return { crm, object: 'Leads', recordId: `5725767000${String(n).padStart(9, '0')}` };
      case 'pipedrive':
        // Pipedrive lead ids are UUIDs.
        return {
          crm,
          object: 'lead',
          recordId: `${n.toString(16).padStart(8, '0')}-0000-4000-9000-${String(i).padStart(12, '0')}`,
        };
      case 'kintone':
        return { crm, object: '42', recordId: String(i + 1) };
    }
  }

  function gradeOf(fit: number): FitGrade {
    if (fit >= fitGrades.A) return 'A';
    if (fit >= fitGrades.B) return 'B';
    if (fit >= fitGrades.C) return 'C';
    return 'D';
  }

  /** Explanation lines whose points are what the rules give, meeting the threshold when `byScore`. */
  function explain(byScore: boolean) {
    const lines: { ruleId: string; kind: 'fit' | 'engagement'; points: number }[] = [];
    let fit = 0;
    let engagement = 0;
    for (const rule of positiveFit) {
      if (chance(0.35)) {
        lines.push({ ruleId: rule.id, kind: 'fit', points: rule.points });
        fit += rule.points;
      }
    }
    for (const rule of negativeFit) {
      if (chance(0.04)) {
        lines.push({ ruleId: rule.id, kind: 'fit', points: rule.points });
        fit += rule.points;
      }
    }
    for (const rule of positiveEngagement) {
      if (!chance(0.4)) continue;
      const cap = rule.cap ?? rule.points * 5;
      // Behaviour points fade with time, so a line's total is often not a whole multiple.
      const raw = rule.points * (1 + Math.floor(random() * Math.max(1, Math.floor(cap / rule.points))));
      const points = chance(0.3) ? Math.round(raw * between(0.5, 1) * 10) / 10 : raw;
      lines.push({ ruleId: rule.id, kind: 'engagement', points });
      engagement += points;
    }
    if (!byScore && fit < 0) {
      // The generated negative traits are mostly the excluded ones (competitors, students, job seekers:
      // exclusion rules), so a trigger lead carrying them was handed over only when they were not seen.
      const kept = lines.filter((line) => line.kind === 'engagement' || line.points > 0);
      lines.length = 0;
      lines.push(...kept);
      fit = kept.reduce((sum, line) => (line.kind === 'fit' ? sum + line.points : sum), 0);
    }
    if (byScore) {
      // Keep adding what a hot lead does until it crosses the threshold, as its score did in the CRM.
      let k = 0;
      while (
        (fit + engagement < threshold.total ||
          fit < (threshold.minFit ?? Number.NEGATIVE_INFINITY) ||
          engagement < (threshold.minEngagement ?? Number.NEGATIVE_INFINITY)) &&
        k < 50
      ) {
        const needFit = fit < (threshold.minFit ?? Number.NEGATIVE_INFINITY);
        const pool = needFit && positiveFit.length > 0 ? positiveFit : positiveEngagement;
        const rule = pool[k % pool.length]!;
        const kind = pool === positiveFit ? 'fit' : 'engagement';
        lines.push({ ruleId: rule.id, kind, points: rule.points });
        if (kind === 'fit') fit += rule.points;
        else engagement += rule.points;
        k++;
      }
    }
    return { lines, fit, engagement };
  }

  // One actor object per person, shared by their events: half the CRMs show a user id, half do not.
  const actors = new Map<string, Actor>();
  function actorOf(name: string): Actor {
    let actor = actors.get(name);
    if (!actor) {
      actor =
        actors.size % 2 === 0 ? { name, crmUserId: `005${String(actors.size).padStart(5, '0')}` } : { name };
      actors.set(name, actor);
    }
    return actor;
  }

  // The instant of the event being built: base() is called inside each emit() argument, so emit can drop
  // events past the end without parsing the ISO string back.
  let builtAt = 0;
  function base(lead: LeadKey, at: number, rulesVersion: number, actor: string) {
    builtAt = at;
    return {
      idempotencyKey: uuid(),
      occurredAt: iso(at),
      lead,
      rulesVersion,
      actor: actorOf(actor),
    };
  }

  function randomHandoffTime(): number {
    let day = fromDay + Math.floor(random() * days);
    // Most handoffs land on working days: a score crosses the threshold when someone acts in office hours.
    if (chance(0.9)) {
      const weekday = (((day - 4) % 7) + 7) % 7;
      if (weekday >= 5) day -= weekday - 4;
      if (day < fromDay) day += 3;
    }
    const msOfDay = chance(0.75) ? between(9 * HOUR_MS, 18 * HOUR_MS) : between(0, 24 * HOUR_MS);
    // CRMs keep activity and status times to the minute.
    return zone.dayStart(day) + Math.floor(msOfDay / MINUTE_MS) * MINUTE_MS;
  }

  function bant(accepted: boolean): Bant {
    const answer = () =>
      accepted ? (chance(0.8) ? 'yes' : 'unknown') : pick(['yes', 'no', 'unknown'] as const);
    return {
      budget: answer(),
      authority: answer(),
      need: accepted ? 'yes' : answer(),
      timing: answer(),
      ...(chance(0.6)
        ? {
            timeframe: pick([
              'within_1_month',
              'within_3_months',
              'within_6_months',
              'within_12_months',
            ] as const),
          }
        : {}),
    };
  }

  /** Pushes the event unless it would happen after the history's end (it has not happened yet). */
  function emit(event: BatonEvent) {
    if (builtAt < until) events.push(event);
  }

  for (let i = 0; i < leads; i++) {
    let r = random();
    let crm: CrmId = 'salesforce';
    for (const [id, weight] of CRM_WEIGHTS) {
      crm = id;
      r -= weight;
      if (r < 0) break;
    }
    const lead = leadKeyOf(i, crm);
    const owner = chance(0.04) ? undefined : pick(OWNERS);
    const rep = owner ?? pick(OWNERS);
    const handoffAt = randomHandoffTime();
    const weekIndex = Math.floor((handoffAt - zone.dayStart(fromDay)) / (7 * DAY_MS));
    // Rule versions roll out over the history; a few browsers still run the built-in default.
    const rulesVersion = chance(0.02) ? 0 : 1 + Math.min(2, Math.floor((3 * weekIndex) / Math.max(1, weeks)));

    if (chance(earlierShare)) {
      // An earlier cycle: handed over, contacted, recycled for bad timing, then handed over again now.
      const before = handoffAt - Math.floor(between(20, 60) * DAY_MS);
      const fields = explain(true);
      emit({
        type: 'handoff_observed',
        ...base(lead, before + 60_000, 1, rep),
        handoffAt: iso(before),
        dueAt: iso(before + 24 * HOUR_MS),
        reason: 'threshold',
        score: fields.fit + fields.engagement,
        fit: fields.fit,
        engagement: fields.engagement,
        ...(owner ? { owner } : {}),
      });
      const contact = before + Math.floor(between(1, 30) * HOUR_MS);
      emit({
        type: 'first_contact',
        ...base(lead, contact, 1, rep),
        method: 'phone',
        source: 'crm_activity',
      });
      emit({
        type: 'feedback',
        ...base(lead, contact + 2 * HOUR_MS, 1, rep),
        verdict: 'recycle',
        reasonCode: recycleReasons.length > 0 ? pick(recycleReasons) : 'bad_timing',
      });
    }

    const reasonRoll = random();
    const reason: HandoffReason = reasonRoll < 0.55 ? 'threshold' : reasonRoll < 0.9 ? 'trigger' : 'manual';
    const triggerId = reason === 'trigger' && rules.triggers.length > 0 ? pick(rules.triggers).id : undefined;
    const scored = reason !== 'manual' || chance(0.5);
    const { lines, fit, engagement } = explain(reason === 'threshold');
    const fitGrade = scored && chance(0.95) ? gradeOf(fit) : undefined;
    const tier = chooseTier(rules.sla, { triggerId: triggerId ?? null, fitGrade: fitGrade ?? null });
    const due = dueAtOf(calendar, tier, handoffAt) ?? handoffAt + 24 * HOUR_MS;
    const seenAt = handoffAt + Math.floor(between(0, 2 * HOUR_MS));
    const handoff = {
      type: 'handoff_observed' as const,
      handoffAt: iso(handoffAt),
      dueAt: iso(due),
      reason,
      ...(triggerId ? { triggerId } : {}),
      ...(scored
        ? {
            score: Math.round((fit + engagement) * 10) / 10,
            fit,
            engagement: Math.round(engagement * 10) / 10,
          }
        : {}),
      ...(fitGrade ? { fitGrade } : {}),
      ...(owner ? { owner } : {}),
      // Named like the escalations name it, without drawing from the generator (the history stays the same).
      company: `株式会社サンプル${i % 1000}`,
      ...(scored ? { explanation: lines } : {}),
    };
    emit({ ...handoff, ...base(lead, seenAt, rulesVersion, rep) });
    if (chance(duplicateShare)) {
      // Another rep's browser saw the same handoff later; an older extension sends no explanation.
      const { explanation: _omitted, ...withoutExplanation } = handoff;
      emit({
        ...(chance(0.5) ? withoutExplanation : handoff),
        ...base(lead, seenAt + Math.floor(between(0, 48 * HOUR_MS)), rulesVersion, pick(OWNERS)),
      });
    }

    // Hot leads are called faster; a few wait days.
    let contactAt: number | null = null;
    if (!chance(uncontactedShare)) {
      const medianHours = reason === 'trigger' ? 0.8 : 3;
      const hours = Math.min(400, medianHours * Math.exp(1.3 * normal()));
      // Whole minutes, as the CRM records the call: some land exactly on the due time.
      contactAt = addBusinessTime(calendar, handoffAt, Math.round((hours * HOUR_MS) / MINUTE_MS) * MINUTE_MS);
      if (contactAt !== null && contactAt >= until) contactAt = null;
    }
    if (contactAt !== null) {
      const method: ContactMethod = pick(['phone', 'phone', 'email', 'meeting', 'other']);
      emit({
        type: 'first_contact',
        ...base(lead, contactAt, rulesVersion, rep),
        method,
        source: 'crm_activity',
      });
      if (chance(0.1)) {
        // A second browser found the same activity in the CRM's history.
        emit({
          type: 'first_contact',
          ...base(lead, contactAt, rulesVersion, pick(OWNERS)),
          method,
          source: 'crm_activity',
        });
      }
      if (chance(0.05)) {
        // A rep marked contact by hand later, not knowing it was already logged.
        const later = contactAt + Math.floor(between(1, 30) * HOUR_MS);
        emit({
          type: 'first_contact',
          ...base(lead, later, rulesVersion, rep),
          method: 'phone',
          source: 'manual',
        });
      }
      if (chance(0.3)) {
        emit({
          type: 'stage_change',
          ...base(lead, contactAt + 60_000, rulesVersion, rep),
          from: 'mql',
          to: 'contacted',
        });
      }
    }

    // The escalation ladder fires for leads still untouched at each step.
    const untilContact = contactAt ?? Number.POSITIVE_INFINITY;
    for (const step of rules.escalation.steps) {
      const at =
        'share' in step.when
          ? atShare(calendar, tier.duration.clock, handoffAt, due, step.when.share)
          : addDuration(calendar, due, step.when.afterDue);
      if (at === null || at >= untilContact) continue;
      const kind: EscalationKind = step.kind;
      emit({
        type: 'escalation_step',
        ...base(lead, at, rulesVersion, kind === 'manager' ? pick(MANAGERS) : rep),
        stepId: step.id,
        kind,
        dueAt: iso(due),
        ...(chance(0.5) ? { leadLabel: `株式会社サンプル${i % 1000}` } : {}),
      });
    }

    // Sales' verdict, mostly after a conversation.
    const hasVerdict = contactAt !== null ? chance(0.8) : chance(0.1);
    if (!hasVerdict) continue;
    let verdictAt = (contactAt ?? handoffAt) + Math.floor(between(0.5, 96) * HOUR_MS);
    const quality =
      acceptChance(scored ? fit : null, scored ? engagement : null) +
      (triggerId === 'demo_request' ? 0.1 : 0) -
      (rulesVersion === 1 ? 0.06 : 0);
    let verdictRoll = random();
    if (chance(0.06)) {
      // Handed to the wrong rep: they say so, and the right owner decides a day later.
      emit({
        type: 'feedback',
        ...base(lead, verdictAt, rulesVersion, rep),
        verdict: 'wrong_owner',
        rating: 3,
      });
      if (chance(0.4)) continue;
      verdictAt += Math.floor(between(20, 30) * HOUR_MS);
      verdictRoll = random();
    }
    const decider = pick(OWNERS);
    if (contactAt === null || verdictRoll >= quality) {
      const rest = random();
      if (rest < 0.05) {
        emit({ type: 'feedback', ...base(lead, verdictAt, rulesVersion, decider), verdict: 'duplicate' });
        continue;
      }
      const verdict = rest < 0.6 ? 'reject' : 'recycle';
      const codes = verdict === 'reject' ? rejectReasons : recycleReasons;
      // Reason codes of an older rule set survive in old feedback.
      const reasonCode = chance(0.02) || codes.length === 0 ? 'legacy_other' : pick(codes);
      emit({
        type: 'feedback',
        ...base(lead, verdictAt, rulesVersion, decider),
        verdict,
        reasonCode,
        ...(chance(0.5) ? { bant: bant(false) } : {}),
        ...(chance(0.6) ? { rating: 1 + Math.floor(random() * 3) } : {}),
        ...(chance(0.2)
          ? { comment: verdict === 'reject' ? '予算がなく検討段階ではない' : '来期に再検討とのこと' }
          : {}),
      });
      continue;
    }
    emit({
      type: 'feedback',
      ...base(lead, verdictAt, rulesVersion, decider),
      verdict: 'accept_sql',
      bant: bant(true),
      contactMethod: pick(['phone', 'meeting', 'email'] as const),
      rating: 3 + Math.floor(random() * 3),
    });
    const convertedAt = verdictAt + Math.floor(between(1, 20) * DAY_MS);
    const seenConverting = chance(0.45);
    if (seenConverting) {
      emit({
        type: 'stage_change',
        ...base(lead, convertedAt, rulesVersion, decider),
        from: 'sql',
        to: 'converted',
      });
    }
    const key = leadKeyString(lead);
    if (!seenConverting && chance(0.1) && convertedAt < until) {
      outcomes.push({ leadKey: key, crm, outcome: 'opportunity', at: convertedAt });
    }
    if (seenConverting || chance(0.05)) {
      const closedAt = convertedAt + Math.floor(between(10, 60) * DAY_MS);
      const closing = random();
      if (closedAt < until && closing < 0.6) {
        outcomes.push({ leadKey: key, crm, outcome: closing < 0.3 ? 'won' : 'lost', at: closedAt });
      }
    }
  }
  return { events, outcomes, until };
}
