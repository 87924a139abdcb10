/**
 * The team's lead state as stored (storage/events.ts lead_state): per lead, the latest event body of each
 * slot. Read three ways: spliced into answers as it is, read for a field or two, or validated as an event.
 */
import type { z } from 'zod';
import { teamStateSlotOf } from '../lib/events';

/** A lead's stored event bodies by slot name (EventStore.leadState). */
export type LeadSlots = ReadonlyMap<string, string>;

// Every slot of leadTeamStateSchema, from the one table that maps event types to slots.
const TEAM_STATE_SLOTS = [...new Set(Object.values(teamStateSlotOf))];

/**
 * One lead of a team-state answer, `leadJson` being the lead's JSON. Stored bodies are already JSON:
 * spliced in rather than parsed and serialised again.
 */
export function teamStateEntry(leadJson: string, slots: LeadSlots | undefined): string {
  let entry = `{"lead":${leadJson}`;
  for (const name of TEAM_STATE_SLOTS) entry += `,"${name}":${slots?.get(name) ?? 'null'}`;
  return `${entry}}`;
}

/** The answer of /v1/team-state and /v1/handoffs/open: `{"leads":[...]}` of teamStateEntry texts. */
export function teamStateBody(entries: readonly string[]): string {
  return `{"leads":[${entries.join(',')}]}`;
}

/** A slot's stored event as plain fields, unchecked: for a field or two of a body stored valid. */
export function slotFields(slots: LeadSlots | undefined, name: string): Record<string, unknown> | undefined {
  const body = slots?.get(name);
  return body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
}

/** A slot's stored event as `schema` reads it, or undefined when absent or no longer valid. */
export function slotEvent<S extends z.ZodType>(
  slots: LeadSlots | undefined,
  name: string,
  schema: S,
): z.output<S> | undefined {
  const body = slots?.get(name);
  if (!body) return undefined;
  const parsed = schema.safeParse(JSON.parse(body));
  return parsed.success ? parsed.data : undefined;
}
