/**
 * A lead's activities as columns of numbers, for leads scored again and again: the console's what-if
 * scores the same sample of leads with the active rules and the draft on every edit of the draft
 * (lib/preview.ts). What columns hold does not depend on any rule set: each activity's instant (parsed
 * once, not on every scoring), its type as a small number and its title and URL as interned ids. Scoring a
 * lead with columns then reads typed arrays instead of every activity's object and strings, and answers
 * "which rules does this activity match" from a per-rule-set memo indexed by those ids (./compile.ts
 * matchById). Measured on the bench's 10,000 leads × 20 activities: a batch in ~40 ms instead of ~60.
 *
 * Columns are an addition, never a requirement: a lead without them is scored from its objects, with the
 * very same result (lib/evaluate.equality.test.ts holds both paths to the reference digests). A lead seen
 * once (a rep's sighting) is scored without: building its columns would cost more than they save.
 */
import { type Activity, activityTypeSchema, type LeadSnapshot } from '../lead';
import { parseInstant } from '../normalize';

/** An activity type's number: its place in activityTypeSchema's list. */
export const ACTIVITY_KINDS: readonly string[] = activityTypeSchema.options;
const KIND_OF = new Map(ACTIVITY_KINDS.map((kind, i) => [kind, i]));
/** A kind no rule can name (a type outside the schema's list): interests are looked up as undefined. */
export const UNKNOWN_KIND = 255;

/**
 * The columns of many leads' activities, one array per column for all of them (a typed array per lead and
 * column was 40,000 array buffers for the console's sample, each one tracked by every garbage collection).
 */
export interface ColumnStore {
  /** parseInstant of each activity's time: epoch ms, NaN where it cannot be read. */
  readonly instants: Float64Array;
  /** Each activity's type as its index in ACTIVITY_KINDS, UNKNOWN_KIND for any other. */
  readonly kinds: Uint8Array;
  /** Interned ids of each title and URL; 0 where the activity has none. */
  readonly titles: Int32Array;
  readonly urls: Int32Array;
  /** The intern table's generation the ids belong to (see internLimit). */
  readonly generation: number;
}

/** One lead's activities in a store: activity k of the list is entry start + k of every column. */
export interface ActivityColumns {
  readonly store: ColumnStore;
  readonly start: number;
  readonly length: number;
}

/**
 * Titles and URLs to ids. The table is shared by every lead's columns so that the same campaign title has
 * the same id in all of them; it is emptied (and its generation moves on, which retires every column and
 * memo built on the old ids) once it would hold more than `internLimit` strings, so it cannot grow without
 * bound in a page left open all day.
 */
const ids = new Map<string, number>();
let generation = 0;
let internLimit = 100_000;

/** Tests only: a smaller table, to see it retire its ids. Returns the limit it replaces. */
export function setInternLimit(limit: number): number {
  const previous = internLimit;
  internLimit = limit;
  return previous;
}

function intern(text: string | undefined): number {
  if (text === undefined) return 0;
  let id = ids.get(text);
  if (id === undefined) {
    id = ids.size + 1;
    ids.set(text, id);
  }
  return id;
}

// Keyed by the activity list the columns describe: a snapshot given a new list is simply without columns.
const columnsByList = new WeakMap<readonly Activity[], ActivityColumns>();

/**
 * Builds and keeps the columns of these leads' activities, for the scorings to come. The snapshots are
 * read, never changed; they must not be changed afterwards either (validated snapshots are values).
 */
export function keepActivityColumns(snapshots: readonly LeadSnapshot[]): void {
  let total = 0;
  for (const snapshot of snapshots) total += snapshot.activities.length;
  // All ids of one store come from one generation: the table is emptied before, never during.
  if (ids.size + 2 * total > internLimit) {
    ids.clear();
    generation++;
  }
  const store: ColumnStore = {
    instants: new Float64Array(total),
    kinds: new Uint8Array(total),
    titles: new Int32Array(total),
    urls: new Int32Array(total),
    generation,
  };
  let at = 0;
  for (const snapshot of snapshots) {
    const list = snapshot.activities;
    columnsByList.set(list, { store, start: at, length: list.length });
    for (const activity of list) {
      store.instants[at] = parseInstant(activity.at);
      store.kinds[at] = KIND_OF.get(activity.type) ?? UNKNOWN_KIND;
      store.titles[at] = intern(activity.title);
      store.urls[at] = intern(activity.url);
      at++;
    }
  }
}

/** The columns kept for this list of activities, if their ids are still current and they are whole. */
export function activityColumnsOf(list: readonly Activity[]): ActivityColumns | undefined {
  const columns = columnsByList.get(list);
  return columns !== undefined && columns.store.generation === generation && columns.length === list.length
    ? columns
    : undefined;
}
