/**
 * What the worker should tell the rep, and when to wake next, from stored absolute times only: the
 * worker may have been stopped, the computer asleep or the browser closed, so every decision is a
 * catch-up from "what is due by now and was not told yet", never from timers that ran.
 */
import { isWorkingTime, nextWorkingStart } from './calendar/business-time';
import { type BusinessCalendar, minutesOfDay } from './calendar/schema';
import { zoneClock } from './calendar/zone';
import type { EscalationStep } from './sla/schema';
import { contactAnswers } from './sla/state';

type StepKind = EscalationStep['kind'];

/** What this browser knows of one handed-over lead, as absolute times (epoch ms). */
export interface AlertLead {
  /** leadKeyString(). */
  key: string;
  name?: string;
  company?: string;
  url?: string;
  handoffAt: number | null;
  dueAt: number | null;
  dueSoonAt: number | null;
  contactedAt: number | null;
  /** The escalation plan's steps (lib/sla/escalation.ts), any order. */
  steps: { stepId: string; kind: StepKind; at: number }[];
}

/**
 * due_soon: the rule set's reminder (or the due-soon point); overdue: the breach; step: each ladder
 * step beyond the rep (manager, marketing).
 */
export type AlertKind = 'due_soon' | 'overdue' | 'step';

export interface Alert {
  /** alertId(): one notification each per handoff, ever (see there). */
  id: string;
  kind: AlertKind;
  leadKey: string;
  /** The handoff this alert belongs to: a lead handed over again is a new cycle with new alerts. */
  handoffAt: number;
  /** The ladder step for kind 'step' (and the reminder/owner step behind due_soon/overdue, if any). */
  stepId?: string;
  stepKind?: StepKind;
  at: number;
  dueAt: number;
  name?: string;
  company?: string;
  url?: string;
}

export interface AlertSettings {
  kinds: Record<AlertKind, boolean>;
  /** More fresh notifications than this at once become one summary. */
  maxNotifications: number;
  /**
   * Moments older than this are history, not news: a browser that first runs alerts (or comes back after
   * weeks) neither notifies nor escalates leads that everyone long since knew were late.
   */
  maxAgeMs: number;
  /**
   * The daily digest time ("HH:MM" in the calendar's zone): what fell due outside business hours is
   * summed up then on the next working day, rather than at the working day's start.
   */
  digestTime?: string | null;
}

export const defaultAlertSettings: AlertSettings = {
  kinds: { due_soon: true, overdue: true, step: true },
  maxNotifications: 3,
  maxAgeMs: 7 * 24 * 3_600_000,
};

export interface AlertInput {
  leads: readonly AlertLead[];
  calendar: BusinessCalendar;
  /** Alert ids already shown (or summarised, or superseded). */
  notified: ReadonlySet<string>;
  /** Alert ids of escalation steps already put in the outbox. */
  recorded: ReadonlySet<string>;
  settings?: AlertSettings;
  now: number;
}

export interface AlertPlan {
  /** One notification each, oldest first. */
  notify: Alert[];
  /** One notification for all of these (what fell due while quiet, or too many at once); empty: none. */
  summary: Alert[];
  /** Due, but outside business hours: shown in the summary at the next working start. */
  held: Alert[];
  /** Ids to remember as told now: the notified, the summarised, and earlier steps they supersede. */
  told: string[];
  /** Manager and marketing steps to record as escalation events, in firing order. */
  escalations: Alert[];
  /** The one moment to wake next, or null when nothing lies ahead. */
  wakeAt: number | null;
}

const BEYOND_REP: ReadonlySet<StepKind> = new Set(['manager', 'marketing']);

/** Ladder steps that reach beyond the rep (a manager, back to marketing): escalations for the webhook. */
export const isBeyondRep = (kind: StepKind): boolean => BEYOND_REP.has(kind);

