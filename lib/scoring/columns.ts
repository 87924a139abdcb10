/**
 * A set of leads' activities as columns of numbers, for leads scored again and again: the console's
 * what-if scores its sample of recent leads (300) with the active rules and with the draft on every edit
 * of the draft (lib/preview.ts keepForPreview). What the columns hold does not depend on any rule set:
 * each activity's instant (parsed once, not at every scoring), its type as a small number, and its title
 * and URL as ids. Scoring a lead with columns reads typed arrays instead of each activity's object and
 * strings, and answers "which rules does this activity match" from a per-rule-set memo indexed by those
 * ids (./compile.ts matchById).
 *
 * Measured (`npx vitest bench --run lib/evaluate`, 10,000 leads × 20 activities, the same leads scored
 * batch after batch): a batch in 34.8-36.1 ms with columns against 60.7-62.9 ms without; building the
 * columns once takes 41.5 ms. For the console's 300 leads that is ~0.8 ms saved per scoring pass.
 *
 * Columns are an addition, never a requirement: a lead without them is scored from its objects, with the
 * very same result (lib/evaluate.equality.test.ts holds both paths to the reference digests). A lead
 * scored once (a rep's sighting, an intake) is scored without: building its columns costs more than
 * they save.
 */
import { type Activity, type ActivityType, activityTypeSchema, type LeadSnapshot } from '../lead';
import { parseInstant } from '../normalize';

/** Activity types by number: an activity's type index is its place in activityTypeSchema's list. */
export const ACTIVITY_TYPES: readonly ActivityType[] = activityTypeSchema.options;
const TYPE_INDEX = new Map<string, number>(ACTIVITY_TYPES.map((type, i) => [type, i]));
/** The index of a type outside the schema's list: no rule names it, so no interest is found for it. */
export const UNKNOWN_TYPE = 255;

/**
 * The columns of one keepActivityColumns call's leads, one array per column for all of them (a typed
 * array per lead and column was 40,000 array buffers for 10,000 leads, each one tracked by every garbage
 * collection).
 */
export interface ColumnStore {
  /** parseInstant of each activity's time: epoch ms, NaN where it cannot be read. */
  readonly instants: Float64Array;
  /** Each activity's type index (ACTIVITY_TYPES), UNKNOWN_TYPE for any other. */
  readonly types: Uint8Array;
  /** Ids of each title and URL, the same id for the same text within the store; 0 where there is none. */
  readonly titles: Int32Array;
  readonly urls: Int32Array;
  /** Which call built the store: its ids mean nothing to another store's (see matchById). */
  readonly generation: number;
}

/** One lead's activities in a store: activity k of the list is entry start + k of every column. */
export interface ActivityColumns {
  readonly store: ColumnStore;
  readonly start: number;
  readonly length: number;
}

/**
 * The generation of the latest store. Only its columns are read: the memos by id that rule sets keep
 * (./compile.ts) hold one generation's ids at a time, so two stores in use at once would empty each
 * other's. The console keeps one sample at a time; a new sample retires the old one's columns.
 */
let generation = 0;

// Keyed by the activity list the columns describe: a snapshot given a new list is simply without columns.
const columnsByList = new WeakMap<readonly Activity[], ActivityColumns>();

/**
 * Builds and keeps the columns of these leads' activities, for the scorings to come, and retires those
 * of any earlier call. The snapshots are read, never changed; they must not be changed afterwards
 * either (validated snapshots are values): a list whose length changed is scored without its columns,
 * but one whose activities were replaced in place would be scored from stale columns.
 */
export function keepActivityColumns(snapshots: readonly LeadSnapshot[]): void {
  let total = 0;
  for (const snapshot of snapshots) total += snapshot.activities.length;
  // Ids of this call only, from 1 up without gaps (the memos by id are arrays indexed by them), and
  // dropped with the call: nothing keeps a page's titles and URLs once its leads are gone.
  const ids = new Map<string, number>();
  const idOf = (text: string | undefined): number => {
    if (text === undefined) return 0;
    let id = ids.get(text);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(text, id);
    }
    return id;
  };
  generation++;
  const store: ColumnStore = {
    instants: new Float64Array(total),
    types: new Uint8Array(total),
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
      store.types[at] = TYPE_INDEX.get(activity.type) ?? UNKNOWN_TYPE;
      store.titles[at] = idOf(activity.title);
      store.urls[at] = idOf(activity.url);
      at++;
    }
  }
}

/** The columns kept for this list of activities, if they are of the latest store and whole. */
export function activityColumnsOf(list: readonly Activity[]): ActivityColumns | undefined {
  const columns = columnsByList.get(list);
  return columns !== undefined && columns.store.generation === generation && columns.length === list.length
    ? columns
    : undefined;
}
