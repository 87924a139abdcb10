import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import { awaitsFirstContact, type LeadView } from '../lib/lead-view';
import type { StoredLead, StoredTeamState } from './db';

/**
 * Which stored rows the alert check and the toolbar badge read. Both used to read every lead this browser
 * has ever seen and every team-state row, one second after each burst of sightings; the cost grew with
 * every list a rep had opened. Only two kinds of row can be alerted, escalated or counted overdue: a lead
 * whose stored view may still wait for first contact (lib/lead-view.ts awaitsFirstContact), and a lead
 * whose team state has a handoff (the team's facts can add a handoff to a view, never take one away, and
 * only ever add contacts: withTeamFacts). Each is marked by a field with a sparse index on it, IndexedDB
 * leaving a row out of an index whose field it lacks.
 *
 * The marks are derived here, by a middleware under every write through Dexie to either table (put, add,
 * their bulk forms, update, modify and upsert all reach IndexedDB as one of these requests, with whole
 * rows), so no write path in the extension can forget one: a forgotten mark would be a missed SLA alert.
 * A raw IndexedDB write would skip it, and the requests' change descriptions (`updates`, `changeSpec`) do
 * not carry the mark: only a Dexie add-on that replays those (a sync service) would need to know.
 */
export const AWAITING_CONTACT = 'awaitingContact';
export const HANDED_OVER = 'handedOver';

/** A lead row with its mark as its view says: 1, or absent. */
export function markLead<T extends Partial<StoredLead>>(row: T): T {
  return mark(row, AWAITING_CONTACT, awaiting(row.view));
}

function awaiting(view: LeadView | undefined): boolean {
  // No view: the queue skips the row (a team handoff of the same lead is marked on its own row).
  if (!view) return false;
  // A view without the parts the judgment needs (stored data is a boundary) is marked: reading a row too
  // many costs little, leaving one out could be a missed alert.
  if (typeof view.sla !== 'object' || view.sla === null || view.handoff === undefined) return true;
  return awaitsFirstContact(view);
}

/** A team-state row with its mark as its state says: 1 when the team recorded a handoff, or absent. */
export function markTeamState<T extends Partial<StoredTeamState>>(row: T): T {
  return mark(row, HANDED_OVER, Boolean(row.state?.handoff));
}

function mark<T extends object>(row: T, field: string, on: boolean): T {
  const has = (row as Record<string, unknown>)[field] === 1;
  if (has === on) return row;
  const { [field]: _dropped, ...rest } = row as Record<string, unknown>;
  return (on ? { ...rest, [field]: 1 } : rest) as T;
}

const MARKERS: Record<string, (row: never) => unknown> = { leads: markLead, teamState: markTeamState };

/** Installed on the database (extension/db.ts): every row written to leads or teamState carries its mark. */
export const marksOnWrite: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'awaiting-contact-marks',
  create: (down) => ({
    ...down,
    table(name) {
      const table = down.table(name);
      const marker = MARKERS[name];
      if (!marker) return table;
      return {
        ...table,
        mutate(req: DBCoreMutateRequest) {
          if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
          return table.mutate({ ...req, values: req.values.map((row) => marker(row as never)) });
        },
      };
    },
  }),
};