/**
 * The identity of one alert: lead, handoff and moment ('due_soon', 'overdue' or the ladder step's id).
 * The handoff is part of it because a lead recycled and qualified again is a new cycle whose rep must be
 * told again; within one cycle the id never changes, so a restart never repeats a notification.
 */
export function alertId(leadKey: string, handoffAt: number, moment: string): string {
  return `${leadKey}@${handoffAt}:${moment}`;
}

/** Every moment the ladder names for one lead, in firing order; none once the lead is contacted. */
export function leadAlerts(lead: AlertLead): Alert[] {
  if (lead.handoffAt === null || lead.dueAt === null) return [];
  // Contact ends the clock: a rep who already called needs no reminder, and nobody escalates a met lead.
  // A contact dated before this handoff belongs to an earlier cycle (a team's first_contact from before
  // a recycle) and does not.
  if (contactAnswers(lead.contactedAt, lead.handoffAt)) return [];
  const handoffAt = lead.handoffAt;
  const id = (moment: string) => alertId(lead.key, handoffAt, moment);
  const base = {
    leadKey: lead.key,
    handoffAt,
    dueAt: lead.dueAt,
    ...(lead.name !== undefined ? { name: lead.name } : {}),
    ...(lead.company !== undefined ? { company: lead.company } : {}),
    ...(lead.url !== undefined ? { url: lead.url } : {}),
  };
  const reminder = lead.steps.find((s) => s.kind === 'reminder');
  const owner = lead.steps.find((s) => s.kind === 'owner');
  const alerts: Alert[] = [];
  const dueSoonAt = reminder?.at ?? lead.dueSoonAt;
  if (dueSoonAt !== null && dueSoonAt < lead.dueAt) {
    alerts.push({
      ...base,
      id: id('due_soon'),
      kind: 'due_soon',
      at: dueSoonAt,
      ...(reminder ? { stepId: reminder.stepId, stepKind: reminder.kind } : {}),
    });
  }
  alerts.push({
    ...base,
    id: id('overdue'),
    kind: 'overdue',
    at: owner?.at ?? lead.dueAt,
    ...(owner ? { stepId: owner.stepId, stepKind: owner.kind } : {}),
  });
  for (const step of lead.steps) {
    if (!isBeyondRep(step.kind)) continue;
    alerts.push({
      ...base,
      id: id(step.stepId),
      kind: 'step',
      stepId: step.stepId,
      stepKind: step.kind,
      at: step.at,
    });
  }
  return alerts.sort((a, b) => a.at - b.at);
}

export function planAlerts(input: AlertInput): AlertPlan {
  const { calendar, notified, recorded, now } = input;
  const settings = input.settings ?? defaultAlertSettings;
  const quiet = !isWorkingTime(calendar, now);
  /** When something that fell due out of hours at `t` is summed up. */
  const digestAfter = (t: number): number | null => {
    const start = nextWorkingStart(calendar, t);
    if (start === null || !settings.digestTime) return start;
    const zone = zoneClock(calendar.timeZone);
    return Math.max(start, zone.wallToInstant(zone.dayOf(start), minutesOfDay(settings.digestTime) * 60_000));
  };
  const plan: AlertPlan = { notify: [], summary: [], held: [], told: [], escalations: [], wakeAt: null };
  const wake = (t: number | null) => {
    if (t !== null && t > now && (plan.wakeAt === null || t < plan.wakeAt)) plan.wakeAt = t;
  };

  const fresh: Alert[] = [];
  for (const lead of input.leads) {
    const alerts = leadAlerts(lead).filter((a) => a.at >= now - settings.maxAgeMs);
    for (const alert of alerts) {
      if (alert.kind === 'step' && !recorded.has(alert.id)) {
        if (alert.at <= now) plan.escalations.push(alert);
        else wake(alert.at);
      }
    }
    const pending = alerts.filter((a) => settings.kinds[a.kind] && !notified.has(a.id));
    const due = pending.filter((a) => a.at <= now);
    for (const alert of pending) {
      // A moment outside hours is told at the next working start: wake then, not at a quiet 3 a.m.
      if (alert.at > now)
        wake(isWorkingTime(calendar, alert.at) ? alert.at : (digestAfter(alert.at) ?? alert.at));
    }
    const latest = due.at(-1);
    if (!latest) continue;
    const overnight = !isWorkingTime(calendar, latest.at);
    const digestAt = overnight ? digestAfter(latest.at) : null;
    // A digest time the rep set after office hours is theirs to choose: once passed, it may speak.
    const digestPassed = Boolean(settings.digestTime) && digestAt !== null && digestAt <= now;
    if ((digestAt !== null && digestAt > now) || (quiet && !digestPassed)) {
      plan.held.push(latest);
      wake(digestAt !== null && digestAt > now ? digestAt : digestAfter(now));
      continue;
    }
    // After a long sleep a lead may have passed several steps: tell only where it stands now.
    plan.told.push(...due.map((a) => a.id));
    // What came due while the office was closed waits for the morning summary, not a burst at 9:00.
    if (overnight) plan.summary.push(latest);
    else fresh.push(latest);
  }

  if (fresh.length > settings.maxNotifications) plan.summary.push(...fresh);
  else plan.notify.push(...fresh);
  const byTime = (a: Alert, b: Alert) => a.at - b.at || a.id.localeCompare(b.id);
  plan.notify.sort(byTime);
  plan.summary.sort(byTime);
  plan.held.sort(byTime);
  plan.escalations.sort(byTime);
  return plan;
}

