import type { LeadTeamState } from '../../lib/events';
import { awaitsRep, type LeadView, NO_SLA, withTeamFacts, withVerdict } from '../../lib/lead-view';
import type { QueueItem } from '../../lib/messaging';
import { slaStateAt } from '../../lib/sla/state';
import { AWAITING_CONTACT, HANDED_OVER } from '../awaiting-contact';
import type { BatonDb, StoredLead, StoredTeamState } from '../db';
import { storedRows } from './stored-rows';

/**
 * "My queue": every lead this browser has seen, completed with the team's state, plus the leads only
 * the team state knows (handed over, never opened here). Sorted by urgency: open SLAs by due time
 * (so the overdue come first, most overdue on top, then the nearest due), then everything else by
 * the latest handoff.
 */
export async function queue(database: BatonDb, now: number, timeZone?: string): Promise<QueueItem[]> {
  const [leads, team] = await Promise.all([database.leads.toArray(), database.teamState.toArray()]);
  return queueOf(leads, team, now, timeZone);
}

/**
 * The part of the queue that alerts and the badge can act on: every item whose lead can be alerted,
 * escalated or counted overdue is in it, as `queue` makes it. Reads only the marked rows
 * (extension/awaiting-contact.ts) and the other table's rows of the same leads, where `queue` reads
 * every row; the leads it leaves out have no clock running: never handed over, or answered.
 */
export async function alertableQueue(
  database: BatonDb,
  now: number,
  timeZone?: string,
): Promise<QueueItem[]> {
  const [waiting, handedOver] = await Promise.all([
    database.leads.where(AWAITING_CONTACT).equals(1).toArray(),
    database.teamState.where(HANDED_OVER).equals(1).toArray(),
  ]);
  const waitingKeys = new Set(waiting.map((l) => l.key));
  const handedOverKeys = new Set(handedOver.map((t) => t.key));
  // The other table's rows of the same leads: most waiting leads have no team row, and a get per key would
  // cost more than the index saved when most leads wait (storedRows reads only the keys stored).
  const [teamOfWaiting, leadsHandedOver] = await Promise.all([
    storedRows(
      database.teamState,
      [...waitingKeys].filter((key) => !handedOverKeys.has(key)),
    ),
    storedRows(
      database.leads,
      [...handedOverKeys].filter((key) => !waitingKeys.has(key)),
    ),
  ]);
  const present = <T>(row: T | undefined): row is T => row !== undefined;
  return queueOf(
    [...waiting, ...leadsHandedOver.filter(present)],
    [...handedOver, ...teamOfWaiting.filter(present)],
    now,
    timeZone,
  );
}

function queueOf(leads: StoredLead[], team: StoredTeamState[], now: number, timeZone?: string): QueueItem[] {
  const teamByKey = new Map(team.map((t) => [t.key, t.state]));
  const items: QueueItem[] = [];
  const seen = new Set<string>();
  for (const stored of leads) {
    if (!stored.view) continue;
    seen.add(stored.key);
    const item = fromSeen(stored, teamByKey.get(stored.key), timeZone);
    if (awaitsRep(item.stage)) items.push(item);
  }
  for (const entry of team) {
    if (seen.has(entry.key) || !entry.state.handoff) continue;
    const item = fromTeam(entry, timeZone);
    if (awaitsRep(item.stage)) items.push(item);
  }
  return items.sort((a, b) => urgency(a, now) - urgency(b, now) || (b.handoffAt ?? 0) - (a.handoffAt ?? 0));
}

/** One queue item for the lead a tab shows, if this browser has read it. */
export async function queueItem(
  database: BatonDb,
  key: string,
  timeZone?: string,
): Promise<QueueItem | null> {
  const [stored, team] = await Promise.all([database.leads.get(key), database.teamState.get(key)]);
  if (stored?.view) return fromSeen(stored, team?.state, timeZone);
  return team?.state.handoff ? fromTeam(team, timeZone) : null;
}

/** The toolbar badge: how many leads are past their first-contact deadline right now. */
export function overdueCount(items: QueueItem[], now: number): number {
  return items.filter((item) => slaStateAt(item.sla, now) === 'overdue').length;
}

/**
 * The team's facts on a view, for the pages too (a teammate's contact stops this browser's clock), and
 * the verdict this browser sent (a rejected lead shows as disqualified before the CRM record is edited).
 */
export function viewWithTeam(
  view: LeadView,
  team: LeadTeamState | undefined,
  reported?: StoredLead['reported'],
  timeZone?: string,
): LeadView {
  const withTeam = team ? withTeamFacts(view, team, timeZone) : view;
  const verdict =
    reported?.verdict && reported.feedbackAt !== undefined
      ? { verdict: reported.verdict, at: reported.feedbackAt }
      : null;
  return withVerdict(withTeam, verdict);
}

function fromSeen(stored: StoredLead, team: LeadTeamState | undefined, timeZone?: string): QueueItem {
  const view = viewWithTeam(stored.view!, team, stored.reported, timeZone);
  return {
    key: stored.key,
    crm: view.crm,
    object: view.object,
    recordId: view.recordId,
    label: view.company ?? view.name ?? view.recordId,
    ...(view.name ? { name: view.name } : {}),
    ...(view.company ? { company: view.company } : {}),
    ...(view.url ? { url: view.url } : {}),
    stage: view.stage,
    sla: view.sla,
    handoffAt: view.handoff?.at ?? null,
    awaitingFeedback: view.handoff !== null && !stored.reported?.feedbackAt && !team?.feedback,
    source: 'seen',
    view,
  };
}

function fromTeam(entry: StoredTeamState, timeZone?: string): QueueItem {
  const { lead, handoff, escalation, stage, feedback } = entry.state;
  const base: LeadView = {
    ...lead,
    score: handoff?.score ?? 0,
    fit: 0,
    engagement: 0,
    grade: 'D',
    stage: stage?.to ?? 'mql',
    handoff: null,
    why: [],
    sla: NO_SLA,
    rulesVersion: '',
    // Known from the team alone: the handoff's own score fills it in when it has one.
    partial: true,
  };
  const view = withTeamFacts(base, entry.state, timeZone);
  return {
    key: entry.key,
    ...lead,
    // Named by the company the handoff carries when no escalation named it: never a bare record id if
    // anything better is known.
    label: escalation?.leadLabel ?? handoff?.company ?? lead.recordId,
    ...(handoff?.company ? { company: handoff.company } : {}),
    // A lead that arrived by intake carries its record page on the handoff (lib/crm/links.ts).
    ...(escalation?.url || handoff?.url ? { url: escalation?.url ?? handoff!.url } : {}),
    stage: stage?.to ?? null,
    sla: view.sla,
    handoffAt: view.handoff?.at ?? null,
    awaitingFeedback: !feedback,
    source: 'team',
  };
}

function urgency(item: QueueItem, now: number): number {
  const state = slaStateAt(item.sla, now);
  const open = state === 'running' || state === 'due_soon' || state === 'overdue';
  return open && item.sla.dueAt !== null ? item.sla.dueAt : Number.MAX_SAFE_INTEGER;
}