/** What the worker remembers of one alert (extension/db.ts StoredAlert), as pruning needs it. */
export interface AlertClaim {
  id: string;
  leadKey: string;
  /** The alert's handoff and moment; absent on rows written before they were kept. */
  handoffAt?: number;
  at?: number;
  toldAt?: number;
  recordedAt?: number;
}

/** How long a claim of a still-open cycle is kept: well past maxAgeMs, as slack for a clock set back. */
export const CLAIM_RETENTION_MS = 30 * 24 * 3_600_000;
/** The slack for a cycle that ended (contacted, handed over again, gone): the clock set back a day. */
const ENDED_SLACK_MS = 24 * 3_600_000;

/**
 * Claims that can go without any alert ever firing again. A claim is what stops a moment from being
 * told twice, so it may only go once planAlerts would drop that moment anyway: the moment lies further
 * back than `maxAgeMs` (planAlerts neither tells nor escalates older moments, and time only moves on).
 * Beyond that horizon, a claim of a cycle that ended (the lead contacted, handed over again, or no
 * longer planned) goes after a day's slack; one of a cycle still open is kept `retentionMs`, for a
 * clock set back by hand. A row without its moment is judged by when it was told or recorded, which
 * is never before the moment.
 */
export function prunableClaims(
  claims: readonly AlertClaim[],
  leads: readonly AlertLead[],
  now: number,
  options: { maxAgeMs?: number; retentionMs?: number } = {},
): string[] {
  const maxAgeMs = options.maxAgeMs ?? defaultAlertSettings.maxAgeMs;
  const retentionMs = Math.max(options.retentionMs ?? CLAIM_RETENTION_MS, maxAgeMs);
  const momentOf = (claim: AlertClaim) =>
    claim.at ?? Math.max(claim.toldAt ?? -Infinity, claim.recordedAt ?? -Infinity);
  // Most claims are recent: only those past the horizon need their lead's ladder worked out again.
  const past = claims.filter((claim) => {
    const at = momentOf(claim);
    return Number.isFinite(at) && at < now - maxAgeMs - ENDED_SLACK_MS;
  });
  if (past.length === 0) return [];
  const keys = new Set(past.map((claim) => claim.leadKey));
  const open = new Set(
    leads.filter((lead) => keys.has(lead.key)).flatMap((lead) => leadAlerts(lead).map((a) => a.id)),
  );
  return past
    .filter((claim) => (open.has(claim.id) ? momentOf(claim) < now - retentionMs : true))
    .map((claim) => claim.id);
}
